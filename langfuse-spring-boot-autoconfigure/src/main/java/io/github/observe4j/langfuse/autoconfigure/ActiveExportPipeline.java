package io.github.observe4j.langfuse.autoconfigure;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import io.github.observe4j.langfuse.internal.core.LangfuseVersion;
import io.github.observe4j.langfuse.internal.export.BatchProcessor;
import io.github.observe4j.langfuse.internal.export.ExporterStats;
import io.github.observe4j.langfuse.internal.export.ExporterStats.DropReason;
import io.github.observe4j.langfuse.internal.export.HttpTransport;
import io.github.observe4j.langfuse.internal.export.LangfuseProjectApi;
import io.github.observe4j.langfuse.internal.export.OtlpTraceExporter;
import io.github.observe4j.langfuse.internal.export.RequestSpool;
import io.github.observe4j.langfuse.internal.export.RetryPolicy;
import io.github.observe4j.langfuse.internal.export.ScoreExporter;
import io.github.observe4j.langfuse.internal.export.otlp.OtlpResource;
import io.github.observe4j.langfuse.internal.export.otlp.OtlpTraceEncoder;
import io.github.observe4j.langfuse.internal.model.ByteBudget;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.internal.model.RecordSink;
import io.github.observe4j.langfuse.internal.model.ScoreRecord;
import io.github.observe4j.langfuse.internal.model.ValueSerializer;
import io.github.observe4j.langfuse.internal.support.DeferredInterrupt;
import io.github.observe4j.langfuse.internal.export.otlp.PatternMasker;
import io.github.observe4j.langfuse.model.LangfuseMasker;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * The export pipeline when keys are configured: one transport, a trace and a score queue with
 * their exporters, the project API and, if {@code langfuse.export.spool-dir} is usable, a spool
 * for what shutdown cannot deliver.
 */
final class ActiveExportPipeline extends LangfuseExportPipeline {

	/** Beyond the shutdown timeout, how long to wait for the score queue's own margin. */
	private static final Duration SHUTDOWN_JOIN_MARGIN = Duration.ofSeconds(1);

	private final ExporterStats traceStats;

	private final ExporterStats scoreStats;

	private final BatchProcessor<ObservationRecord> traces;

	private final BatchProcessor<ScoreRecord> scores;

	private final ByteBudget byteBudget;

	private final LangfuseProjectApi projectApi;

	private final HttpTransport transport;

	private final @Nullable RequestSpool spool;

	private final Duration timeout;

	private final Duration shutdownTimeout;

	private ActiveExportPipeline(ExporterStats traceStats, ExporterStats scoreStats,
			BatchProcessor<ObservationRecord> traces, BatchProcessor<ScoreRecord> scores, ByteBudget byteBudget,
			LangfuseProjectApi projectApi, HttpTransport transport, @Nullable RequestSpool spool, Duration timeout,
			Duration shutdownTimeout) {
		this.traceStats = traceStats;
		this.scoreStats = scoreStats;
		this.traces = traces;
		this.scores = scores;
		this.byteBudget = byteBudget;
		this.projectApi = projectApi;
		this.transport = transport;
		this.spool = spool;
		this.timeout = timeout;
		this.shutdownTimeout = shutdownTimeout;
	}

	static ActiveExportPipeline create(LangfuseProperties properties, HttpTransport transport,
			ValueSerializer serializer, @Nullable String serviceName, @Nullable LangfuseMasker applicationMasker,
			ByteBudget byteBudget) {
		LangfuseProperties.Export export = properties.getExport();
		String version = LangfuseVersion.version();
		RetryPolicy retryPolicy = RetryPolicy.defaults()
			.withMaxRetries((export.getMaxRetries() != null) ? export.getMaxRetries() : RetryPolicy.DEFAULT_MAX_RETRIES)
			.withMaxRetryDuration(export.getMaxRetryDuration())
			.withBackoff(export.getInitialBackoff(), export.getMaxBackoff());
		ExporterStats traceStats = new ExporterStats();
		// each endpoint has its own auth state: a key may be refused scores but not traces
		ExporterStats scoreStats = new ExporterStats();
		OtlpTraceEncoder encoder = new OtlpTraceEncoder(
				new OtlpResource(serviceName, properties.getEnvironment(), properties.getRelease(),
						LangfuseVersion.SDK_NAME, version),
				serializer, toInt(export.getMaxObservationSize().toBytes()),
				masker(properties.getMasking(), applicationMasker));
		traceStats.bindEncoderCounts(encoder::truncatedCount, encoder::maskingFailureCount);
		int maxRequestBytes = toInt(export.getMaxRequestSize().toBytes());
		String tracesEndpoint = StringUtils.hasText(export.getTracesEndpoint()) ? export.getTracesEndpoint().trim()
				: OtlpTraceExporter.PATH;
		RequestSpool spool = openSpool(export);
		try {
			OtlpTraceExporter traceExporter = new OtlpTraceExporter(transport, tracesEndpoint, export.getHeaders(),
					encoder.requestEncoder(maxRequestBytes), retryPolicy, traceStats, export.isCompression(),
					properties.isDebug(), spool);
			BatchProcessor<ObservationRecord> traces = BatchProcessor.builder(traceExporter)
				.name("traces")
				.maxQueueSize(export.getMaxQueueSize())
				.maxBatchSize(export.getMaxBatchSize())
				.scheduleDelay(export.getScheduleDelay())
				.byteBudget(byteBudget, ObservationRecord::retainedBytes)
				.stats(traceStats)
				.build();
			// the scores API takes one score per request: smaller batches keep a flush short
			BatchProcessor<ScoreRecord> scores = BatchProcessor
				.builder(new ScoreExporter(transport, retryPolicy, scoreStats, ScoreExporter.DEFAULT_CONCURRENCY, spool))
				.name("scores")
				.maxQueueSize(export.getMaxQueueSize())
				.maxBatchSize(Math.min(64, export.getMaxBatchSize()))
				.scheduleDelay(export.getScheduleDelay())
				.byteBudget(byteBudget, ScoreRecord::retainedBytes)
				.stats(scoreStats)
				.build();
			LangfuseProjectApi projectApi = new LangfuseProjectApi(transport, traceStats);
			return new ActiveExportPipeline(traceStats, scoreStats, traces, scores, byteBudget, projectApi, transport,
					spool, export.getTimeout(), export.getShutdownTimeout());
		}
		catch (RuntimeException | Error ex) {
			// the spool holds its directory's lock: release it with the failed startup
			if (spool != null) {
				spool.close();
			}
			throw ex;
		}
	}

