package io.github.observe4j.langfuse.context;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.context.GlobalRegistry;
import io.github.observe4j.langfuse.model.Score;
import org.jspecify.annotations.Nullable;

/**
 * Static access to the Langfuse context API, for code that cannot inject a
 * {@link LangfuseClient}. Each call delegates to the client registered by the application (the
 * Spring Boot auto-configuration registers its bean); before that, and when Langfuse is disabled,
 * every call is a harmless no-op.
 * <pre class="code">
 * &#64;Observe(type = ObservationType.GENERATION)
 * public String complete(String prompt) {
 *     ChatResponse response = model.call(prompt);
 *     LangfuseContext.currentObservation().model(response.model()).usage(response.inTokens(), response.outTokens());
 *     LangfuseContext.currentTrace().userId(currentUser());
 *     return response.text();
 * }
 * </pre>
 *
 * @since 0.1.0
 */
public final class LangfuseContext {

	private static final GlobalRegistry<LangfuseClient> clients = GlobalRegistry.of(LangfuseClient.class);

	private LangfuseContext() {
	}

	/**
	 * Return the registered client.
	 * @return the client, a no-op one when none is registered
	 */
	public static LangfuseClient client() {
		LangfuseClient client = clients.current();
		return (client != null) ? client : LangfuseClient.noop();
	}

	/**
	 * See {@link LangfuseClient#currentObservation()}.
	 * @return the handle
	 */
	public static ObservationUpdate currentObservation() {
		return client().currentObservation();
	}

	/**
	 * See {@link LangfuseClient#currentTrace()}.
	 * @return the handle
	 */
	public static TraceUpdate currentTrace() {
		return client().currentTrace();
	}

	/**
	 * See {@link LangfuseClient#currentTraceId()}.
	 * @return the trace id
	 */
	public static Optional<String> currentTraceId() {
		return client().currentTraceId();
	}

	/**
	 * See {@link LangfuseClient#currentObservationId()}.
	 * @return the observation id
	 */
	public static Optional<String> currentObservationId() {
		return client().currentObservationId();
	}

	/**
	 * See {@link LangfuseClient#currentTraceUrl()}.
	 * @return the URL
	 */
	public static Optional<String> currentTraceUrl() {
		return client().currentTraceUrl();
	}

	/**
	 * See {@link LangfuseClient#scoreCurrentObservation(Score)}.
	 * @param score the score
	 */
	public static void scoreCurrentObservation(Score score) {
		client().scoreCurrentObservation(score);
	}

	/**
	 * See {@link LangfuseClient#scoreCurrentTrace(Score)}.
	 * @param score the score
	 */
	public static void scoreCurrentTrace(Score score) {
		client().scoreCurrentTrace(score);
	}

	/**
	 * See {@link LangfuseClient#scoreTrace(String, Score)}.
	 * @param traceId the trace id
	 * @param score the score
	 */
	public static void scoreTrace(String traceId, Score score) {
		client().scoreTrace(traceId, score);
	}

	/**
	 * See {@link LangfuseClient#scoreObservation(String, String, Score)}.
	 * @param traceId the trace id of the observation
	 * @param observationId the observation id
	 * @param score the score
	 */
	public static void scoreObservation(String traceId, String observationId, Score score) {
		client().scoreObservation(traceId, observationId, score);
	}

	/**
	 * See {@link LangfuseClient#traceUrl(String)}.
	 * @param traceId the trace id
	 * @return the URL, empty for an invalid id or when nothing is exported
	 */
	public static Optional<String> traceUrl(String traceId) {
		return client().traceUrl(traceId);
	}

	/**
	 * See {@link LangfuseClient#joinTrace(String, String)}.
	 * @param traceId the trace id
	 * @param parentObservationId the parent observation id, or {@code null}
	 * @return a scope to close when done
	 */
	public static LangfuseScope joinTrace(String traceId, @Nullable String parentObservationId) {
		return client().joinTrace(traceId, parentObservationId);
	}

	/**
	 * See {@link LangfuseClient#joinTraceparent(String)}.
	 * @param traceparent the W3C traceparent header value
	 * @return a scope to close when done
	 */
	public static LangfuseScope joinTraceparent(@Nullable String traceparent) {
		return client().joinTraceparent(traceparent);
	}

	/**
	 * See {@link LangfuseClient#observe(String, ObservationType, Supplier)}.
	 * @param <T> the result type
	 * @param name the observation name
	 * @param type the observation type
	 * @param work the code to run
	 * @return what the code returned
	 */
	public static <T> T observe(String name, ObservationType type, Supplier<T> work) {
		return client().observe(name, type, work);
	}

	/**
	 * See {@link LangfuseClient#startObservation(String, ObservationType)}.
	 * @param name the observation name
	 * @param type the observation type
	 * @return the open observation; close it on this thread
	 */
	public static LangfuseObservation startObservation(String name, ObservationType type) {
		return client().startObservation(name, type);
	}

	/**
	 * See {@link LangfuseClient#wrap(Runnable)}.
	 * @param task the task
	 * @return the task, carrying the current observation
	 */
	public static Runnable wrap(Runnable task) {
		return client().wrap(task);
	}

	/**
	 * See {@link LangfuseClient#wrap(Callable)}.
	 * @param <T> the result type
	 * @param task the task
	 * @return the task, carrying the current observation
	 */
	public static <T> Callable<T> wrap(Callable<T> task) {
		return client().wrap(task);
	}

	/**
	 * See {@link LangfuseClient#wrap(Executor)}.
	 * @param executor the executor
	 * @return the wrapping executor
	 */
	public static Executor wrap(Executor executor) {
		return client().wrap(executor);
	}

	/**
	 * See {@link LangfuseClient#flush(Duration)}.
	 * @param timeout the longest time to wait
	 * @return whether everything was sent in time
	 */
	public static boolean flush(Duration timeout) {
		return client().flush(timeout);
	}

	/**
	 * See {@link LangfuseClient#authCheck()}.
	 * @return whether Langfuse accepted the keys
	 */
	public static boolean authCheck() {
		return client().authCheck();
	}

}
