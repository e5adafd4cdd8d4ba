package io.github.observe4j.langfuse.export;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.model.ObservationLevel;
import io.github.observe4j.langfuse.model.ObservationRecord;
import io.github.observe4j.langfuse.model.TraceAttributes;
import org.jspecify.annotations.Nullable;

/**
 * Minimal {@link ObservationRecord} for export tests: a name and random ids, nothing else.
 *
 * @param name the observation name
 * @param traceIdHigh high bits of the trace id
 * @param traceIdLow low bits of the trace id
 * @param spanId the span id
 */
record StubObservation(String name, long traceIdHigh, long traceIdLow, long spanId) implements ObservationRecord {

	static StubObservation named(String name) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return new StubObservation(name, random.nextLong(), random.nextLong(1, Long.MAX_VALUE),
				random.nextLong(1, Long.MAX_VALUE));
	}

	@Override
	public long parentSpanId() {
		return 0;
	}

	@Override
	public long startEpochNanos() {
		return 1_700_000_000_000_000_000L;
	}

	@Override
	public long endEpochNanos() {
		return 1_700_000_000_500_000_000L;
	}

	@Override
	public ObservationType type() {
		return ObservationType.SPAN;
	}

	@Override
	public @Nullable Object input() {
		return null;
	}

	@Override
	public @Nullable Object output() {
		return null;
	}

	@Override
	public Map<String, Object> metadata() {
		return Map.of();
	}

	@Override
	public @Nullable ObservationLevel level() {
		return null;
	}

	@Override
	public @Nullable String statusMessage() {
		return null;
	}

	@Override
	public boolean failed() {
		return false;
	}

	@Override
	public @Nullable String version() {
		return null;
	}

	@Override
	public @Nullable String model() {
		return null;
	}

	@Override
	public Map<String, Object> modelParameters() {
		return Map.of();
	}

	@Override
	public Map<String, Long> usageDetails() {
		return Map.of();
	}

	@Override
	public Map<String, Double> costDetails() {
		return Map.of();
	}

	@Override
	public @Nullable Instant completionStartTime() {
		return null;
	}

	@Override
	public @Nullable String promptName() {
		return null;
	}

	@Override
	public @Nullable Integer promptVersion() {
		return null;
	}

	@Override
	public TraceAttributes traceAttributes() {
		return TraceAttributes.EMPTY;
	}

}
