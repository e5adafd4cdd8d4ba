package io.github.observe4j.langfuse.sample.story;

import org.jspecify.annotations.Nullable;

/**
 * A request for a story.
 *
 * @param topic what the story is about
 * @param userId id of the user asking, if known
 * @param sessionId id of the conversation the request belongs to
 */
public record StoryRequest(String topic, @Nullable String userId, String sessionId) {

}
