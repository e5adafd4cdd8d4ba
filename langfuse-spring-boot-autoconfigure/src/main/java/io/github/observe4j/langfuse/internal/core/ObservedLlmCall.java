package io.github.observe4j.langfuse.internal.core;

import java.time.Instant;
import java.util.Map;

import io.github.observe4j.langfuse.model.ObservationLevel;
import org.jspecify.annotations.Nullable;

/**
 * An {@link LlmCall} recorded as an observation of its own. The span serializes updates on its
 * monitor, so callbacks on different threads are safe.
 */
final class ObservedLlmCall implements LlmCall {

	private final LangfuseTracer tracer;

	private final LangfuseSpan span;

	ObservedLlmCall(LangfuseTracer tracer, LangfuseSpan span) {
		this.tracer = tracer;
		this.span = span;
	}

	@Override
	public void input(@Nullable Object input) {
		if (this.tracer.settings().captureInput()) {
			this.span.input(input);
		}
	}

	@Override
	public void output(@Nullable Object output) {
		if (this.tracer.settings().captureOutput()) {
			this.span.output(output);
		}
	}

	@Override
	public void model(@Nullable String model) {
		this.span.model(model);
	}

	@Override
	public void modelParameters(Map<String, ?> parameters) {
		this.span.modelParameters(parameters);
	}

	@Override
	public void usage(Map<String, ? extends Number> usage) {
		this.span.usageDetails(usage);
	}

	@Override
	public void metadata(String key, @Nullable Object value) {
		this.span.metadata(key, value);
	}

	@Override
	public void completionStartTime(@Nullable Instant time) {
		this.span.completionStartTime(time);
	}

	@Override
	public void fail(Throwable error) {
		this.span.recordError(error);
	}

	@Override
	public void incomplete(String message) {
		this.span.level(ObservationLevel.WARNING);
		this.span.statusMessage(message);
	}

	@Override
	public void end() {
		this.tracer.endObservation(this.span);
	}

	@Override
	public ObservationContext context() {
		return this.span;
	}

	@Override
	public String toString() {
		return "ObservedLlmCall[" + this.span + "]";
	}

}
