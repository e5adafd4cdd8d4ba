package io.github.observe4j.langfuse.context;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.time.Instant;

import io.github.observe4j.langfuse.model.ObservationLevel;
import io.github.observe4j.langfuse.model.Score;
import org.jspecify.annotations.Nullable;

/**
 * The client, observation and trace handle that do nothing.
 */
final class NoopLangfuseClient implements LangfuseClient, LangfuseObservation, TraceUpdate {

	static final NoopLangfuseClient INSTANCE = new NoopLangfuseClient();

	private NoopLangfuseClient() {
	}

	@Override
	public ObservationUpdate currentObservation() {
		return this;
	}

	@Override
	public TraceUpdate currentTrace() {
		return this;
	}

	@Override
	public Optional<String> currentTraceId() {
		return Optional.empty();
	}

	@Override
	public Optional<String> currentObservationId() {
		return Optional.empty();
	}

	@Override
	public Optional<String> currentTraceUrl() {
		return Optional.empty();
	}

	@Override
	public Optional<String> traceUrl(String traceId) {
		return Optional.empty();
	}

	@Override
	public void scoreCurrentObservation(Score score) {
	}

	@Override
	public void scoreCurrentTrace(Score score) {
	}

	@Override
	public void scoreTrace(String traceId, Score score) {
	}

	@Override
	public void scoreObservation(String traceId, String observationId, Score score) {
	}

	@Override
	public LangfuseScope joinTrace(String traceId, @Nullable String parentObservationId) {
		return LangfuseScope.NOOP;
	}

	@Override
	public LangfuseScope joinTraceparent(@Nullable String traceparent) {
		return LangfuseScope.NOOP;
	}

	@Override
	public boolean flush(Duration timeout) {
		return true;
	}

	@Override
	public boolean authCheck() {
		return false;
	}

	@Override
	public NoopLangfuseClient name(@Nullable String name) {
		return this;
	}

	@Override
	public NoopLangfuseClient input(@Nullable Object input) {
		return this;
	}

	@Override
	public NoopLangfuseClient output(@Nullable Object output) {
		return this;
	}

	@Override
	public NoopLangfuseClient metadata(@Nullable Map<String, ?> metadata) {
		return this;
	}

	@Override
	public NoopLangfuseClient metadata(String key, @Nullable Object value) {
		return this;
	}

	@Override
	public NoopLangfuseClient version(@Nullable String version) {
		return this;
	}

	@Override
	public ObservationUpdate level(@Nullable ObservationLevel level) {
		return this;
	}

	@Override
	public ObservationUpdate statusMessage(@Nullable String statusMessage) {
		return this;
	}

	@Override
	public ObservationUpdate model(@Nullable String model) {
		return this;
	}

	@Override
	public ObservationUpdate modelParameters(@Nullable Map<String, ?> parameters) {
		return this;
	}

	@Override
	public ObservationUpdate usage(long inputTokens, long outputTokens) {
		return this;
	}

	@Override
	public ObservationUpdate usageDetails(@Nullable Map<String, ? extends Number> usageDetails) {
		return this;
	}

	@Override
	public ObservationUpdate costDetails(@Nullable Map<String, ? extends Number> costDetails) {
		return this;
	}

	@Override
	public ObservationUpdate completionStartTime(@Nullable Instant completionStartTime) {
		return this;
	}

	@Override
	public ObservationUpdate prompt(String name, int version) {
		return this;
	}

	@Override
	public TraceUpdate userId(@Nullable String userId) {
		return this;
	}

	@Override
	public TraceUpdate sessionId(@Nullable String sessionId) {
		return this;
	}

	@Override
	public TraceUpdate release(@Nullable String release) {
		return this;
	}

	@Override
	public TraceUpdate tags(String... tags) {
		return this;
	}

	@Override
	public TraceUpdate tags(@Nullable Collection<String> tags) {
		return this;
	}

	@Override
	public TraceUpdate publicTrace(boolean publicTrace) {
		return this;
	}

	@Override
	public void close() {
	}

}
