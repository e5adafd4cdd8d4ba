package io.github.observe4j.langfuse.sample.story;

import org.jspecify.annotations.Nullable;

/**
 * Feedback of a user on a story.
 *
 * @param traceId id of the story's trace, as returned with the story
 * @param score the rating, for example 1 for thumbs up and 0 for thumbs down
 * @param comment what the user wrote
 */
public record FeedbackRequest(@Nullable String traceId, double score, @Nullable String comment) {

}
