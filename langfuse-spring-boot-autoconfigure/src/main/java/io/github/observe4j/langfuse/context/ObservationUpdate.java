package io.github.observe4j.langfuse.context;

import java.time.Instant;
import java.util.Map;

import io.github.observe4j.langfuse.model.ObservationLevel;
import org.jspecify.annotations.Nullable;

/**
 * Fluent handle on the current observation. Every method returns the same handle so calls can
 * be chained; a {@code null} argument is ignored and never clears a value. Outside an observed
 * call the handle does nothing. Updates made after the observation ended are ignored.
 * <pre class="code">
 * LangfuseContext.currentObservation()
 *     .model("gpt-4o")
 *     .usage(812, 164)
 *     .metadata("retrievedDocuments", 4);
 * </pre>
 *
 * @since 0.1.0
 */
public interface ObservationUpdate {

	/**
	 * Rename the observation.
	 * @param name the new name
	 * @return this handle
	 */
	ObservationUpdate name(@Nullable String name);

	/**
	 * Set the input; wins over the captured arguments. A {@code String} is sent as plain text,
	 * anything else as JSON.
	 * @param input the input
	 * @return this handle
	 */
	ObservationUpdate input(@Nullable Object input);

	/**
	 * Set the output; wins over the captured return value.
	 * @param output the output
	 * @return this handle
	 */
	ObservationUpdate output(@Nullable Object output);

	/**
	 * Merge entries into the observation metadata; later values win per key.
	 * @param metadata the entries to merge
	 * @return this handle
	 */
	ObservationUpdate metadata(@Nullable Map<String, ?> metadata);

	/**
	 * Set one metadata entry.
	 * @param key the key
	 * @param value the value
	 * @return this handle
	 */
	ObservationUpdate metadata(String key, @Nullable Object value);

	/**
	 * Set the level.
	 * @param level the level
	 * @return this handle
	 */
	ObservationUpdate level(@Nullable ObservationLevel level);

	/**
	 * Set the status message, typically to explain a warning or an error.
	 * @param statusMessage the status message
	 * @return this handle
	 */
	ObservationUpdate statusMessage(@Nullable String statusMessage);

	/**
	 * Set the version of the code or prompt behind this observation.
	 * @param version the version
	 * @return this handle
	 */
	ObservationUpdate version(@Nullable String version);

	/**
	 * Set the model name of a generation, for example {@code gpt-4o}.
	 * @param model the model name
	 * @return this handle
	 */
	ObservationUpdate model(@Nullable String model);

	/**
	 * Merge model parameters, for example {@code temperature} or {@code max_tokens}.
	 * @param parameters the parameters to merge
	 * @return this handle
	 */
	ObservationUpdate modelParameters(@Nullable Map<String, ?> parameters);

	/**
	 * Set the token counts of a generation; {@code total} is their sum.
	 * @param inputTokens the input (prompt) tokens
	 * @param outputTokens the output (completion) tokens
	 * @return this handle
	 */
	ObservationUpdate usage(long inputTokens, long outputTokens);

	/**
	 * Merge usage details. Keys are Langfuse usage types such as {@code input}, {@code output},
	 * {@code total} or {@code input_cached_tokens}; negative values are ignored.
	 * @param usageDetails the usage details to merge
	 * @return this handle
	 */
	ObservationUpdate usageDetails(@Nullable Map<String, ? extends Number> usageDetails);

	/**
	 * Merge cost details in USD, keyed like the usage details. Without them Langfuse infers the
	 * cost from the model and the usage.
	 * @param costDetails the cost details to merge
	 * @return this handle
	 */
	ObservationUpdate costDetails(@Nullable Map<String, ? extends Number> costDetails);

	/**
	 * Set when the model produced its first token (time to first token).
	 * @param completionStartTime the time of the first token
	 * @return this handle
	 */
	ObservationUpdate completionStartTime(@Nullable Instant completionStartTime);

	/**
	 * Link the generation to a prompt managed in Langfuse.
	 * @param name the prompt name
	 * @param version the prompt version
	 * @return this handle
	 */
	ObservationUpdate prompt(String name, int version);

}
