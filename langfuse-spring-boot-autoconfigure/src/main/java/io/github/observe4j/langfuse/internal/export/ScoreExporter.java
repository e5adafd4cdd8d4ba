package io.github.observe4j.langfuse.internal.export;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import io.github.observe4j.langfuse.internal.export.ExporterStats.DropReason;

import io.github.observe4j.langfuse.model.Score;
import io.github.observe4j.langfuse.model.ScoreDataType;
import io.github.observe4j.langfuse.internal.model.ScoreRecord;
import io.github.observe4j.langfuse.internal.support.JsonStrings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Exports scores to Langfuse, one {@code POST} {@value #PATH} per score with a JSON
 * {@code CreateScoreRequest} body: the first score of a batch alone, as a probe, then the rest
 * with up to {@value #DEFAULT_CONCURRENCY} requests in flight, so that a slow Langfuse does not
 * back up user feedback, while an unreachable one or rejected keys cost one request per batch.
 * Responses are handled as in {@link OtlpTraceExporter}: 2xx delivered, 401/403 keys rejected
 * (one WARN per status), other 4xx dropped without retry, network errors, 429 and 5xx retried.
 * <p>
 * Scores are not batched through {@code /api/public/ingestion}: Langfuse deprecated it, and
 * announced its removal from Langfuse Cloud for 2026-11-16.
 *
 * @since 0.1.0
 */
public final class ScoreExporter implements BatchExporter<ScoreRecord> {

	/** Path of Langfuse's score creation endpoint. */
	public static final String PATH = "/api/public/scores";

	/** Default number of score requests in flight at once. */
	public static final int DEFAULT_CONCURRENCY = 8;

	/** What score requests are called in the {@link RequestSpool}. */
	static final String SPOOL_KIND = "score";

	private static final Log logger = LogFactory.getLog(ScoreExporter.class);

	private static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json");

	private static final Duration IDLE_THREAD_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * How long an interrupted export waits for the score sends in flight to give up: they do at
	 * once, as shutdown set the deadline; less than the processor waits for the export itself.
	 */
	private static final Duration COLLECT_AFTER_INTERRUPT = Duration.ofMillis(150);

	private static final AtomicInteger threadCount = new AtomicInteger();

	private final RetryingSender sender;

	private final RetryingSender replaySender;

	private final OutcomeReporter reporter;

	private final @Nullable SpoolReplay replay;

	private final SpoolGate spoolGate;

	private final ThreadPoolExecutor senders;

	/**
	 * Create an exporter.
	 * @param transport sends the requests
	 * @param retryPolicy when to retry
	 * @param stats where to record the authentication state
	 */
	public ScoreExporter(HttpTransport transport, RetryPolicy retryPolicy, ExporterStats stats) {
		this(transport, retryPolicy, stats, DEFAULT_CONCURRENCY, null);
	}

	/**
	 * Create an exporter.
	 * @param transport sends the requests
	 * @param retryPolicy when to retry
	 * @param stats where to record the authentication state
	 * @param concurrency how many score requests may be in flight at once, positive
	 * @param spool where shutdown keeps what it could not deliver, sent at the next start; or
	 * {@code null}
	 */
	public ScoreExporter(HttpTransport transport, RetryPolicy retryPolicy, ExporterStats stats, int concurrency,
			@Nullable RequestSpool spool) {
		Objects.requireNonNull(transport, "transport must not be null");
		Objects.requireNonNull(retryPolicy, "retryPolicy must not be null");
		Objects.requireNonNull(stats, "stats must not be null");
		if (concurrency <= 0) {
			throw new IllegalArgumentException("concurrency must be positive, was " + concurrency);
		}
		this.sender = new RetryingSender(transport, retryPolicy);
		this.replaySender = new RetryingSender(transport, SpoolReplay.retryPolicy(retryPolicy));
		this.reporter = new OutcomeReporter(stats, logger, "score", true);
		this.spoolGate = new SpoolGate(spool, SPOOL_KIND);
		this.replay = (spool != null) ? new SpoolReplay(spool, SPOOL_KIND, "score", stats, logger, true) : null;
		// threads only while there is work: an application that sends no scores keeps none
		this.senders = new ThreadPoolExecutor(concurrency, concurrency, IDLE_THREAD_TIMEOUT.toMillis(),
				TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), (task) -> {
					Thread thread = new Thread(task, "langfuse-scores-" + threadCount.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		this.senders.allowCoreThreadTimeOut(true);
	}

	@Override
	public ExportResult export(List<ScoreRecord> batch) {
		ExportResult result = ExportResult.success(0);
		List<byte[]> bodies = new ArrayList<>(batch.size());
		for (ScoreRecord record : batch) {
			String problem = validate(record.score());
			if (problem != null) {
				result = result.plus(this.reporter.invalid(1, problem));
			}
			else {
				bodies.add(toJson(record).getBytes(StandardCharsets.UTF_8));
			}
		}
		if (bodies.isEmpty()) {
			return result;
		}
		SendOutcome probe = this.sender.send(HttpRequest.post(PATH, HEADERS, bodies.get(0)));
		result = result.plus(report(bodies.get(0), probe));
		List<byte[]> rest = bodies.subList(1, bodies.size());
		if (probe.skipRemainingAs() != null) {
			for (byte[] body : rest) {
				result = result.plus(keepOrSkip(body, probe, false));
			}
			return result;
		}
		return result.plus(sendConcurrently(rest));
	}

	private ExportResult sendConcurrently(List<byte[]> bodies) {
		AtomicReference<@Nullable SendOutcome> stop = new AtomicReference<>();
		// each score is taken by exactly one side: its send, or an interrupted export thread
		AtomicIntegerArray taken = new AtomicIntegerArray(bodies.size());
		List<Future<ExportResult>> sends = new ArrayList<>(bodies.size());
		for (int i = 0; i < bodies.size(); i++) {
			byte[] body = bodies.get(i);
			int index = i;
			sends.add(this.senders.submit(() -> {
				if (!taken.compareAndSet(index, 0, 1)) {
					return ExportResult.success(0);
				}
				SendOutcome earlier = stop.get();
				if (earlier != null) {
					return keepOrSkip(body, earlier, false);
				}
				SendOutcome outcome = this.sender.send(HttpRequest.post(PATH, HEADERS, body));
				if (outcome.skipRemainingAs() != null) {
					stop.compareAndSet(null, outcome);
				}
				return report(body, outcome);
			}));
		}
		ExportResult result = ExportResult.success(0);
		for (int i = 0; i < sends.size(); i++) {
			try {
				result = result.plus(sends.get(i).get());
			}
			catch (InterruptedException ex) {
				// only shutdown interrupts the export thread: account for every score all the same
				result = result.plus(collectAfterInterrupt(sends, bodies, taken, i));
				Thread.currentThread().interrupt();
				return result;
			}
			catch (ExecutionException | CancellationException ex) {
				result = result.plus(ExportResult.dropped(DropReason.EXPORTER_ERROR, 1,
						"sending a score failed: " + ex.getCause()));
			}
		}
		return result;
	}

	/**
	 * Account for the scores of a batch whose export thread was interrupted: one not started yet
	 * is kept in the spool (or counted as dropped) here; one being sent gives up at once, since
	 * shutdown set the deadline, and reports itself, delivered or spooled.
	 */
	private ExportResult collectAfterInterrupt(List<Future<ExportResult>> sends, List<byte[]> bodies,
			AtomicIntegerArray taken, int from) {
		ExportResult result = ExportResult.success(0);
		long deadline = System.nanoTime() + COLLECT_AFTER_INTERRUPT.toNanos();
		for (int i = from; i < sends.size(); i++) {
			if (taken.compareAndSet(i, 0, 1)) {
				// never started: its send will find it taken and do nothing
				result = result.plus(keepOrSkip(bodies.get(i), SendOutcome.NOT_SENT_AT_SHUTDOWN, false));
			}
			else {
				result = result.plus(awaitStarted(sends.get(i), deadline));
			}
		}
		return result;
	}

	private static ExportResult awaitStarted(Future<ExportResult> send, long deadline) {
		while (true) {
			try {
				return send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				// keep waiting for the send that is giving up; the caller restores the interrupt
			}
			catch (TimeoutException ex) {
				send.cancel(true);
				return ExportResult.dropped(DropReason.SHUTDOWN, 1, "a score send did not give up in time");
			}
			catch (ExecutionException | CancellationException ex) {
				return ExportResult.dropped(DropReason.EXPORTER_ERROR, 1, "sending a score failed: " + ex.getCause());
			}
		}
	}

	private ExportResult report(byte[] body, SendOutcome outcome) {
		return (outcome.kind() == SendOutcome.Kind.ABORTED) ? keepOrSkip(body, outcome, true)
				: this.reporter.report(outcome, 1, PATH);
	}

	/** Keep a score that shutdown stopped in the spool, or report it as the outcome says. */
	private ExportResult keepOrSkip(byte[] body, SendOutcome cause, boolean sent) {
		return keepOrSkip(body, cause, sent, true);
	}

	private ExportResult keepOrSkip(byte[] body, SendOutcome cause, boolean sent, boolean inExport) {
		if (cause.kind() == SendOutcome.Kind.ABORTED
				&& this.spoolGate.save(body, 1, sent && cause.possiblyDuplicated(), inExport)) {
			return ExportResult.spooled(1, cause.message());
		}
		return this.reporter.skipped(cause, 1);
	}

	@Override
	public ExportResult spool(List<ScoreRecord> items) {
		if (!this.spoolGate.isOpen()) {
			return BatchExporter.super.spool(items);
		}
		ExportResult result = ExportResult.success(0);
		for (ScoreRecord record : items) {
			String problem = validate(record.score());
			result = result.plus((problem != null) ? this.reporter.invalid(1, problem)
					: keepOrSkip(toJson(record).getBytes(StandardCharsets.UTF_8), SendOutcome.NOT_SENT_AT_SHUTDOWN, false,
							false));
		}
		return result;
	}

	@Override
	public void beforeExport() {
		this.spoolGate.exportStarted();
		this.reporter.exportStarted();
	}

	@Override
	public int deliveredInExport() {
		return this.reporter.deliveredInExport();
	}

	@Override
	public int stopSpooling() {
		return this.spoolGate.stop();
	}

	@Override
	public void replaySpooled() {
		if (this.replay != null) {
			this.replay.run((body) -> this.replaySender.send(HttpRequest.post(PATH, HEADERS, body)));
		}
	}

	@Override
	public void abortRetriesAfter(Duration timeLeft) {
		this.sender.abortRetriesAfter(timeLeft);
		this.replaySender.abortRetriesAfter(timeLeft);
	}

	@Override
	public void shutdown() {
		this.senders.shutdownNow();
	}

	private static @Nullable String validate(Score score) {
		if (score.dataType() == ScoreDataType.CATEGORICAL) {
			return (score.stringValue() != null) ? null
					: "categorical score '" + score.name() + "' has no string value";
		}
		Double value = score.numericValue();
		if (value == null || value.isNaN() || value.isInfinite()) {
			return score.dataType().name().toLowerCase(Locale.ROOT) + " score '" + score.name()
					+ "' has no finite value (" + value + ")";
		}
		return null;
	}

	/**
	 * Write a score as a {@code CreateScoreRequest}, leaving out absent fields.
	 * @param record a valid score record
	 * @return the JSON text
	 */
	static String toJson(ScoreRecord record) {
		Score score = record.score();
		StringBuilder json = new StringBuilder(256).append('{');
		appendMember(json, "id", score.id());
		appendMember(json, "name", score.name());
		json.append(",\"value\":");
		if (score.dataType() == ScoreDataType.CATEGORICAL) {
			JsonStrings.appendQuoted(json, Objects.requireNonNull(score.stringValue()));
		}
		else {
			json.append(formatNumber(Objects.requireNonNull(score.numericValue())));
		}
		appendMember(json, "dataType", score.dataType().name());
		appendMember(json, "traceId", record.traceId());
		appendMember(json, "observationId", record.observationId());
		appendMember(json, "comment", score.comment());
		appendMember(json, "configId", score.configId());
		appendMember(json, "environment", record.environment());
		return json.append('}').toString();
	}

	private static void appendMember(StringBuilder json, String name, @Nullable String value) {
		if (value == null) {
			return;
		}
		if (json.length() > 1) {
			json.append(',');
		}
		json.append('"').append(name).append("\":");
		JsonStrings.appendQuoted(json, value);
	}

	private static String formatNumber(double value) {
		// Whole numbers without ".0", so a boolean score goes out as 0 or 1
		if (value == Math.rint(value) && Math.abs(value) < 1e15) {
			return Long.toString((long) value);
		}
		return Double.toString(value);
	}

}
