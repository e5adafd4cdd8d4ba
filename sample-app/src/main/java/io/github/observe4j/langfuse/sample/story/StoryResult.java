package io.github.observe4j.langfuse.sample.story;

import org.jspecify.annotations.Nullable;

/**
 * A story and where to find its trace.
 *
 * @param topic what the story is about
 * @param story the story
 * @param moderated whether the guardrail replaced the generated story
 * @param sessionId id of the conversation, to send with the next request
 * @param traceId id of the Langfuse trace, to send with feedback; {@code null} when tracing is
 * off
 * @param traceUrl link to the trace in Langfuse; {@code null} when tracing is off or the project
 * is not known yet
 */
public record StoryResult(String topic, String story, boolean moderated, String sessionId, @Nullable String traceId,
		@Nullable String traceUrl) {

}
