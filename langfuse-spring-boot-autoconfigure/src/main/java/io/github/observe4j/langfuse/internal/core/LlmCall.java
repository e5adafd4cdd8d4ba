package io.github.observe4j.langfuse.internal.core;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One call made through an LLM framework (a chat, an embedding, a tool), recorded from the
 * framework's own callbacks, which may arrive on different threads: either an observation of its
 * own, or, inside an enclosing generation, folded into that generation. Setters ignore
 * {@code null}; nothing here throws for bad values, and everything after {@link #end()} is
 * ignored.
 *
 * @since 0.1.0
 */
public interface LlmCall {

	/**
	 * Record what the model was given, unless input capture is off.
	 * @param input the input, such as messages as {@code [{role, content}]}
	 */
	void input(@Nullable Object input);

	/**
	 * Record what the model answered, unless output capture is off.
	 * @param output the output
	 */
	void output(@Nullable Object output);

	/**
	 * Record the model.
	 * @param model the model name
	 */
	void model(@Nullable String model);

	/**
	 * Record the model parameters; {@code null} values are left out.
	 * @param parameters the parameters
	 */
	void modelParameters(Map<String, ?> parameters);

	/**
	 * Record token usage of this call alone, never a framework's running total.
	 * @param usage usage by Langfuse key ({@code input}, {@code output}, {@code total}, ...)
	 */
	void usage(Map<String, ? extends Number> usage);

	/**
	 * Record one metadata entry.
	 * @param key the key
	 * @param value the value
	 */
	void metadata(String key, @Nullable Object value);

	/**
	 * Record when the first token arrived.
	 * @param time the time
	 */
	void completionStartTime(@Nullable Instant time);

	/**
	 * Record that the call failed.
	 * @param error the error
	 */
	void fail(Throwable error);

	/**
	 * Record that the call ended without an answer, such as a cancelled stream.
	 * @param message why
	 */
	void incomplete(String message);

	/**
	 * End the call; only the first end counts.
	 */
	void end();

	/**
	 * Return the context that code running inside this call (a tool body) should be current in.
	 * @return the context
	 */
	ObservationContext context();

}
