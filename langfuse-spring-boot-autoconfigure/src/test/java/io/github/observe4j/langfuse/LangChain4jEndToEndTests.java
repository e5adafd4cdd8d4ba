package io.github.observe4j.langfuse;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.internal.langchain4j.LangfuseChatModelListener;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.FakeOpenAiServer;
import io.github.observe4j.langfuse.testsupport.FakeOpenAiServer.Reply;
import io.github.observe4j.langfuse.testsupport.OtlpRequests;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end tests of the LangChain4j integration: a Spring Boot application with LangChain4j's
 * OpenAI models built by hand with the starter's listener, talking to a loopback OpenAI
 * stand-in, exporting to a loopback Langfuse stand-in; spans are decoded with the OpenTelemetry
 * proto classes.
 */
class LangChain4jEndToEndTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String CHAT = "chat gpt-4o-mini";

	private final FakeLangfuseServer langfuse = FakeLangfuseServer.start();

	private final FakeOpenAiServer openAi = FakeOpenAiServer.start();

	private ConfigurableApplicationContext context;

	@AfterEach
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
		this.openAi.close();
		this.langfuse.close();
	}

	private ChatService start(String... properties) {
		this.context = new SpringApplicationBuilder(ChatApplication.class).web(WebApplicationType.NONE)
			.properties("langfuse.host=" + this.langfuse.url(), "langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
					"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY, "langfuse.export.schedule-delay=50ms",
					"langfuse.export.initial-backoff=20ms", "test.openai.url=" + this.openAi.baseUrl() + "/v1")
			.properties(properties)
			.run();
		return this.context.getBean(ChatService.class);
	}

	/** Spans in the order they started. */
	private List<Span> spans() {
		assertThat(this.context.getBean(LangfuseClient.class).flush(Duration.ofSeconds(10))).isTrue();
		return this.langfuse.receivedSpans()
			.stream()
			.sorted(Comparator.comparingLong(Span::getStartTimeUnixNano))
			.toList();
	}

	private static String string(Span span, String key) {
		String value = OtlpRequests.string(span, key);
		assertThat(value).as("attribute %s of %s", key, span.getName()).isNotNull();
		return value;
	}

	private static JsonNode json(Span span, String key) {
		return JSON.readTree(string(span, key));
	}

	private static void assertUsage(Span span, long input, long output) {
		JsonNode usage = json(span, "langfuse.observation.usage_details");
		assertThat(usage.get("input").asLong()).isEqualTo(input);
		assertThat(usage.get("output").asLong()).isEqualTo(output);
		assertThat(usage.get("total").asLong()).isEqualTo(input + output);
	}

	private static void assertChildOf(Span child, Span parent) {
		assertThat(child.getTraceId()).isEqualTo(parent.getTraceId());
		assertThat(child.getParentSpanId()).as("parent of %s", child.getName()).isEqualTo(parent.getSpanId());
	}

	@Test
	void syncChatOutsideAnyObservationIsAGenerationAtTheRootOfATrace() {
		start();
		ChatModel model = this.context.getBean(ChatModel.class);
		assertThat(model.chat("Say hello")).isEqualTo("Hello world");
		Span chat = spans().get(0);
		assertThat(this.langfuse.receivedSpans()).hasSize(1);
		assertThat(chat.getName()).isEqualTo(CHAT);
		assertThat(chat.getParentSpanId().isEmpty()).isTrue();
		assertThat(string(chat, "langfuse.observation.type")).isEqualTo("generation");
		assertThat(string(chat, "langfuse.observation.model.name")).isEqualTo(FakeOpenAiServer.MODEL);
		assertThat(json(chat, "langfuse.observation.model.parameters").get("temperature").asDouble()).isEqualTo(0.3);
		assertUsage(chat, 11, 7);
		JsonNode input = json(chat, "langfuse.observation.input");
		assertThat(input.get(0).get("role").asString()).isEqualTo("user");
		assertThat(input.get(0).get("content").asString()).isEqualTo("Say hello");
		JsonNode output = json(chat, "langfuse.observation.output");
		assertThat(output.get("role").asString()).isEqualTo("assistant");
		assertThat(output.get("content").asString()).isEqualTo("Hello world");
		assertThat(string(chat, "langfuse.observation.metadata.provider")).contains("OPEN_AI");
		assertThat(string(chat, "langfuse.observation.metadata.finishReason")).contains("STOP");
		assertThat(string(chat, "langfuse.observation.metadata.responseId")).contains("chatcmpl-");
	}

	@Test
	void syncChatInsideAnObservedMethodIsItsChild() {
		ChatService service = start();
		this.openAi.enqueue(Reply.text("Bonjour", 9, 2));
		assertThat(service.ask("Greet me in French")).isEqualTo("Bonjour");
		List<Span> spans = spans();
		assertThat(spans).extracting(Span::getName).containsExactly("ask", CHAT);
		assertChildOf(spans.get(1), spans.get(0));
		assertUsage(spans.get(1), 9, 2);
	}

	@Test
	void syncChatInsideAnObservedGenerationIsFoldedIntoIt() {
		ChatService service = start();
		assertThat(service.generate("Say hello")).isEqualTo("Hello world");
		Span generation = spans().get(0);
		assertThat(this.langfuse.receivedSpans()).hasSize(1);
		assertThat(generation.getName()).isEqualTo("generate");
		assertThat(string(generation, "langfuse.observation.type")).isEqualTo("generation");
		assertThat(string(generation, "langfuse.observation.model.name")).isEqualTo(FakeOpenAiServer.MODEL);
		assertUsage(generation, 11, 7);
		assertThat(json(generation, "langfuse.observation.input").get(0).get("content").asString())
			.isEqualTo("Say hello");
	}

	@Test
	void syncChatInsideAnObservedGenerationIsNestedWhenSoConfigured() {
		ChatService service = start("langfuse.integrations.nested-generation=nest");
		service.generate("Say hello");
		List<Span> spans = spans();
		assertThat(spans).extracting(Span::getName).containsExactly("generate", CHAT);
		assertChildOf(spans.get(1), spans.get(0));
		assertUsage(spans.get(1), 11, 7);
	}

	@Test
	void streamedChatOutsideAnyObservationIsTheRootOfATrace() throws Exception {
		start();
		this.openAi.enqueue(Reply.text("Hello streamed world", 12, 3));
		CompletableFuture<ChatResponse> done = new CompletableFuture<>();
		this.context.getBean(StreamingChatModel.class).chat("Say hello", handler(done));
		assertThat(done.get(10, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("Hello streamed world");
		Span chat = spans().get(0);
		assertThat(chat.getName()).isEqualTo(CHAT);
		assertThat(chat.getParentSpanId().isEmpty()).isTrue();
		assertThat(json(chat, "langfuse.observation.output").get("content").asString())
			.isEqualTo("Hello streamed world");
		assertUsage(chat, 12, 3);
	}

	@Test
	void streamedChatStaysInTheObservedMethodThatReturnedBeforeItsAnswer() throws Exception {
		ChatService service = start();
		this.openAi.enqueue(Reply.text("Hello streamed world", 12, 3).withChunkDelay(Duration.ofMillis(20)));
		CompletableFuture<ChatResponse> done = new CompletableFuture<>();
		service.streamInBackground("Say hello", done);
		done.get(10, TimeUnit.SECONDS);
		List<Span> spans = spans();
		assertThat(spans).extracting(Span::getName).containsExactly("streamInBackground", CHAT);
		assertChildOf(spans.get(1), spans.get(0));
		assertThat(spans.get(1).getEndTimeUnixNano()).isGreaterThan(spans.get(0).getEndTimeUnixNano());
		assertUsage(spans.get(1), 12, 3);
		// the first token, seen by the decorated model bean
		Instant firstToken = Instant.parse(string(spans.get(1), "langfuse.observation.completion_start_time"));
		long firstTokenNanos = firstToken.getEpochSecond() * 1_000_000_000L + firstToken.getNano();
		assertThat(firstTokenNanos).isBetween(spans.get(1).getStartTimeUnixNano(), spans.get(1).getEndTimeUnixNano());
	}

	@Test
	void streamedChatInsideAnObservedGenerationIsNestedAsItMayOutliveIt() throws Exception {
		ChatService service = start();
		CompletableFuture<ChatResponse> done = new CompletableFuture<>();
		service.streamAsGeneration("Say hello", done);
		done.get(10, TimeUnit.SECONDS);
		List<Span> spans = spans();
		assertThat(spans).extracting(Span::getName).containsExactly("streamAsGeneration", CHAT);
		assertChildOf(spans.get(1), spans.get(0));
		assertUsage(spans.get(1), 11, 7);
	}

	@Test
	void aiServiceWithAToolGivesGenerationToolGenerationUnderTheObservedMethod() {
		ChatService service = start();
		this.openAi.enqueue(Reply.toolCall("call_1", "weather", "{\"city\":\"Paris\"}"));
		this.openAi.enqueue(Reply.text("It is sunny in Paris", 30, 6));
		assertThat(service.askAssistant("Weather in Paris?")).isEqualTo("It is sunny in Paris");
		List<Span> spans = spans();
		assertThat(spans).extracting(Span::getName).containsExactly("askAssistant", CHAT, "weather", CHAT);
		assertToolLoop(spans);
	}

	@Test
	void streamingAiServiceWithAToolKeepsEveryRoundTripUnderTheObservedMethod() throws Exception {
		ChatService service = start();
		this.openAi.enqueue(Reply.toolCall("call_1", "weather", "{\"city\":\"Paris\"}"));
		this.openAi.enqueue(Reply.text("It is sunny in Paris", 30, 6));
		CompletableFuture<ChatResponse> done = new CompletableFuture<>();
		service.streamAssistant("Weather in Paris?", false, done);
		assertThat(done.get(10, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("It is sunny in Paris");
		List<Span> spans = spans();
		assertThat(spans).extracting(Span::getName).containsExactly("streamAssistant", CHAT, "weather", CHAT);
		assertToolLoop(spans);
	}

	private static void assertToolLoop(List<Span> spans) {
		Span root = spans.get(0);
		Span first = spans.get(1);
		Span tool = spans.get(2);
		Span second = spans.get(3);
		assertChildOf(first, root);
		assertChildOf(tool, root);
		assertChildOf(second, root);
		// each call's own usage, never the AI Service's running total
		assertUsage(first, 20, 5);
		assertUsage(second, 30, 6);
		JsonNode toolCalls = json(first, "langfuse.observation.output").get("tool_calls");
		assertThat(toolCalls.get(0).get("id").asString()).isEqualTo("call_1");
		assertThat(toolCalls.get(0).get("function").get("name").asString()).isEqualTo("weather");
		assertThat(string(first, "langfuse.observation.metadata.finishReason")).contains("TOOL_EXECUTION");
		assertThat(string(tool, "langfuse.observation.type")).isEqualTo("tool");
		assertThat(json(tool, "langfuse.observation.input").get("city").asString()).isEqualTo("Paris");
		assertThat(string(tool, "langfuse.observation.output")).contains("Sunny in Paris");
		JsonNode secondInput = json(second, "langfuse.observation.input");
		assertThat(secondInput.get(1).get("role").asString()).isEqualTo("assistant");
		assertThat(secondInput.get(1).get("tool_calls").get(0).get("id").asString()).isEqualTo("call_1");
		assertThat(secondInput.get(2).get("role").asString()).isEqualTo("tool");
		assertThat(secondInput.get(2).get("tool_call_id").asString()).isEqualTo("call_1");
		assertThat(secondInput.get(2).get("content").asString()).isEqualTo("Sunny in Paris");
	}

	@Test
	void aiServiceToolLoopInsideAnObservedGenerationIsFoldedIntoItWithTheToolUnderIt() {
		ChatService service = start();
		this.openAi.enqueue(Reply.toolCall("call_1", "weather", "{\"city\":\"Paris\"}"));
		this.openAi.enqueue(Reply.text("It is sunny in Paris", 30, 6));
		assertThat(service.generateWithAssistant("Weather in Paris?")).isEqualTo("It is sunny in Paris");
		List<Span> spans = spans();
		assertThat(spans).extracting(Span::getName).containsExactly("generateWithAssistant", "weather");
		Span generation = spans.get(0);
		assertChildOf(spans.get(1), generation);
		// both round-trips' usage added up on the one generation; the last answer as output
		assertUsage(generation, 50, 11);
		assertThat(json(generation, "langfuse.observation.output").get("content").asString())
			.isEqualTo("It is sunny in Paris");
	}

	@Test
	void aiServiceWithAToolOutsideAnyObservationGivesThreeRoots() {
		start();
		this.openAi.enqueue(Reply.toolCall("call_1", "weather", "{\"city\":\"Paris\"}"));
		this.openAi.enqueue(Reply.text("It is sunny in Paris", 30, 6));
		assertThat(this.context.getBean(Assistant.class).chat("Weather in Paris?")).isEqualTo("It is sunny in Paris");
		List<Span> spans = spans();
		assertThat(spans).extracting(Span::getName).containsExactly(CHAT, "weather", CHAT);
		assertThat(spans).allSatisfy((span) -> assertThat(span.getParentSpanId().isEmpty()).isTrue());
		assertThat(spans).extracting(Span::getTraceId).doesNotHaveDuplicates();
	}

	@Test
	void toolThatThrowsIsAnErrorAndTheModelIsToldOfIt() {
		ChatService service = start();
		this.openAi.enqueue(Reply.toolCall("call_1", "weather", "{\"city\":\"Atlantis\"}"));
		this.openAi.enqueue(Reply.text("I could not find Atlantis", 30, 6));
		assertThat(service.askAssistant("Weather in Atlantis?")).isEqualTo("I could not find Atlantis");
		Span tool = spans().get(2);
		assertThat(tool.getName()).isEqualTo("weather");
		assertThat(string(tool, "langfuse.observation.level")).isEqualTo("ERROR");
		assertThat(string(tool, "langfuse.observation.status_message")).contains("no such city");
	}

	@Test
	void failedChatIsAnErrorAndTheExceptionReachesTheCallerUnchanged() {
		ChatService service = start();
		this.openAi.enqueue(Reply.error(400, "context length exceeded"));
		Throwable thrown = catchThrowable(() -> service.ask("Too long"));
		assertThat(thrown).hasMessageContaining("context length exceeded");
		List<Span> spans = spans();
		assertThat(spans).extracting(Span::getName).containsExactly("ask", CHAT);
		Span chat = spans.get(1);
		assertChildOf(chat, spans.get(0));
		assertThat(string(chat, "langfuse.observation.level")).isEqualTo("ERROR");
		assertThat(string(chat, "langfuse.observation.status_message")).contains("context length exceeded");
		assertThat(string(spans.get(0), "langfuse.observation.level")).isEqualTo("ERROR");
	}

	@Test
	void failedChatOutsideAnyObservationIsAnErrorAtTheRoot() {
		start();
		this.openAi.enqueue(Reply.error(500, "upstream down"));
		Throwable thrown = catchThrowable(() -> this.context.getBean(ChatModel.class).chat("Hi"));
		assertThat(thrown).hasMessageContaining("upstream down");
		Span chat = spans().get(0);
		assertThat(chat.getParentSpanId().isEmpty()).isTrue();
		assertThat(string(chat, "langfuse.observation.level")).isEqualTo("ERROR");
	}

	@Test
	void failedStreamIsAnErrorUnderTheObservedMethod() throws Exception {
		ChatService service = start();
		this.openAi.enqueue(Reply.error(429, "rate limited"));
		CompletableFuture<ChatResponse> done = new CompletableFuture<>();
		service.streamInBackground("Hi", done);
		assertThat(catchThrowable(() -> done.get(10, TimeUnit.SECONDS))).hasMessageContaining("rate limited");
		List<Span> spans = spans();
		assertThat(spans).extracting(Span::getName).containsExactly("streamInBackground", CHAT);
		assertChildOf(spans.get(1), spans.get(0));
		assertThat(string(spans.get(1), "langfuse.observation.level")).isEqualTo("ERROR");
	}

	@Test
	void aStreamTheModelRefusesBeforeSendingIsAnErrorAtOnceAndTheExceptionReachesTheCaller() {
		ChatService service = start();
		CompletableFuture<ChatResponse> done = new CompletableFuture<>();
		Throwable thrown = catchThrowable(() -> service.streamWithTopK("Hi", done));
		// OpenAI has no top-k: the model refuses the request on the caller's thread
		assertThat(thrown).isNotNull().hasMessageContaining("topK");
		assertThat(done).isNotDone();
		assertThat(this.openAi.requests()).isEmpty();
		List<Span> spans = spans();
		assertThat(spans).extracting(Span::getName).containsExactly("streamWithTopK", CHAT);
		assertChildOf(spans.get(1), spans.get(0));
		assertThat(string(spans.get(1), "langfuse.observation.level")).isEqualTo("ERROR");
		assertThat(string(spans.get(1), "langfuse.observation.status_message")).contains("topK");
	}

	@Test
	void cancelledStreamIsEndedAsIncompleteAtOnce() throws Exception {
		ChatService service = start();
		this.openAi.enqueue(Reply.text("one two three four five", 12, 5).withChunkDelay(Duration.ofMillis(50)));
		CompletableFuture<Void> cancelled = new CompletableFuture<>();
		service.streamAndCancel("Count", false, cancelled);
		cancelled.get(10, TimeUnit.SECONDS);
		await().untilAsserted(() -> assertThat(spans()).extracting(Span::getName).contains(CHAT));
		Span chat = spans().stream().filter((span) -> span.getName().equals(CHAT)).findFirst().orElseThrow();
		assertThat(string(chat, "langfuse.observation.level")).isEqualTo("WARNING");
		assertThat(string(chat, "langfuse.observation.status_message")).isEqualTo("cancelled");
		assertThat(string(chat, "langfuse.observation.completion_start_time")).endsWith("Z");
	}

	@Test
	void cancelledStreamOfAModelThatIsNotABeanIsEndedAsIncompleteAtShutdown() throws Exception {
		ChatService service = start();
		this.openAi.enqueue(Reply.text("one two three four five", 12, 5).withChunkDelay(Duration.ofMillis(50)));
		CompletableFuture<Void> cancelled = new CompletableFuture<>();
		service.streamAndCancel("Count", true, cancelled);
		cancelled.get(10, TimeUnit.SECONDS);
		this.context.close();
		List<Span> spans = this.langfuse.receivedSpans();
		assertThat(spans).extracting(Span::getName).containsExactlyInAnyOrder("streamAndCancel", CHAT);
		Span chat = spans.stream().filter((span) -> span.getName().equals(CHAT)).findFirst().orElseThrow();
		assertThat(string(chat, "langfuse.observation.level")).isEqualTo("WARNING");
		assertThat(string(chat, "langfuse.observation.status_message")).contains("cancelled stream");
	}

	@Test
	void streamingAiServiceOnAModelThatIsNotABeanKeepsEveryRoundTripUnderTheObservedMethod() throws Exception {
		ChatService service = start();
		this.openAi.enqueue(Reply.toolCall("call_1", "weather", "{\"city\":\"Paris\"}"));
		this.openAi.enqueue(Reply.text("It is sunny in Paris", 30, 6));
		CompletableFuture<ChatResponse> done = new CompletableFuture<>();
		service.streamAssistant("Weather in Paris?", true, done);
		assertThat(done.get(10, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("It is sunny in Paris");
		List<Span> spans = spans();
		assertThat(spans).extracting(Span::getName).containsExactly("streamAssistant", CHAT, "weather", CHAT);
		assertToolLoop(spans);
	}

	static StreamingChatResponseHandler handler(CompletableFuture<ChatResponse> done) {
		return new StreamingChatResponseHandler() {

			@Override
			public void onCompleteResponse(ChatResponse response) {
				done.complete(response);
			}

			@Override
			public void onError(Throwable error) {
				done.completeExceptionally(error);
			}

		};
	}

	interface Assistant {

		String chat(String message);

	}

	interface StreamingAssistant {

		TokenStream chat(String message);

	}

	/** A tool bean whose tool is recorded with {@code @Observe(type = TOOL)}. */
	static class WeatherTools {

		@Tool("The current weather in a city")
		@Observe(type = ObservationType.TOOL)
		public String weather(String city) {
			if (city.equals("Atlantis")) {
				throw new IllegalArgumentException("no such city: " + city);
			}
			return "Sunny in " + city;
		}

	}

	static class ChatService {

		private final ChatModel model;

		private final StreamingChatModel streamingModel;

		private final Assistant assistant;

		private final StreamingAssistant streamingAssistant;

		/** A streaming model built by hand and not a bean, so not decorated. */
		private final StreamingChatModel notABean;

		private final StreamingAssistant notABeanAssistant;

		ChatService(ChatModel model, StreamingChatModel streamingModel, Assistant assistant,
				StreamingAssistant streamingAssistant, StreamingChatModel notABean,
				StreamingAssistant notABeanAssistant) {
			this.model = model;
			this.streamingModel = streamingModel;
			this.assistant = assistant;
			this.streamingAssistant = streamingAssistant;
			this.notABean = notABean;
			this.notABeanAssistant = notABeanAssistant;
		}

		@Observe
		public String ask(String question) {
			return this.model.chat(question);
		}

		@Observe(type = ObservationType.GENERATION)
		public String generate(String question) {
			return this.model.chat(question);
		}

		@Observe
		public void streamInBackground(String question, CompletableFuture<ChatResponse> done) {
			this.streamingModel.chat(question, handler(done));
		}

		@Observe
		public void streamWithTopK(String question, CompletableFuture<ChatResponse> done) {
			this.streamingModel.chat(dev.langchain4j.model.chat.request.ChatRequest.builder()
				.messages(dev.langchain4j.data.message.UserMessage.from(question))
				.topK(5)
				.build(), handler(done));
		}

		@Observe(type = ObservationType.GENERATION)
		public void streamAsGeneration(String question, CompletableFuture<ChatResponse> done) {
			this.streamingModel.chat(question, handler(done));
		}

		@Observe
		public void streamAndCancel(String question, boolean notABean, CompletableFuture<Void> cancelled) {
			StreamingChatModel model = notABean ? this.notABean : this.streamingModel;
			model.chat(question, new StreamingChatResponseHandler() {

				@Override
				public void onPartialResponse(dev.langchain4j.model.chat.response.PartialResponse partial,
						dev.langchain4j.model.chat.response.PartialResponseContext context) {
					context.streamingHandle().cancel();
					cancelled.complete(null);
				}

				@Override
				public void onCompleteResponse(ChatResponse response) {
					cancelled.completeExceptionally(new AssertionError("completed after cancel"));
				}

				@Override
				public void onError(Throwable error) {
					cancelled.completeExceptionally(error);
				}

			});
		}

		@Observe
		public String askAssistant(String question) {
			return this.assistant.chat(question);
		}

		@Observe(type = ObservationType.GENERATION)
		public String generateWithAssistant(String question) {
			return this.assistant.chat(question);
		}

		@Observe
		public void streamAssistant(String question, boolean notABean, CompletableFuture<ChatResponse> done) {
			(notABean ? this.notABeanAssistant : this.streamingAssistant).chat(question)
				.onPartialResponse((partial) -> {
				})
				.onCompleteResponse(done::complete)
				.onError(done::completeExceptionally)
				.start();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ChatApplication {

		@Bean
		OpenAiChatModel chatModel(Environment environment, LangfuseChatModelListener listener) {
			return OpenAiChatModel.builder()
				.baseUrl(environment.getRequiredProperty("test.openai.url"))
				.apiKey("test-key")
				.modelName("gpt-4o-mini")
				.temperature(0.3)
				.maxRetries(0)
				.listeners(List.of(listener))
				.build();
		}

		@Bean
		OpenAiStreamingChatModel streamingChatModel(Environment environment, LangfuseChatModelListener listener) {
			return streamingModel(environment, listener);
		}

		private static OpenAiStreamingChatModel streamingModel(Environment environment,
				LangfuseChatModelListener listener) {
			return OpenAiStreamingChatModel.builder()
				.baseUrl(environment.getRequiredProperty("test.openai.url"))
				.apiKey("test-key")
				.modelName("gpt-4o-mini")
				.listeners(List.of(listener))
				.build();
		}

		@Bean
		WeatherTools weatherTools() {
			return new WeatherTools();
		}

		/**
		 * The tool bean's proxy, as LangChain4j's Spring AI Service factory gives it:
		 * {@code tools(weatherTools)} would find no {@code @Tool} method on the proxy's class.
		 */
		private static Map<dev.langchain4j.agent.tool.ToolSpecification, dev.langchain4j.service.tool.ToolExecutor> tools(
				WeatherTools tools) throws NoSuchMethodException {
			java.lang.reflect.Method method = WeatherTools.class.getMethod("weather", String.class);
			return Map.of(ToolSpecifications.toolSpecificationFrom(method), new DefaultToolExecutor(tools, method));
		}

		@Bean
		Assistant assistant(ChatModel chatModel, WeatherTools weatherTools) throws NoSuchMethodException {
			return AiServices.builder(Assistant.class).chatModel(chatModel).tools(tools(weatherTools)).build();
		}

		@Bean
		StreamingAssistant streamingAssistant(StreamingChatModel streamingChatModel, WeatherTools weatherTools)
				throws NoSuchMethodException {
			return buildStreamingAssistant(streamingChatModel, weatherTools);
		}

		private static StreamingAssistant buildStreamingAssistant(StreamingChatModel model, WeatherTools weatherTools)
				throws NoSuchMethodException {
			return AiServices.builder(StreamingAssistant.class).streamingChatModel(model).tools(tools(weatherTools)).build();
		}

		@Bean
		ChatService chatService(ChatModel chatModel, StreamingChatModel streamingChatModel, Assistant assistant,
				StreamingAssistant streamingAssistant, WeatherTools weatherTools, Environment environment,
				LangfuseChatModelListener listener) throws NoSuchMethodException {
			StreamingChatModel notABean = streamingModel(environment, listener);
			return new ChatService(chatModel, streamingChatModel, assistant, streamingAssistant, notABean,
					buildStreamingAssistant(notABean, weatherTools));
		}

	}

}
