package io.github.observe4j.langfuse.autoconfigure;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.observe4j.langfuse.internal.core.ExportControl;
import io.github.observe4j.langfuse.internal.core.LangfuseVersion;
import io.github.observe4j.langfuse.internal.export.BatchProcessor;
import io.github.observe4j.langfuse.internal.export.ExporterStats;
import io.github.observe4j.langfuse.internal.export.ExporterStats.DropReason;
import io.github.observe4j.langfuse.internal.export.HttpTransport;
import io.github.observe4j.langfuse.internal.export.LangfuseProjectApi;
import io.github.observe4j.langfuse.internal.export.OtlpTraceExporter;
import io.github.observe4j.langfuse.internal.model.RecordSink;
import io.github.observe4j.langfuse.internal.export.RequestSpool;
import io.github.observe4j.langfuse.internal.export.RetryPolicy;
import io.github.observe4j.langfuse.internal.export.ScoreExporter;
import io.github.observe4j.langfuse.internal.model.ValueSerializer;
import io.github.observe4j.langfuse.internal.export.otlp.OtlpResource;
import io.github.observe4j.langfuse.internal.export.otlp.OtlpTraceEncoder;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.internal.model.ScoreRecord;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.util.StringUtils;

/**
 * The export side wired from configuration: one transport, a trace and a score queue with their
 * exporters, and the project API. Without keys it is inactive: it logs exactly one warning,
 * starts no thread and discards what it is given.
 */
final class LangfuseExportPipeline implements ExportControl, DisposableBean {

	private static final Log logger = LogFactory.getLog(LangfuseExportPipeline.class);

	static final String MISSING_KEYS = "Langfuse keys are not configured: set langfuse.public-key and "
			+ "langfuse.secret-key (or the environment variables LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY)";

	private final @Nullable String inactiveReason;

	private final ExporterStats traceStats;

	private final ExporterStats scoreStats;

	private final @Nullable BatchProcessor<ObservationRecord> traces;

	private final @Nullable BatchProcessor<ScoreRecord> scores;

	private final @Nullable LangfuseProjectApi projectApi;

	private final @Nullable HttpTransport transport;

	private final @Nullable RequestSpool spool;

	private final Duration timeout;

	private final Duration shutdownTimeout;

	private final AtomicBoolean shutdown = new AtomicBoolean();

	private LangfuseExportPipeline(@Nullable String inactiveReason, ExporterStats traceStats, ExporterStats scoreStats,
			@Nullable BatchProcessor<ObservationRecord> traces, @Nullable BatchProcessor<ScoreRecord> scores,
			@Nullable LangfuseProjectApi projectApi, @Nullable HttpTransport transport, @Nullable RequestSpool spool,
			Duration timeout, Duration shutdownTimeout) {
		this.inactiveReason = inactiveReason;
		this.traceStats = traceStats;
		this.scoreStats = scoreStats;
		this.traces = traces;
		this.scores = scores;
		this.projectApi = projectApi;
		this.transport = transport;
		this.spool = spool;
		this.timeout = timeout;
		this.shutdownTimeout = shutdownTimeout;
	}

	static LangfuseExportPipeline create(LangfuseProperties properties, LangfuseConnectionDetails connectionDetails,
			ValueSerializer serializer, LangfuseTransportFactory transportFactory, @Nullable String serviceName) {
		LangfuseProperties.Export export = properties.getExport();
		String publicKey = configuredKey(connectionDetails.getPublicKey());
		String secretKey = configuredKey(connectionDetails.getSecretKey());
		if (publicKey == null || secretKey == null) {
			logger.warn(MISSING_KEYS + ". Observed calls run and get trace ids, but nothing is sent to Langfuse.");
			return inactive(MISSING_KEYS, export);
		}
		HttpTransport transport;
		try {
			transport = transportFactory.create(connectionDetails.getHost(), publicKey, secretKey);
		}
		catch (RuntimeException | LinkageError ex) {
			// for example a dependency conflict that leaves the HTTP client without a class
			String reason = "Langfuse export is off: its HTTP client could not be created ("
					+ ex.getClass().getName() + ": " + ex.getMessage() + "). Check that spring-webflux and"
					+ " reactor-core match your Spring Boot version (mvn dependency:tree); the application runs"
					+ " without sending traces.";
			logger.warn(reason);
			return inactive(reason, export);
		}
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
				serializer, toInt(export.getMaxObservationSize().toBytes()));
		int maxRequestBytes = toInt(export.getMaxRequestSize().toBytes());
		String tracesEndpoint = StringUtils.hasText(export.getTracesEndpoint()) ? export.getTracesEndpoint().trim()
				: OtlpTraceExporter.PATH;
		RequestSpool spool = openSpool(export);
		OtlpTraceExporter traceExporter = new OtlpTraceExporter(transport, tracesEndpoint, export.getHeaders(),
				encoder.requestEncoder(maxRequestBytes), retryPolicy, traceStats, export.isCompression(),
				properties.isDebug(), spool);
		BatchProcessor<ObservationRecord> traces = BatchProcessor.builder(traceExporter)
			.name("traces")
			.maxQueueSize(export.getMaxQueueSize())
			.maxBatchSize(export.getMaxBatchSize())
			.scheduleDelay(export.getScheduleDelay())
			.stats(traceStats)
			.build();
		// the scores API takes one score per request: smaller batches keep a flush short
		BatchProcessor<ScoreRecord> scores = BatchProcessor
			.builder(new ScoreExporter(transport, retryPolicy, scoreStats, ScoreExporter.DEFAULT_CONCURRENCY, spool))
			.name("scores")
			.maxQueueSize(export.getMaxQueueSize())
			.maxBatchSize(Math.min(64, export.getMaxBatchSize()))
			.scheduleDelay(export.getScheduleDelay())
			.stats(scoreStats)
			.build();
		LangfuseProjectApi projectApi = new LangfuseProjectApi(transport, traceStats);
		return new LangfuseExportPipeline(null, traceStats, scoreStats, traces, scores, projectApi, transport, spool,
				export.getTimeout(), export.getShutdownTimeout());
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

