package io.github.observe4j.langfuse.faults;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.management.JMException;
import javax.management.ObjectName;

import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.unit.DataSize;

import static io.github.observe4j.langfuse.faults.TracedApplication.storedCounts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With Langfuse down, an application that keeps tracing large payloads from several threads
 * keeps at most {@code langfuse.export.max-queue-bytes} of them, by the starter's own count and
 * by the heap the JVM reports, and drops the rest, counted and warned about.
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(180)
class QueueBytesBoundTests {

	private static final long BUDGET = DataSize.ofMegabytes(16).toBytes();

	/**
	 * What the heap may hold beyond the budget: the request bodies of the batch being retried
	 * (a second copy of what it carries, at most the batch's share of the budget) and the
	 * collector's slack. Generous, so that the test does not flake; without the bound the
	 * payloads below would keep more than four times the budget and this together.
	 */
	private static final long HEAP_ALLOWANCE = DataSize.ofMegabytes(32).toBytes();

	/** One payload: half a million characters outside Latin-1, so 1MB of heap. */
	private static final int PAYLOAD_CHARS = 512 * 1024;

	private static final int THREADS = 4;

	private static final int TRACES_PER_THREAD = 64;

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void whileLangfuseIsDownLargePayloadsStayWithinTheByteBudget(CapturedOutput output) throws Exception {
		int spansMade;
		try (TracedApplication app = TracedApplication.start(this.server, "langfuse.export.max-queue-bytes=16MB",
				"langfuse.export.shutdown-timeout=5s")) {
			this.server.stop();
			// a first trace loads what the export path needs before the heap is measured
			spansMade = app.trace(1, payload(0)).size();
			long heapBefore = usedHeapAfterGc();
			ExecutorService pool = Executors.newFixedThreadPool(THREADS);
			List<Future<Integer>> callers = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				int thread = t;
				callers.add(pool.submit(() -> {
					int spans = 0;
					for (int i = 0; i < TRACES_PER_THREAD; i++) {
						// a new payload each time, referenced by nothing but the trace
						spans += app.trace(1, payload(thread * TRACES_PER_THREAD + i + 1)).size();
					}
					return spans;
				}));
			}
			for (Future<Integer> caller : callers) {
				spansMade += caller.get(60, TimeUnit.SECONDS);
			}
			pool.shutdown();
			long queuedBytes = (Long) app.counts("traces").get("queuedBytes");
			long produced = (long) THREADS * TRACES_PER_THREAD * PAYLOAD_CHARS * 2;
			// the starter's own count: within the budget, and the budget was what stopped it
			assertThat(queuedBytes).isLessThanOrEqualTo(BUDGET).isGreaterThan(BUDGET / 2);
			assertThat(app.counts("traces")).containsEntry("maxQueueBytes", BUDGET);
			// the JVM's count: the payloads made are four times what the heap may keep, which it does
			// not once it settles (one full collection can meet a retry's request mid-way, a passing copy)
			assertThat(produced).isGreaterThan(4 * (BUDGET + HEAP_ALLOWANCE));
			try {
				await().atMost(Duration.ofSeconds(10))
					.pollInterval(Duration.ofMillis(250))
					.untilAsserted(() -> assertThat(usedHeapAfterGc() - heapBefore).isLessThan(BUDGET + HEAP_ALLOWANCE));
			}
			catch (ConditionTimeoutException ex) {
				// what holds the heap, for whoever reads the failure
				throw new AssertionError(ex.getMessage() + System.lineSeparator() + largestClasses(), ex);
			}
			long droppedForBytes = app.dropped("traces", "queue_bytes_full");
			assertThat(droppedForBytes).isGreaterThan(spansMade / 2);
			assertThat(app.dropped("traces", "queue_full")).isZero();
			// once Langfuse is back, what was kept is delivered and every byte is given back
			this.server.restart();
			assertThat(app.flush()).isTrue();
			assertThat(app.counts("traces")).containsEntry("queuedBytes", 0L);
			assertThat(storedCounts(this.server)).hasSize((int) (spansMade - app.droppedTotal("traces")))
				.allSatisfy((id, times) -> assertThat(times).isOne());
		}
		assertThat(output).containsOnlyOnce("Langfuse export queue 'traces' is full in bytes"
				+ " (langfuse.export.max-queue-bytes=16MB, shared by the queues and the observations held back");
		// UTF-8 takes 1.5MB for each payload: it is cut to langfuse.export.max-observation-size when sent
		assertThat(output).contains("is larger than 1048576 bytes; its largest values were cut to fit");
		assertThat(output.getAll().lines().filter((line) -> line.contains(" WARN ")))
			.allMatch((line) -> line.contains("is full in bytes") || line.contains("its largest values were cut to fit")
					|| line.contains("Cannot reach Langfuse at " + this.server.url()));
	}

	private static String payload(int id) {
		return "\u20ac".repeat(PAYLOAD_CHARS - 8) + String.format("%08d", id);
	}

	/** The top of the JVM's class histogram: the classes holding the most heap. */
	private static String largestClasses() {
		try {
			String histogram = (String) ManagementFactory.getPlatformMBeanServer()
				.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
						new Object[] { null }, new String[] { String[].class.getName() });
			return histogram.lines().limit(25).collect(Collectors.joining(System.lineSeparator()));
		}
		catch (JMException ex) {
			return "(no class histogram: " + ex + ")";
		}
	}

	private static long usedHeapAfterGc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

}