	/** The configured patterns first, then the application's masker; {@code null} for neither. */
	private static @Nullable LangfuseMasker masker(LangfuseProperties.Masking masking,
			@Nullable LangfuseMasker applicationMasker) {
		if (masking.getPatterns().isEmpty()) {
			return applicationMasker;
		}
		List<Pattern> patterns = masking.getPatterns().stream().map(Pattern::compile).toList();
		return new PatternMasker(patterns, masking.getReplacement(),
				(applicationMasker != null) ? applicationMasker : (text) -> text);
	}

	private static @Nullable RequestSpool openSpool(LangfuseProperties.Export export) {
		Path directory = export.getSpoolDir();
		if (directory == null) {
			return null;
		}
		try {
			return RequestSpool.open(directory, export.getSpoolMaxSize().toBytes());
		}
		catch (IOException | RuntimeException ex) {
			// the application runs; only what shutdown cannot deliver is lost, as without a spool
			logger.warn("Langfuse cannot use langfuse.export.spool-dir=" + directory + " (" + ex.getMessage()
					+ "): what shutdown cannot deliver is dropped. Point it to a writable directory of its own.");
			return null;
		}
	}

	private static int toInt(long bytes) {
		return (int) Math.min(Integer.MAX_VALUE, bytes);
	}

	@Override
	ExporterStats traceStats() {
		return this.traceStats;
	}

	@Override
	ExporterStats scoreStats() {
		return this.scoreStats;
	}

	@Override
	ByteBudget byteBudget() {
		return this.byteBudget;
	}

	@Override
	RecordSink<ObservationRecord> traceSink() {
		return this.traces;
	}

	@Override
	RecordSink<ScoreRecord> scoreSink() {
		return this.scores;
	}

	@Override
	Optional<HttpTransport> transport() {
		return Optional.of(this.transport);
	}

	@Override
	void start() {
		this.traces.start();
		this.scores.start();
		// checks the keys and caches the project id for trace URLs, off the caller's thread
		this.projectApi.refreshAsync();
	}

	@Override
	void refreshAuthIfStale() {
		this.projectApi.refreshIfStale();
	}

	@Override
	void stop() {
		// as in BatchProcessor.shutdown: an interrupted thread still gets the whole shutdown
		DeferredInterrupt interrupt = DeferredInterrupt.clear();
		try {
			stopUninterrupted(interrupt);
		}
		finally {
			interrupt.restore();
		}
	}

	private void stopUninterrupted(DeferredInterrupt interrupt) {
		long[] tracesBefore = droppedByReason(this.traceStats);
		long[] scoresBefore = droppedByReason(this.scoreStats);
		long spooledBefore = this.traceStats.spooled() + this.scoreStats.spooled();
		// each step runs whatever the one before it did; the first failure is rethrown at the end
		Throwable failure = runStep(null, this.projectApi::close);
		failure = firstOf(failure, shutdownBoth(this.traces::shutdown, this.scores::shutdown, this.shutdownTimeout,
				(task) -> new Thread(task, "langfuse-shutdown-scores"), interrupt));
		failure = runStep(failure, this.transport::close);
		failure = runStep(failure, () -> {
			if (this.spool != null) {
				this.spool.close();
			}
		});
		long spooled = this.traceStats.spooled() + this.scoreStats.spooled() - spooledBefore;
		if (spooled > 0 && this.spool != null) {
			logger.info("Langfuse export kept " + spooled + " observation(s) and score(s) it could not deliver in "
					+ this.spool.directory() + "; they are sent at the next start");
		}
		warnIfDroppedAtShutdown(tracesBefore, scoresBefore);
		if (failure instanceof RuntimeException ex) {
			throw ex;
		}
		if (failure instanceof Error error) {
			throw error;
		}
	}

