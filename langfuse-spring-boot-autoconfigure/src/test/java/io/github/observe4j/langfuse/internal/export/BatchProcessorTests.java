package io.github.observe4j.langfuse.internal.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import io.github.observe4j.langfuse.internal.export.ExporterStats.DropReason;
import io.github.observe4j.langfuse.internal.export.ExporterStats.ExportOutcome;
import io.github.observe4j.langfuse.testsupport.InterruptThenEnd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link BatchProcessor}.
 */
@ExtendWith(OutputCaptureExtension.class)
class BatchProcessorTests {

	private static final Duration LONG_DELAY = Duration.ofMinutes(1);

	private final List<BatchProcessor<?>> processors = new ArrayList<>();

	@AfterEach
	void shutdownProcessors() {
		this.processors.forEach((processor) -> processor.shutdown(Duration.ofSeconds(1)));
	}

	@Test
	void builderHasDocumentedDefaults() {
		BatchProcessor<String> processor = BatchProcessor.builder(new RecordingExporter()).build();
		assertThat(processor.stats().queueCapacity()).isEqualTo(16384);
		assertThat(BatchProcessor.DEFAULT_MAX_BATCH_SIZE).isEqualTo(512);
		assertThat(BatchProcessor.DEFAULT_SCHEDULE_DELAY).isEqualTo(Duration.ofSeconds(1));
		assertThat(processor.workerThread()).isNull();
	}

