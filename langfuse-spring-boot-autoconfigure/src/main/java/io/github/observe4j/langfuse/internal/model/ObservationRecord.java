package io.github.observe4j.langfuse.internal.model;

import java.time.Instant;
import java.util.Map;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.model.ObservationLevel;
import org.jspecify.annotations.Nullable;

/**
 * A finished observation as exporters read it: one complete span, exported once. Nothing about
 * it changes after it has been handed to an exporter.
 * <p>
 * Input and output values are one of: {@code null}, a {@link String} (sent as plain text), a
 * {@link JsonText} (sent as it is), a {@link CapturedArguments}, or any other object (serialized
 * to JSON on the export thread).
 *
 * @since 0.1.0
 */
public interface ObservationRecord {

	/**
	 * Return the high 64 bits of the trace id.
	 * @return the trace id's high bits
	 */
	long traceIdHigh();

	/**
	 * Return the low 64 bits of the trace id.
	 * @return the trace id's low bits
	 */
	long traceIdLow();

	/**
	 * Return the span id; never 0.
	 * @return the span id
	 */
	long spanId();

	/**
	 * Return the parent span id, or 0 for a root observation.
	 * @return the parent span id
	 */
	long parentSpanId();

	/**
	 * Return the start time in nanoseconds since the epoch.
	 * @return the start time
	 */
	long startEpochNanos();

	/**
	 * Return the end time in nanoseconds since the epoch.
	 * @return the end time
	 */
	long endEpochNanos();

	/**
	 * Return the observation name.
	 * @return the name
	 */
	String name();

	/**
	 * Return the observation type.
	 * @return the type
	 */
	ObservationType type();

	/**
	 * Return the input.
	 * @return the input, or {@code null}
	 */
	@Nullable Object input();

	/**
	 * Return the output.
	 * @return the output, or {@code null}
	 */
	@Nullable Object output();

	/**
	 * Return the observation metadata.
	 * @return the metadata, never {@code null}
	 */
	Map<String, Object> metadata();

	/**
	 * Return the level explicitly set, or {@code ERROR} when the call failed.
	 * @return the level, or {@code null}
	 */
	@Nullable ObservationLevel level();

	/**
	 * Return the status message.
	 * @return the status message, or {@code null}
	 */
	@Nullable String statusMessage();

	/**
	 * Return whether the observed call failed (exported as OTLP status code ERROR).
	 * @return whether the call failed
	 */
	boolean failed();

	/**
	 * Return the observation version, falling back to the trace version.
	 * @return the version, or {@code null}
	 */
	@Nullable String version();

	/**
	 * Return the model name of a generation.
	 * @return the model, or {@code null}
	 */
	@Nullable String model();

	/**
	 * Return the model parameters.
	 * @return the model parameters, never {@code null}
	 */
	Map<String, Object> modelParameters();

	/**
	 * Return the usage details (for example {@code input}, {@code output}, {@code total}).
	 * @return the usage details, never {@code null}
	 */
	Map<String, Long> usageDetails();

	/**
	 * Return the cost details in USD.
	 * @return the cost details, never {@code null}
	 */
	Map<String, Double> costDetails();

	/**
	 * Return when the model produced its first token.
	 * @return the completion start time, or {@code null}
	 */
	@Nullable Instant completionStartTime();

	/**
	 * Return the name of the Langfuse prompt used.
	 * @return the prompt name, or {@code null}
	 */
	@Nullable String promptName();

	/**
	 * Return the version of the Langfuse prompt used.
	 * @return the prompt version, or {@code null}
	 */
	@Nullable Integer promptVersion();

	/**
	 * Return the trace-wide attributes to send with this observation.
	 * @return the trace attributes, never {@code null}
	 */
	TraceAttributes traceAttributes();

	/**
	 * Return whether this is the root of this application's part of a trace whose parent lives
	 * in another service; Langfuse then treats it as a root ({@code langfuse.internal.is_app_root}).
	 * @return whether it is the application's root under a remote parent
	 */
	default boolean isAppRoot() {
		return false;
	}

	/**
	 * Return a conservative estimate of the heap this record keeps alive while it waits for
	 * export, which the export's byte budget counts. The same value on every call, since nothing
	 * about a finished record changes.
	 * @return the estimate in bytes
	 * @see RetainedSize
	 */
	default long retainedBytes() {
		return RetainedSize.of(this);
	}

}
