package io.github.observe4j.langfuse.internal.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.observe4j.langfuse.internal.export.ExporterStats.DropReason;
import io.github.observe4j.langfuse.internal.model.ByteBudget;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for a {@link BatchProcessor} in front of an exporter that prepares its exports ahead
 * ({@link BatchExporter#prepareExport}): the next batch is prepared while the previous one's
 * request is out, one request is out at a time, and every item is still counted once.
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(20)
class BatchProcessorPipelineTests {

	private static final Duration LONG_DELAY = Duration.ofMinutes(1);

	private final List<BatchProcessor<?>> processors = new ArrayList<>();

	@AfterEach
	void shutdownProcessors() {
		this.processors.forEach((processor) -> processor.shutdown(Duration.ofSeconds(1)));
	}

	@Test
	void preparesTheNextBatchWhileThePreviousRequestIsOutAndSendsOneAtATime() throws InterruptedException {
		PipelinedExporter exporter = new PipelinedExporter();
		BatchProcessor<String> processor = processor(exporter, null);
		offerAll(processor, "a", "b", "c", "d");
		processor.start();
		// the first answer is held back: the worker prepares the second batch meanwhile, and
		// sends it only once the first is finished
		assertThat(exporter.finishing("a").await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(exporter.events).containsExactly("prepare [a, b]", "send [a, b]", "prepare [c, d]");
		exporter.answer("a");
		exporter.answer("c");
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		assertThat(exporter.events).containsExactly("prepare [a, b]", "send [a, b]", "prepare [c, d]",
				"finish [a, b]", "send [c, d]", "finish [c, d]");
		assertThat(processor.stats().exported()).isEqualTo(4);
	}

	@Test
	void aFlushWaitsForTheAnswerToTheBatchBeingSent() throws InterruptedException {
		PipelinedExporter exporter = new PipelinedExporter();
		BatchProcessor<String> processor = processor(exporter, null);
		processor.start();
		offerAll(processor, "a");
		Thread answer = new Thread(() -> {
			try {
				if (exporter.finishing("a").await(5, TimeUnit.SECONDS)) {
					Thread.sleep(100);
					exporter.answer("a");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		answer.start();
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		// the flush returned only once the batch was counted
		assertThat(processor.stats().exported()).isEqualTo(1);
		assertThat(exporter.events).endsWith("finish [a]");
		answer.join(5000);
	}

	@Test
	void countsThePreparedAndTheSendingBatchOnceWhenShutdownStopsWaiting(CapturedOutput output)
			throws InterruptedException {
		PipelinedExporter exporter = new PipelinedExporter();
		// the stuck send kept one of its items in the spool
		exporter.spooledInSend = 1;
		ByteBudget budget = new ByteBudget(1_000_000);
		BatchProcessor<String> processor = processor(exporter, budget);
		offerAll(processor, "a", "b", "c", "d", "e");
		processor.start();
		assertThat(exporter.finishing("a").await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(processor.shutdown(Duration.ofMillis(300))).isFalse();
		ExporterStats stats = processor.stats();
		// [a, b] was being sent (one of it spooled), [c, d] prepared and never sent, [e] queued
		assertThat(stats.spooled()).isOne();
		assertThat(stats.dropped(DropReason.SHUTDOWN)).isEqualTo(4);
		assertThat(budget.reserved()).isZero();
		assertThat(output).contains("Langfuse export 'batch' shut down before 4 item(s) could be exported; they are"
				+ " dropped");
		exporter.answer("a");
		await().atMost(Duration.ofSeconds(2)).until(() -> !processor.workerThread().isAlive());
		// the late answer counts nothing a second time, and the prepared batch is never sent
		assertThat(stats.spooled() + stats.droppedTotal() + stats.exported()).isEqualTo(5);
		assertThat(exporter.events).doesNotContain("send [c, d]");
	}

	@Test
	void keepsThePreparedBatchInTheSpoolWhenShutdownStopsWaitingForTheSend(CapturedOutput output)
			throws InterruptedException {
		PipelinedExporter exporter = new PipelinedExporter();
		exporter.spoolKeeps = true;
		exporter.spooledInSend = 1;
		BatchProcessor<String> processor = processor(exporter, null);
		offerAll(processor, "a", "b", "c", "d", "e");
		processor.start();
		assertThat(exporter.finishing("a").await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(processor.shutdown(Duration.ofMillis(300))).isFalse();
		ExporterStats stats = processor.stats();
		// [c, d] was prepared but never sent: kept, as the queued [e] is; of the stuck [a, b],
		// the one item its send spooled is kept
		assertThat(exporter.spooled).containsExactly(List.of("e"), List.of("c", "d"));
		assertThat(stats.spooled()).isEqualTo(4);
		assertThat(stats.dropped(DropReason.SHUTDOWN)).isOne();
		assertThat(output).contains("Langfuse export 'batch' shut down before 1 item(s) could be exported; they are"
				+ " dropped");
		exporter.answer("a");
		await().atMost(Duration.ofSeconds(2)).until(() -> !processor.workerThread().isAlive());
		assertThat(stats.spooled() + stats.droppedTotal() + stats.exported()).isEqualTo(5);
		assertThat(exporter.events).doesNotContain("send [c, d]");
	}

	@Test
	void anInterruptLeftByPreparingTheNextBatchDoesNotAbortTheRequestThatIsOut() {
		PipelinedExporter exporter = new PipelinedExporter();
		exporter.interruptWhilePreparing = "c";
		exporter.answer("a");
		exporter.answer("c");
		BatchProcessor<String> processor = processor(exporter, null);
		offerAll(processor, "a", "b", "c", "d");
		processor.start();
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		assertThat(exporter.events).containsExactly("prepare [a, b]", "send [a, b]", "prepare [c, d]",
				"finish [a, b]", "send [c, d]", "finish [c, d]");
		assertThat(exporter.interruptedInFinish).isEmpty();
		assertThat(processor.stats().exported()).isEqualTo(4);
	}

	@Test
	void countsABatchWhosePreparationFailsAndGoesOn(CapturedOutput output) {
		PipelinedExporter exporter = new PipelinedExporter();
		exporter.failToPrepare = "a";
		exporter.answer("a");
		exporter.answer("c");
		BatchProcessor<String> processor = processor(exporter, null);
		offerAll(processor, "a", "b", "c", "d");
		processor.start();
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		ExporterStats stats = processor.stats();
		assertThat(stats.dropped(DropReason.EXPORTER_ERROR)).isEqualTo(2);
		assertThat(stats.exported()).isEqualTo(2);
		assertThat(exporter.events).containsExactly("prepare [c, d]", "send [c, d]", "finish [c, d]");
		assertThat(output).contains(
				"Langfuse exporter 'batch' failed, dropping 2 item(s): IllegalStateException: cannot encode [a, b]");
	}

	private BatchProcessor<String> processor(PipelinedExporter exporter, @Nullable ByteBudget budget) {
		BatchProcessorBuilder<String> builder = BatchProcessor.builder(exporter)
			.maxBatchSize(2)
			.scheduleDelay(LONG_DELAY);
		if (budget != null) {
			builder.byteBudget(budget, String::length);
		}
		BatchProcessor<String> processor = builder.build();
		this.processors.add(processor);
		return processor;
	}

	private static void offerAll(BatchProcessor<String> processor, String... items) {
		for (String item : items) {
			assertThat(processor.offer(item)).as("offer " + item).isTrue();
		}
	}

	/**
	 * Records what the processor asks of it; the answer to a batch, named by its first item,
	 * comes when the test gives it, and a stuck answer ignores interrupts like a stuck client.
	 */
	static final class PipelinedExporter implements BatchExporter<String> {

		final List<String> events = new CopyOnWriteArrayList<>();

		private final Map<String, CountDownLatch> answers = new ConcurrentHashMap<>();

		private final Map<String, CountDownLatch> finishing = new ConcurrentHashMap<>();

		volatile @Nullable String failToPrepare;

		volatile int spooledInSend;

		/** Whether {@code spool} keeps what it is given, as a configured spool does. */
		volatile boolean spoolKeeps;

		volatile @Nullable String interruptWhilePreparing;

		final List<List<String>> spooled = new CopyOnWriteArrayList<>();

		final List<String> interruptedInFinish = new CopyOnWriteArrayList<>();

		@Override
		public ExportResult export(List<String> batch) {
			throw new AssertionError("a pipelined exporter is not asked to export directly");
		}

		@Override
		public PreparedExport prepareExport(List<String> batch) {
			if (batch.get(0).equals(this.failToPrepare)) {
				throw new IllegalStateException("cannot encode " + batch);
			}
			this.events.add("prepare " + batch);
			if (batch.get(0).equals(this.interruptWhilePreparing)) {
				// as user code (a masker, say) may leave behind
				Thread.currentThread().interrupt();
			}
			return new PreparedExport() {

				@Override
				public void send() {
					PipelinedExporter.this.events.add("send " + batch);
				}

				@Override
				public ExportResult finish() {
					if (Thread.currentThread().isInterrupted()) {
						PipelinedExporter.this.interruptedInFinish.add(batch.get(0));
					}
					finishing(batch.get(0)).countDown();
					awaitUninterruptibly(answerLatch(batch.get(0)));
					PipelinedExporter.this.events.add("finish " + batch);
					return ExportResult.success(batch.size());
				}

			};
		}

		@Override
		public int stopSpooling() {
			return this.spooledInSend;
		}

		@Override
		public ExportResult spool(List<String> items) {
			if (!this.spoolKeeps) {
				return BatchExporter.super.spool(items);
			}
			this.spooled.add(List.copyOf(items));
			return ExportResult.spooled(items.size(), "kept for the next start");
		}

		CountDownLatch finishing(String first) {
			return this.finishing.computeIfAbsent(first, (key) -> new CountDownLatch(1));
		}

		void answer(String first) {
			answerLatch(first).countDown();
		}

		private CountDownLatch answerLatch(String first) {
			return this.answers.computeIfAbsent(first, (key) -> new CountDownLatch(1));
		}

		private static void awaitUninterruptibly(CountDownLatch latch) {
			while (true) {
				try {
					latch.await();
					return;
				}
				catch (InterruptedException ex) {
					// stuck, as a client that ignores interrupts
				}
			}
		}

	}

}
