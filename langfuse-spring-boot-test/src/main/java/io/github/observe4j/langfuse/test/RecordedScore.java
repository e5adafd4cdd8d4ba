package io.github.observe4j.langfuse.test;

import io.github.observe4j.langfuse.model.Score;
import org.jspecify.annotations.Nullable;

/**
 * A score as the application would have sent it.
 *
 * @param traceId the trace it scores
 * @param observationId the observation it scores, or {@code null} for the trace
 * @param score the score
 * @since 0.1.0
 */
public record RecordedScore(String traceId, @Nullable String observationId, Score score) {

}
