package io.github.observe4j.langfuse.internal.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.observe4j.langfuse.internal.export.BatchProcessorTests.BlockingExporter;
import io.github.observe4j.langfuse.internal.export.BatchProcessorTests.RecordingExporter;
import io.github.observe4j.langfuse.internal.export.ExporterStats.DropReason;
import io.github.observe4j.langfuse.internal.model.ByteBudget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the byte budget of a {@link BatchProcessor}: items weigh their length here, so
 * every expected number of bytes is exact.
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(30)
class BatchProcessorByteBudgetTests {

	private static final Duration LONG_DELAY = Duration.ofMinutes(1);

	private final List<BatchProcessor<?>> processors = new ArrayList<>();

	@AfterEach
	void shutdownProcessors() {
		this.processors.forEach((processor) -> processor.shutdown(Duration.ofSeconds(1)));
	}

	@Test
	void holdsExactlyTheBytesOfWhatIsQueuedOrBeingExported() throws InterruptedException {
		ByteBudget budget = new ByteBudget(10_000);
		BlockingExporter exporter = new BlockingExporter(false);
		BatchProcessor<String> processor = started(builder(exporter, budget).maxBatchSize(3));
		offerAll(processor, text(100), text(100), text(100));
		assertThat(exporter.entered.await(5, TimeUnit.SECONDS)).isTrue();
		offerAll(processor, text(200), text(200), text(200), text(200));
		// the batch being exported still counts: it is still in memory
		assertThat(budget.reserved()).isEqualTo(3 * 100 + 4 * 200);
		assertThat(processor.stats().queuedBytes()).isEqualTo(1100);
		assertThat(processor.stats().maxQueueBytes()).isEqualTo(10_000);
		exporter.release.countDown();
		// two full batches are exported; the last item waits for the one-minute delay
		await().atMost(Duration.ofSeconds(5)).until(() -> processor.stats().exported() == 6);
		assertThat(budget.reserved()).isEqualTo(200);
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		assertThat(budget.reserved()).isZero();
	}

	@Test
	void anEighthToAQuarterOfTheBudgetQueuedWakesTheWorkerLikeAFullBatch() {
		// 512 items make a full batch; with a 4,000,000-byte budget a unit is 1,024 bytes (a quarter
		// of the budget over 512, rounded down to a power of two), so one item of 300,000 bytes
		// (293 units) waits and a second one (586 in all) wakes the worker now, not after the
		// one-minute delay, so that big observations arriving faster than one batch per delay
		// are not dropped
		ByteBudget budget = new ByteBudget(4_000_000);
		RecordingExporter exporter = new RecordingExporter();
		BatchProcessor<String> processor = started(builder(exporter, budget).maxBatchSize(512));
		offerAll(processor, text(300_000));
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
			.until(() -> processor.stats().exported() == 0);
		offerAll(processor, text(300_000));
		await().atMost(Duration.ofSeconds(5)).until(() -> processor.stats().exported() == 2);
		assertThat(budget.reserved()).isZero();
		// small items still wait for a full batch or the delay
		offerAll(processor, text(100), text(100));
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
			.until(() -> processor.stats().exported() == 2);
		assertThat(budget.reserved()).isEqualTo(200);
	}

	@Test
	void anItemThatDoesNotFitIsDroppedCountedAndWarnedAboutOnce(CapturedOutput output) throws InterruptedException {
		ByteBudget budget = new ByteBudget(1000);
		BlockingExporter exporter = new BlockingExporter(false);
		BatchProcessor<String> processor = started(builder(exporter, budget).maxBatchSize(1).name("traces"));
		processor.offer(text(100));
		assertThat(exporter.entered.await(5, TimeUnit.SECONDS)).isTrue();
		int accepted = 0;
		for (int i = 0; i < 10; i++) {
			accepted += processor.offer(text(300)) ? 1 : 0;
		}
		assertThat(accepted).isEqualTo(3);
		// exactly full: an item that weighs nothing still fits, one byte more does not
		assertThat(budget.reserved()).isEqualTo(1000);
		assertThat(processor.offer("")).isTrue();
		assertThat(processor.offer(text(1))).isFalse();
		ExporterStats stats = processor.stats();
		assertThat(stats.dropped(DropReason.QUEUE_BYTES_FULL)).isEqualTo(8);
		assertThat(stats.dropped(DropReason.QUEUE_FULL)).isZero();
		assertThat(stats.queued()).isEqualTo(5);
		exporter.release.countDown();
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		assertThat(stats.exported()).isEqualTo(5);
		assertThat(budget.reserved()).isZero();
		assertThat(warnings(output)).singleElement()
			.asString()
			.contains("Langfuse export queue 'traces' is full in bytes (langfuse.export.max-queue-bytes=1000B")
			.contains("(1 dropped so far)");
	}

