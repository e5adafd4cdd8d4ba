package io.github.observe4j.langfuse.internal.core;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An {@link LlmCall} folded into the generation it was made in: its fields are collected here and
 * handed to the generation when the call ends (see {@link LangfuseSpan#absorb(MergedLlmCall)}).
 * A failure is not recorded: it reaches the enclosing method, which records it if it lets it
 * through.
 */
final class MergedLlmCall implements LlmCall {

	private final LangfuseSpan generation;

	private final TracerSettings settings;

	private @Nullable Object input;

	private @Nullable Object output;

	private @Nullable String model;

	private final Map<String, Object> modelParameters = new LinkedHashMap<>();

	private final Map<String, Long> usage = new LinkedHashMap<>();

	private final Map<String, Object> metadata = new LinkedHashMap<>();

	private @Nullable Instant completionStartTime;

	private boolean ended;

	MergedLlmCall(LangfuseSpan generation, TracerSettings settings) {
		this.generation = generation;
		this.settings = settings;
	}

	@Override
	public synchronized void input(@Nullable Object input) {
		if (input != null && this.settings.captureInput()) {
			this.input = input;
		}
	}

	@Override
	public synchronized void output(@Nullable Object output) {
		if (output != null && this.settings.captureOutput()) {
			this.output = output;
		}
	}

	@Override
	public synchronized void model(@Nullable String model) {
		if (model != null) {
			this.model = model;
		}
	}

	@Override
	public synchronized void modelParameters(Map<String, ?> parameters) {
		parameters.forEach((key, value) -> {
			if (key != null && value != null) {
				this.modelParameters.put(key, value);
			}
		});
	}

	@Override
	public synchronized void usage(Map<String, ? extends Number> usage) {
		usage.forEach((key, value) -> {
			if (key != null && value != null && value.doubleValue() >= 0) {
				this.usage.put(key, Math.round(value.doubleValue()));
			}
		});
	}

	@Override
	public synchronized void metadata(String key, @Nullable Object value) {
		if (value != null) {
			this.metadata.put(key, value);
		}
	}

	@Override
	public synchronized void completionStartTime(@Nullable Instant time) {
		if (time != null) {
			this.completionStartTime = time;
		}
	}

	@Override
	public void fail(Throwable error) {
	}

	@Override
	public void incomplete(String message) {
	}

	@Override
	public void end() {
		synchronized (this) {
			if (this.ended) {
				return;
			}
			this.ended = true;
		}
		this.generation.absorb(this);
	}

	@Override
	public ObservationContext context() {
		return this.generation;
	}

	synchronized @Nullable Object input() {
		return this.input;
	}

	synchronized @Nullable Object output() {
		return this.output;
	}

	synchronized @Nullable String model() {
		return this.model;
	}

	synchronized Map<String, Object> modelParameters() {
		return this.modelParameters;
	}

	synchronized Map<String, Long> usage() {
		return this.usage;
	}

	synchronized Map<String, Object> metadata() {
		return this.metadata;
	}

	synchronized @Nullable Instant completionStartTime() {
		return this.completionStartTime;
	}

	@Override
	public String toString() {
		return "MergedLlmCall[into " + this.generation + "]";
	}

}
