package io.github.observe4j.langfuse.internal.springai;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import io.github.observe4j.langfuse.internal.core.LlmCall;
import io.github.observe4j.langfuse.internal.core.LlmCalls;
import io.github.observe4j.langfuse.internal.support.Failures;
import io.github.observe4j.langfuse.internal.support.ThrottledLog;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Records one kind of Spring AI observation as a Langfuse observation: started in
 * {@link #onStart}, finished in {@link #onStop}, whichever threads they run on, with the call
 * kept on the Micrometer context itself. While the observation's scope is open, its Langfuse
 * observation is current on the thread too (see {@link ScopeMirror}).
 * <p>
 * A plain {@link ObservationHandler}, not a tracing or meter one, so Spring Boot registers it on
 * its own rather than in a first-match group where it could shadow those. Micrometer calls
 * handlers inline with no shielding: every callback here catches everything, so that a failure
 * of ours can never fail the application's LLM call.
 *
 * @param <C> the context type
 * @since 0.1.0
 */
public final class SpringAiObservationHandler<C extends Observation.Context>
		implements ObservationHandler<Observation.Context> {

	private static final Log logger = LogFactory.getLog(SpringAiObservationHandler.class);

	private final SpringAiMapping<C> mapping;

	private final Supplier<@Nullable LlmCalls> calls;

	private final ThrottledLog failures = new ThrottledLog(logger, Duration.ofMinutes(1));

	/**
	 * Create a handler.
	 * @param mapping how the context becomes an observation
	 * @param calls the call factory, looked up on first use: the handler is created while the
	 * observation registry is being configured, before the exporter may be
	 */
	public SpringAiObservationHandler(SpringAiMapping<C> mapping, Supplier<@Nullable LlmCalls> calls) {
		this.mapping = Objects.requireNonNull(mapping, "mapping must not be null");
		this.calls = Objects.requireNonNull(calls, "calls must not be null");
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		if (context.getClass() != this.mapping.contextType()) {
			return false;
		}
		try {
			return this.mapping.records(this.mapping.contextType().cast(context));
		}
		catch (Throwable ex) {
			Failures.rethrowIfFatal(ex);
			return false;
		}
	}

	@Override
	public void onStart(Observation.Context context) {
		try {
			LlmCalls calls = this.calls.get();
			if (calls == null) {
				return;
			}
			C typed = this.mapping.contextType().cast(context);
			LlmCall call = calls.start(this.mapping.name(typed), this.mapping.type(), ParentResolver.resolve(context),
					this.mapping.streaming(typed));
			context.put(LlmCall.class, call);
			this.mapping.started(typed, call);
		}
		catch (Throwable ex) {
			failed("start", ex);
		}
	}

	@Override
	public void onStop(Observation.Context context) {
		LlmCall call = null;
		try {
			call = context.get(LlmCall.class);
			if (call == null) {
				return;
			}
			Throwable error = context.getError();
			if (error != null) {
				call.fail(error);
			}
			this.mapping.stopped(this.mapping.contextType().cast(context), call);
		}
		catch (Throwable ex) {
			failed("stop", ex);
		}
		finally {
			end(call);
		}
	}

	@Override
	public void onScopeOpened(Observation.Context context) {
		try {
			LlmCall call = context.get(LlmCall.class);
			if (call != null) {
				context.computeIfAbsent(ScopeMirror.class, (key) -> new ScopeMirror()).opened(call.context());
			}
		}
		catch (Throwable ex) {
			failed("scope", ex);
		}
	}

	@Override
	public void onScopeClosed(Observation.Context context) {
		try {
			ScopeMirror mirror = context.get(ScopeMirror.class);
			if (mirror != null) {
				mirror.closed();
			}
		}
		catch (Throwable ex) {
			failed("scope", ex);
		}
	}

	@Override
	public void onScopeReset(Observation.Context context) {
		try {
			ScopeMirror mirror = context.get(ScopeMirror.class);
			if (mirror != null) {
				mirror.reset();
			}
		}
		catch (Throwable ex) {
			failed("scope", ex);
		}
	}

	private void end(@Nullable LlmCall call) {
		if (call == null) {
			return;
		}
		try {
			call.end();
		}
		catch (Throwable ex) {
			failed("end", ex);
		}
	}

	private void failed(String callback, Throwable ex) {
		Failures.rethrowIfFatal(ex);
		String kind = this.mapping.contextType().getSimpleName();
		this.failures.warn(kind + "." + callback, () -> "Langfuse could not record a Spring AI " + kind + " ("
				+ callback + "); the call itself is unaffected", ex);
	}

	@Override
	public String toString() {
		return "SpringAiObservationHandler[" + this.mapping.contextType().getName() + "]";
	}

}