	@Test
	void bytesAreGivenBackWhenTheExporterDropsABatch() {
		ByteBudget budget = new ByteBudget(10_000);
		BatchProcessor<String> processor = started(
				builder((batch) -> ExportResult.dropped(DropReason.RETRIES_EXHAUSTED, batch.size(), "down"), budget));
		offerAll(processor, text(10), text(20));
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		assertThat(processor.stats().dropped(DropReason.RETRIES_EXHAUSTED)).isEqualTo(2);
		assertThat(budget.reserved()).isZero();
	}

	@Test
	void bytesAreGivenBackWhenTheExporterThrows(CapturedOutput output) {
		ByteBudget budget = new ByteBudget(10_000);
		BatchProcessor<String> processor = started(builder((batch) -> {
			throw new IllegalStateException("boom");
		}, budget));
		offerAll(processor, text(10), text(20));
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		assertThat(processor.stats().dropped(DropReason.EXPORTER_ERROR)).isEqualTo(2);
		assertThat(budget.reserved()).isZero();
		assertThat(warnings(output)).singleElement().asString().contains("Langfuse exporter 'batch' failed, dropping 2");
	}

	@Test
	void anItemRefusedBecauseTheQueueIsFullGivesBackItsBytes(CapturedOutput output) throws InterruptedException {
		ByteBudget budget = new ByteBudget(10_000);
		BlockingExporter exporter = new BlockingExporter(false);
		BatchProcessor<String> processor = started(builder(exporter, budget).maxQueueSize(2).maxBatchSize(1));
		processor.offer(text(1));
		assertThat(exporter.entered.await(5, TimeUnit.SECONDS)).isTrue();
		offerAll(processor, text(10), text(10));
		assertThat(processor.offer(text(500))).isFalse();
		assertThat(processor.stats().dropped(DropReason.QUEUE_FULL)).isEqualTo(1);
		assertThat(budget.reserved()).isEqualTo(21);
		exporter.release.countDown();
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		assertThat(budget.reserved()).isZero();
		assertThat(warnings(output)).singleElement().asString().contains("is full (capacity 2)");
	}

	@Test
	void bytesAreGivenBackWhenShutdownSpoolsWhatIsLeft() {
		ByteBudget budget = new ByteBudget(10_000);
		RecordingExporter exporter = new RecordingExporter() {

			@Override
			public ExportResult spool(List<String> items) {
				return ExportResult.spooled(items.size(), "spooled");
			}

		};
		// never started: shutdown finds everything still queued and spools it
		BatchProcessor<String> processor = track(builder(exporter, budget).build());
		offerAll(processor, text(10), text(20), text(30));
		assertThat(budget.reserved()).isEqualTo(60);
		processor.shutdown(Duration.ofSeconds(1));
		assertThat(processor.stats().spooled()).isEqualTo(3);
		assertThat(budget.reserved()).isZero();
		// and nothing is reserved for what is offered after shutdown
		assertThat(processor.offer(text(10))).isFalse();
		assertThat(processor.stats().dropped(DropReason.SHUTDOWN)).isEqualTo(1);
		assertThat(budget.reserved()).isZero();
	}

