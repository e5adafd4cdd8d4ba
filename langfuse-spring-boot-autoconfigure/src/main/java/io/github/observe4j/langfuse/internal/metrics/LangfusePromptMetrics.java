package io.github.observe4j.langfuse.internal.metrics;

import java.util.Objects;
import java.util.function.ToDoubleFunction;

import io.github.observe4j.langfuse.internal.prompt.PromptStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes the prompt cache counters as Micrometer meters, read on each scrape:
 * <ul>
 * <li>{@code langfuse.prompts.requests} with {@code result}: {@code hit} (a cached copy younger
 * than the TTL), {@code stale} (an older copy, while a newer one is fetched or Langfuse fails),
 * {@code miss} (the caller waited for Langfuse), {@code fallback} (the caller's fallback was
 * served);</li>
 * <li>{@code langfuse.prompts.fetch.failures}: fetches that failed (unreachable, timed out, an
 * error status or an unreadable answer).</li>
 * </ul>
 *
 * @since 0.1.0
 */
public final class LangfusePromptMetrics implements MeterBinder {

	private final PromptStats stats;

	/**
	 * Create the binder.
	 * @param stats the counters
	 */
	public LangfusePromptMetrics(PromptStats stats) {
		this.stats = Objects.requireNonNull(stats, "stats must not be null");
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		requests(registry, "hit", PromptStats::hits);
		requests(registry, "stale", PromptStats::stale);
		requests(registry, "miss", PromptStats::misses);
		requests(registry, "fallback", PromptStats::fallbacks);
		FunctionCounter.builder("langfuse.prompts.fetch.failures", this.stats, PromptStats::fetchFailures)
			.description("Langfuse prompt fetches that failed")
			.register(registry);
	}

	private void requests(MeterRegistry registry, String result, ToDoubleFunction<PromptStats> count) {
		FunctionCounter.builder("langfuse.prompts.requests", this.stats, count)
			.description("Langfuse prompt requests, by how they were served")
			.tag("result", result)
			.register(registry);
	}

}
