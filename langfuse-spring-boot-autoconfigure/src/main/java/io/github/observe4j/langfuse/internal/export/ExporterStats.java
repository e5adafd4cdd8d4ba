package io.github.observe4j.langfuse.internal.export;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import io.github.observe4j.langfuse.internal.support.Failures;

import org.jspecify.annotations.Nullable;

/**
 * Thread-safe counters and state of one export pipeline, read by health and metrics. Reading
 * never blocks and never touches the network.
 * <p>
 * Each pipeline (observations, scores) has its own instance, so counts of different kinds of
 * item are never mixed, and so is the authentication state: a key can be refused on one
 * endpoint and accepted on the other, and each endpoint's WARN is logged once per status.
 * <p>
 * Counting rules: every offered item ends up exactly once as {@linkplain #queued() queued} or
 * as dropped with reason {@link DropReason#QUEUE_FULL}, {@link DropReason#QUEUE_BYTES_FULL} or
 * {@link DropReason#SHUTDOWN}; every
 * queued item ends up exactly once as {@linkplain #exported() exported} or dropped (any
 * reason) or {@linkplain #spooled() spooled}, or is still {@linkplain #queueSize() in the queue}
 * or being exported. Items an earlier run spooled are counted apart, as {@linkplain #replayed()
 * replayed} once delivered or dropped if Langfuse refused them.
 * <p>
 * Why about 400 lines: it is mostly the documented reading side (health and metrics read every
 * counter); the counting rules are kept next to the counters they govern.
 *
 * @since 0.1.0
 */
public final class ExporterStats {

	private final Clock clock;

	// LongAdder rather than AtomicLong: every caller thread counts each item it offers, and a
	// contended atomic would make those threads queue on one cache line
	private final LongAdder queued = new LongAdder();

	private final LongAdder possiblyDuplicated = new LongAdder();

	private final LongAdder exported = new LongAdder();

	private final LongAdder spooled = new LongAdder();

	private final LongAdder replayed = new LongAdder();

	private final LongAdder[] dropped = newAdders(DropReason.values().length);

	private final AtomicInteger consecutiveFailures = new AtomicInteger();

	private final AuthTracking auth;

	private volatile IntSupplier queueSize = () -> 0;

	private volatile LongSupplier truncated = () -> 0;

	private volatile LongSupplier maskingFailures = () -> 0;

	private volatile int queueCapacity;

	private volatile LongSupplier queuedBytes = () -> 0;

	private volatile long maxQueueBytes;

	private volatile ExportOutcome lastOutcome = ExportOutcome.NONE;

	private volatile @Nullable Instant lastSuccessTime;

	private volatile @Nullable Instant lastFailureTime;

	private volatile @Nullable String lastErrorMessage;

	/**
	 * Create stats with their own authentication state.
	 */
	public ExporterStats() {
		this(Clock.systemUTC(), new AuthTracking());
	}

	ExporterStats(Clock clock) {
		this(clock, new AuthTracking());
	}

	private ExporterStats(Clock clock, AuthTracking auth) {
		this.clock = clock;
		this.auth = auth;
	}

	/**
	 * Return the number of items accepted into the queue so far.
	 * @return the queued count
	 */
	public long queued() {
		return this.queued.sum();
	}

	/**
	 * Return the number of items delivered to Langfuse (a 2xx response) so far.
	 * @return the exported count
	 */
	public long exported() {
		return this.exported.sum();
	}

	/**
	 * Return the number of items that shutdown could not deliver and kept in the spool directory
	 * for the next start.
	 * @return the spooled count
	 */
	public long spooled() {
		return this.spooled.sum();
	}

	/**
	 * Return the number of items an earlier run spooled that this run delivered.
	 * @return the replayed count
	 */
	public long replayed() {
		return this.replayed.sum();
	}

	/**
	 * Return the number of items dropped for the given reason so far.
	 * @param reason the reason
	 * @return the dropped count
	 */
	public long dropped(DropReason reason) {
		return this.dropped[reason.ordinal()].sum();
	}

	/**
	 * Return the number of items dropped for any reason so far.
	 * @return the total dropped count
	 */
	public long droppedTotal() {
		long total = 0;
		for (LongAdder adder : this.dropped) {
			total += adder.sum();
		}
		return total;
	}

	/**
	 * Return the number of items waiting in the queue now.
	 * @return the queue size
	 */
	public int queueSize() {
		return this.queueSize.getAsInt();
	}

	/**
	 * Return the capacity of the queue, or 0 if no queue is bound.
	 * @return the queue capacity
	 */
	public int queueCapacity() {
		return this.queueCapacity;
	}