	@Test
	void bytesAreGivenBackWhenShutdownAbandonsAStuckExport(CapturedOutput output) throws InterruptedException {
		ByteBudget budget = new ByteBudget(10_000);
		BlockingExporter exporter = new BlockingExporter(true);
		BatchProcessor<String> processor = started(builder(exporter, budget).maxBatchSize(2));
		offerAll(processor, text(10), text(20));
		assertThat(exporter.entered.await(5, TimeUnit.SECONDS)).isTrue();
		offerAll(processor, text(40));
		try {
			assertThat(processor.shutdown(Duration.ofMillis(300))).isFalse();
			assertThat(processor.stats().dropped(DropReason.SHUTDOWN)).isEqualTo(3);
			assertThat(budget.reserved()).isZero();
		}
		finally {
			exporter.release.countDown();
		}
		assertThat(warnings(output)).isNotEmpty()
			.allSatisfy((line) -> assertThat(line).contains("Langfuse export 'batch' shut down before"));
	}

	@Test
	void queuesSharingABudgetCountAgainstTheSameBytes() {
		ByteBudget budget = new ByteBudget(1000);
		BatchProcessor<String> traces = track(builder(new RecordingExporter(), budget).name("traces").build());
		BatchProcessor<String> scores = track(builder(new RecordingExporter(), budget).name("scores").build());
		assertThat(traces.offer(text(700))).isTrue();
		assertThat(scores.offer(text(301))).isFalse();
		assertThat(scores.offer(text(300))).isTrue();
		assertThat(scores.stats().dropped(DropReason.QUEUE_BYTES_FULL)).isEqualTo(1);
		assertThat(traces.stats().queuedBytes()).isEqualTo(1000);
		assertThat(scores.stats().queuedBytes()).isEqualTo(1000);
	}

	@Test
	void concurrentOffersNeverExceedTheBudget() throws Exception {
		long capacity = 200_000;
		ByteBudget budget = new ByteBudget(capacity);
		BlockingExporter exporter = new BlockingExporter(false);
		BatchProcessor<String> processor = started(builder(exporter, budget).maxBatchSize(1));
		processor.offer(text(1));
		assertThat(exporter.entered.await(5, TimeUnit.SECONDS)).isTrue();
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicLong maxSeen = new AtomicLong();
		Thread sampler = new Thread(() -> {
			while (running.get()) {
				maxSeen.accumulateAndGet(budget.reserved(), Math::max);
			}
		});
		sampler.start();
		int threads = 8;
		int offersPerThread = 2000;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		long acceptedBytes = 0;
		long acceptedItems = 0;
		try {
			List<Future<long[]>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				futures.add(executor.submit(() -> {
					start.await();
					long bytes = 0;
					long items = 0;
					for (int i = 0; i < offersPerThread; i++) {
						String item = text(ThreadLocalRandom.current().nextInt(100, 2000));
						if (processor.offer(item)) {
							bytes += item.length();
							items++;
						}
					}
					return new long[] { bytes, items };
				}));
			}
			start.countDown();
			for (Future<long[]> future : futures) {
				long[] accepted = future.get(20, TimeUnit.SECONDS);
				acceptedBytes += accepted[0];
				acceptedItems += accepted[1];
			}
		}
		finally {
			running.set(false);
			sampler.join();
			executor.shutdownNow();
		}
		ExporterStats stats = processor.stats();
		assertThat(maxSeen.get()).isLessThanOrEqualTo(capacity);
		// what was accepted is exactly what is held, and the budget was pressed hard
		assertThat(budget.reserved()).isEqualTo(1 + acceptedBytes).isGreaterThan(capacity - 2000);
		assertThat(stats.dropped(DropReason.QUEUE_BYTES_FULL)).isEqualTo(threads * offersPerThread - acceptedItems)
			.isPositive();
		exporter.release.countDown();
		assertThat(processor.forceFlush(Duration.ofSeconds(10))).isTrue();
		assertThat(stats.exported()).isEqualTo(1 + acceptedItems);
		assertThat(budget.reserved()).isZero();
	}

	private static BatchProcessorBuilder<String> builder(BatchExporter<String> exporter, ByteBudget budget) {
		return BatchProcessor.builder(exporter).scheduleDelay(LONG_DELAY).byteBudget(budget, String::length);
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

	private static String text(int length) {
		return "x".repeat(length);
	}

	private static List<String> warnings(CapturedOutput output) {
		return output.getOut().lines().filter((line) -> line.contains("WARN")).toList();
	}

	private static void offerAll(BatchProcessor<String> processor, String... items) {
		for (String item : items) {
			assertThat(processor.offer(item)).as("offer of " + item.length()).isTrue();
		}
	}

}