	/**
	 * Shut two queues down at once, each within the timeout, the second on a thread of its own:
	 * traces retrying against a Langfuse that is down must not leave the scores no time at all.
	 * When no thread can be had (none left), the second runs after the first on this thread, in
	 * what is left of the timeout, so that the shutdown stays within its bound.
	 * @param first shuts the first queue down within the timeout it is given
	 * @param second shuts the second queue down within the timeout it is given
	 * @param timeout the shutdown timeout
	 * @param threads makes the second queue's thread
	 * @param interrupt the interrupt held back for the shutdown
	 * @return the first failure of either, or {@code null}
	 */
	static @Nullable Throwable shutdownBoth(Consumer<Duration> first, Consumer<Duration> second, Duration timeout,
			ThreadFactory threads, DeferredInterrupt interrupt) {
		long deadline = System.nanoTime() + timeout.toNanos();
		AtomicReference<@Nullable Throwable> secondFailure = new AtomicReference<>();
		Thread thread;
		try {
			thread = threads.newThread(() -> secondFailure.set(runStep(null, () -> second.accept(timeout))));
			thread.setDaemon(true);
			thread.start();
		}
		catch (OutOfMemoryError | RuntimeException ex) {
			logger.debug("Could not start a thread to shut the scores down; shutting them down after the traces", ex);
			thread = null;
		}
		Throwable failure = runStep(null, () -> first.accept(timeout));
		// the first restores an interrupt that arrived while it ran: the rest runs without it
		interrupt.absorb();
		if (thread != null) {
			interrupt.join(thread, deadline + SHUTDOWN_JOIN_MARGIN.toNanos());
		}
		else {
			failure = runStep(failure,
					() -> second.accept(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
			interrupt.absorb();
		}
		return firstOf(failure, secondFailure.get());
	}

	private static @Nullable Throwable firstOf(@Nullable Throwable earlier, @Nullable Throwable later) {
		return (earlier != null) ? earlier : later;
	}

	private static @Nullable Throwable runStep(@Nullable Throwable earlier, Runnable step) {
		try {
			step.run();
			return earlier;
		}
		catch (RuntimeException | LinkageError ex) {
			return (earlier != null) ? earlier : ex;
		}
	}

	private static long[] droppedByReason(ExporterStats stats) {
		DropReason[] reasons = DropReason.values();
		long[] counts = new long[reasons.length];
		for (int i = 0; i < reasons.length; i++) {
			counts[i] = stats.dropped(reasons[i]);
		}
		return counts;
	}

	// The counters die with the process: what shutdown could not deliver is said once, with counts
	private void warnIfDroppedAtShutdown(long[] tracesBefore, long[] scoresBefore) {
		String traces = describeDrops(tracesBefore, droppedByReason(this.traceStats), "observation");
		String scores = describeDrops(scoresBefore, droppedByReason(this.scoreStats), "score");
		if (traces.isEmpty() && scores.isEmpty()) {
			return;
		}
		String lost = traces.isEmpty() ? scores : (scores.isEmpty() ? traces : traces + " and " + scores);
		logger.warn("Langfuse export shut down without delivering " + lost + ". If Langfuse was slow or"
				+ " unreachable, a longer langfuse.export.shutdown-timeout (now " + this.shutdownTimeout
				+ ") gives it more time" + ((this.spool == null)
						? ", and langfuse.export.spool-dir keeps what is left for the next start." : "."));
	}

	private static String describeDrops(long[] before, long[] after, String noun) {
		StringBuilder reasons = new StringBuilder();
		long total = 0;
		DropReason[] values = DropReason.values();
		for (int i = 0; i < values.length; i++) {
			long dropped = after[i] - before[i];
			if (dropped > 0) {
				total += dropped;
				reasons.append((reasons.length() > 0) ? ", " : "")
					.append(values[i].name().toLowerCase(Locale.ROOT))
					.append(": ")
					.append(dropped);
			}
		}
		return (total == 0) ? "" : total + " " + noun + ((total == 1) ? "" : "s") + " (" + reasons + ")";
	}

	@Override
	public boolean flush(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		boolean traces = this.traces.forceFlush(timeout);
		boolean scores = this.scores.forceFlush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
		return traces && scores;
	}

	@Override
	public boolean authCheck() {
		return this.projectApi.authCheck(this.timeout);
	}

	@Override
	public Optional<String> projectId() {
		Optional<String> projectId = this.projectApi.cachedProjectId();
		if (projectId.isEmpty()) {
			this.projectApi.refreshIfStale();
		}
		return projectId;
	}

	@Override
	public boolean isExporting() {
		return !isShutdown();
	}

	@Override
	public String toString() {
		return "LangfuseExportPipeline[active]";
	}

}
