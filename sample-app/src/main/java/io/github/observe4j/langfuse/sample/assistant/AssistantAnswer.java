package io.github.observe4j.langfuse.sample.assistant;

import org.jspecify.annotations.Nullable;

/**
 * An answer and where to find its trace.
 *
 * @param question the question
 * @param answer the answer
 * @param traceId id of the Langfuse trace; {@code null} when tracing is off
 * @param traceUrl link to the trace in Langfuse; {@code null} when tracing is off or the project
 * is not known yet
 */
public record AssistantAnswer(String question, String answer, @Nullable String traceId, @Nullable String traceUrl) {

}
