package io.github.observe4j.langfuse.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.observe4j.langfuse.model.Score;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer.FakeResponse;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.github.observe4j.langfuse.faults.TracedApplication.assertStoredExactlyOnce;
import static io.github.observe4j.langfuse.faults.TracedApplication.storedCounts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery fault suite: each scenario drives a real Spring Boot application with the
 * starter against a Langfuse stand-in that misbehaves in one way, and asserts exactly what was
 * stored (by span id), dropped and possibly duplicated.
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(120)
class DeliveryFaultTests {

	private static final String OTEL = FakeLangfuseServer.OTEL_PATH;

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void anOutageLosesNothingThatFitsInTheQueue(CapturedOutput output) throws InterruptedException {
		try (TracedApplication app = TracedApplication.start(this.server)) {
			this.server.stop();
			List<String> spans = app.trace(20);
			// retries keep probing the closed port meanwhile, one request at a time
			Thread.sleep(3000);
			this.server.restart();
			assertThat(app.flush()).isTrue();
			assertStoredExactlyOnce(this.server, spans);
			assertThat(app.counts("traces")).containsEntry("exported", 40L).containsEntry("possiblyDuplicated", 0L);
			assertThat(app.droppedTotal("traces")).isZero();
		}
		// at most the key check's one warning, if it ran during the outage; nothing dropped
		assertThat(output.getAll().lines().filter((line) -> line.contains(" WARN ")))
			.allMatch((line) -> line.contains("Cannot reach Langfuse at " + this.server.url()))
			.hasSizeLessThanOrEqualTo(1);
	}

	@Test
	void serverErrorsAreRetriedUntilDelivered() {
		this.server.enqueue(OTEL, FakeResponse.status(503))
			.enqueue(OTEL, FakeResponse.status(500))
			.enqueue(OTEL, FakeResponse.status(502));
		try (TracedApplication app = TracedApplication.start(this.server)) {
			List<String> spans = app.trace(5);
			assertThat(app.flush()).isTrue();
			assertStoredExactlyOnce(this.server, spans);
			assertThat(app.counts("traces")).containsEntry("exported", 10L).containsEntry("possiblyDuplicated", 0L);
			assertThat(app.droppedTotal("traces")).isZero();
			assertThat(this.server.requests(OTEL).size() - this.server.storedRequests(OTEL).size()).isEqualTo(3);
		}
	}

	@Test
	void rateLimitingIsHonouredThenDelivered() {
		this.server.enqueue(OTEL, FakeResponse.status(429).header("Retry-After", "1"));
		try (TracedApplication app = TracedApplication.start(this.server)) {
			List<String> spans = app.trace(5);
			assertThat(app.flush()).isTrue();
			assertStoredExactlyOnce(this.server, spans);
			List<RecordedRequest> requests = this.server.requests(OTEL);
			assertThat(requests.get(1).nanoTime() - requests.get(0).nanoTime())
				.isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
			assertThat(app.droppedTotal("traces")).isZero();
		}
	}

	@Test
	void aSlowLangfuseWithinTheTimeoutStoresEachSpanOnce() {
		this.server.setDefaultResponse(OTEL, FakeResponse.ok("{}").delay(Duration.ofMillis(400)));
		try (TracedApplication app = TracedApplication.start(this.server)) {
			List<String> spans = app.trace(40);
			assertThat(app.flush()).isTrue();
			assertStoredExactlyOnce(this.server, spans);
			assertThat(app.counts("traces")).containsEntry("exported", 80L).containsEntry("possiblyDuplicated", 0L);
		}
	}

	@Test
	void anAnswerAfterTheTimeoutIsRetriedAndCountedAsPossiblyDuplicated() {
		// stored, but answered after the 1s timeout: the retry stores the same spans again
		this.server.enqueue(OTEL, FakeResponse.ok("{}").delay(Duration.ofMillis(1500)));
		try (TracedApplication app = TracedApplication.start(this.server)) {
			List<String> spans = app.trace(5);
			assertThat(app.flush()).isTrue();
			Map<String, Integer> stored = storedCounts(this.server);
			assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(spans);
			long duplicates = stored.values().stream().filter((count) -> count == 2).count();
			assertThat(stored.values()).allMatch((count) -> count <= 2);
			assertThat(duplicates).isPositive();
			// the count says exactly how many were stored twice
			assertThat(app.counts("traces")).containsEntry("possiblyDuplicated", duplicates)
				.containsEntry("exported", 10L);
		}
	}

	@Test
	void aConnectionResetMidRequestIsRetriedWithoutDuplicates() {
		this.server.enqueue(OTEL, FakeResponse.reset()).enqueue(OTEL, FakeResponse.reset());
		try (TracedApplication app = TracedApplication.start(this.server)) {
			List<String> spans = app.trace(5);
			assertThat(app.flush()).isTrue();
			assertStoredExactlyOnce(this.server, spans);
			assertThat(app.counts("traces")).containsEntry("exported", 10L).containsEntry("possiblyDuplicated", 0L);
			assertThat(this.server.requests(OTEL).size()).isGreaterThanOrEqualTo(3);
		}
	}

	@Test
	void aRequestTooLargeForTheServerIsSplitAndDelivered() {
		// a proxy in front of Langfuse that takes less than max-request-size
		this.server.respondWith(OTEL,
				(request) -> (request.rawBody().length > 3000) ? FakeResponse.status(413) : FakeResponse.ok("{}"));
		try (TracedApplication app = TracedApplication.start(this.server, "langfuse.export.compression=false")) {
			List<String> spans = app.trace(8, "x".repeat(300));
			assertThat(app.flush()).isTrue();
			assertStoredExactlyOnce(this.server, spans);
			assertThat(app.droppedTotal("traces")).isZero();
			assertThat(this.server.requests(OTEL)).anySatisfy((request) -> assertThat(request.rawBody()).hasSizeGreaterThan(3000));
			assertThat(this.server.storedRequests(OTEL)).allSatisfy((request) -> assertThat(request.rawBody()).hasSizeLessThanOrEqualTo(3000));
		}
	}

