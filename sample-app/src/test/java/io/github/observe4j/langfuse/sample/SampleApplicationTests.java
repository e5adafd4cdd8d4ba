package io.github.observe4j.langfuse.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.OtlpRequests;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke test of the sample application: real HTTP requests to the running app, traces exported
 * to a loopback stand-in for Langfuse and decoded with the official OTLP classes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "langfuse.export.schedule-delay=50ms", "sample.llm.latency=0ms" })
class SampleApplicationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	// started before the context, not when the class is initialized: Spring AOT loads test
	// classes to process them, and a server started then would keep that build step alive
	private static FakeLangfuseServer langfuse;

	@BeforeAll
	static void startLangfuse() {
		langfuse = FakeLangfuseServer.start();
	}

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private LangfuseClient langfuseClient;

	@DynamicPropertySource
	static void langfuseProperties(DynamicPropertyRegistry registry) {
		registry.add("langfuse.host", () -> langfuse.url());
		registry.add("langfuse.public-key", () -> FakeLangfuseServer.PUBLIC_KEY);
		registry.add("langfuse.secret-key", () -> FakeLangfuseServer.SECRET_KEY);
	}

	@AfterAll
	static void stopLangfuse() {
		langfuse.close();
	}

	@BeforeEach
	void reset() {
		assertThat(this.langfuseClient.flush(Duration.ofSeconds(10))).isTrue();
		langfuse.reset();
	}

	private HttpResponse<String> get(String path, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String json) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private List<Span> exportedSpans() {
		assertThat(this.langfuseClient.flush(Duration.ofSeconds(10))).isTrue();
		return langfuse.receivedSpans();
	}

	private static Span named(List<Span> spans, String name) {
		return spans.stream().filter((span) -> span.getName().equals(name)).findFirst().orElseThrow();
	}

	@Test
	void storyIsTracedAsNestedObservationsWithAGeneration() throws Exception {
		HttpResponse<String> response = get("/api/story?topic=sailing%20fox", "X-User-Id", "alice", "X-Session-Id",
				"chat-42");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = JSON.readTree(response.body());
		String traceId = body.get("traceId").asString();
		assertThat(traceId).hasSize(32);
		assertThat(body.get("traceUrl").asString()).contains(traceId);

		List<Span> spans = exportedSpans();
		Span root = named(spans, "tellStory");
		assertThat(root.getParentSpanId().isEmpty()).isTrue();
		assertThat(spans).hasSizeGreaterThanOrEqualTo(3)
			.allSatisfy((span) -> assertThat(OtlpRequests.hex(span.getTraceId())).isEqualTo(traceId));
		Span generation = spans.stream()
			.filter((span) -> "generation".equals(OtlpRequests.string(span, "langfuse.observation.type")))
			.findFirst()
			.orElseThrow();
		assertThat(generation.getParentSpanId()).isEqualTo(root.getSpanId());
		assertThat(OtlpRequests.string(generation, "langfuse.observation.model.name")).isNotBlank();
		assertThat(OtlpRequests.string(generation, "langfuse.observation.usage_details")).contains("\"input\"");
		assertThat(OtlpRequests.string(generation, "langfuse.observation.cost_details")).isNotBlank();
		assertThat(spans).allSatisfy((span) -> {
			assertThat(OtlpRequests.string(span, "user.id")).isEqualTo("alice");
			assertThat(OtlpRequests.string(span, "session.id")).isEqualTo("chat-42");
			assertThat(OtlpRequests.attributes(span).get("langfuse.trace.tags").getArrayValue().getValuesCount())
				.isPositive();
		});
	}

	@Test
	void aStreamedStoryIsOneGenerationWithItsTextAndTimeToFirstToken() throws Exception {
		HttpResponse<String> response = get("/api/story/stream?topic=owls", "Accept", "text/event-stream");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		String streamed = response.body()
			.lines()
			.filter((line) -> line.startsWith("data:"))
			.map((line) -> line.substring(5))
			.reduce("", String::concat);
		assertThat(streamed).startsWith("Once upon a time").contains("owls");
		Span stream = named(exportedSpans(), "streamStory");
		assertThat(OtlpRequests.string(stream, "langfuse.observation.type")).isEqualTo("generation");
		assertThat(OtlpRequests.string(stream, "langfuse.observation.output")).isEqualTo(streamed);
		assertThat(OtlpRequests.string(stream, "langfuse.observation.model.name")).isNotBlank();
		assertThat(OtlpRequests.string(stream, "langfuse.observation.completion_start_time")).isNotBlank();
		assertThat(stream.getEndTimeUnixNano() - stream.getStartTimeUnixNano()).isGreaterThan(20_000_000L);
	}

	@Test
	void feedbackScoresTheTraceAfterwards() throws Exception {
		String traceId = JSON.readTree(get("/api/story?topic=owls").body()).get("traceId").asString();
		HttpResponse<String> response = post("/api/feedback",
				"{\"traceId\":\"" + traceId + "\",\"score\":1,\"comment\":\"lovely\"}");
		assertThat(response.statusCode()).isBetween(200, 299);
		exportedSpans();
		assertThat(langfuse.requests(FakeLangfuseServer.SCORES_PATH)).map(FakeLangfuseServer.RecordedRequest::bodyAsString)
			.anySatisfy((score) -> assertThat(score).contains("\"traceId\":\"" + traceId + "\"")
				.contains("\"comment\":\"lovely\""));
	}

	@Test
	void failingEndpointRecordsAnErrorObservation() throws Exception {
		HttpResponse<String> response = get("/api/fail?topic=robots");
		assertThat(response.statusCode()).isEqualTo(502);
		List<Span> spans = exportedSpans();
		assertThat(spans).anySatisfy((span) -> {
			assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
			assertThat(OtlpRequests.string(span, "langfuse.observation.level")).isEqualTo("ERROR");
		});
	}

	@Test
	void secretArgumentsNeverReachLangfuse() throws Exception {
		HttpResponse<String> response = post("/api/account/summary",
				"{\"accountId\":\"acme\",\"apiKey\":\"sk-live-0123456789abcdef\",\"apiSecret\":\"s3cr3t-value\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		List<Span> spans = exportedSpans();
		assertThat(spans).isNotEmpty();
		assertThat(spans).allSatisfy((span) -> OtlpRequests.attributes(span).values().stream()
			.map(AnyValue::toString)
			.forEach((value) -> assertThat(value).doesNotContain("s3cr3t-value")
				.doesNotContain("sk-live-0123456789abcdef")));
		assertThat(langfuse.requests()).allSatisfy((request) -> assertThat(request.bodyAsString())
			.doesNotContain("s3cr3t-value"));
	}

	@Test
	void healthShowsTheExporterState() throws Exception {
		HttpResponse<String> response = get("/actuator/health/langfuse");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode health = JSON.readTree(response.body());
		assertThat(health.get("status").asString()).isEqualTo("UP");
		assertThat(health.get("details").get("traces").get("queueCapacity").asInt()).isPositive();
		assertThat(response.body()).doesNotContain(FakeLangfuseServer.SECRET_KEY);
	}

}