	/**
	 * Return the outcome of the most recent export (one batch).
	 * @return the last outcome
	 */
	public ExportOutcome lastOutcome() {
		return this.lastOutcome;
	}

	/**
	 * Return when a batch was last exported successfully.
	 * @return the time, or {@code null} if never
	 */
	public @Nullable Instant lastSuccessTime() {
		return this.lastSuccessTime;
	}

	/**
	 * Return when an export last failed.
	 * @return the time, or {@code null} if never
	 */
	public @Nullable Instant lastFailureTime() {
		return this.lastFailureTime;
	}

	/**
	 * Return a description of the most recent export failure. Never contains credentials.
	 * @return the message, or {@code null} if no export has failed
	 */
	public @Nullable String lastErrorMessage() {
		return this.lastErrorMessage;
	}

	/**
	 * Return the number of exports that failed in a row since the last success.
	 * @return the consecutive failure count
	 */
	public int consecutiveFailures() {
		return this.consecutiveFailures.get();
	}

	/**
	 * Return what Langfuse last said about the configured keys.
	 * @return the authentication state
	 */
	public AuthState authState() {
		return this.auth.state.get().state();
	}

	/**
	 * Return why the keys were rejected or accepted, for example {@code "HTTP 401: Invalid
	 * credentials"}.
	 * @return the reason, or {@code null} while the state is unknown
	 */
	public @Nullable String authReason() {
		return this.auth.state.get().reason();
	}

	/**
	 * Bind the queue whose size and capacity these stats report.
	 * @param size supplies the current queue size
	 * @param capacity the queue capacity
	 */
	void bindQueue(IntSupplier size, int capacity) {
		this.queueSize = size;
		this.queueCapacity = capacity;
	}

	/**
	 * Bind the byte budget whose use and capacity these stats report.
	 * @param reserved supplies the bytes reserved now
	 * @param capacity the budget's capacity
	 */
	void bindByteBudget(LongSupplier reserved, long capacity) {
		this.queuedBytes = reserved;
		this.maxQueueBytes = capacity;
	}

	/**
	 * Return the estimated bytes of the items waiting for export now, in this queue and in
	 * whatever shares its byte budget (the other queue, observations held back for their trace).
	 * @return the bytes reserved in the byte budget, or 0 if no budget is bound
	 */
	public long queuedBytes() {
		return this.queuedBytes.getAsLong();
	}

	/**
	 * Return the capacity of the byte budget, or 0 if no budget is bound.
	 * @return the byte budget's capacity
	 */
	public long maxQueueBytes() {
		return this.maxQueueBytes;
	}

	/**
	 * Bind the encoder counts these stats report: items whose values were cut to fit, and
	 * exported texts the application's masker failed on.
	 * @param truncated supplies the truncated count
	 * @param maskingFailures supplies the masking failure count
	 */
	public void bindEncoderCounts(LongSupplier truncated, LongSupplier maskingFailures) {
		this.truncated = truncated;
		this.maskingFailures = maskingFailures;
	}

	/**
	 * Return how many items had their values cut to fit the size limits.
	 * @return the truncated count
	 */
	public long truncated() {
		return this.truncated.getAsLong();
	}

	/**
	 * Return how many exported texts the application's masker failed on (each sent as a
	 * placeholder).
	 * @return the masking failure count
	 */
	public long maskingFailures() {
		return this.maskingFailures.getAsLong();
	}

	void recordPossiblyDuplicated(int count) {
		this.possiblyDuplicated.add(count);
	}

	/**
	 * Return how many items were delivered by a retry after an attempt that timed out: Langfuse
	 * may have stored the timed-out attempt too, and it does not deduplicate spans.
	 * @return the number of possibly duplicated items
	 */
	public long possiblyDuplicated() {
		return this.possiblyDuplicated.sum();
	}

	void recordQueued() {
		this.queued.increment();
	}

	void recordExported(int count) {
		this.exported.add(count);
	}

	void recordSpooled(int count) {
		this.spooled.add(count);
	}

	void recordReplayed(int count) {
		this.replayed.add(count);
	}

	void recordDropped(DropReason reason, int count) {
		this.dropped[reason.ordinal()].add(count);
	}

