package io.github.observe4j.langfuse.internal.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import io.github.observe4j.langfuse.internal.export.ExporterStats.DropReason;
import io.github.observe4j.langfuse.internal.model.ByteBudget;
import io.github.observe4j.langfuse.internal.model.RecordSink;
import io.github.observe4j.langfuse.internal.support.DeferredInterrupt;
import io.github.observe4j.langfuse.internal.support.Failures;
import io.github.observe4j.langfuse.internal.support.ThrottledLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Collects items in a bounded queue and hands them to a {@link BatchExporter} in batches, on one
 * daemon worker thread named {@code langfuse-export-<name>}, modelled on OpenTelemetry's
 * {@code BatchSpanProcessor}. A batch is exported when {@code maxBatchSize} items are waiting
 * or {@code scheduleDelay} has passed since the last export. With an exporter that prepares
 * exports ahead ({@link BatchExporter#prepareExport}), the worker encodes the next batch while
 * the previous batch's request is out, then waits for that answer before it sends: one request
 * out at a time, and the worker's CPU work overlaps the round trip.
 * <p>
 * {@link #offer} never blocks and never throws: when the queue is full, or when the item's
 * estimated size does not fit in the {@link ByteBudget} (if one is set), the item is dropped and
 * counted in {@link ExporterStats}. An item reserves its size when it is queued and gives it back
 * when it is counted: exported, spooled or dropped, whoever counts it. Callers that offer at the same time do not contend for a
 * lock: the queue is a {@link BoundedItemQueue}. The worker starts in {@link #start()}, not in the
 * constructor, so that a failed application start leaves no thread behind. {@link #shutdown}
 * is idempotent, exports what is queued within its timeout, and counts whatever it could not
 * send.
 * <p>
 * Why one class of about 720 lines (a third of it comments): the hand-off between callers, the
 * worker and shutdown (who counts a batch, when a flush is complete, what an abandoned worker may
 * still do) is one protocol, easiest to check in one place, as in OpenTelemetry's {@code
 * BatchSpanProcessor}. Its builder, the queue-full warning and the counting live in their own
 * classes.
 *
 * @param <T> the item type
 * @since 0.1.0
 */
public final class BatchProcessor<T> implements RecordSink<T> {

	/** Default maximum number of items waiting for export. */
	public static final int DEFAULT_MAX_QUEUE_SIZE = 16384;

	/** Default maximum number of items in one batch. */
	public static final int DEFAULT_MAX_BATCH_SIZE = 512;

	/** Default maximum time an item waits before its batch is exported. */
	public static final Duration DEFAULT_SCHEDULE_DELAY = Duration.ofSeconds(1);

	/** Prefix of the worker thread's name. */
	public static final String THREAD_NAME_PREFIX = "langfuse-export-";

	private static final Log logger = LogFactory.getLog(BatchProcessor.class);

	private static final Duration SHUTDOWN_MARGIN = Duration.ofMillis(200);

	private static final Duration QUEUE_FULL_WARN_INTERVAL = Duration.ofMinutes(1);

	/** The size counted for an item whose weigher failed. */
	private static final long FALLBACK_ITEM_BYTES = 1024;

	private final String name;

	private final BatchExporter<T> exporter;

	private final ExporterStats stats;

	private final int maxBatchSize;

	private final long scheduleDelayNanos;

	private final BoundedItemQueue<T> queue;

	/** The budget items reserve their size in, or {@code null} for a queue bounded in items only. */
	private final @Nullable ByteBudget byteBudget;

	private final ToLongFunction<? super T> weigher;

	private final ThrottledLog throttledLog = new ThrottledLog(logger, QUEUE_FULL_WARN_INTERVAL);

	private final QueueFullWarning queueFullWarning;

	private final QueueFullWarning bytesFullWarning;

	/**
	 * Wakes the worker early: when a full batch is waiting, a flush is requested or shutdown
	 * starts. Capacity one, because one pending wake-up is as good as many.
	 */
	private final BlockingQueue<Boolean> signal = new ArrayBlockingQueue<>(1);

	/**
	 * How much more makes a full batch while the worker waits, in units, counted down by each
	 * offer; {@code MAX_VALUE} while it works. The offer that brings it to zero or below signals,
	 * so a busy application does not wake the worker for every item. See {@link #units}.
	 */
	private final AtomicInteger unitsNeeded = new AtomicInteger(Integer.MAX_VALUE);

	/**
	 * An item's units are one plus its weight shifted right by this: {@code maxBatchSize} units
	 * weigh at most a quarter of the byte budget, so a queue of big items wakes the worker
	 * before it fills the budget, as a full batch of small ones does.
	 */
	private final int unitShift;

	/** The units of the items in the worker's batch. Worker only. */
	private int batchUnits;

	private final AtomicReference<@Nullable CompletableFuture<Void>> flushRequest = new AtomicReference<>();

	/**
	 * The batches handed to the exporter and not yet counted, at most two (one whose request is
	 * out, one being prepared), each claimed by removing it: by the worker, or by a shutdown
	 * that stops waiting for it.
	 */
	private final Set<ExportingBatch<T>> unsettled = ConcurrentHashMap.newKeySet();

	/**
	 * Held while a batch's send starts and while shutdown claims what is unsettled, so that no
	 * request goes out once shutdown has counted its batch, and what the exporter spooled is
	 * attributed to the batch that was being sent.
	 */
	private final Object sendLock = new Object();

	/** The prepared batch whose request is out, waiting to be finished. Worker only. */
	private @Nullable ExportingBatch<T> sending;

	private final CompletableFuture<Void> workerDone = new CompletableFuture<>();

	private final CompletableFuture<Boolean> shutdownResult = new CompletableFuture<>();

	private final Object lifecycleLock = new Object();

	private @Nullable Thread worker;

	private volatile boolean shutdownRequested;

	/** Set when shutdown stopped waiting for the worker, which must then stop exporting. */
	private volatile boolean abandoned;

	BatchProcessor(String name, BatchExporter<T> exporter, ExporterStats stats, int maxQueueSize, int maxBatchSize,
			Duration scheduleDelay, @Nullable ByteBudget byteBudget, ToLongFunction<? super T> weigher) {
		this.name = name;
		this.exporter = exporter;
		this.stats = stats;
		this.maxBatchSize = maxBatchSize;
		this.scheduleDelayNanos = scheduleDelay.toNanos();
		this.queue = new BoundedItemQueue<>(maxQueueSize);
		this.byteBudget = byteBudget;
		this.weigher = weigher;
		this.unitShift = (byteBudget != null) ? unitShift(byteBudget.capacity(), maxBatchSize) : Long.SIZE - 1;
		this.queueFullWarning = new QueueFullWarning(name, DropReason.QUEUE_FULL, stats, this.throttledLog,
				QUEUE_FULL_WARN_INTERVAL);
		this.bytesFullWarning = new QueueFullWarning(name, DropReason.QUEUE_BYTES_FULL, stats, this.throttledLog,
				QUEUE_FULL_WARN_INTERVAL);
		stats.bindQueue(this.queue::size, maxQueueSize);
		if (byteBudget != null) {
			stats.bindByteBudget(byteBudget::reserved, byteBudget.capacity());
		}
	}

	/**
	 * Create a builder.
	 * @param <T> the item type
	 * @param exporter the exporter that batches are handed to
	 * @return a new builder
	 */
	public static <T> BatchProcessorBuilder<T> builder(BatchExporter<T> exporter) {
		return new BatchProcessorBuilder<>(exporter);
	}

	/**
	 * Queue an item for export. Never blocks and never throws.
	 * @param item the item; {@code null} is ignored
	 * @return {@code false} if the item was dropped, because the queue is full, its size does not
	 * fit in the byte budget or the processor is shut down; {@code true} if it was queued. An
	 * item queued as shutdown begins may still be kept or dropped by shutdown rather than
	 * exported (shutdown drained it while another offer raced it, or its own offer stalled
	 * between taking its slot and filling it), and is then counted there: either way exactly once
	 */
	@Override
	public boolean offer(@Nullable T item) {
		if (item == null) {
			return false;
		}
		if (this.shutdownRequested) {
			this.stats.recordDropped(DropReason.SHUTDOWN, 1);
			return false;
		}
		long bytes = 0;
		if (this.byteBudget != null) {
			bytes = weigh(item);
			if (!this.byteBudget.tryReserve(bytes)) {
				this.stats.recordDropped(DropReason.QUEUE_BYTES_FULL, 1);
				this.bytesFullWarning.itemDropped();
				return false;
			}
		}
		if (!this.queue.offer(item)) {
			release(bytes);
			this.stats.recordDropped(DropReason.QUEUE_FULL, 1);
			this.queueFullWarning.itemDropped();
			return false;
		}
		if (this.shutdownRequested) {
			// Shutdown started after the first check; nobody may be left to export the item, nor,
			// once shutdown has drained the queue, the items queued behind it
			List<T> withdrawnItems = new ArrayList<>();
			int withdrawn = this.queue.withdraw(item, withdrawnItems);
			if (withdrawn > 0) {
				releaseAll(withdrawnItems);
				this.stats.recordDropped(DropReason.SHUTDOWN, withdrawn);
				return false;
			}
		}
		this.stats.recordQueued();
		// Count down only while the worker waits for a full batch: a busy worker (MAX_VALUE) is
		// left alone, without touching the queue a second time to read its size
		if (this.unitsNeeded.get() <= this.maxBatchSize) {
			int units = units(bytes);
			int left = this.unitsNeeded.addAndGet(-units);
			if (left <= 0 && left + units > 0) {
				this.signal.offer(Boolean.TRUE);
			}
		}
		return true;
	}

	/**
	 * Start the worker thread. Does nothing if it has started already or after shutdown.
	 */
	public void start() {
		synchronized (this.lifecycleLock) {
			if (this.worker != null || this.shutdownRequested) {
				return;
			}
			Thread thread = new Thread(this::runWorker, THREAD_NAME_PREFIX + this.name);
			thread.setDaemon(true);
			this.worker = thread;
			thread.start();
		}
	}

	/**
	 * Export everything queued before this call, waiting at most the given time.
	 * @param timeout how long to wait
	 * @return {@code true} if every item queued before the call was exported or given up on
	 * (and counted) within the timeout
	 */
	public boolean forceFlush(Duration timeout) {
		if (this.shutdownRequested) {
			// Once shutdown has finished, every item has been exported or counted as dropped
			return await(this.shutdownResult, timeout);
		}
		synchronized (this.lifecycleLock) {
			if (this.worker == null) {
				return this.queue.isEmpty();
			}
		}
		CompletableFuture<Void> request = new CompletableFuture<>();
		CompletableFuture<Void> existing = this.flushRequest.compareAndExchange(null, request);
		// A request the worker has not taken yet also covers our items: it drains when it takes it
		CompletableFuture<Void> awaited = (existing != null) ? existing : request;
		this.signal.offer(Boolean.TRUE);
		if (this.shutdownRequested) {
			// Shutdown may have finished before our request was set; it counts everything anyway
			return await(this.shutdownResult, timeout);
		}
		return await(awaited, timeout);
	}

	/**
	 * Shut down: export what is queued within the timeout, stop the worker, count anything left
	 * as dropped, then shut the exporter down. Later offers are dropped and counted. Idempotent:
	 * later calls wait for the first one and return its result.
	 * @param timeout how long to wait for the remaining exports
	 * @return {@code true} if everything queued was exported or given up on (and counted) by the
	 * exporter within the timeout; {@code false} if items had to be dropped because the timeout
	 * elapsed or the worker never started
	 */
	public boolean shutdown(Duration timeout) {
		// an interrupted thread still gets its timeout
		DeferredInterrupt interrupt = DeferredInterrupt.clear();
		try {
			return shutdownUninterrupted(timeout, interrupt);
		}
		finally {
			interrupt.restore();
		}
	}

	private boolean shutdownUninterrupted(Duration timeout, DeferredInterrupt interrupt) {
		long deadline = System.nanoTime() + timeout.toNanos();
		Thread thread;
		synchronized (this.lifecycleLock) {
			if (this.shutdownRequested) {
				return interrupt.await(this.shutdownResult, timeout) && this.shutdownResult.join();
			}
			this.shutdownRequested = true;
			thread = this.worker;
		}
		boolean complete = true;
		try {
			try {
				// Leave the worker a moment after the exporter gives up to count what it gave up on
				Duration margin = timeout.dividedBy(10);
				this.exporter.abortRetriesAfter(timeout.minus((margin.compareTo(SHUTDOWN_MARGIN) < 0) ? margin
						: SHUTDOWN_MARGIN));
			}
			catch (Throwable ex) {
				Failures.rethrowIfFatal(ex);
				Failures.warn(logger, "Exporter '" + this.name + "' failed to limit its retries", ex);
			}
			if (thread != null) {
				this.signal.offer(Boolean.TRUE);
				if (!interrupt.await(this.workerDone, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
					this.abandoned = true;
					thread.interrupt();
					// an interrupted export gives up at once and counts (or spools) its own batch;
					// only a worker stuck beyond that leaves its batch to be counted here
					interrupt.await(this.workerDone, SHUTDOWN_MARGIN);
					complete = false;
				}
			}
			complete &= dropLeftovers() == 0;
			// whatever is still running (a late score send) may keep nothing after its item was counted
			stopSpooling();
		}
		finally {
			CompletableFuture<Void> pending = this.flushRequest.getAndSet(null);
			if (pending != null) {
				pending.complete(null);
			}
			try {
				this.exporter.shutdown();
			}
			catch (Throwable ex) {
				Failures.rethrowIfFatal(ex);
				Failures.warn(logger, "Exporter '" + this.name + "' failed to shut down", ex);
			}
			this.shutdownResult.complete(complete);
		}
		return complete;
	}

	/**
	 * Return the statistics this processor records into.
	 * @return the stats
	 */
	public ExporterStats stats() {
		return this.stats;
	}

	// Visible for testing
	int queueSize() {
		return this.queue.size();
	}

	// Visible for testing
	@Nullable Thread workerThread() {
		synchronized (this.lifecycleLock) {
			return this.worker;
		}
	}

	private int dropLeftovers() {
		List<T> leftovers = new ArrayList<>();
		this.queue.close(leftovers);
		int dropped = 0;
		if (!leftovers.isEmpty()) {
			// not the abandoned worker's batch: the worker may still be spooling that one itself
			dropped += keep(leftovers);
		}
		dropped += dropAbandoned();
		if (dropped > 0) {
			logger.warn("Langfuse export '" + this.name + "' shut down before " + dropped
					+ " item(s) could be exported; they are dropped");
		}
		return dropped;
	}

	/**
	 * Count the batches an abandoned worker still holds: one prepared and never sent is kept in
	 * the spool like the queue's leftovers; of the one being sent, what its stuck send spooled
	 * is kept, what it delivered before it got stuck is exported, and the rest dropped. From
	 * here on nothing more can be spooled, nor a send started.
	 * @return how many items were dropped
	 */
	private int dropAbandoned() {
		if (this.unsettled.isEmpty()) {
			return 0;
		}
		int dropped = 0;
		synchronized (this.sendLock) {
			for (ExportingBatch<T> exporting : this.unsettled) {
				if (!exporting.started && this.unsettled.remove(exporting)) {
					dropped += keepUnsent(exporting);
				}
			}
			int spooled = stopSpooling();
			int delivered = deliveredInExport();
			for (ExportingBatch<T> exporting : this.unsettled) {
				if (this.unsettled.remove(exporting)) {
					int size = exporting.items.size();
					releaseAll(exporting.items);
					// one the worker added meanwhile was never sent: it spooled and delivered nothing
					int kept = exporting.started ? Math.min(spooled, size) : 0;
					int exported = exporting.started ? Math.min(delivered, size - kept) : 0;
					if (kept > 0) {
						this.stats.recordSpooled(kept);
					}
					if (exported > 0) {
						this.stats.recordExported(exported);
					}
					this.stats.recordDropped(DropReason.SHUTDOWN, size - kept - exported);
					dropped += size - kept - exported;
				}
			}
		}
		return dropped;
	}

	private void beforeExport() {
		try {
			this.exporter.beforeExport();
		}
		catch (Throwable ex) {
			Failures.rethrowIfFatal(ex);
			Failures.warn(logger, "Exporter '" + this.name + "' failed to prepare an export", ex);
		}
	}

	private int deliveredInExport() {
		try {
			return Math.max(0, this.exporter.deliveredInExport());
		}
		catch (Throwable ex) {
			Failures.rethrowIfFatal(ex);
			Failures.warn(logger, "Exporter '" + this.name + "' failed to say what it delivered", ex);
			return 0;
		}
	}

	private int stopSpooling() {
		try {
			return this.exporter.stopSpooling();
		}
		catch (Throwable ex) {
			Failures.rethrowIfFatal(ex);
			Failures.warn(logger, "Exporter '" + this.name + "' failed to stop spooling", ex);
			return 0;
		}
	}

	/**
	 * Hand items that shutdown could not export to the exporter's spool and count what became of
	 * them.
	 * @return how many were dropped
	 */
	private int keep(List<T> items) {
		int count = items.size();
		ExportResult result = spool(List.copyOf(items));
		releaseAll(items);
		items.clear();
		return this.stats.recordBatch(result, count, false);
	}

	/**
	 * Hand a batch that was prepared but never sent to the exporter's spool, once claimed, and
	 * count what became of it.
	 * @return how many were dropped
	 */
	private int keepUnsent(ExportingBatch<T> exporting) {
		ExportResult result = spool(exporting.items);
		releaseAll(exporting.items);
		return this.stats.recordBatch(result, exporting.items.size(), false);
	}

	private ExportResult spool(List<T> items) {
		try {
			ExportResult result = this.exporter.spool(items);
			return (result != null) ? result
					: ExportResult.dropped(DropReason.SHUTDOWN, items.size(), "exporter returned no result");
		}
		catch (Throwable ex) {
			Failures.rethrowIfFatal(ex);
			Failures.warn(logger, "Exporter '" + this.name + "' failed to spool " + items.size() + " item(s)", ex);
			return ExportResult.dropped(DropReason.SHUTDOWN, items.size(), Failures.describe(ex));
		}
	}

	private void runWorker() {
		List<T> batch = new ArrayList<>(this.maxBatchSize);
		try {
			prepareExporter();
			replaySpooled();
			long nextExportTime = System.nanoTime() + this.scheduleDelayNanos;
			while (!this.shutdownRequested) {
				CompletableFuture<Void> flush = this.flushRequest.getAndSet(null);
				if (flush != null) {
					exportQueued(batch, this.queue.size());
					finishSending();
					flush.complete(null);
					nextExportTime = System.nanoTime() + this.scheduleDelayNanos;
					continue;
				}
				int before = batch.size();
				this.queue.drainTo(batch, this.maxBatchSize - before);
				addUnits(batch, before);
				long now = System.nanoTime();
				this.queueFullWarning.rearmIfDue(now);
				this.bytesFullWarning.rearmIfDue(now);
				if (this.batchUnits >= this.maxBatchSize || now - nextExportTime >= 0) {
					exportBatch(batch);
					nextExportTime = System.nanoTime() + this.scheduleDelayNanos;
					continue;
				}
				if (this.sending != null) {
					// nothing to prepare meanwhile: take the answer before waiting for items
					finishSending();
					continue;
				}
				awaitSignal(this.maxBatchSize - this.batchUnits, nextExportTime - now);
			}
			// Shutdown: export everything that is left, unless shutdown stops waiting for us
			exportQueued(batch, Integer.MAX_VALUE);
			finishSending();
		}
		finally {
			if (!batch.isEmpty()) {
				// the worker's own items, never counted by shutdown; refused once spooling stopped
				keep(batch);
			}
			this.workerDone.complete(null);
		}
	}

	private void prepareExporter() {
		try {
			this.exporter.prepare();
		}
		catch (Throwable ex) {
			Failures.rethrowIfFatal(ex);
			// what preparing would have done happens, or fails visibly, where it is first needed
			logger.debug("Exporter '" + this.name + "' could not prepare ahead of its first export", ex);
		}
	}

	private void replaySpooled() {
		if (this.shutdownRequested) {
			return;
		}
		try {
			this.exporter.replaySpooled();
		}
		catch (Throwable ex) {
			Failures.rethrowIfFatal(ex);
			Failures.warn(logger, "Exporter '" + this.name + "' failed to send what an earlier run spooled", ex);
		}
		finally {
			// only shutdown interrupts the worker; the loop checks for it
			if (!this.shutdownRequested) {
				Thread.interrupted();
			}
		}
	}

	private void awaitSignal(int needed, long waitNanos) {
		this.unitsNeeded.set(needed);
		try {
			// Offers made before unitsNeeded was set did not count down: subtract them now, one
			// unit each. One that races this line is counted twice, which only wakes the worker a
			// little early
			if (this.unitsNeeded.addAndGet(-this.queue.size()) > 0) {
				this.signal.poll(waitNanos, TimeUnit.NANOSECONDS);
			}
		}
		catch (InterruptedException ex) {
			// Only shutdown interrupts on purpose, and the loop checks for it
		}
		finally {
			this.unitsNeeded.set(Integer.MAX_VALUE);
		}
	}

	/**
	 * Export up to {@code count} queued items plus the partial batch, in full batches.
	 */
	private void exportQueued(List<T> batch, int count) {
		int remaining = count;
		while (remaining > 0 && !this.abandoned) {
			int drained = this.queue.drainTo(batch, Math.min(remaining, this.maxBatchSize - batch.size()));
			if (drained == 0 && batch.size() < this.maxBatchSize) {
				break;
			}
			remaining -= drained;
			if (batch.size() >= this.maxBatchSize) {
				exportBatch(batch);
			}
		}
		exportBatch(batch);
	}

	private void exportBatch(List<T> batch) {
		if (batch.isEmpty() || this.abandoned) {
			return;
		}
		// Hand over a copy and clear the batch first: from here the items are counted through
		// unsettled, by the worker or by a shutdown that stops waiting for it
		ExportingBatch<T> exporting = new ExportingBatch<>(List.copyOf(batch));
		batch.clear();
		this.batchUnits = 0;
		this.unsettled.add(exporting);
		PreparedExport prepared;
		try {
			prepared = this.exporter.prepareExport(exporting.items);
		}
		catch (Throwable ex) {
			Failures.rethrowIfFatal(ex);
			settle(exporting, exporterFailed(exporting.items.size(), ex));
			return;
		}
		finally {
			// an interrupt left by the exporter's code must not abort the request that is out
			clearStaleInterrupt();
		}
		// the previous batch's answer, which came in while this one was prepared
		finishSending();
		switch (start(exporting, prepared)) {
			case REFUSED -> {
				// shutdown stopped waiting: it kept the batch, or missed it and leaves it to us
				if (this.unsettled.remove(exporting)) {
					keepUnsent(exporting);
				}
			}
			case FAILED -> {
				// counted where the send failed
			}
			case STARTED -> {
				if (prepared == null) {
					settle(exporting, run(() -> this.exporter.export(exporting.items), exporting.items.size()));
				}
				else {
					this.sending = exporting;
				}
			}
		}
	}

	/** Wait for the answer to the batch whose request is out, if any, and count it. */
	private void finishSending() {
		ExportingBatch<T> exporting = this.sending;
		if (exporting == null) {
			return;
		}
		this.sending = null;
		PreparedExport prepared = exporting.prepared;
		settle(exporting, (prepared != null) ? run(prepared::finish, exporting.items.size())
				: ExportResult.dropped(DropReason.EXPORTER_ERROR, exporting.items.size(), "not prepared"));
	}

	/** What became of starting a batch's export. */
	private enum Start {

		/** Shutdown claimed the batch, or stopped waiting for the worker: nothing was sent. */
		REFUSED,

		/** The export may go on: a prepared send is out, or {@code export} may be called. */
		STARTED,

		/** The prepared send threw; the batch is counted. */
		FAILED

	}

	/**
	 * Start a batch's export unless shutdown has claimed it. A prepared send is started under
	 * the send lock (it never blocks), so that no request goes out once shutdown has counted
	 * its batch.
	 */
	private Start start(ExportingBatch<T> exporting, @Nullable PreparedExport prepared) {
		synchronized (this.sendLock) {
			if (this.abandoned || !this.unsettled.contains(exporting)) {
				return Start.REFUSED;
			}
			beforeExport();
			exporting.started = true;
			exporting.prepared = prepared;
			if (prepared != null) {
				try {
					prepared.send();
				}
				catch (Throwable ex) {
					Failures.rethrowIfFatal(ex);
					settle(exporting, exporterFailed(exporting.items.size(), ex));
					return Start.FAILED;
				}
			}
			return Start.STARTED;
		}
	}

	private ExportResult run(Supplier<@Nullable ExportResult> export, int size) {
		try {
			ExportResult result = export.get();
			return (result != null) ? result
					: ExportResult.dropped(DropReason.EXPORTER_ERROR, size, "exporter returned no result");
		}
		catch (Throwable ex) {
			Failures.rethrowIfFatal(ex);
			return exporterFailed(size, ex);
		}
		finally {
			clearStaleInterrupt();
		}
	}

	/** Only shutdown interrupts the worker; a stale interrupt must not abort the next export. */
	private void clearStaleInterrupt() {
		if (!this.shutdownRequested) {
			Thread.interrupted();
		}
	}

	private ExportResult exporterFailed(int size, Throwable ex) {
		this.throttledLog.warn("exporter-threw",
				() -> "Langfuse exporter '" + this.name + "' failed, dropping " + size + " item(s)", ex);
		return ExportResult.dropped(DropReason.EXPORTER_ERROR, size, Failures.describe(ex));
	}

	/** Count a batch, unless shutdown has counted it already. */
	private void settle(ExportingBatch<T> exporting, ExportResult result) {
		if (this.unsettled.remove(exporting)) {
			releaseAll(exporting.items);
			record(result, exporting.items.size());
		}
	}

	/**
	 * Return an item's size estimate, which must be the same at every call for the item: the
	 * size it gives back is the size it reserved. A weigher that fails counts as a fixed size, the
	 * same at both ends.
	 */
	private long weigh(T item) {
		try {
			return Math.max(0, this.weigher.applyAsLong(item));
		}
		catch (Throwable ex) {
			Failures.rethrowIfFatal(ex);
			return FALLBACK_ITEM_BYTES;
		}
	}

	/** Floor of log2 of the bytes per unit: a quarter of the budget over a full batch. */
	private static int unitShift(long budgetBytes, int maxBatchSize) {
		long bytesPerUnit = Math.max(1, budgetBytes / 4 / maxBatchSize);
		return Long.SIZE - 1 - Long.numberOfLeadingZeros(bytesPerUnit);
	}

	/** One per item, plus one per unit of its weight: a shift, not a division, on the hot path. */
	private int units(long bytes) {
		return 1 + (int) Math.min(bytes >>> this.unitShift, this.maxBatchSize);
	}

	private void addUnits(List<T> batch, int from) {
		for (int i = from; i < batch.size(); i++) {
			this.batchUnits += (this.byteBudget != null) ? units(weigh(batch.get(i))) : 1;
		}
	}

	private void release(long bytes) {
		if (this.byteBudget != null) {
			this.byteBudget.release(bytes);
		}
	}

	/** Give back the sizes of items that have been counted, once each. */
	private void releaseAll(List<T> items) {
		if (this.byteBudget == null) {
			return;
		}
		long bytes = 0;
		for (int i = 0; i < items.size(); i++) {
			bytes += weigh(items.get(i));
		}
		this.byteBudget.release(bytes);
	}

	private void record(ExportResult result, int batchSize) {
		this.stats.recordBatch(result, batchSize, true);
	}

	private static boolean await(CompletableFuture<?> future, Duration timeout) {
		try {
			future.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (TimeoutException | ExecutionException ex) {
			return false;
		}
	}

	@Override
	public String toString() {
		return "BatchProcessor[" + this.name + ", " + this.stats + "]";
	}

	/** A batch handed to the exporter; identity matters, for claiming it. */
	private static final class ExportingBatch<T> {

		final List<T> items;

		/** Set by the worker under the send lock, read by shutdown under it. */
		boolean started;

		/** The prepared export, once started; read by the worker only. */
		@Nullable PreparedExport prepared;

		ExportingBatch(List<T> items) {
			this.items = items;
		}

	}

}
