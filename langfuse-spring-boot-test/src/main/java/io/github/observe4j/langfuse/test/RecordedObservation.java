package io.github.observe4j.langfuse.test;

import java.time.Instant;
import java.util.Map;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.model.ObservationLevel;
import org.jspecify.annotations.Nullable;

/**
 * One ended observation as the application would have sent it, with its input, output and
 * metadata values rendered to the text Langfuse would receive (before masking and cutting to the
 * export size limit).
 *
 * @param traceId the trace id, 32 hex digits
 * @param id the observation id, 16 hex digits
 * @param parentId the parent observation id, or {@code null} for the root of a trace
 * @param name the name
 * @param type the type
 * @param startTime when it started
 * @param endTime when it ended
 * @param input the input text, or {@code null}
 * @param output the output text, or {@code null}
 * @param metadata metadata values as text
 * @param level the level, or {@code null} for the default
 * @param statusMessage the status message, or {@code null}
 * @param model the model, or {@code null}
 * @param modelParameters the model parameters
 * @param usage the usage details
 * @param cost the cost details
 * @param completionStartTime when the first token arrived, or {@code null}
 * @param promptName the name of the Langfuse prompt used, or {@code null}
 * @param promptVersion its version, or {@code null}
 * @since 0.1.0
 */
public record RecordedObservation(String traceId, String id, @Nullable String parentId, String name,
		ObservationType type, Instant startTime, Instant endTime, @Nullable String input, @Nullable String output,
		Map<String, String> metadata, @Nullable ObservationLevel level, @Nullable String statusMessage,
		@Nullable String model, Map<String, String> modelParameters, Map<String, Long> usage,
		Map<String, Double> cost, @Nullable Instant completionStartTime, @Nullable String promptName,
		@Nullable Integer promptVersion) {

}
