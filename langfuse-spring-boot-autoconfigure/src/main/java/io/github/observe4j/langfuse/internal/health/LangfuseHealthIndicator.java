package io.github.observe4j.langfuse.internal.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.github.observe4j.langfuse.internal.export.ExporterStats;
import io.github.observe4j.langfuse.internal.export.ExporterStats.AuthState;
import io.github.observe4j.langfuse.internal.export.ExporterStats.DropReason;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the Langfuse exporter. {@code DOWN} when Langfuse rejected the configured keys,
 * {@code UNKNOWN} when nothing is exported (no keys configured), {@code UP} otherwise, with the
 * queue, delivery and drop counters as details. A probe never makes a network call: it reads the
 * exporter's state and at most asks for a background re-check of the keys when the last one is
 * stale. No secret is ever part of the details.
 *
 * @since 0.1.0
 */
public final class LangfuseHealthIndicator extends AbstractHealthIndicator {

	private final ExporterStats traces;

	private final ExporterStats scores;

	private final @Nullable String inactiveReason;

	private final Runnable refreshAuthIfStale;

	/**
	 * Create an indicator for an active exporter.
	 * @param traces statistics of the trace export
	 * @param scores statistics of the score export
	 * @param refreshAuthIfStale starts a background key check when the last one is stale; must
	 * not block
	 */
	public LangfuseHealthIndicator(ExporterStats traces, ExporterStats scores, Runnable refreshAuthIfStale) {
		this(traces, scores, null, refreshAuthIfStale);
	}

	private LangfuseHealthIndicator(ExporterStats traces, ExporterStats scores, @Nullable String inactiveReason,
			Runnable refreshAuthIfStale) {
		super("Langfuse health check failed");
		this.traces = Objects.requireNonNull(traces, "traces must not be null");
		this.scores = Objects.requireNonNull(scores, "scores must not be null");
		this.inactiveReason = inactiveReason;
		this.refreshAuthIfStale = refreshAuthIfStale;
	}

	/**
	 * Create an indicator for an exporter that sends nothing.
	 * @param reason why nothing is exported, naming the properties to set
	 * @return the indicator
	 */
	public static LangfuseHealthIndicator inactive(String reason) {
		return new LangfuseHealthIndicator(new ExporterStats(), new ExporterStats(), reason, () -> {
		});
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		if (this.inactiveReason != null) {
			builder.unknown().withDetail("exporting", false).withDetail("reason", this.inactiveReason);
			return;
		}
		this.refreshAuthIfStale.run();
		AuthState auth = this.traces.authState();
		ExporterStats rejected = (auth == AuthState.REJECTED) ? this.traces
				: ((this.scores.authState() == AuthState.REJECTED) ? this.scores : null);
		if (rejected != null) {
			builder.down()
				.withDetail("reason", "Langfuse rejected the configured keys"
						+ ((rejected == this.scores) ? " for scores" : "") + " (" + rejected.authReason()
						+ "). Check langfuse.public-key and langfuse.secret-key (project keys) and langfuse.host");
		}
		else {
			builder.up();
		}
		builder.withDetail("exporting", true)
			.withDetail("auth", auth.name())
			.withDetail("traces", details(this.traces))
			.withDetail("scores", details(this.scores));
	}

	private static Map<String, Object> details(ExporterStats stats) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("queueSize", stats.queueSize());
		details.put("queueCapacity", stats.queueCapacity());
		details.put("queuedBytes", stats.queuedBytes());
		details.put("maxQueueBytes", stats.maxQueueBytes());
		details.put("auth", stats.authState().name());
		details.put("exported", stats.exported());
		details.put("possiblyDuplicated", stats.possiblyDuplicated());
		details.put("truncated", stats.truncated());
		details.put("maskingFailures", stats.maskingFailures());
		details.put("spooled", stats.spooled());
		details.put("replayed", stats.replayed());
		Map<String, Long> dropped = new LinkedHashMap<>();
		for (DropReason reason : DropReason.values()) {
			dropped.put(reason.name().toLowerCase(java.util.Locale.ROOT), stats.dropped(reason));
		}
		details.put("dropped", dropped);
		details.put("lastExport", stats.lastOutcome().name());
		if (stats.lastSuccessTime() != null) {
			details.put("lastSuccess", stats.lastSuccessTime().toString());
		}
		if (stats.lastErrorMessage() != null) {
			details.put("lastError", stats.lastErrorMessage());
		}
		return details;
	}

}