	@Test
	void builderRejectsInvalidConfiguration() {
		BatchProcessorBuilder<String> builder = BatchProcessor.builder(new RecordingExporter());
		assertThatIllegalArgumentException().isThrownBy(() -> builder.maxQueueSize(0))
			.withMessage("maxQueueSize must be positive, was 0");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.maxBatchSize(-1))
			.withMessage("maxBatchSize must be positive, was -1");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.scheduleDelay(Duration.ZERO))
			.withMessage("scheduleDelay must be positive, was PT0S");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.name(" "))
			.withMessage("name must not be blank");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.maxQueueSize(10).maxBatchSize(11).build())
			.withMessage("maxBatchSize (11) must be less than or equal to maxQueueSize (10)");
	}

	@Test
	void startsOneNamedDaemonWorkerOnlyWhenStarted() {
		BatchProcessor<String> processor = track(BatchProcessor.builder(new RecordingExporter()).name("test").build());
		assertThat(processor.workerThread()).isNull();
		processor.start();
		Thread worker = processor.workerThread();
		processor.start();
		assertThat(processor.workerThread()).isSameAs(worker);
		assertThat(worker.getName()).isEqualTo("langfuse-export-test");
		assertThat(worker.isDaemon()).isTrue();
		assertThat(worker.isAlive()).isTrue();
	}

	@Test
	void workerPreparesTheExporterOnItsOwnThreadBeforeTheFirstExport() {
		List<String> events = new CopyOnWriteArrayList<>();
		RecordingExporter exporter = new RecordingExporter() {

			@Override
			public void prepare() {
				events.add("prepare on " + Thread.currentThread().getName());
			}

			@Override
			public ExportResult export(List<String> batch) {
				events.add("export " + batch);
				return super.export(batch);
			}

		};
		BatchProcessor<String> processor = track(BatchProcessor.builder(exporter).name("test").maxBatchSize(1).build());
		processor.offer("a");
		assertThat(events).isEmpty();
		processor.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
		assertThat(events).containsExactly("prepare on langfuse-export-test", "export [a]");
	}

	@Test
	void exportsAsUsualWhenPreparingFailsAndSaysNothingAboveDebug(CapturedOutput output) {
		RecordingExporter exporter = new RecordingExporter() {

			@Override
			public void prepare() {
				throw new IllegalStateException("no serializer today");
			}

		};
		BatchProcessor<String> processor = started(BatchProcessor.builder(exporter).maxBatchSize(1));
		processor.offer("a");
		await().atMost(Duration.ofSeconds(5)).until(() -> exporter.items().size() == 1);
		assertThat(processor.stats().exported()).isEqualTo(1);
		assertThat(output).doesNotContain("no serializer today");
	}

	@Test
	void exportsFullBatchWithoutWaitingForScheduleDelay() {
		RecordingExporter exporter = new RecordingExporter();
		BatchProcessor<String> processor = started(BatchProcessor.builder(exporter)
			.maxBatchSize(3)
			.scheduleDelay(LONG_DELAY));
		offerAll(processor, "a", "b", "c", "d");
		await().atMost(Duration.ofSeconds(5)).until(() -> exporter.batches.size() == 1);
		assertThat(exporter.batches.get(0)).containsExactly("a", "b", "c");
		// "d" waits for more items or the one-minute delay
		assertThat(exporter.items()).doesNotContain("d");
	}

	@Test
	void aWaitingWorkerIsWokenByTheItemThatCompletesEachBatch() {
		RecordingExporter exporter = new RecordingExporter();
		BatchProcessor<String> processor = track(BatchProcessor.builder(exporter)
			.name("wake-test")
			.maxBatchSize(3)
			.scheduleDelay(LONG_DELAY)
			.build());
		// queued before the worker starts: it takes "a", then waits for two more
		offerAll(processor, "a");
		processor.start();
		awaitWorkerWaiting("wake-test");
		offerAll(processor, "b");
		awaitWorkerWaiting("wake-test");
		assertThat(exporter.batches).as("one item short of a batch, nothing is sent").isEmpty();
		offerAll(processor, "c");
		await().atMost(Duration.ofSeconds(5)).until(() -> exporter.batches.size() == 1);
		// and again from an empty batch, three positions further on
		awaitWorkerWaiting("wake-test");
		offerAll(processor, "d", "e");
		awaitWorkerWaiting("wake-test");
		assertThat(exporter.batches).hasSize(1);
		offerAll(processor, "f");
		await().atMost(Duration.ofSeconds(5)).until(() -> exporter.batches.size() == 2);
		assertThat(exporter.batches).containsExactly(List.of("a", "b", "c"), List.of("d", "e", "f"));
		assertThat(processor.stats().queued()).isEqualTo(6);
	}

	/** Wait until the named processor's worker is parked waiting for items (or the delay). */
	private static void awaitWorkerWaiting(String name) {
		await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces()
			.keySet()
			.stream()
			.anyMatch((thread) -> thread.getName().equals(BatchProcessor.THREAD_NAME_PREFIX + name)
					&& thread.getState() == Thread.State.TIMED_WAITING
					&& Arrays.stream(thread.getStackTrace())
						.anyMatch((frame) -> frame.getMethodName().equals("awaitSignal"))));
	}

	@Test
	void exportsPartialBatchAfterScheduleDelay() {
		RecordingExporter exporter = new RecordingExporter();
		BatchProcessor<String> processor = started(BatchProcessor.builder(exporter)
			.maxBatchSize(100)
			.scheduleDelay(Duration.ofMillis(50)));
		offerAll(processor, "a", "b");
		await().atMost(Duration.ofSeconds(5)).until(() -> exporter.items().size() == 2);
		assertThat(exporter.items()).containsExactly("a", "b");
		assertThat(processor.stats().exported()).isEqualTo(2);
		assertThat(processor.stats().lastOutcome()).isEqualTo(ExportOutcome.SUCCESS);
		assertThat(processor.stats().lastSuccessTime()).isNotNull();
	}

	@Test
	@Timeout(10)
	void dropsAndCountsWhenQueueIsFullWithoutBlockingTheCaller(CapturedOutput output) throws Exception {
		BlockingExporter exporter = new BlockingExporter(false);
		BatchProcessor<String> processor = started(BatchProcessor.builder(exporter)
			.maxQueueSize(10)
			.maxBatchSize(5)
			.scheduleDelay(Duration.ofMillis(10)));
		processor.offer("first");
		assertThat(exporter.entered.await(5, TimeUnit.SECONDS)).isTrue();
		// The worker is stuck in the exporter, so exactly the queue capacity fits
		int accepted = (int) IntStream.range(0, 1000).filter((i) -> processor.offer("item-" + i)).count();
		assertThat(accepted).isEqualTo(10);
		ExporterStats stats = processor.stats();
		assertThat(stats.dropped(DropReason.QUEUE_FULL)).isEqualTo(990);
		assertThat(stats.queued()).isEqualTo(11);
		assertThat(stats.queueSize()).isEqualTo(10);
		exporter.release.countDown();
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		assertThat(stats.exported()).isEqualTo(11);
		// Once, for the first dropped item
		assertThat(warnings(output)).singleElement()
			.asString()
			.contains("Langfuse export queue 'batch' is full (capacity 10), dropping items")
			.contains("(1 dropped so far)");
	}

	@Test
	void forceFlushExportsEverythingQueuedBeforeTheCall() {
		RecordingExporter exporter = new RecordingExporter();
		BatchProcessor<String> processor = started(BatchProcessor.builder(exporter)
			.maxBatchSize(2)
			.scheduleDelay(LONG_DELAY));
		offerAll(processor, "a", "b", "c", "d", "e");
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		assertThat(exporter.items()).containsExactly("a", "b", "c", "d", "e");
		assertThat(exporter.batches).allSatisfy((batch) -> assertThat(batch).hasSizeLessThanOrEqualTo(2));
	}

	@Test
	void forceFlushBeforeStartReportsWhetherAnythingIsQueued() {
		RecordingExporter exporter = new RecordingExporter();
		BatchProcessor<String> processor = track(BatchProcessor.builder(exporter).build());
		assertThat(processor.forceFlush(Duration.ofMillis(10))).isTrue();
		processor.offer("a");
		assertThat(processor.forceFlush(Duration.ofMillis(10))).isFalse();
		processor.start();
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		assertThat(exporter.items()).containsExactly("a");
	}

	@Test
	@Timeout(10)
	void forceFlushGivesUpAfterTimeoutWhenExporterHangs() throws Exception {
		BlockingExporter exporter = new BlockingExporter(false);
		BatchProcessor<String> processor = started(BatchProcessor.builder(exporter).scheduleDelay(LONG_DELAY));
		processor.offer("a");
		assertThat(processor.forceFlush(Duration.ofMillis(200))).isFalse();
		exporter.release.countDown();
	}

	@Test
	void keepsWorkingAfterExporterThrows(CapturedOutput output) {
		AtomicInteger calls = new AtomicInteger();
		RecordingExporter delegate = new RecordingExporter();
		BatchExporter<String> exporter = (batch) -> {
			if (calls.incrementAndGet() == 1) {
				throw new IllegalStateException("boom");
			}
			return delegate.export(batch);
		};
		BatchProcessor<String> processor = started(BatchProcessor.builder(exporter).scheduleDelay(LONG_DELAY));
		offerAll(processor, "a", "b");
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		assertThat(processor.stats().dropped(DropReason.EXPORTER_ERROR)).isEqualTo(2);
		assertThat(processor.stats().lastOutcome()).isEqualTo(ExportOutcome.FAILURE);
		assertThat(processor.stats().lastErrorMessage()).contains("IllegalStateException: boom");
		assertThat(processor.stats().consecutiveFailures()).isEqualTo(1);
		// One line: the stack trace is logged at debug level
		assertThat(warnings(output)).singleElement()
			.asString()
			.contains("Langfuse exporter 'batch' failed, dropping 2 item(s): IllegalStateException: boom");
		assertThat(output).doesNotContain("\tat ");
		offerAll(processor, "c");
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		assertThat(delegate.items()).containsExactly("c");
		assertThat(processor.stats().exported()).isEqualTo(1);
		assertThat(processor.stats().consecutiveFailures()).isZero();
		assertThat(processor.workerThread().isAlive()).isTrue();
	}

	@Test
	void recordsPartialResultsAndCountsItemsTheExporterDidNotReport() {
		BatchExporter<String> exporter = (batch) -> ExportResult.success(1)
			.plus(ExportResult.dropped(DropReason.REJECTED, 1, "HTTP 400: bad"));
		BatchProcessor<String> processor = started(BatchProcessor.builder(exporter).scheduleDelay(LONG_DELAY));
		offerAll(processor, "a", "b", "c");
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		ExporterStats stats = processor.stats();
		assertThat(stats.exported()).isEqualTo(1);
		assertThat(stats.dropped(DropReason.REJECTED)).isEqualTo(1);
		assertThat(stats.dropped(DropReason.EXPORTER_ERROR)).isEqualTo(1);
		assertThat(stats.lastOutcome()).isEqualTo(ExportOutcome.FAILURE);
	}

	@Test
	@Timeout(5)
	void aStuckExportThatSpooledPartOfItsBatchIsCountedExactlyOnce(CapturedOutput output) throws Exception {
		AtomicInteger spoolSaves = new AtomicInteger();
		BlockingExporter exporter = new BlockingExporter(true) {

			private boolean stopped;

			@Override
			public ExportResult export(List<String> batch) {
				// keeps the first item in the spool, then hangs on the rest
				synchronized (this) {
					if (!this.stopped) {
						spoolSaves.incrementAndGet();
					}
				}
				return super.export(batch);
			}

			@Override
			public synchronized int stopSpooling() {
				this.stopped = true;
				return spoolSaves.get();
			}

		};
		BatchProcessor<String> processor = started(BatchProcessor.builder(exporter)
			.maxBatchSize(3)
			.scheduleDelay(Duration.ofMillis(10)));
		offerAll(processor, "a", "b", "c");
		assertThat(exporter.entered.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(processor.shutdown(Duration.ofMillis(300))).isFalse();
		ExporterStats stats = processor.stats();
		assertThat(stats.spooled()).isOne();
		assertThat(stats.dropped(DropReason.SHUTDOWN)).isEqualTo(2);
		assertThat(output).contains("shut down before 2 item(s) could be exported; they are dropped");
		exporter.release.countDown();
		await().atMost(Duration.ofSeconds(2)).until(() -> !processor.workerThread().isAlive());
		// the late end of the stuck export counts nothing a second time
		assertThat(stats.spooled() + stats.droppedTotal() + stats.exported()).isEqualTo(3);
	}

	@Test
	@Timeout(5)
	void shutdownReturnsWithinTimeoutWhenExporterHangsAndCountsWhatIsLeft(CapturedOutput output)
			throws Exception {
		BlockingExporter exporter = new BlockingExporter(true);
		BatchProcessor<String> processor = started(BatchProcessor.builder(exporter)
			.maxBatchSize(2)
			.scheduleDelay(Duration.ofMillis(10)));
		offerAll(processor, "a", "b");
		assertThat(exporter.entered.await(5, TimeUnit.SECONDS)).isTrue();
		offerAll(processor, "c", "d", "e");
		long start = System.nanoTime();
		assertThat(processor.shutdown(Duration.ofMillis(300))).isFalse();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
		ExporterStats stats = processor.stats();
		assertThat(stats.dropped(DropReason.SHUTDOWN)).isEqualTo(5);
		assertThat(stats.exported()).isZero();
		// The exporter gives up a little earlier, so the worker can still count what it gave up on
		assertThat(exporter.abortTimeLeft).isEqualTo(Duration.ofMillis(270));
		assertThat(exporter.shutdownCalls.get()).isOne();
		assertThat(output).contains("Langfuse export 'batch' shut down before 5 item(s) could be exported; they are"
				+ " dropped");
		exporter.release.countDown();
		// The hung export finishing late must not count its batch a second time
		await().atMost(Duration.ofSeconds(2)).until(() -> !processor.workerThread().isAlive());
		assertThat(stats.dropped(DropReason.SHUTDOWN)).isEqualTo(5);
		assertThat(stats.exported()).isZero();
	}

	@Test
	@Timeout(5)
	void whatAStuckExportDeliveredBeforeShutdownGaveUpOnItCountsAsExportedNotDropped(CapturedOutput output)
			throws Exception {
		// delivers the first 3 of its 5 items (one request of a split batch, say), then hangs
		BlockingExporter exporter = new BlockingExporter(true) {

			@Override
			public int deliveredInExport() {
				return 3;
			}

		};
		BatchProcessor<String> processor = started(BatchProcessor.builder(exporter)
			.maxBatchSize(5)
			.scheduleDelay(Duration.ofMillis(10)));
		offerAll(processor, "a", "b", "c", "d", "e");
		assertThat(exporter.entered.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(processor.shutdown(Duration.ofMillis(300))).isFalse();
		ExporterStats stats = processor.stats();
		assertThat(stats.exported()).isEqualTo(3);
		assertThat(stats.dropped(DropReason.SHUTDOWN)).isEqualTo(2);
		assertThat(output).contains("shut down before 2 item(s) could be exported");
		exporter.release.countDown();
		await().atMost(Duration.ofSeconds(2)).until(() -> !processor.workerThread().isAlive());
		assertThat(stats.exported()).isEqualTo(3);
		assertThat(stats.dropped(DropReason.SHUTDOWN)).isEqualTo(2);
	}

	@Test
	void aShutdownFromAnInterruptedThreadWaitsForTheExportAndKeepsTheInterrupt() throws InterruptedException {
		shutdownWhileTheExportIsOutKeepsTheInterrupt((exporter) -> {
			// the export answers while shutdown waits for it
			CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(exporter.release::countDown);
			Thread.currentThread().interrupt();
		});
	}

	@Test
	void anInterruptWhileShutdownWaitsForTheExportDoesNotCutTheWaitShortAndIsKept() throws InterruptedException {
		shutdownWhileTheExportIsOutKeepsTheInterrupt(
				(exporter) -> InterruptThenEnd.schedule(Thread.currentThread(), exporter.release::countDown));
	}

	/**
	 * Shut down while an export is out, after {@code interruptAndRelease} arranged an interrupt
	 * and the export's answer: shutdown waits for that answer and the interrupt is kept.
	 */
	private void shutdownWhileTheExportIsOutKeepsTheInterrupt(Consumer<BlockingExporter> interruptAndRelease)
			throws InterruptedException {
		BlockingExporter exporter = new BlockingExporter(false);
		BatchProcessor<String> processor = started(BatchProcessor.builder(exporter).scheduleDelay(Duration.ofMillis(1)));
		offerAll(processor, "a", "b");
		assertThat(exporter.entered.await(5, TimeUnit.SECONDS)).isTrue();
		interruptAndRelease.accept(exporter);
		boolean complete;
		boolean interruptKept;
		try {
			complete = processor.shutdown(Duration.ofSeconds(5));
		}
		finally {
			interruptKept = Thread.interrupted();
		}
		assertThat(interruptKept).as("the interrupt is kept").isTrue();
		assertThat(complete).isTrue();
		assertThat(exporter.items()).containsExactly("a", "b");
		assertThat(processor.stats().dropped(DropReason.SHUTDOWN)).isZero();
	}

	@Test
	void shutdownFlushesIsIdempotentAndDropsLaterOffers() throws InterruptedException {
		RecordingExporter exporter = new RecordingExporter();
		BatchProcessor<String> processor = started(BatchProcessor.builder(exporter).scheduleDelay(LONG_DELAY));
		offerAll(processor, "a", "b", "c");
		assertThat(processor.shutdown(Duration.ofSeconds(5))).isTrue();
		assertThat(exporter.items()).containsExactly("a", "b", "c");
		processor.workerThread().join(5000);
		assertThat(processor.workerThread().isAlive()).isFalse();
		assertThat(processor.shutdown(Duration.ofSeconds(5))).isTrue();
		assertThat(exporter.shutdownCalls.get()).isOne();
		assertThat(processor.offer("late")).isFalse();
		assertThat(processor.stats().dropped(DropReason.SHUTDOWN)).isEqualTo(1);
		assertThat(processor.forceFlush(Duration.ofMillis(10))).isTrue();
		processor.start();
		assertThat(processor.workerThread().isAlive()).isFalse();
	}

	@Test
	void shutdownWithoutStartDropsAndCountsQueuedItems(CapturedOutput output) {
		RecordingExporter exporter = new RecordingExporter();
		BatchProcessor<String> processor = BatchProcessor.builder(exporter).build();
		offerAll(processor, "a", "b");
		assertThat(processor.shutdown(Duration.ofSeconds(1))).isFalse();
		assertThat(processor.stats().dropped(DropReason.SHUTDOWN)).isEqualTo(2);
		assertThat(exporter.items()).isEmpty();
		assertThat(exporter.shutdownCalls.get()).isOne();
		assertThat(processor.workerThread()).isNull();
		assertThat(output).contains("Langfuse export 'batch' shut down before 2 item(s) could be exported");
	}

	@Test
	void offersRacingShutdownAreCountedOnceAndOnlyAcceptedItemsAreExported() throws Exception {
		RecordingExporter exporter = new RecordingExporter();
		BatchProcessor<String> processor = started(BatchProcessor.builder(exporter).maxQueueSize(200_000));
		ExecutorService producers = Executors.newFixedThreadPool(4);
		AtomicBoolean stop = new AtomicBoolean();
		List<Future<BitSet>> acceptedByProducer = new ArrayList<>();
		AtomicLong offered = new AtomicLong();
		for (int p = 0; p < 4; p++) {
			String producer = p + "-";
			acceptedByProducer.add(producers.submit(() -> {
				// distinct items, as records are: a withdrawal takes back its own item, by identity
				BitSet accepted = new BitSet();
				int n = 0;
				while (!stop.get()) {
					if (processor.offer(producer + n)) {
						accepted.set(n);
					}
					n++;
				}
				offered.addAndGet(n);
				return accepted;
			}));
		}
		ExporterStats stats = processor.stats();
		await().pollInterval(Duration.ofMillis(1)).until(() -> stats.queued() > 10_000);
		processor.shutdown(Duration.ofSeconds(10));
		// the producers go on offering for a moment after shutdown, so that late offers are refused
		await().pollInterval(Duration.ofMillis(1)).until(() -> stats.dropped(DropReason.SHUTDOWN) > 1000);
		stop.set(true);
		List<BitSet> accepted = new ArrayList<>();
		for (Future<BitSet> producer : acceptedByProducer) {
			accepted.add(producer.get(30, TimeUnit.SECONDS));
		}
		producers.shutdown();
		long acceptedTotal = accepted.stream().mapToLong(BitSet::cardinality).sum();
		// Every offer that returned true was queued, and only those; every offered item was exported
		// or counted as dropped, once; what was exported was accepted, once. An accepted item may
		// still be dropped by shutdown (an offer that raced it), counted there.
		assertThat(stats.queued()).isEqualTo(acceptedTotal);
		assertThat(stats.exported() + stats.dropped(DropReason.QUEUE_FULL) + stats.dropped(DropReason.SHUTDOWN))
			.isEqualTo(offered.get());
		List<String> items = exporter.items();
		assertThat(stats.exported()).isEqualTo(items.size());
		assertThat(items).doesNotHaveDuplicates().allSatisfy((item) -> {
			int dash = item.indexOf('-');
			BitSet producer = accepted.get(Integer.parseInt(item.substring(0, dash)));
			assertThat(producer.get(Integer.parseInt(item.substring(dash + 1)))).as("%s was accepted", item).isTrue();
		});
	}

	@Test
	void ignoresNullItems() {
		BatchProcessor<String> processor = track(BatchProcessor.builder(new RecordingExporter()).build());
		assertThat(processor.offer(null)).isFalse();
		assertThat(processor.stats().queued()).isZero();
		assertThat(processor.stats().droppedTotal()).isZero();
	}

	@Test
	@Timeout(20)
	void countsEveryItemExactlyOnceUnderConcurrentOffersAndShutdown(CapturedOutput output) throws Exception {
		RecordingExporter exporter = new RecordingExporter();
		BatchProcessor<String> processor = started(BatchProcessor.builder(exporter)
			.maxQueueSize(64)
			.maxBatchSize(8)
			.scheduleDelay(Duration.ofMillis(1)));
		int threads = 4;
		int perThread = 5000;
		CountDownLatch done = new CountDownLatch(threads);
		for (int t = 0; t < threads; t++) {
			int thread = t;
			new Thread(() -> {
				for (int i = 0; i < perThread; i++) {
					processor.offer(thread + "-" + i);
				}
				done.countDown();
			}).start();
		}
		Thread.sleep(5);
		processor.shutdown(Duration.ofSeconds(5));
		assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
		ExporterStats stats = processor.stats();
		assertThat(stats.exported() + stats.droppedTotal()).isEqualTo(threads * perThread);
		assertThat(stats.exported()).isEqualTo(exporter.items().size());
		assertThat(exporter.items()).doesNotHaveDuplicates();
		assertThat(stats.queueSize()).isZero();
		// How many items the small queue drops, before or at shutdown, depends on timing
		if (stats.dropped(DropReason.QUEUE_FULL) > 0) {
			assertThat(output).contains("Langfuse export queue 'batch' is full (capacity 64)");
		}
		assertThat(warnings(output)).allSatisfy((line) -> assertThat(line).containsAnyOf(
				"Langfuse export queue 'batch' is full (capacity 64)", "Langfuse export 'batch' shut down before"));
	}

	private BatchProcessor<String> started(BatchProcessorBuilder<String> builder) {
		BatchProcessor<String> processor = track(builder.build());
		processor.start();
		return processor;
	}

	private <T> BatchProcessor<T> track(BatchProcessor<T> processor) {
		this.processors.add(processor);
		return processor;
	}

	private static List<String> warnings(CapturedOutput output) {
		return output.getOut().lines().filter((line) -> line.contains("WARN")).toList();
	}

	private static void offerAll(BatchProcessor<String> processor, String... items) {
		for (String item : items) {
			assertThat(processor.offer(item)).as("offer " + item).isTrue();
		}
	}

	/** Records every batch and reports it delivered. */
	static class RecordingExporter implements BatchExporter<String> {

		final List<List<String>> batches = new CopyOnWriteArrayList<>();

		final AtomicInteger shutdownCalls = new AtomicInteger();

		@Override
		public ExportResult export(List<String> batch) {
			this.batches.add(List.copyOf(batch));
			return ExportResult.success(batch.size());
		}

		@Override
		public void shutdown() {
			this.shutdownCalls.incrementAndGet();
		}

		List<String> items() {
			return this.batches.stream().flatMap(List::stream).toList();
		}

	}

	/** Blocks in {@code export} until released, optionally ignoring interrupts like a stuck client. */
	static class BlockingExporter extends RecordingExporter {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		private final boolean ignoreInterrupts;

		volatile Duration abortTimeLeft;

		BlockingExporter(boolean ignoreInterrupts) {
			this.ignoreInterrupts = ignoreInterrupts;
		}

		@Override
		public ExportResult export(List<String> batch) {
			this.entered.countDown();
			while (true) {
				try {
					this.release.await();
					return super.export(batch);
				}
				catch (InterruptedException ex) {
					if (!this.ignoreInterrupts) {
						Thread.currentThread().interrupt();
						return ExportResult.dropped(DropReason.SHUTDOWN, batch.size(), "interrupted");
					}
				}
			}
		}

		@Override
		public void abortRetriesAfter(Duration timeLeft) {
			this.abortTimeLeft = timeLeft;
		}

	}

}
