package io.github.observe4j.langfuse.internal.core;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.observe4j.langfuse.context.LangfuseObservation;
import io.github.observe4j.langfuse.context.ObservationUpdate;
import io.github.observe4j.langfuse.model.ObservationLevel;
import io.github.observe4j.langfuse.internal.support.Failures;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * An observation started by {@code LangfuseClient.startObservation}: current until closed, then
 * ended and the previous context restored, once.
 */
final class OpenObservation implements LangfuseObservation {

	private static final Log logger = LogFactory.getLog(OpenObservation.class);

	private final LangfuseTracer tracer;

	private final LangfuseSpan span;

	private final @Nullable ObservationContext previous;

	private final AtomicBoolean closed = new AtomicBoolean();

	OpenObservation(LangfuseTracer tracer, LangfuseSpan span, @Nullable ObservationContext previous) {
		this.tracer = tracer;
		this.span = span;
		this.previous = previous;
		span.openedOver(previous);
	}

	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		if (ObservationContextHolder.get() == this.span) {
			// skips what was opened over and closed meanwhile
			ObservationContextHolder.swap(LangfuseSpan.live(this.previous));
		}
		else {
			logger.warn("Langfuse observation '" + this.span.name() + "' was closed while not current (out of"
					+ " order, or on another thread than it was opened on); close observations in reverse order on"
					+ " the thread that opened them, with try-with-resources");
		}
		try {
			this.tracer.endObservation(this.span);
		}
		catch (RuntimeException | LinkageError ex) {
			Failures.warn(logger, "Langfuse could not end observation '" + this.span.name() + "'", ex);
		}
	}

	@Override
	public OpenObservation name(@Nullable String name) {
		this.span.name(name);
		return this;
	}

	@Override
	public OpenObservation input(@Nullable Object input) {
		this.span.input(input);
		return this;
	}

	@Override
	public OpenObservation output(@Nullable Object output) {
		this.span.output(output);
		return this;
	}

	@Override
	public OpenObservation metadata(@Nullable Map<String, ?> metadata) {
		this.span.metadata(metadata);
		return this;
	}

	@Override
	public OpenObservation metadata(String key, @Nullable Object value) {
		this.span.metadata(key, value);
		return this;
	}

	@Override
	public OpenObservation level(@Nullable ObservationLevel level) {
		this.span.level(level);
		return this;
	}

	@Override
	public OpenObservation statusMessage(@Nullable String statusMessage) {
		this.span.statusMessage(statusMessage);
		return this;
	}

	@Override
	public OpenObservation version(@Nullable String version) {
		this.span.version(version);
		return this;
	}

	@Override
	public OpenObservation model(@Nullable String model) {
		this.span.model(model);
		return this;
	}

	@Override
	public OpenObservation modelParameters(@Nullable Map<String, ?> parameters) {
		this.span.modelParameters(parameters);
		return this;
	}

	@Override
	public OpenObservation usage(long inputTokens, long outputTokens) {
		this.span.usage(inputTokens, outputTokens);
		return this;
	}

	@Override
	public OpenObservation usageDetails(@Nullable Map<String, ? extends Number> usageDetails) {
		this.span.usageDetails(usageDetails);
		return this;
	}

	@Override
	public OpenObservation costDetails(@Nullable Map<String, ? extends Number> costDetails) {
		this.span.costDetails(costDetails);
		return this;
	}

	@Override
	public OpenObservation completionStartTime(@Nullable Instant completionStartTime) {
		this.span.completionStartTime(completionStartTime);
		return this;
	}

	@Override
	public OpenObservation prompt(String name, int version) {
		this.span.prompt(name, version);
		return this;
	}

	@Override
	public String toString() {
		return "OpenObservation[" + this.span + "]";
	}

}