	@Test
	void aSingleObservationTooLargeForTheServerIsCutFurtherAndDelivered(CapturedOutput output) {
		this.server.respondWith(OTEL,
				(request) -> (request.rawBody().length > 6000) ? FakeResponse.status(413) : FakeResponse.ok("{}"));
		try (TracedApplication app = TracedApplication.start(this.server, "langfuse.export.compression=false")) {
			List<String> spans = app.trace(1, "y".repeat(20_000));
			assertThat(app.flush()).isTrue();
			assertStoredExactlyOnce(this.server, spans);
			assertThat(app.droppedTotal("traces")).isZero();
			String input = this.server.storedSpans()
				.stream()
				.flatMap((span) -> span.getAttributesList().stream())
				.filter((attribute) -> attribute.getKey().equals("langfuse.observation.input"))
				.map((attribute) -> attribute.getValue().getStringValue())
				.filter((value) -> value.contains("yyyy"))
				.findFirst()
				.orElseThrow();
			assertThat(input).contains("...[truncated by langfuse-spring-boot-starter, ").hasSizeLessThan(6000);
		}
		assertThat(output).containsOnlyOnce("as too large (").contains("sent it with its values cut further")
			.containsOnlyOnce("its largest values were cut to fit");
	}

	@Test
	void keysRefusedForScoresOnlyDropExactlyTheScores(CapturedOutput output) {
		this.server.setDefaultResponse(FakeLangfuseServer.SCORES_PATH, FakeResponse.status(401));
		try (TracedApplication app = TracedApplication.start(this.server)) {
			List<String> spans = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				spans.addAll(app.traceAndScore(Score.numeric("quality", i)));
			}
			assertThat(app.flush()).isTrue();
			assertStoredExactlyOnce(this.server, spans);
			assertThat(app.counts("traces")).containsEntry("auth", "ACCEPTED").containsEntry("exported", 6L);
			assertThat(app.counts("scores")).containsEntry("auth", "REJECTED").containsEntry("exported", 0L);
			assertThat(app.dropped("scores", "rejected")).isEqualTo(3);
		}
		assertThat(output).containsOnlyOnce("Langfuse rejected the API keys (HTTP 401)")
			.contains("Scores sent to /api/public/scores are dropped");
	}

	@Test
	void manyThreadsForAWhileAreEachDeliveredExactlyOnce() throws Exception {
		int threads = 8;
		long runNanos = Duration.ofSeconds(3).toNanos();
		try (TracedApplication app = TracedApplication.start(this.server, "langfuse.export.max-batch-size=512")) {
			ConcurrentLinkedQueue<String> spans = new ConcurrentLinkedQueue<>();
			ExecutorService pool = Executors.newFixedThreadPool(threads);
			List<Future<?>> callers = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				callers.add(pool.submit(() -> {
					long end = System.nanoTime() + runNanos;
					while (System.nanoTime() - end < 0) {
						spans.addAll(app.trace(1));
						LockSupport.parkNanos(1_000_000);
					}
				}));
			}
			for (Future<?> caller : callers) {
				caller.get();
			}
			pool.shutdown();
			assertThat(app.flush()).isTrue();
			assertThat(spans).hasSizeGreaterThan(10_000);
			assertStoredExactlyOnce(this.server, spans);
			assertThat(app.counts("traces")).containsEntry("exported", (long) spans.size());
			assertThat(app.droppedTotal("traces")).isZero();
		}
	}

	@Test
	void overloadDropsAreCountedWarnedOnceAndCallersNeverWait(CapturedOutput output) throws Exception {
		// Langfuse accepts the connection and never answers: the queue fills up
		this.server.setDefaultResponse(OTEL, FakeResponse.hang());
		int offered;
		try (TracedApplication app = TracedApplication.start(this.server, "langfuse.export.max-queue-size=1000",
				"langfuse.export.max-batch-size=100", "langfuse.export.timeout=30s",
				"langfuse.export.shutdown-timeout=500ms")) {
			ExecutorService pool = Executors.newFixedThreadPool(4);
			List<Future<Integer>> callers = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				callers.add(pool.submit(() -> app.trace(1250).size()));
			}
			offered = 0;
			for (Future<Integer> caller : callers) {
				// a caller that waited for the network would not finish while Langfuse hangs
				offered += caller.get(30, TimeUnit.SECONDS);
			}
			pool.shutdown();
			Map<String, Object> counts = app.counts("traces");
			long queued = offered - app.dropped("traces", "queue_full");
			assertThat(offered).isEqualTo(10_000);
			assertThat(queued).isBetween(1000L, 1000L + 2 * 100L);
			assertThat((Integer) counts.get("queueSize")).isLessThanOrEqualTo(1000);
			assertThat(counts).containsEntry("exported", 0L);
		}
		assertThat(output).containsOnlyOnce("Langfuse export queue 'traces' is full (capacity 1000), dropping items")
			.contains("Langfuse export shut down without delivering");
	}

	@Test
	void whatShutdownCannotDeliverIsLoggedWithCounts(CapturedOutput output) {
		try (TracedApplication app = TracedApplication.start(this.server, "langfuse.export.shutdown-timeout=500ms")) {
			this.server.stop();
			app.trace(10);
		}
		assertThat(this.server.storedSpans()).isEmpty();
		assertThat(output).containsOnlyOnce("Langfuse export shut down without delivering 20 observations (shutdown: 20)");
	}

}