	/**
	 * Count each item of a batch exactly once, as exported, spooled or dropped: whatever the
	 * result over-reports is ignored, whatever it leaves out is dropped as an exporter error.
	 * @param result what the exporter said
	 * @param batchSize how many items it was given
	 * @param outcome whether the batch was an export attempt, which sets the last outcome;
	 * not for items handed to the spool at shutdown
	 * @return how many items were dropped
	 */
	int recordBatch(ExportResult result, int batchSize, boolean outcome) {
		int accounted = Math.min(result.exportedCount(), batchSize);
		recordExported(accounted);
		int spooled = Math.min(result.spooledCount(), batchSize - accounted);
		if (spooled > 0) {
			recordSpooled(spooled);
			accounted += spooled;
		}
		int droppedTotal = 0;
		for (DropReason reason : DropReason.values()) {
			int dropped = Math.min(result.droppedCount(reason), batchSize - accounted);
			if (dropped > 0) {
				recordDropped(reason, dropped);
				accounted += dropped;
				droppedTotal += dropped;
			}
		}
		String failure = result.failureMessage();
		if (accounted < batchSize) {
			// The exporter lost track of some items; count them rather than let them vanish
			recordDropped(DropReason.EXPORTER_ERROR, batchSize - accounted);
			droppedTotal += batchSize - accounted;
			failure = "exporter did not report " + (batchSize - accounted) + " item(s)";
		}
		if (outcome) {
			if (result.exportedCount() >= batchSize) {
				recordExportSuccess();
			}
			else {
				recordExportFailure(failure);
			}
		}
		return droppedTotal;
	}

	void recordExportSuccess() {
		this.lastSuccessTime = this.clock.instant();
		this.lastOutcome = ExportOutcome.SUCCESS;
		this.consecutiveFailures.set(0);
	}

	void recordExportFailure(@Nullable String message) {
		this.lastErrorMessage = Failures.abbreviate((message != null) ? message : "unknown error");
		this.lastFailureTime = this.clock.instant();
		this.lastOutcome = ExportOutcome.FAILURE;
		this.consecutiveFailures.incrementAndGet();
	}

	void recordAuthAccepted() {
		this.auth.state.set(new AuthStatus(AuthState.ACCEPTED, "keys accepted"));
	}

	/**
	 * Record that Langfuse rejected the keys.
	 * @param status the HTTP status (401 or 403)
	 * @param description the response, for example {@code "HTTP 401: Invalid credentials"}
	 * @return {@code true} the first time this status is recorded in this shared state, so the
	 * caller logs one explaining WARN per status for the lifetime of the application
	 */
	boolean recordAuthRejected(int status, String description) {
		this.auth.state.set(new AuthStatus(AuthState.REJECTED, Failures.abbreviate(description)));
		return this.auth.warnedStatuses.add(status);
	}

	private static LongAdder[] newAdders(int count) {
		LongAdder[] adders = new LongAdder[count];
		for (int i = 0; i < count; i++) {
			adders[i] = new LongAdder();
		}
		return adders;
	}


	@Override
	public String toString() {
		return "ExporterStats[queued=" + queued() + ", exported=" + exported() + ", dropped=" + droppedTotal()
				+ ", queueSize=" + queueSize() + "/" + queueCapacity() + ", lastOutcome=" + lastOutcome()
				+ ", consecutiveFailures=" + consecutiveFailures() + ", auth=" + authState() + "]";
	}

	/**
	 * Why an item was not delivered.
	 */
	public enum DropReason {

		/** The queue was full when the item was offered. */
		QUEUE_FULL,

		/**
		 * The item's estimated size did not fit in what was left of the byte budget
		 * ({@code langfuse.export.max-queue-bytes}) when it was offered.
		 */
		QUEUE_BYTES_FULL,

		/** The item was offered after shutdown, or shutdown ran out of time before it was sent. */
		SHUTDOWN,

		/** Langfuse could not be reached, or kept answering 429 or 5xx, until all retries were used. */
		RETRIES_EXHAUSTED,

		/** Langfuse answered with a 4xx status other than 429, which retrying cannot fix. */
		REJECTED,

		/** The exporter failed unexpectedly, for example because an item could not be encoded. */
		EXPORTER_ERROR

	}

	/**
	 * Outcome of the most recent export.
	 */
	public enum ExportOutcome {

		/** Nothing has been exported yet. */
		NONE,

		/** The last batch was delivered completely. */
		SUCCESS,

		/** At least part of the last batch was dropped. */
		FAILURE

	}

	/**
	 * What Langfuse said about the configured keys.
	 */
	public enum AuthState {

		/** No answer yet, or only network errors. */
		UNKNOWN,

		/** Langfuse accepted the keys. */
		ACCEPTED,

		/** Langfuse answered 401 or 403: wrong keys, an organization key, or the wrong host. */
		REJECTED

	}

	private record AuthStatus(AuthState state, @Nullable String reason) {
	}

	/** What Langfuse said about the keys on this endpoint, and which statuses were warned about. */
	private static final class AuthTracking {

		private final AtomicReference<AuthStatus> state = new AtomicReference<>(
				new AuthStatus(AuthState.UNKNOWN, null));

		private final Set<Integer> warnedStatuses = ConcurrentHashMap.newKeySet();

	}

}
