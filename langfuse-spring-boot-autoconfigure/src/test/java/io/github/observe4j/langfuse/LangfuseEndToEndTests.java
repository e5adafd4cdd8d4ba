package io.github.observe4j.langfuse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.Map;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.context.LangfuseContext;
import io.github.observe4j.langfuse.internal.support.TruncationMarker;
import io.github.observe4j.langfuse.model.Score;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer.FakeResponse;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer.RecordedRequest;
import io.github.observe4j.langfuse.testsupport.OtlpRequests;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end tests: a Spring Boot application with {@code @Observe} beans exporting to a real
 * HTTP server on loopback that stands in for Langfuse; what it receives is decoded with the
 * official OpenTelemetry proto classes.
 */
class LangfuseEndToEndTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private FakeLangfuseServer server;

	private ConfigurableApplicationContext context;

	@BeforeEach
	void startServer() {
		this.server = FakeLangfuseServer.start();
	}

	@AfterEach
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
		this.server.close();
	}

	private void startApplication(String... properties) {
		this.context = new SpringApplicationBuilder(StoryApplication.class).web(WebApplicationType.NONE)
			.properties("langfuse.host=" + this.server.url(), "langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
					"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY, "langfuse.environment=staging",
					"langfuse.release=2026.11", "langfuse.export.schedule-delay=50ms",
					"langfuse.export.initial-backoff=20ms", "spring.application.name=story-service")
			.properties(properties)
			.run();
	}

	private LangfuseClient client() {
		return this.context.getBean(LangfuseClient.class);
	}

	private static Span named(List<Span> spans, String name) {
		return spans.stream().filter((span) -> span.getName().equals(name)).findFirst().orElseThrow();
	}

	private static String string(Span span, String key) {
		AnyValue value = OtlpRequests.attributes(span).get(key);
		assertThat(value).as("attribute %s of %s", key, span.getName()).isNotNull();
		return value.getStringValue();
	}

	private static JsonNode json(Span span, String key) {
		return JSON.readTree(string(span, key));
	}

	@Test
	void traceUrlFallsBackToLangfuseRedirectUntilTheProjectIdIsKnown() {
		CountDownLatch projectKnown = new CountDownLatch(1);
		this.server.enqueue(FakeLangfuseServer.PROJECTS_PATH, FakeResponse.status(200).after(projectKnown)
			.body("{\"data\":[{\"id\":\"" + FakeLangfuseServer.PROJECT_ID + "\",\"name\":\"p\"}]}"));
		startApplication();
		String traceId = "0af7651916cd43dd8448eb211c80319c";
		assertThat(client().traceUrl(traceId)).contains(this.server.url() + "/trace/" + traceId);
		projectKnown.countDown();
		await().untilAsserted(() -> assertThat(client().traceUrl(traceId.toUpperCase()))
			.contains(this.server.url() + "/project/" + FakeLangfuseServer.PROJECT_ID + "/traces/" + traceId));
	}

	@Test
	void nestedObservedCallsArriveAsOneTrace() {
		startApplication();
		String anyTrace = "0af7651916cd43dd8448eb211c80319c";
		await().until(() -> client().traceUrl(anyTrace).orElseThrow().contains("/project/"));
		StoryService stories = this.context.getBean(StoryService.class);
		StoryResult result = stories.tellStory("a fox who sails", "alice");
		assertThat(result.story()).isEqualTo("Once upon a time, a fox who sails.");
		assertThat(client().flush(Duration.ofSeconds(10))).isTrue();

		List<Span> spans = this.server.receivedSpans();
		assertThat(spans).extracting(Span::getName)
			.containsExactlyInAnyOrder("tellStory", "findInspiration", "writeStory");
		Span root = named(spans, "tellStory");
		Span retriever = named(spans, "findInspiration");
		Span generation = named(spans, "writeStory");
		String traceId = OtlpRequests.hex(root.getTraceId());
		assertThat(result.traceId()).isEqualTo(traceId);
		assertThat(result.traceUrl())
			.isEqualTo(this.server.url() + "/project/" + FakeLangfuseServer.PROJECT_ID + "/traces/" + traceId);
		assertThat(spans).allSatisfy((span) -> assertThat(OtlpRequests.hex(span.getTraceId())).isEqualTo(traceId));
		assertThat(root.getParentSpanId().isEmpty()).isTrue();
		assertThat(retriever.getParentSpanId()).isEqualTo(root.getSpanId());
		assertThat(generation.getParentSpanId()).isEqualTo(root.getSpanId());
		assertThat(string(root, "langfuse.observation.type")).isEqualTo("span");
		assertThat(string(retriever, "langfuse.observation.type")).isEqualTo("retriever");
		assertThat(string(generation, "langfuse.observation.type")).isEqualTo("generation");
		assertThat(root.getStartTimeUnixNano()).isLessThanOrEqualTo(retriever.getStartTimeUnixNano());
		assertThat(retriever.getEndTimeUnixNano()).isLessThanOrEqualTo(generation.getStartTimeUnixNano());
		assertThat(root.getEndTimeUnixNano()).isGreaterThanOrEqualTo(generation.getEndTimeUnixNano());
		assertThat(root.getStartTimeUnixNano())
			.isBetween((System.currentTimeMillis() - 60_000) * 1_000_000L, System.currentTimeMillis() * 1_000_000L);

		// input: the arguments keyed by parameter name; output: the return value
		JsonNode input = json(root, "langfuse.observation.input");
		assertThat(input.get("topic").asString()).isEqualTo("a fox who sails");
		assertThat(input.get("userId").asString()).isEqualTo("alice");
		JsonNode output = json(root, "langfuse.observation.output");
		assertThat(output.get("story").asString()).isEqualTo("Once upon a time, a fox who sails.");
		assertThat(json(retriever, "langfuse.observation.output").get(0).asString()).isEqualTo("sailing");

		// generation fields
		assertThat(string(generation, "langfuse.observation.model.name")).isEqualTo("fake-gpt");
		assertThat(json(generation, "langfuse.observation.model.parameters").get("temperature").asDouble())
			.isEqualTo(0.7);
		JsonNode usage = json(generation, "langfuse.observation.usage_details");
		assertThat(usage.get("input").asLong()).isEqualTo(4);
		assertThat(usage.get("output").asLong()).isEqualTo(7);
		assertThat(usage.get("total").asLong()).isEqualTo(11);
		assertThat(json(generation, "langfuse.observation.cost_details").get("total").asDouble()).isEqualTo(0.00011);
		assertThat(string(generation, "langfuse.observation.prompt.name")).isEqualTo("story-prompt");
		assertThat(OtlpRequests.attributes(generation).get("langfuse.observation.prompt.version").getIntValue())
			.isEqualTo(2);
		assertThat(string(generation, "langfuse.observation.completion_start_time")).endsWith("Z");

		// trace attributes on every span, including those that ended before they were set
		assertThat(spans).allSatisfy((span) -> {
			assertThat(string(span, "user.id")).isEqualTo("alice");
			assertThat(string(span, "session.id")).isEqualTo("session-alice");
			assertThat(OtlpRequests.attributes(span).get("langfuse.trace.tags").getArrayValue().getValuesList())
				.extracting(AnyValue::getStringValue)
				.containsExactly("story", "e2e");
			assertThat(string(span, "langfuse.trace.metadata.tenant")).isEqualTo("acme");
			assertThat(string(span, "langfuse.environment")).isEqualTo("staging");
			assertThat(string(span, "langfuse.release")).isEqualTo("2026.11");
		});

		// the request itself
		RecordedRequest request = this.server.requests(FakeLangfuseServer.OTEL_PATH).get(0);
		assertThat(request.header("x-langfuse-ingestion-version")).isEqualTo("4");
		assertThat(request.header("Content-Type")).startsWith("application/x-protobuf");
		assertThat(request.basicCredentials())
			.isEqualTo(FakeLangfuseServer.PUBLIC_KEY + ":" + FakeLangfuseServer.SECRET_KEY);
		ExportTraceServiceRequest decoded = request.traceRequest();
		assertThat(OtlpRequests.attributes(decoded.getResourceSpans(0).getResource().getAttributesList())
			.get("service.name")
			.getStringValue()).isEqualTo("story-service");
	}

	@Test
	void errorInTheOutermostCallIsVisibleAndRethrownUnchanged() {
		startApplication();
		StoryService stories = this.context.getBean(StoryService.class);
		Throwable thrown = catchThrowable(() -> stories.tellStory("", "bob"));
		assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessage("topic must not be empty");
		assertThat(client().flush(Duration.ofSeconds(10))).isTrue();
		Span root = named(this.server.receivedSpans(), "tellStory");
		assertThat(root.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
		assertThat(root.getStatus().getMessage())
			.isEqualTo("java.lang.IllegalArgumentException: topic must not be empty");
		assertThat(string(root, "langfuse.observation.level")).isEqualTo("ERROR");
	}

	@Test
	void scoresArriveWithTheirTargets() throws Exception {
		startApplication();
		StoryService stories = this.context.getBean(StoryService.class);
		StoryResult result = stories.tellStory("a fox who sails", "alice");
		client().scoreTrace(result.traceId(), Score.numeric("user-feedback", 1).withComment("lovely").withId("fb-1"));
		assertThat(client().flush(Duration.ofSeconds(10))).isTrue();
		Span generation = named(this.server.receivedSpans(), "writeStory");
		List<JsonNode> scores = this.server.requests(FakeLangfuseServer.SCORES_PATH)
			.stream()
			.map((request) -> JSON.readTree(request.bodyAsString()))
			.toList();
		assertThat(scores).hasSize(3);
		JsonNode observationScore = scores.stream()
			.filter((score) -> score.get("name").asString().equals("fluency"))
			.findFirst()
			.orElseThrow();
		assertThat(observationScore.get("traceId").asString()).isEqualTo(result.traceId());
		assertThat(observationScore.get("observationId").asString())
			.isEqualTo(OtlpRequests.hex(generation.getSpanId()));
		assertThat(observationScore.get("value").asDouble()).isEqualTo(0.8);
		JsonNode traceScore = scores.stream()
			.filter((score) -> score.get("name").asString().equals("tone"))
			.findFirst()
			.orElseThrow();
		assertThat(traceScore.get("traceId").asString()).isEqualTo(result.traceId());
		assertThat(traceScore.has("observationId")).isFalse();
		assertThat(traceScore.get("value").asString()).isEqualTo("whimsical");
		assertThat(traceScore.get("dataType").asString()).isEqualTo("CATEGORICAL");
		JsonNode feedback = scores.stream()
			.filter((score) -> score.get("name").asString().equals("user-feedback"))
			.findFirst()
			.orElseThrow();
		assertThat(feedback.get("id").asString()).isEqualTo("fb-1");
		assertThat(feedback.get("comment").asString()).isEqualTo("lovely");
		assertThat(feedback.get("environment").asString()).isEqualTo("staging");
	}

	@Test
	void transientServerErrorsAreRetriedWithoutLossOrDuplicates() {
		this.server.enqueue(FakeLangfuseServer.OTEL_PATH, FakeResponse.status(500));
		this.server.enqueue(FakeLangfuseServer.OTEL_PATH, FakeResponse.status(503));
		startApplication();
		StoryService stories = this.context.getBean(StoryService.class);
		stories.tellStory("a fox who sails", "alice");
		assertThat(client().flush(Duration.ofSeconds(10))).isTrue();
		// the same batch was sent three times: nothing lost, and only the last (accepted) copy counts
		List<RecordedRequest> attempts = this.server.requests(FakeLangfuseServer.OTEL_PATH);
		assertThat(attempts).hasSize(3);
		List<List<String>> spanIds = attempts.stream()
			.map((attempt) -> attempt.traceRequest()
				.getResourceSpans(0)
				.getScopeSpans(0)
				.getSpansList()
				.stream()
				.map((span) -> OtlpRequests.hex(span.getSpanId()))
				.toList())
			.toList();
		assertThat(spanIds.get(2)).hasSize(3).doesNotHaveDuplicates();
		assertThat(spanIds).allSatisfy((ids) -> assertThat(ids).containsExactlyInAnyOrderElementsOf(spanIds.get(2)));
	}

	@Test
	void closingTheApplicationFlushesWhatIsQueued() {
		startApplication("langfuse.export.schedule-delay=10m");
		StoryService stories = this.context.getBean(StoryService.class);
		stories.tellStory("a fox who sails", "alice");
		assertThat(this.server.requests(FakeLangfuseServer.OTEL_PATH)).isEmpty();
		this.context.close();
		this.context = null;
		assertThat(this.server.receivedSpanNames()).containsExactlyInAnyOrder("tellStory", "findInspiration",
				"writeStory");
		assertThat(LangfuseContext.client()).isSameAs(LangfuseClient.noop());
		assertThat(Thread.getAllStackTraces().keySet())
			.noneMatch((thread) -> thread.getName().startsWith("langfuse-export-") && thread.isAlive());
	}

	@Test
	void sampledOutTracesAndTheirScoresAreNotSent() {
		startApplication("langfuse.sample-rate=0");
		StoryService stories = this.context.getBean(StoryService.class);
		StoryResult result = stories.tellStory("a fox who sails", "alice");
		assertThat(result.traceId()).hasSize(32);
		client().scoreTrace(result.traceId(), Score.bool("helpful", true));
		assertThat(client().flush(Duration.ofSeconds(10))).isTrue();
		assertThat(this.server.requests(FakeLangfuseServer.OTEL_PATH)).isEmpty();
		assertThat(this.server.requests(FakeLangfuseServer.SCORES_PATH)).isEmpty();
	}

	@Test
	void bigArgumentsArriveAsValidJsonCutInPlace() {
		startApplication();
		List<Item> items = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			items.add(new Item(i, "item-" + i));
		}
		Uploads uploads = this.context.getBean(Uploads.class);
		List<Item> stored = uploads.store(new byte[1024 * 1024], items, new Message("a".repeat(1024 * 1024)));
		assertThat(stored).isSameAs(items);
		assertThat(client().flush(Duration.ofSeconds(10))).isTrue();

		Span span = named(this.server.receivedSpans(), "store");
		JsonNode input = json(span, "langfuse.observation.input");
		assertThat(input.get("data").asString()).isEqualTo("<byte[1048576]>");
		assertThat(input.get("items")).hasSize(101);
		assertThat(input.get("items").get(0).get("name").asString()).isEqualTo("item-0");
		assertThat(input.get("items").get(100).asString()).isEqualTo(TruncationMarker.moreItems(9_900));
		assertThat(input.get("message").get("content").asString()).startsWith("aaaa")
			.endsWith(TruncationMarker.withLength(1024 * 1024));
		JsonNode output = json(span, "langfuse.observation.output");
		assertThat(output.get(100).asString()).isEqualTo(TruncationMarker.moreItems(9_900));
	}

	@Test
	void staticFacadeAndInjectedClientAreTheSame() {
		startApplication();
		await().untilAsserted(() -> assertThat(LangfuseContext.client()).isSameAs(client()));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class StoryApplication {

		@Bean
		Inspiration inspiration() {
			return new Inspiration();
		}

		@Bean
		Writer writer() {
			return new Writer();
		}

		@Bean
		Uploads uploads() {
			return new Uploads();
		}

		@Bean
		StoryService storyService(Inspiration inspiration, Writer writer) {
			return new StoryService(inspiration, writer);
		}

	}

	public record StoryResult(String story, String traceId, String traceUrl) {
	}

	public static class StoryService {

		private final Inspiration inspiration;

		private final Writer writer;

		public StoryService(Inspiration inspiration, Writer writer) {
			this.inspiration = inspiration;
			this.writer = writer;
		}

		@Observe
		public StoryResult tellStory(String topic, String userId) {
			if (topic.isEmpty()) {
				throw new IllegalArgumentException("topic must not be empty");
			}
			List<String> ideas = this.inspiration.findInspiration(topic);
			String story = this.writer.writeStory(topic, ideas);
			// set after the children ended: they must still carry these attributes
			LangfuseContext.currentTrace()
				.userId(userId)
				.sessionId("session-" + userId)
				.tags("story", "e2e")
				.metadata("tenant", "acme");
			LangfuseContext.scoreCurrentTrace(Score.categorical("tone", "whimsical"));
			return new StoryResult(story, LangfuseContext.currentTraceId().orElseThrow(),
					LangfuseContext.currentTraceUrl().orElse("no project id yet"));
		}

	}

	public static class Inspiration {

		@Observe(type = ObservationType.RETRIEVER)
		public List<String> findInspiration(String topic) {
			return List.of("sailing", "foxes");
		}

	}

	public static class Writer {

		@Observe(type = ObservationType.GENERATION)
		public String writeStory(String topic, List<String> ideas) {
			LangfuseContext.currentObservation()
				.model("fake-gpt")
				.modelParameters(Map.of("temperature", 0.7))
				.usage(4, 7)
				.costDetails(Map.of("total", 0.00011))
				.completionStartTime(java.time.Instant.now())
				.prompt("story-prompt", 2);
			LangfuseContext.scoreCurrentObservation(Score.numeric("fluency", 0.8));
			return "Once upon a time, " + topic + ".";
		}

	}

	public static class Uploads {

		@Observe
		public List<Item> store(byte[] data, List<Item> items, Message message) {
			return items;
		}

	}

	public record Item(int id, String name) {
	}

	public static class Message {

		private final String content;

		public Message(String content) {
			this.content = content;
		}

		public String getContent() {
			return this.content;
		}

	}

}
