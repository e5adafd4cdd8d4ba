package io.github.observe4j.langfuse.internal.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.github.observe4j.langfuse.internal.export.ExporterStats;
import io.github.observe4j.langfuse.internal.export.ExporterStats.DropReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes the export counters of each queue ({@code queue=traces|scores}) as Micrometer meters,
 * read from the counters on each scrape, so export costs nothing more:
 * <ul>
 * <li>{@code langfuse.export.queued}, {@code langfuse.export.exported}: items offered and
 * delivered;</li>
 * <li>{@code langfuse.export.dropped} with {@code reason} ({@code queue_full}, {@code queue_bytes_full},
 * {@code shutdown}, {@code retries_exhausted}, {@code rejected}, {@code exporter_error});</li>
 * <li>{@code langfuse.export.possibly.duplicated}: delivered by a retry after a timed-out
 * attempt;</li>
 * <li>{@code langfuse.export.spooled}: kept in {@code langfuse.export.spool-dir} at shutdown;
 * {@code langfuse.export.replayed}: kept by an earlier run and delivered by this one;</li>
 * <li>{@code langfuse.export.truncated}: items whose values were cut to fit;
 * {@code langfuse.export.masking.failures}: exported texts the masker failed on;</li>
 * <li>{@code langfuse.export.queue.size} and {@code langfuse.export.queue.capacity};</li>
 * <li>{@code langfuse.export.auth}: 1 when Langfuse accepted the keys, 0 before it answered,
 * -1 when it rejected them.</li>
 * </ul>
 *
 * @since 0.1.0
 */
public final class LangfuseExportMetrics implements MeterBinder {

	private final Map<String, ExporterStats> queues;

	/**
	 * Create the binder.
	 * @param queues the stats of each queue by name, for example {@code traces} and {@code scores}
	 */
	public LangfuseExportMetrics(Map<String, ExporterStats> queues) {
		this.queues = Map.copyOf(Objects.requireNonNull(queues, "queues must not be null"));
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.queues.forEach((queue, stats) -> {
			FunctionCounter.builder("langfuse.export.queued", stats, ExporterStats::queued)
				.description("Items offered to the Langfuse export queue")
				.tag("queue", queue)
				.register(registry);
			FunctionCounter.builder("langfuse.export.exported", stats, ExporterStats::exported)
				.description("Items delivered to Langfuse")
				.tag("queue", queue)
				.register(registry);
			for (DropReason reason : DropReason.values()) {
				FunctionCounter.builder("langfuse.export.dropped", stats, (counted) -> counted.dropped(reason))
					.description("Items that could not be delivered to Langfuse, by reason")
					.tag("queue", queue)
					.tag("reason", reason.name().toLowerCase(Locale.ROOT))
					.register(registry);
			}
			FunctionCounter.builder("langfuse.export.possibly.duplicated", stats, ExporterStats::possiblyDuplicated)
				.description("Items delivered by a retry after a timed-out attempt, which Langfuse may have stored twice")
				.tag("queue", queue)
				.register(registry);
			FunctionCounter.builder("langfuse.export.spooled", stats, ExporterStats::spooled)
				.description("Items kept in the spool directory at shutdown, for the next start")
				.tag("queue", queue)
				.register(registry);
			FunctionCounter.builder("langfuse.export.replayed", stats, ExporterStats::replayed)
				.description("Items an earlier run kept in the spool directory, delivered by this run")
				.tag("queue", queue)
				.register(registry);
			FunctionCounter.builder("langfuse.export.truncated", stats, ExporterStats::truncated)
				.description("Items whose values were cut to fit the size limits")
				.tag("queue", queue)
				.register(registry);
			FunctionCounter.builder("langfuse.export.masking.failures", stats, ExporterStats::maskingFailures)
				.description("Exported texts the application's LangfuseMasker failed on, each sent as a placeholder")
				.tag("queue", queue)
				.register(registry);
			Gauge.builder("langfuse.export.queue.size", stats, ExporterStats::queueSize)
				.description("Items waiting in the Langfuse export queue")
				.tag("queue", queue)
				.register(registry);
			Gauge.builder("langfuse.export.queue.capacity", stats, ExporterStats::queueCapacity)
				.description("Most items the Langfuse export queue holds")
				.tag("queue", queue)
				.register(registry);
			Gauge.builder("langfuse.export.auth", stats, LangfuseExportMetrics::authValue)
				.description("1 when Langfuse accepted the keys, 0 before it answered, -1 when it rejected them")
				.tag("queue", queue)
				.register(registry);
		});
	}

	private static double authValue(ExporterStats stats) {
		return switch (stats.authState()) {
			case ACCEPTED -> 1;
			case REJECTED -> -1;
			default -> 0;
		};
	}

}