	private static LangfuseExportPipeline inactive(String reason, LangfuseProperties.Export export) {
		ExporterStats stats = new ExporterStats();
		return new LangfuseExportPipeline(reason, stats, ExporterStats.sharingAuthStateWith(stats), null, null, null,
				null, null, export.getTimeout(), export.getShutdownTimeout());
	}

	/**
	 * Return the key, or {@code null} if it is blank or still an unresolved placeholder such as
	 * {@code ${LANGFUSE_PUBLIC_KEY}} (a variable that is not set binds as that literal text).
	 */
	private static @Nullable String configuredKey(@Nullable String key) {
		if (!StringUtils.hasText(key)) {
			return null;
		}
		String trimmed = key.trim();
		return (trimmed.startsWith("${") && trimmed.endsWith("}")) ? null : trimmed;
	}

	private static int toInt(long bytes) {
		return (int) Math.min(Integer.MAX_VALUE, bytes);
	}

	@Nullable String inactiveReason() {
		return this.inactiveReason;
	}

	ExporterStats traceStats() {
		return this.traceStats;
	}

	ExporterStats scoreStats() {
		return this.scoreStats;
	}

	RecordSink<ObservationRecord> traceSink() {
		return (this.traces != null) ? this.traces : RecordSink.discarding();
	}

	RecordSink<ScoreRecord> scoreSink() {
		return (this.scores != null) ? this.scores : RecordSink.discarding();
	}

	void start() {
		if (this.traces != null && this.scores != null && this.projectApi != null) {
			this.traces.start();
			this.scores.start();
			// checks the keys and caches the project id for trace URLs, off the caller's thread
			this.projectApi.refreshAsync();
		}
	}

	void refreshAuthIfStale() {
		if (this.projectApi != null) {
			this.projectApi.refreshIfStale();
		}
	}

	/**
	 * Send what is queued within the shutdown timeout, then release the transport. Idempotent.
	 */
	void shutdown() {
		if (!this.shutdown.compareAndSet(false, true)) {
			return;
		}
		long deadline = System.nanoTime() + this.shutdownTimeout.toNanos();
		long[] tracesBefore = droppedByReason(this.traceStats);
		long[] scoresBefore = droppedByReason(this.scoreStats);
		long spooledBefore = this.traceStats.spooled() + this.scoreStats.spooled();
		// each step runs whatever the one before it did; the first failure is rethrown at the end
		Throwable failure = runStep(null, () -> {
			if (this.projectApi != null) {
				this.projectApi.close();
			}
		});
		failure = runStep(failure, () -> {
			if (this.traces != null) {
				this.traces.shutdown(this.shutdownTimeout);
			}
		});
		failure = runStep(failure, () -> {
			if (this.scores != null) {
				this.scores.shutdown(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
			}
		});
		failure = runStep(failure, () -> {
			if (this.transport != null) {
				this.transport.close();
			}
		});
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

	private static @Nullable Throwable runStep(@Nullable Throwable earlier, Runnable step) {
		try {
			step.run();
			return earlier;
		}
		catch (RuntimeException | LinkageError ex) {
			return (earlier != null) ? earlier : ex;
		}
	}

	boolean isShutdown() {
		return this.shutdown.get();
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

	// Also releases the transport when startup failed before the lifecycle started.
	@Override
	public void destroy() {
		shutdown();
	}

	@Override
	public boolean flush(Duration timeout) {
		if (this.traces == null || this.scores == null) {
			return true;
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		boolean traces = this.traces.forceFlush(timeout);
		boolean scores = this.scores.forceFlush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
		return traces && scores;
	}

	@Override
	public boolean authCheck() {
		return (this.projectApi != null) && this.projectApi.authCheck(this.timeout);
	}

	@Override
	public Optional<String> projectId() {
		if (this.projectApi == null) {
			return Optional.empty();
		}
		Optional<String> projectId = this.projectApi.cachedProjectId();
		if (projectId.isEmpty()) {
			this.projectApi.refreshIfStale();
		}
		return projectId;
	}

	@Override
	public boolean isExporting() {
		return this.inactiveReason == null && !this.shutdown.get();
	}

	@Override
	public String toString() {
		return "LangfuseExportPipeline[" + ((this.inactiveReason != null) ? "inactive" : "active") + "]";
	}

}
