package io.github.observe4j.langfuse.internal.core;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.model.CapturedArguments;
import io.github.observe4j.langfuse.model.ObservationLevel;
import io.github.observe4j.langfuse.internal.support.Failures;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * An observation whose method returned an asynchronous result, for an {@link AsyncEndStrategy}
 * to end. The first {@link #claim()} gets the observation started by the call; every later one
 * (a cold publisher subscribed again, by {@code retry()} or {@code repeat()}) starts a new
 * observation of its own, with the same name, type, input and parent, so each run is recorded
 * once. Nothing here throws: a failure is logged and the observation is left as it is.
 *
 * @since 0.1.0
 */
public final class AsyncObservation {

	private static final Log logger = LogFactory.getLog(AsyncObservation.class);

	private final LangfuseTracer tracer;

	private final LangfuseSpan first;

	private final @Nullable ObservationContext parent;

	private final @Nullable CapturedArguments input;

	private final boolean captureOutput;

	private final AtomicBoolean firstClaimed = new AtomicBoolean();

	/**
	 * Create an observation handle.
	 * @param tracer the tracer that started the observation
	 * @param first the observation started by the call
	 * @param parent the context that was current when the call started, which the
	 * observation's own subscribers and later runs return to
	 * @param input the captured input, for later runs, or {@code null}
	 * @param captureOutput whether to record the result as output
	 */
	public AsyncObservation(LangfuseTracer tracer, LangfuseSpan first, @Nullable ObservationContext parent,
			@Nullable CapturedArguments input, boolean captureOutput) {
		this.tracer = tracer;
		this.first = first;
		// as it is now on the calling thread (a join closed elsewhere is not kept), handed out
		// so that runs and subscribers that come after a joining scope closed stay in its trace
		this.parent = LangfuseSpan.handedOut(LangfuseSpan.live(parent));
		this.input = input;
		this.captureOutput = captureOutput;
	}

	/**
	 * Return the observation for one run of the result: the one started by the call the first
	 * time, a new one with the same parent after that.
	 * @return the observation to end when this run ends
	 */
	public LangfuseSpan claim() {
		if (this.firstClaimed.compareAndSet(false, true)) {
			return this.first;
		}
		ObservationContext previous = ObservationContextHolder.install(this.parent);
		try {
			LangfuseSpan again = this.tracer.startObservation(this.first.name(), this.first.type());
			if (this.input != null) {
				again.captureInput(this.input);
			}
			return again;
		}
		catch (RuntimeException ex) {
			Failures.warn(logger,
					"Langfuse could not start an observation for another run of '" + this.first.name() + "'", ex);
			return this.first;
		}
		finally {
			ObservationContextHolder.swap(previous);
		}
	}

	/**
	 * Return the context that was current when the call started: what code downstream of the
	 * result runs with.
	 * @return the context, or {@code null}
	 */
	public @Nullable ObservationContext parent() {
		return this.parent;
	}

	/**
	 * Return whether the result is recorded as output.
	 * @return whether output is captured
	 */
	public boolean capturesOutput() {
		return this.captureOutput;
	}

	/**
	 * Return the longest text kept for one captured value, to bound collected stream output.
	 * @return the limit in characters
	 */
	public int maxOutputChars() {
		return this.tracer.settings().maxFieldChars();
	}

	/**
	 * Snapshot one streamed element now, so later mutation does not change it.
	 * @param element the element
	 * @return a value safe to keep
	 */
	public @Nullable Object snapshot(@Nullable Object element) {
		try {
			return this.tracer.snapshots().snapshot(element);
		}
		catch (RuntimeException ex) {
			logger.debug("Langfuse could not capture a streamed element", ex);
			return "<unserializable " + ((element != null) ? element.getClass().getName() : "null") + ">";
		}
	}

	/**
	 * Serialize one streamed element to JSON now, within the given length.
	 * @param element the element
	 * @param maxChars the longest JSON text to produce
	 * @return the JSON text, or a placeholder string in JSON if it cannot be serialized
	 */
	public String toJson(@Nullable Object element, int maxChars) {
		try {
			return this.tracer.settings().serializer().toJson(element, maxChars);
		}
		catch (RuntimeException ex) {
			logger.debug("Langfuse could not capture a streamed element", ex);
			return "\"<unserializable " + ((element != null) ? element.getClass().getName() : "null") + ">\"";
		}
	}

	/**
	 * Note that the first element of a stream arrived: a {@code GENERATION} gets it as its
	 * completion start time (time to first token), unless one was set explicitly.
	 * @param span the run's observation
	 */
	public void firstElement(LangfuseSpan span) {
		try {
			if (span.type() == ObservationType.GENERATION && span.completionStartTime() == null) {
				span.completionStartTime(Instant.ofEpochSecond(0, span.trace().nowEpochNanos()));
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Langfuse could not set the completion start time", ex);
		}
	}

	/**
	 * End a run that completed.
	 * @param span the run's observation
	 * @param output the value, the collected elements, or {@code null} for none
	 */
	public void succeed(LangfuseSpan span, @Nullable Object output) {
		try {
			if (this.captureOutput && output != null) {
				span.captureOutput(output);
			}
			this.tracer.endObservation(span);
		}
		catch (RuntimeException | LinkageError ex) {
			Failures.warn(logger, "Langfuse could not end observation '" + span.name() + "'", ex);
		}
	}

	/**
	 * End a run that failed.
	 * @param span the run's observation
	 * @param error the error
	 */
	public void fail(LangfuseSpan span, Throwable error) {
		try {
			span.recordError(error);
			this.tracer.endObservation(span);
		}
		catch (RuntimeException | LinkageError ex) {
			Failures.warn(logger, "Langfuse could not end observation '" + span.name() + "'", ex);
		}
	}

	/**
	 * End a run whose subscriber cancelled it, with what it produced so far.
	 * @param span the run's observation
	 * @param partialOutput what was produced, or {@code null} for nothing
	 * @param message why it ended, for example {@code "cancelled after 2 elements"}
	 */
	public void cancel(LangfuseSpan span, @Nullable Object partialOutput, String message) {
		try {
			if (span.level() == null) {
				span.level(ObservationLevel.WARNING);
			}
			if (span.statusMessage() == null) {
				span.statusMessage(message);
			}
			succeed(span, partialOutput);
		}
		catch (RuntimeException ex) {
			Failures.warn(logger, "Langfuse could not end observation '" + span.name() + "'", ex);
		}
	}

}
