package io.github.observe4j.langfuse.internal.export;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.observe4j.langfuse.internal.export.ExporterStats.AuthState;
import io.github.observe4j.langfuse.internal.export.ExporterStats.DropReason;
import io.github.observe4j.langfuse.model.Score;
import io.github.observe4j.langfuse.model.ScoreDataType;
import io.github.observe4j.langfuse.internal.model.ScoreRecord;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer.FakeResponse;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer.RecordedRequest;
import io.github.observe4j.langfuse.internal.webclient.WebClientHttpTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ScoreExporter}, against a real HTTP server through the real
 * {@link WebClientHttpTransport}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScoreExporterTests {

	private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

	private static final String OBSERVATION_ID = "b7ad6b7169203331";

	private static final RetryPolicy FAST_RETRIES = new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(20),
			2);

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	private final WebClientHttpTransport transport = WebClientHttpTransport
		.builder(this.server.url(), FakeLangfuseServer.PUBLIC_KEY, FakeLangfuseServer.SECRET_KEY)
		.timeout(Duration.ofSeconds(2))
		.build();

	private final ExporterStats stats = new ExporterStats();

	private final ScoreExporter exporter = new ScoreExporter(this.transport, FAST_RETRIES, this.stats);

	@AfterEach
	void close() {
		this.transport.close();
		this.server.close();
	}

	@Test
	void postsNumericObservationScoreWithAllFields() {
		Score score = Score.numeric("relevance", 0.92)
			.withComment("judged by \"gpt-4o\"\nline two \u0001")
			.withId("eval-1")
			.withConfigId("config-7");
		ExportResult result = this.exporter
			.export(List.of(new ScoreRecord(score, TRACE_ID, OBSERVATION_ID, "production")));
		assertThat(result.exportedCount()).isOne();
		RecordedRequest request = this.server.requests(FakeLangfuseServer.SCORES_PATH).get(0);
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.header("Content-Type")).isEqualTo("application/json");
		JsonNode json = this.jsonMapper.readTree(request.bodyAsString());
		assertThat(json.get("name").asString()).isEqualTo("relevance");
		assertThat(json.get("value").isNumber()).isTrue();
		assertThat(json.get("value").asDouble()).isEqualTo(0.92);
		assertThat(json.get("dataType").asString()).isEqualTo("NUMERIC");
		assertThat(json.get("traceId").asString()).isEqualTo(TRACE_ID);
		assertThat(json.get("observationId").asString()).isEqualTo(OBSERVATION_ID);
		assertThat(json.get("comment").asString()).isEqualTo("judged by \"gpt-4o\"\nline two \u0001");
		assertThat(json.get("id").asString()).isEqualTo("eval-1");
		assertThat(json.get("configId").asString()).isEqualTo("config-7");
		assertThat(json.get("environment").asString()).isEqualTo("production");
		assertThat(this.stats.authState()).isEqualTo(AuthState.ACCEPTED);
	}

	@Test
	void theScoresOfTheExportDeliveredSoFarAreCountedForAShutdownThatStopsWaitingForIt() {
		this.exporter.beforeExport();
		ExportResult result = this.exporter
			.export(List.of(new ScoreRecord(Score.categorical("tone", "friendly"), TRACE_ID, null, null),
					new ScoreRecord(Score.bool("correct", true), TRACE_ID, null, null)));
		assertThat(result.exportedCount()).isEqualTo(2);
		assertThat(this.exporter.deliveredInExport()).isEqualTo(2);
		this.exporter.beforeExport();
		assertThat(this.exporter.deliveredInExport()).isZero();
	}

	@Test
	void postsCategoricalAndBooleanTraceScoresWithoutAbsentFields() {
		ExportResult result = this.exporter
			.export(List.of(new ScoreRecord(Score.categorical("tone", "friendly"), TRACE_ID, null, null),
					new ScoreRecord(Score.bool("correct", true), TRACE_ID, null, null)));
		assertThat(result.exportedCount()).isEqualTo(2);
		List<RecordedRequest> requests = this.server.requests(FakeLangfuseServer.SCORES_PATH);
		JsonNode categorical = this.jsonMapper.readTree(requests.get(0).bodyAsString());
		assertThat(categorical.get("value").isString()).isTrue();
		assertThat(categorical.get("value").asString()).isEqualTo("friendly");
		assertThat(categorical.get("dataType").asString()).isEqualTo("CATEGORICAL");
		assertThat(categorical.propertyNames()).containsExactlyInAnyOrder("id", "name", "value", "dataType",
				"traceId");
		assertThat(categorical.get("id").asString()).matches("[0-9a-f-]{36}");
		JsonNode bool = this.jsonMapper.readTree(requests.get(1).bodyAsString());
		assertThat(bool.get("value").isIntegralNumber()).isTrue();
		assertThat(bool.get("value").asInt()).isOne();
		assertThat(bool.get("dataType").asString()).isEqualTo(ScoreDataType.BOOLEAN.name());
	}

	@Test
	void dropsScoreWithValueJsonCannotCarryWithoutSendingIt(CapturedOutput output) {
		ExportResult result = this.exporter
			.export(List.of(new ScoreRecord(Score.numeric("broken", Double.NaN), TRACE_ID, null, null),
					new ScoreRecord(Score.numeric("fine", 1), TRACE_ID, null, null)));
		assertThat(result.droppedCount(DropReason.REJECTED)).isOne();
		assertThat(result.exportedCount()).isOne();
		assertThat(this.server.requests(FakeLangfuseServer.SCORES_PATH)).hasSize(1);
		assertThat(output).contains("Dropping 1 score: numeric score 'broken' has no finite value (NaN)");
	}

	@Test
	void retriesServerErrorsAndRejectsClientErrorsPerScore(CapturedOutput output) {
		this.server.enqueue(FakeLangfuseServer.SCORES_PATH, FakeResponse.status(502));
		this.server.enqueue(FakeLangfuseServer.SCORES_PATH,
				FakeResponse.status(400).body("{\"message\":\"Invalid request data\",\"error\":[]}"));
		ExportResult result = this.exporter
			.export(List.of(new ScoreRecord(Score.numeric("first", 1), TRACE_ID, null, null),
					new ScoreRecord(Score.numeric("second", 2), TRACE_ID, null, null)));
		// 502 then 400 for the first score, which is not retried again; the second goes through
		assertThat(this.server.requests(FakeLangfuseServer.SCORES_PATH)).hasSize(3);
		assertThat(result.droppedCount(DropReason.REJECTED)).isOne();
		assertThat(result.exportedCount()).isOne();
		assertThat(result.failureMessage()).startsWith("HTTP 400: Invalid request data");
		assertThat(output).contains("Langfuse rejected 1 score (/api/public/scores), dropping them without retry:"
				+ " HTTP 400: Invalid request data");
	}

	@Test
	void sendsTheScoresAfterTheFirstWithSeveralRequestsInFlight() {
		// each answer takes a second: one request at a time could not have two arrive within it
		this.server.setDefaultResponse(FakeLangfuseServer.SCORES_PATH, FakeResponse.ok("{}").delay(Duration.ofSeconds(1)));
		List<ScoreRecord> batch = new ArrayList<>();
		for (int i = 0; i < 1 + ScoreExporter.DEFAULT_CONCURRENCY; i++) {
			batch.add(new ScoreRecord(Score.numeric("s" + i, i), TRACE_ID, null, null));
		}
		ExportResult result = this.exporter.export(batch);
		assertThat(result.exportedCount()).isEqualTo(batch.size());
		List<RecordedRequest> requests = this.server.requests(FakeLangfuseServer.SCORES_PATH);
		assertThat(requests).hasSize(batch.size());
		long firstOfTheRest = requests.get(1).nanoTime();
		// the probe went alone, then all the others before any of them was answered
		assertThat(firstOfTheRest - requests.get(0).nanoTime()).isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
		assertThat(requests.subList(1, requests.size()))
			.allSatisfy((request) -> assertThat(request.nanoTime() - firstOfTheRest)
				.isLessThan(Duration.ofMillis(900).toNanos()));
		assertThat(requests).extracting((request) -> this.jsonMapper.readTree(request.body()).get("name").asString())
			.containsExactlyInAnyOrderElementsOf(batch.stream().map((record) -> record.score().name()).toList());
	}

	@Test
	void shutdownWhileScoresAreInFlightCountsEachScoreOnceAndKeepsTheUnsent(@TempDir Path spoolDir)
			throws Exception {
		// the probe is answered, the others hang until shutdown gives up on them
		this.server.enqueue(FakeLangfuseServer.SCORES_PATH, FakeResponse.ok("{}"));
		this.server.setDefaultResponse(FakeLangfuseServer.SCORES_PATH, FakeResponse.hang());
		List<ScoreRecord> batch = new ArrayList<>();
		for (int i = 0; i < 1 + 2 * ScoreExporter.DEFAULT_CONCURRENCY; i++) {
			batch.add(new ScoreRecord(Score.numeric("s" + i, i), TRACE_ID, null, null));
		}
		try (RequestSpool spool = RequestSpool.open(spoolDir, 1024 * 1024)) {
			ScoreExporter spooling = new ScoreExporter(this.transport, RetryPolicy.defaults(), this.stats,
					ScoreExporter.DEFAULT_CONCURRENCY, spool);
			CompletableFuture<ExportResult> export = new CompletableFuture<>();
			Thread worker = new Thread(() -> export.complete(spooling.export(batch)));
			worker.start();
			await().until(() -> this.server.requests(FakeLangfuseServer.SCORES_PATH)
				.size() > ScoreExporter.DEFAULT_CONCURRENCY);
			// what a processor's shutdown does: a deadline, then an interrupt
			spooling.abortRetriesAfter(Duration.ZERO);
			worker.interrupt();
			ExportResult result = export.get(10, TimeUnit.SECONDS);
			spooling.shutdown();
			assertThat(result.exportedCount()).isOne();
			assertThat(result.spooledCount()).isEqualTo(batch.size() - 1);
			assertThat(result.droppedCount()).isZero();
			assertThat(spool.entries(ScoreExporter.SPOOL_KIND)).hasSize(batch.size() - 1)
				.filteredOn(RequestSpool.Entry::possiblyStored)
				.hasSize(ScoreExporter.DEFAULT_CONCURRENCY);
		}
	}

	@Test
	void stopsSendingTheBatchWhenKeysAreRejected(CapturedOutput output) {
		this.server.setDefaultResponse(FakeLangfuseServer.SCORES_PATH, FakeResponse.status(403));
		ExportResult result = this.exporter
			.export(List.of(new ScoreRecord(Score.numeric("a", 1), TRACE_ID, null, null),
					new ScoreRecord(Score.numeric("b", 2), TRACE_ID, null, null)));
		assertThat(this.server.requests(FakeLangfuseServer.SCORES_PATH)).hasSize(1);
		assertThat(result.droppedCount(DropReason.REJECTED)).isEqualTo(2);
		assertThat(this.stats.authState()).isEqualTo(AuthState.REJECTED);
		assertThat(this.stats.authReason()).isEqualTo("HTTP 403");
		assertThat(output).contains("Langfuse rejected the API keys (HTTP 403). The key has no access to this project");
	}

	@Test
	void everyScoreWithoutAnIdGetsItsOwnSoThatARetryOverwritesIt() {
		ScoreRecord first = new ScoreRecord(Score.numeric("a", 1), TRACE_ID, null, null);
		ScoreRecord second = new ScoreRecord(Score.numeric("a", 1), TRACE_ID, null, null);
		assertThat(first.score().id()).isNotBlank().isNotEqualTo(second.score().id());
		assertThat(new ScoreRecord(Score.numeric("a", 1).withId("mine"), TRACE_ID, null, null).score().id())
			.isEqualTo("mine");
		this.server.enqueue(FakeLangfuseServer.SCORES_PATH, FakeResponse.status(503));
		this.exporter.export(List.of(first));
		List<RecordedRequest> attempts = this.server.requests(FakeLangfuseServer.SCORES_PATH);
		assertThat(attempts).hasSize(2);
		assertThat(attempts).extracting((request) -> this.jsonMapper.readTree(request.bodyAsString()).get("id").asString())
			.containsOnly(first.score().id());
	}

	@Test
	void writesScoreJsonByHand() {
		ScoreRecord record = new ScoreRecord(
				Score.numeric("big", 1.5e20).withComment("tab\tand \u2028").withId("score-1"), TRACE_ID, null, null);
		String json = ScoreExporter.toJson(record);
		assertThat(json).isEqualTo("{\"id\":\"score-1\",\"name\":\"big\",\"value\":1.5E20,\"dataType\":\"NUMERIC\",\"traceId\":\""
				+ TRACE_ID + "\",\"comment\":\"tab\\tand \\u2028\"}");
		assertThat(this.jsonMapper.readTree(json).get("value").asDouble()).isEqualTo(1.5e20);
	}

}
