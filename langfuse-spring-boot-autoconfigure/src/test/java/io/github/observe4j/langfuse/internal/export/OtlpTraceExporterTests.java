package io.github.observe4j.langfuse.internal.export;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.github.observe4j.langfuse.internal.export.ExporterStats.AuthState;
import io.github.observe4j.langfuse.internal.export.ExporterStats.DropReason;
import io.github.observe4j.langfuse.internal.export.ExporterStats.ExportOutcome;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.TestObservationRecord;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer.FakeResponse;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer.RecordedRequest;
import io.github.observe4j.langfuse.internal.webclient.WebClientHttpTransport;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link OtlpTraceExporter}, against a real HTTP server through the real
 * {@link WebClientHttpTransport}.
 */
@ExtendWith(OutputCaptureExtension.class)
class OtlpTraceExporterTests {

	private static final RetryPolicy FAST_RETRIES = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50),
			2);

	private static final String OTEL = FakeLangfuseServer.OTEL_PATH;

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	private final WebClientHttpTransport transport = WebClientHttpTransport
		.builder(this.server.url(), FakeLangfuseServer.PUBLIC_KEY, FakeLangfuseServer.SECRET_KEY)
		.sdk("langfuse-spring-boot-starter", "0.1.0-test")
		.timeout(Duration.ofSeconds(2))
		.build();

	private final ExporterStats stats = new ExporterStats();

	private final List<BatchProcessor<ObservationRecord>> processors = new ArrayList<>();

	@AfterEach
	void close() {
		this.processors.forEach((processor) -> processor.shutdown(Duration.ofSeconds(2)));
		this.transport.close();
		this.server.close();
	}

	@Test
	void postsGzippedProtobufWithLangfuseHeaders() {
		BatchProcessor<ObservationRecord> processor = processor(exporter(FAST_RETRIES, true, false), 10);
		TestObservationRecord first = observation("first");
		processor.offer(first);
		processor.offer(observation("second"));
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		assertThat(this.server.requests(OTEL)).hasSize(1);
		RecordedRequest request = this.server.requests(OTEL).get(0);
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.header("Content-Type")).isEqualTo("application/x-protobuf");
		assertThat(request.header("Content-Encoding")).isEqualTo("gzip");
		assertThat(request.header("x-langfuse-ingestion-version")).isEqualTo("4");
		assertThat(request.header("x-langfuse-sdk-name")).isEqualTo("langfuse-spring-boot-starter");
		assertThat(request.header("x-langfuse-sdk-version")).isEqualTo("0.1.0-test");
		assertThat(request.basicCredentials())
			.isEqualTo(FakeLangfuseServer.PUBLIC_KEY + ":" + FakeLangfuseServer.SECRET_KEY);
		assertThat(request.rawBody()).startsWith((byte) 0x1f, (byte) 0x8b).isNotEqualTo(request.body());
		assertThat(this.server.receivedSpanNames()).containsExactly("first", "second");
		Span span = this.server.receivedSpans().get(0);
		assertThat(span.getSpanId().asReadOnlyByteBuffer().getLong()).isEqualTo(first.spanId());
		assertThat(this.stats.exported()).isEqualTo(2);
		assertThat(this.stats.lastOutcome()).isEqualTo(ExportOutcome.SUCCESS);
		assertThat(this.stats.authState()).isEqualTo(AuthState.ACCEPTED);
	}

	@Test
	void sendsPlainBodyWithoutGzip() {
		BatchProcessor<ObservationRecord> processor = processor(exporter(FAST_RETRIES, false, false), 10);
		processor.offer(observation("plain"));
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		RecordedRequest request = this.server.requests(OTEL).get(0);
		assertThat(request.header("Content-Encoding")).isNull();
		assertThat(request.rawBody()).isEqualTo(request.body());
		assertThat(this.server.receivedSpanNames()).containsExactly("plain");
	}

	@Test
	void spansAnOtlpServerAcceptedButDidNotKeepAreCountedAsRejected(CapturedOutput output) {
		// a collector answers 200 with a partial success: 3 of the 5 spans were not kept
		byte[] answer = ExportTraceServiceResponse.newBuilder()
			.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
				.setRejectedSpans(3)
				.setErrorMessage("3 spans dropped by the filter processor"))
			.build()
			.toByteArray();
		String ascii = new String(answer, StandardCharsets.ISO_8859_1);
		assertThat(ascii.chars()).allMatch((c) -> c < 0x80);
		this.server.enqueue(OTEL, FakeResponse.status(200).header("Content-Type", "application/x-protobuf").body(ascii));
		BatchProcessor<ObservationRecord> processor = processor(exporter(FAST_RETRIES, true, false), 10);
		for (int i = 0; i < 5; i++) {
			processor.offer(observation("span-" + i));
		}
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		assertThat(this.stats.exported()).isEqualTo(2);
		assertThat(this.stats.dropped(DropReason.REJECTED)).isEqualTo(3);
		assertThat(this.server.requests(OTEL)).hasSize(1);
		assertThat(output).containsOnlyOnce(OTEL + " accepted the request but not 3 of its 5 observations,"
				+ " dropping those without retry: 3 spans dropped by the filter processor");
		// a plain 200, or JSON, is a full success as before
		this.server.enqueue(OTEL, FakeResponse.ok("{}").header("Content-Type", "application/x-protobuf"));
		processor.offer(observation("whole"));
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		assertThat(this.stats.exported()).isEqualTo(3);
	}

	@Test
	void retriesServerErrorAndDeliversOnce() {
		this.server.enqueue(OTEL, FakeResponse.status(500).body("{\"message\":\"Internal Server Error\"}"));
		BatchProcessor<ObservationRecord> processor = processor(exporter(FAST_RETRIES, true, false), 10);
		processor.offer(observation("a"));
		processor.offer(observation("b"));
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		List<RecordedRequest> requests = this.server.requests(OTEL);
		assertThat(requests).hasSize(2);
		assertThat(requests.get(0).body()).isEqualTo(requests.get(1).body());
		assertThat(this.stats.exported()).isEqualTo(2);
		assertThat(this.stats.droppedTotal()).isZero();
	}

	@Test
	@Timeout(10)
	void waitsAtLeastRetryAfterBeforeTheNextAttempt() {
		this.server.enqueue(OTEL, FakeResponse.status(429).header("Retry-After", "1"));
		BatchProcessor<ObservationRecord> processor = processor(exporter(FAST_RETRIES, true, false), 10);
		processor.offer(observation("limited"));
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		List<RecordedRequest> requests = this.server.requests(OTEL);
		assertThat(requests).hasSize(2);
		assertThat(Duration.ofNanos(requests.get(1).nanoTime() - requests.get(0).nanoTime()))
			.isGreaterThanOrEqualTo(Duration.ofSeconds(1));
		assertThat(this.stats.exported()).isEqualTo(1);
	}

	@Test
	@Timeout(20)
	void deliversEverythingQueuedDuringAnOutageExactlyOnce() throws InterruptedException {
		RetryPolicy patient = new RetryPolicy(30, Duration.ofMillis(50), Duration.ofMillis(200), 2);
		BatchProcessor<ObservationRecord> processor = processor(exporter(patient, true, false), 2);
		this.server.stop();
		List<String> names = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			names.add("during-outage-" + i);
			processor.offer(observation("during-outage-" + i));
		}
		// The outage itself: the exporter keeps retrying against a closed port meanwhile
		Thread.sleep(1500);
		assertThat(this.server.requests()).isEmpty();
		this.server.restart();
		assertThat(processor.forceFlush(Duration.ofSeconds(10))).isTrue();
		assertThat(this.server.receivedSpanNames()).containsExactlyInAnyOrderElementsOf(names);
		assertThat(this.stats.exported()).isEqualTo(7);
		assertThat(this.stats.droppedTotal()).isZero();
		assertThat(this.stats.consecutiveFailures()).isZero();
	}

	@Test
	void doesNotRetryBadRequestAndCountsItRejected(CapturedOutput output) {
		this.server.enqueue(OTEL,
				FakeResponse.status(400).body("{\"error\":\"Failed to parse OTel Protobuf Trace\"}"));
		BatchProcessor<ObservationRecord> processor = processor(exporter(FAST_RETRIES, true, false), 10);
		processor.offer(observation("bad"));
		processor.offer(observation("worse"));
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		assertThat(this.server.requests(OTEL)).hasSize(1);
		assertThat(this.stats.dropped(DropReason.REJECTED)).isEqualTo(2);
		assertThat(this.stats.lastOutcome()).isEqualTo(ExportOutcome.FAILURE);
		assertThat(this.stats.lastErrorMessage()).isEqualTo("HTTP 400: Failed to parse OTel Protobuf Trace");
		assertThat(this.stats.authState()).isEqualTo(AuthState.UNKNOWN);
		assertThat(output).contains("Langfuse rejected 2 observations")
			.contains("HTTP 400: Failed to parse OTel Protobuf Trace");
	}

	@Test
	void rejectedKeysAreLoggedOnceAndMarkAuthRejected(CapturedOutput output) {
		this.server.setDefaultResponse(OTEL, FakeResponse.status(401)
			.body("{\"message\":\"Invalid credentials. Confirm that you've configured the correct host.\"}"));
		BatchProcessor<ObservationRecord> processor = processor(exporter(FAST_RETRIES, true, false), 1);
		for (int i = 0; i < 4; i++) {
			processor.offer(observation("unauthorized-" + i));
		}
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		assertThat(this.server.requests(OTEL)).hasSize(4);
		assertThat(this.stats.dropped(DropReason.REJECTED)).isEqualTo(4);
		assertThat(this.stats.authState()).isEqualTo(AuthState.REJECTED);
		assertThat(this.stats.authReason()).startsWith("HTTP 401: Invalid credentials");
		assertThat(output.getOut().split("Langfuse rejected the API keys", -1)).hasSize(2);
		assertThat(output).contains("'langfuse.public-key'", "'langfuse.secret-key'", "'langfuse.host'")
			.doesNotContain(FakeLangfuseServer.SECRET_KEY);
	}

	@Test
	void dropsAfterRetriesAreExhausted(CapturedOutput output) {
		this.server.setDefaultResponse(OTEL, FakeResponse.status(503));
		BatchProcessor<ObservationRecord> processor = processor(exporter(FAST_RETRIES, true, false), 10);
		processor.offer(observation("unlucky"));
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		assertThat(this.server.requests(OTEL)).hasSize(1 + FAST_RETRIES.maxRetries());
		assertThat(this.stats.dropped(DropReason.RETRIES_EXHAUSTED)).isEqualTo(1);
		assertThat(this.stats.consecutiveFailures()).isEqualTo(1);
		assertThat(output).contains("Could not deliver 1 observation to Langfuse").contains("after 4 attempts");
	}

	@Test
	@Timeout(10)
	void shutdownCutsRetriesShortAndCountsTheRest() {
		RetryPolicy slow = new RetryPolicy(5, Duration.ofSeconds(20), Duration.ofSeconds(30), 2);
		this.server.setDefaultResponse(OTEL, FakeResponse.status(503));
		BatchProcessor<ObservationRecord> processor = processor(exporter(slow, true, false), 1);
		processor.offer(observation("first"));
		processor.offer(observation("second"));
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.server.requests(OTEL).isEmpty());
		long start = System.nanoTime();
		assertThat(processor.shutdown(Duration.ofMillis(500))).isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		assertThat(this.stats.dropped(DropReason.SHUTDOWN)).isEqualTo(2);
		assertThat(this.stats.exported()).isZero();
	}

	@Test
	@Timeout(10)
	void shutdownDoesNotWaitForAServerThatNeverAnswers() {
		this.server.setDefaultResponse(OTEL, FakeResponse.hang());
		BatchProcessor<ObservationRecord> processor = processor(exporter(FAST_RETRIES, true, false), 1);
		processor.offer(observation("stuck"));
		processor.offer(observation("queued"));
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.server.requests(OTEL).isEmpty());
		long start = System.nanoTime();
		assertThat(processor.shutdown(Duration.ofMillis(500))).isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		assertThat(this.stats.dropped(DropReason.SHUTDOWN)).isEqualTo(2);
		assertThat(this.server.requests(OTEL)).hasSize(1);
	}

	@Test
	void aRequestTooLargeForTheServerIsSplitAndItsHalvesDelivered(CapturedOutput output) {
		this.server.enqueue(OTEL, FakeResponse.ok("{}"));
		this.server.enqueue(OTEL, FakeResponse.status(413).body("{\"message\":\"Payload too large\"}"));
		OtlpTraceExporter exporter = new OtlpTraceExporter(this.transport, new ProtoTraceEncoder(2), FAST_RETRIES,
				this.stats, true, false);
		BatchProcessor<ObservationRecord> processor = processor(exporter, 10);
		for (int i = 0; i < 4; i++) {
			processor.offer(observation("part-" + i));
		}
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		List<Integer> spansPerRequest = this.server.traceRequests()
			.stream()
			.map((request) -> request.getResourceSpans(0).getScopeSpans(0).getSpansCount())
			.toList();
		assertThat(spansPerRequest).containsExactly(2, 2, 1, 1);
		assertThat(this.stats.exported()).isEqualTo(4);
		assertThat(this.stats.droppedTotal()).isZero();
		assertThat(output).doesNotContain("WARN");
	}

	@Test
	void theItemsOfTheExportDeliveredSoFarAreCountedForAShutdownThatStopsWaitingForIt(CapturedOutput output) {
		this.server.enqueue(OTEL, FakeResponse.ok("{}"));
		this.server.enqueue(OTEL, FakeResponse.status(400).body("{\"message\":\"Bad span\"}"));
		OtlpTraceExporter exporter = new OtlpTraceExporter(this.transport, new ProtoTraceEncoder(2), FAST_RETRIES,
				this.stats, false, false);
		List<ObservationRecord> batch = batch(4);
		exporter.beforeExport();
		ExportResult result = exporter.export(batch);
		assertThat(result.exportedCount()).isEqualTo(2);
		assertThat(exporter.deliveredInExport()).isEqualTo(2);
		exporter.beforeExport();
		assertThat(exporter.deliveredInExport()).isZero();
		assertThat(output).containsOnlyOnce("Langfuse rejected 2 observations (/api/public/otel/v1/traces), dropping"
				+ " them without retry: HTTP 400: Bad span");
	}

	@Test
	void rejectedKeysInASplitHalfStopTheRestOfTheBatch(CapturedOutput output) {
		this.server.enqueue(OTEL, FakeResponse.status(413));
		this.server.enqueue(OTEL, FakeResponse.status(401).body("{\"message\":\"Invalid credentials\"}"));
		OtlpTraceExporter exporter = new OtlpTraceExporter(this.transport, new ProtoTraceEncoder(4), FAST_RETRIES,
				this.stats, false, false);
		List<ObservationRecord> batch = batch(8);
		ExportResult result = exporter.export(batch);
		// 4 records: 413, first half of 2 refused, second half and the other request skipped
		assertThat(this.server.requests(OTEL)).hasSize(2);
		assertThat(result.exportedCount()).isZero();
		assertThat(result.droppedCount(DropReason.REJECTED)).isEqualTo(8);
		assertThat(output).containsOnlyOnce("Langfuse rejected the API keys (HTTP 401: Invalid credentials)");
	}

	@Test
	void aSingleObservationTooLargeForTheServerIsDroppedAndSaidSo(CapturedOutput output) {
		this.server.enqueue(OTEL, FakeResponse.status(413).body("{\"message\":\"Payload too large\"}"));
		OtlpTraceExporter exporter = new OtlpTraceExporter(this.transport, new ProtoTraceEncoder(), FAST_RETRIES,
				this.stats, true, false);
		ExportResult result = exporter.export(List.of(observation("huge")));
		assertThat(result.droppedCount(DropReason.REJECTED)).isOne();
		assertThat(this.server.requests(OTEL)).hasSize(1);
		assertThat(output).contains("Langfuse rejected 1 observation (/api/public/otel/v1/traces), dropping them"
				+ " without retry: HTTP 413: Payload too large");
	}

	@Test
	void aRetryAfterATimeoutIsCountedAsPossiblyDuplicated() {
		// the server stores the first request but answers after the client gave up on it
		this.server.enqueue(OTEL, FakeResponse.ok("{}").delay(Duration.ofMillis(1500)));
		try (WebClientHttpTransport impatient = WebClientHttpTransport
			.builder(this.server.url(), FakeLangfuseServer.PUBLIC_KEY, FakeLangfuseServer.SECRET_KEY)
			.timeout(Duration.ofMillis(300))
			.build()) {
			OtlpTraceExporter exporter = new OtlpTraceExporter(impatient, new ProtoTraceEncoder(), FAST_RETRIES,
					this.stats, false, false);
			ExportResult result = exporter.export(List.of(observation("slow"), observation("answer")));
			assertThat(result.exportedCount()).isEqualTo(2);
		}
		assertThat(this.stats.possiblyDuplicated()).isEqualTo(2);
		// and it was: Langfuse does not deduplicate re-sent spans
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(this.server.requests(OTEL)).hasSize(2));
		assertThat(this.server.receivedSpanNames()).containsExactly("slow", "answer", "slow", "answer");
	}

	@Test
	void aDeliveryWithoutTimeoutsIsNotCountedAsDuplicated() {
		ExportResult result = exporter(FAST_RETRIES, false, false).export(List.of(observation("once")));
		assertThat(result.exportedCount()).isOne();
		assertThat(this.stats.possiblyDuplicated()).isZero();
	}

	@Test
	void countsWhatTheEncoderLeftOutAsDroppedNotExported() {
		TraceRequestEncoder proto = new ProtoTraceEncoder();
		TraceRequestEncoder leavingOutTheLast = (batch) -> {
			EncodedBatch all = proto.encode(batch.subList(0, batch.size() - 1));
			return new EncodedBatch(all.requests(), List.of(batch.get(batch.size() - 1)));
		};
		OtlpTraceExporter exporter = new OtlpTraceExporter(this.transport, leavingOutTheLast, FAST_RETRIES,
				this.stats, false, false);
		ExportResult result = exporter.export(List.of(observation("sent"), observation("unencodable")));
		assertThat(result.exportedCount()).isOne();
		assertThat(result.droppedCount(DropReason.EXPORTER_ERROR)).isOne();
		assertThat(this.server.receivedSpanNames()).containsExactly("sent");
	}

	@Test
	void countsRecordsAnEncoderLostTrackOfAsDropped() {
		TraceRequestEncoder losing = (batch) -> new EncodedBatch(List.of(), List.of());
		OtlpTraceExporter exporter = new OtlpTraceExporter(this.transport, losing, FAST_RETRIES, this.stats, false,
				false);
		ExportResult result = exporter.export(List.of(observation("a"), observation("b")));
		assertThat(result.exportedCount()).isZero();
		assertThat(result.droppedCount(DropReason.EXPORTER_ERROR)).isEqualTo(2);
	}

	@Test
	@Timeout(10)
	void encodesTheNextBatchWhileTheServerHoldsTheAnswerAndSendsOneRequestAtATime() throws InterruptedException {
		CountDownLatch answer = new CountDownLatch(1);
		this.server.enqueue(OTEL, FakeResponse.status(200).after(answer));
		List<String> encoded = new CopyOnWriteArrayList<>();
		TraceRequestEncoder proto = new ProtoTraceEncoder();
		TraceRequestEncoder recording = (batch) -> {
			encoded.add(batch.get(0).name());
			return proto.encode(batch);
		};
		BatchProcessor<ObservationRecord> processor = BatchProcessor
			.<ObservationRecord>builder(new OtlpTraceExporter(this.transport, recording, FAST_RETRIES, this.stats, true,
					false))
			.maxBatchSize(2)
			.scheduleDelay(Duration.ofMinutes(1))
			.stats(this.stats)
			.build();
		this.processors.add(processor);
		for (String name : List.of("a", "b", "c", "d")) {
			processor.offer(observation(name));
		}
		processor.start();
		// the second batch is encoded while the first one's answer is held back ...
		await().atMost(Duration.ofSeconds(5)).until(() -> encoded.size() == 2);
		assertThat(encoded).containsExactly("a", "c");
		// ... and sent only once that answer came
		Thread.sleep(200);
		assertThat(this.server.requests(OTEL)).hasSize(1);
		answer.countDown();
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		assertThat(this.server.requests(OTEL)).hasSize(2);
		assertThat(this.server.receivedSpanNames()).containsExactly("a", "b", "c", "d");
		assertThat(this.stats.exported()).isEqualTo(4);
	}

	@Test
	void encodesABatchOnceHoweverManyRequestsItNeeds() {
		int[] calls = new int[1];
		TraceRequestEncoder proto = new ProtoTraceEncoder(2);
		TraceRequestEncoder counting = (batch) -> {
			calls[0]++;
			return proto.encode(batch);
		};
		OtlpTraceExporter exporter = new OtlpTraceExporter(this.transport, counting, FAST_RETRIES, this.stats, false,
				false);
		List<ObservationRecord> batch = batch(64);
		assertThat(exporter.export(batch).exportedCount()).isEqualTo(64);
		assertThat(calls[0]).isOne();
		assertThat(this.server.requests(OTEL)).hasSize(32);
	}

	@Test
	void logsEachBatchAtDebugWithoutCredentials(CapturedOutput output) {
		Logger logger = (Logger) LoggerFactory.getLogger(OtlpTraceExporter.class);
		Level previous = logger.getLevel();
		logger.setLevel(Level.DEBUG);
		try {
			BatchProcessor<ObservationRecord> processor = processor(exporter(FAST_RETRIES, true, true), 10);
			TestObservationRecord observation = observation("debugged");
			processor.offer(observation);
			assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
			assertThat(output).contains("Exporting 1 observation(s) to /api/public/otel/v1/traces")
				.contains("span 'debugged'")
				.contains(String.format("span=%016x", observation.spanId()))
				.contains("Langfuse answered HTTP 200")
				.doesNotContain(FakeLangfuseServer.SECRET_KEY)
				.doesNotContain("Basic ");
		}
		finally {
			logger.setLevel(previous);
		}
	}

	@Test
	void countsEncoderFailureAsExporterError(CapturedOutput output) {
		OtlpTraceExporter exporter = new OtlpTraceExporter(this.transport, (batch) -> {
			throw new IllegalStateException("cannot encode");
		}, FAST_RETRIES, this.stats, true, false);
		BatchProcessor<ObservationRecord> processor = processor(exporter, 10);
		processor.offer(observation("broken"));
		assertThat(processor.forceFlush(Duration.ofSeconds(5))).isTrue();
		assertThat(this.server.requests()).isEmpty();
		assertThat(this.stats.dropped(DropReason.EXPORTER_ERROR)).isEqualTo(1);
		assertThat(this.stats.lastErrorMessage()).contains("cannot encode");
		assertThat(output).contains("Could not encode 1 observation(s) for Langfuse, dropping them:"
				+ " IllegalStateException: cannot encode")
			.doesNotContain("\tat ");
	}

	private OtlpTraceExporter exporter(RetryPolicy retryPolicy, boolean gzip, boolean debug) {
		return new OtlpTraceExporter(this.transport, new ProtoTraceEncoder(), retryPolicy, this.stats, gzip, debug);
	}

	private BatchProcessor<ObservationRecord> processor(OtlpTraceExporter exporter, int maxBatchSize) {
		BatchProcessor<ObservationRecord> processor = BatchProcessor.<ObservationRecord>builder(exporter)
			.name("observations")
			.maxBatchSize(maxBatchSize)
			.scheduleDelay(Duration.ofMinutes(1))
			.stats(this.stats)
			.build();
		processor.start();
		this.processors.add(processor);
		return processor;
	}

	/** A batch of observations named o0, o1, and so on. */
	private static List<ObservationRecord> batch(int count) {
		List<ObservationRecord> batch = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			batch.add(observation("o" + i));
		}
		return batch;
	}

	private static TestObservationRecord observation(String name) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return TestObservationRecord.named(name)
			.traceId(random.nextLong(), random.nextLong(1, Long.MAX_VALUE))
			.spanId(random.nextLong(1, Long.MAX_VALUE));
	}

}
