package io.github.observe4j.langfuse.context;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.model.Score;
import org.jspecify.annotations.Nullable;

/**
 * The Langfuse context API as an injectable bean; {@link LangfuseContext} offers the same calls
 * statically. Methods that act on the "current" observation or trace are harmless no-ops outside
 * an observed call. No method throws into the caller, and only {@link #flush(Duration)} and
 * {@link #authCheck()} may block, each for a bounded time.
 *
 * @since 0.1.0
 */
public interface LangfuseClient {

	/**
	 * Return a handle on the innermost observation of this thread.
	 * @return the handle, a no-op outside an observed call
	 */
	ObservationUpdate currentObservation();

	/**
	 * Return a handle on the trace of the innermost observation of this thread.
	 * @return the handle, a no-op outside an observed call
	 */
	TraceUpdate currentTrace();

	/**
	 * Return the id of the current trace (32 lowercase hex characters).
	 * @return the trace id, empty outside an observed call
	 */
	Optional<String> currentTraceId();

	/**
	 * Return the id of the innermost observation (16 lowercase hex characters).
	 * @return the observation id, empty outside an observed call
	 */
	Optional<String> currentObservationId();

	/**
	 * Return the Langfuse URL of the current trace,
	 * {@code {host}/project/{projectId}/traces/{traceId}}.
	 * @return the URL, empty outside an observed call or when nothing is exported
	 */
	Optional<String> currentTraceUrl();

	/**
	 * Return the Langfuse URL of a trace. The project id is fetched in the background at startup
	 * and cached; this call never waits for it. Until it is known, the URL is
	 * {@code {host}/trace/{traceId}}, which Langfuse redirects to the project's trace page.
	 * @param traceId the trace id
	 * @return the URL, empty for an invalid id or when nothing is exported
	 */
	Optional<String> traceUrl(String traceId);

	/**
	 * Score the innermost observation.
	 * @param score the score
	 */
	void scoreCurrentObservation(Score score);

	/**
	 * Score the current trace.
	 * @param score the score
	 */
	void scoreCurrentTrace(Score score);

	/**
	 * Score any trace by id, for example when user feedback arrives after the request.
	 * @param traceId the trace id
	 * @param score the score
	 */
	void scoreTrace(String traceId, Score score);

	/**
	 * Score any observation by id.
	 * @param traceId the trace id of the observation
	 * @param observationId the observation id
	 * @param score the score
	 */
	void scoreObservation(String traceId, String observationId, Score score);

	/**
	 * Make the next outermost observed call on this thread join a given trace instead of starting
	 * a new one. With a parent observation id it becomes that observation's child (for a trace
	 * begun in another service or before a queue hop); without, it is a root with the given
	 * trace id (for example one made by {@link LangfuseIds#traceIdFromSeed(String)}). Invalid ids
	 * are logged and ignored; inside an observed call the scope is ignored.
	 * @param traceId the trace id, 32 hex characters
	 * @param parentObservationId the parent observation id, 16 hex characters, or {@code null}
	 * @return a scope to close when done
	 */
	LangfuseScope joinTrace(String traceId, @Nullable String parentObservationId);

	/**
	 * Like {@link #joinTrace(String, String)}, from a W3C {@code traceparent} header value. A
	 * request without the header ({@code null} or blank) joins nothing and logs nothing: its
	 * outermost call starts a trace of its own. An invalid value is ignored with a WARN (at most
	 * one a minute).
	 * @param traceparent the header value, {@code 00-<trace id>-<parent id>-<flags>}, or
	 * {@code null}
	 * @return a scope to close when done
	 */
	LangfuseScope joinTraceparent(@Nullable String traceparent);

	/**
	 * Wait until everything recorded so far has been sent (or given up on).
	 * @param timeout the longest time to wait
	 * @return whether everything was sent in time
	 */
	boolean flush(Duration timeout);

	/**
	 * Check the configured keys against Langfuse with {@code GET /api/public/projects}. Blocks
	 * for at most the export timeout; do not call it on a request path.
	 * @return whether Langfuse accepted the keys
	 */
	boolean authCheck();

	/**
	 * Run code as an observation, the programmatic twin of {@code @Observe}: it is current while
	 * the code runs and ends when the code returns or throws (the exception is recorded and
	 * rethrown unchanged), or, for a {@code CompletionStage}, {@code Mono} or {@code Flux} result,
	 * when that completes; the result is recorded as output unless output capture is off.
	 * @param <T> the result type
	 * @param name the observation name
	 * @param type the observation type
	 * @param work the code to run
	 * @return what the code returned (for a {@code Mono} or {@code Flux}, one that emits the same)
	 */
	default <T> T observe(String name, ObservationType type, Supplier<T> work) {
		return work.get();
	}

	/**
	 * Start an observation that is current on this thread until it is closed; see
	 * {@link LangfuseObservation}.
	 * @param name the observation name
	 * @param type the observation type
	 * @return the open observation; close it on this thread
	 */
	default LangfuseObservation startObservation(String name, ObservationType type) {
		return NoopLangfuseClient.INSTANCE;
	}

	/**
	 * Make a task run with this thread's current observation, for executors the starter does not
	 * decorate by itself (Boot's auto-configured executor and {@code @Async} are).
	 * Nothing of it stays on the pool thread after the task.
	 * @param task the task
	 * @return the task, carrying the current observation
	 */
	default Runnable wrap(Runnable task) {
		return task;
	}

	/**
	 * Like {@link #wrap(Runnable)}, for a task with a result.
	 * @param <T> the result type
	 * @param task the task
	 * @return the task, carrying the current observation
	 */
	default <T> Callable<T> wrap(Callable<T> task) {
		return task;
	}

	/**
	 * Return an executor whose tasks run with the observation current when each was submitted,
	 * for example for {@code CompletableFuture.supplyAsync(work, langfuse.wrap(executor))} or a
	 * virtual-thread executor made by hand.
	 * @param executor the executor
	 * @return the wrapping executor
	 */
	default Executor wrap(Executor executor) {
		return (command) -> executor.execute(wrap(command));
	}

	/**
	 * Return a client that does nothing, used when Langfuse is disabled.
	 * @return a no-op client
	 */
	static LangfuseClient noop() {
		return NoopLangfuseClient.INSTANCE;
	}

}
