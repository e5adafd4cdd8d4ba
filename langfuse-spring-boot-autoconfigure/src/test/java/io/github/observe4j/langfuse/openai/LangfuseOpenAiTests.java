package io.github.observe4j.langfuse.openai;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.chat.completions.StructuredChatCompletion;
import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.FakeOpenAiServer;
import io.github.observe4j.langfuse.testsupport.FakeOpenAiServer.Reply;
import io.github.observe4j.langfuse.testsupport.OtlpRequests;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
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
 * End-to-end tests of the OpenAI integration: an application whose {@code OpenAIClient} bean
 * talks to a loopback OpenAI stand-in and whose traces go to a loopback Langfuse stand-in;
 * spans are decoded with the official OpenTelemetry proto classes.
 */
class LangfuseOpenAiTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String REQUESTED_MODEL = "gpt-4o-mini";

	private final FakeLangfuseServer langfuse = FakeLangfuseServer.start();

	private final FakeOpenAiServer openAi = FakeOpenAiServer.start();

	private ConfigurableApplicationContext context;

	private OpenAIClient client;

	private final List<OpenAIClient> rawClients = new ArrayList<>();

	@BeforeEach
	void startApplication() {
		this.context = new SpringApplicationBuilder(OpenAiApplication.class).web(WebApplicationType.NONE)
			.properties("langfuse.host=" + this.langfuse.url(), "langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
					"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY, "langfuse.export.schedule-delay=50ms",
					"test.openai.url=" + this.openAi.baseUrl())
			.run();
		this.client = this.context.getBean(OpenAIClient.class);
	}

	@AfterEach
	void stop() {
		this.rawClients.forEach(OpenAIClient::close);
		if (this.context != null) {
			this.context.close();
		}
		this.openAi.close();
		this.langfuse.close();
	}

	@Test
	void chatOutsideAnyObservationIsARootGenerationWithWhatThePythonIntegrationRecords() {
		ChatCompletion completion = this.client.chat()
			.completions()
			.create(ChatCompletionCreateParams.builder()
				.model(REQUESTED_MODEL)
				.addSystemMessage("Be brief.")
				.addUserMessage("Say hello")
				.temperature(0.2)
				.maxCompletionTokens(50L)
				.topP(0.9)
				.build());
		assertThat(completion.choices().get(0).message().content()).contains("Hello world");

		Span generation = onlySpan();
		assertThat(generation.getName()).isEqualTo("OpenAI-generation");
		assertThat(generation.getParentSpanId().isEmpty()).isTrue();
		assertThat(string(generation, "langfuse.observation.type")).isEqualTo("generation");
		assertThat(string(generation, "langfuse.observation.model.name")).isEqualTo(FakeOpenAiServer.MODEL);
		JsonNode parameters = json(generation, "langfuse.observation.model.parameters");
		assertThat(parameters.get("temperature").asDouble()).isEqualTo(0.2);
		assertThat(parameters.get("max_completion_tokens").asLong()).isEqualTo(50);
		assertThat(parameters.get("top_p").asDouble()).isEqualTo(0.9);
		assertThat(parameters.has("max_tokens")).isFalse();
		assertThat(parameters.has("seed")).isFalse();
		JsonNode input = json(generation, "langfuse.observation.input");
		assertThat(input.size()).isEqualTo(2);
		assertThat(input.get(0).get("role").asString()).isEqualTo("system");
		assertThat(input.get(0).get("content").asString()).isEqualTo("Be brief.");
		assertThat(input.get(1).get("role").asString()).isEqualTo("user");
		assertThat(input.get(1).get("content").asString()).isEqualTo("Say hello");
		JsonNode output = json(generation, "langfuse.observation.output");
		assertThat(output.get("role").asString()).isEqualTo("assistant");
		assertThat(output.get("content").asString()).isEqualTo("Hello world");
		JsonNode usage = json(generation, "langfuse.observation.usage_details");
		assertThat(usage.get("input").asLong()).isEqualTo(11);
		assertThat(usage.get("output").asLong()).isEqualTo(7);
		assertThat(usage.get("total").asLong()).isEqualTo(18);
		assertThat(usage.size()).isEqualTo(3);
		assertThat(string(generation, "langfuse.observation.metadata.id")).isEqualTo(completion.id());
		assertThat(string(generation, "langfuse.observation.metadata.finish_reason")).isEqualTo("stop");
		assertThat(OtlpRequests.attributes(generation)).doesNotContainKey("langfuse.observation.completion_start_time");
	}

	@Test
	void toolCallsAndToolResultsAreRecordedInTheirOpenAiShape() {
		this.openAi.enqueue(Reply.toolCall("call_2", "forecast", "{\"day\":\"monday\"}"));
		ChatCompletionMessageToolCall earlierCall = ChatCompletionMessageToolCall
			.ofFunction(ChatCompletionMessageFunctionToolCall.builder()
				.id("call_1")
				.function(ChatCompletionMessageFunctionToolCall.Function.builder()
					.name("weather")
					.arguments("{\"city\":\"Paris\"}")
					.build())
				.build());
		ChatCompletion completion = this.client.chat()
			.completions()
			.create(ChatCompletionCreateParams.builder()
				.model(REQUESTED_MODEL)
				.addUserMessage("Weather in Paris?")
				.addMessage(ChatCompletionAssistantMessageParam.builder().toolCalls(List.of(earlierCall)).build())
				.addMessage(ChatCompletionToolMessageParam.builder().toolCallId("call_1").content("Sunny").build())
				.build());
		assertThat(completion.choices().get(0).message().toolCalls()).isPresent();

		Span generation = onlySpan();
		JsonNode input = json(generation, "langfuse.observation.input");
		assertThat(input.get(1).get("role").asString()).isEqualTo("assistant");
		JsonNode sentCall = input.get(1).get("tool_calls").get(0);
		assertThat(sentCall.get("id").asString()).isEqualTo("call_1");
		assertThat(sentCall.get("function").get("name").asString()).isEqualTo("weather");
		assertThat(sentCall.get("function").get("arguments").asString()).isEqualTo("{\"city\":\"Paris\"}");
		assertThat(input.get(2).get("role").asString()).isEqualTo("tool");
		assertThat(input.get(2).get("tool_call_id").asString()).isEqualTo("call_1");
		assertThat(input.get(2).get("content").asString()).isEqualTo("Sunny");
		JsonNode answeredCall = json(generation, "langfuse.observation.output").get("tool_calls").get(0);
		assertThat(answeredCall.get("id").asString()).isEqualTo("call_2");
		assertThat(answeredCall.get("function").get("name").asString()).isEqualTo("forecast");
		assertThat(string(generation, "langfuse.observation.metadata.finish_reason")).isEqualTo("tool_calls");
	}

	@Test
	void streamRecordsTheFirstChunkTimeTheJoinedAnswerAndTheFinalUsage() {
		this.openAi.enqueue(Reply.text("Once upon a time", 9, 4).withChunkDelay(Duration.ofMillis(20)));
		StringBuilder seen = new StringBuilder();
		long beforeCall = System.currentTimeMillis() * 1_000_000L;
		try (StreamResponse<ChatCompletionChunk> stream = this.client.chat()
			.completions()
			.createStreaming(ChatCompletionCreateParams.builder()
				.model(REQUESTED_MODEL)
				.addUserMessage("Tell a story")
				.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
				.build())) {
			stream.stream()
				.forEach((chunk) -> chunk.choices()
					.forEach((choice) -> choice.delta().content().ifPresent(seen::append)));
		}
		assertThat(seen).hasToString("Once upon a time");
		assertThat(this.openAi.requests().get(0).get("stream_options").get("include_usage").asBoolean()).isTrue();

		Span generation = onlySpan();
		assertThat(json(generation, "langfuse.observation.output").get("content").asString())
			.isEqualTo("Once upon a time");
		JsonNode usage = json(generation, "langfuse.observation.usage_details");
		assertThat(usage.get("input").asLong()).isEqualTo(9);
		assertThat(usage.get("output").asLong()).isEqualTo(4);
		assertThat(usage.get("total").asLong()).isEqualTo(13);
		long firstChunk = java.time.Instant.parse(string(generation, "langfuse.observation.completion_start_time"))
			.toEpochMilli() * 1_000_000L;
		assertThat(firstChunk).isBetween(beforeCall - 1_000_000L, generation.getEndTimeUnixNano());
		// the last three chunks came after the first, 20 ms apart
		assertThat(generation.getEndTimeUnixNano() - firstChunk).isGreaterThanOrEqualTo(40_000_000L);
		assertThat(string(generation, "langfuse.observation.metadata.finish_reason")).isEqualTo("stop");
		assertThat(OtlpRequests.attributes(generation)).doesNotContainKey("langfuse.observation.level");
	}

	@Test
	void streamedToolCallIsPutBackTogether() {
		this.openAi.enqueue(Reply.toolCall("call_9", "lookup", "{\"q\":\"fox\"}"));
		try (StreamResponse<ChatCompletionChunk> stream = this.client.chat()
			.completions()
			.createStreaming(ChatCompletionCreateParams.builder().model(REQUESTED_MODEL).addUserMessage("Find").build())) {
			assertThat(stream.stream().count()).isEqualTo(3);
		}
		JsonNode call = json(onlySpan(), "langfuse.observation.output").get("tool_calls").get(0);
		assertThat(call.get("id").asString()).isEqualTo("call_9");
		assertThat(call.get("type").asString()).isEqualTo("function");
		assertThat(call.get("function").get("name").asString()).isEqualTo("lookup");
		assertThat(call.get("function").get("arguments").asString()).isEqualTo("{\"q\":\"fox\"}");
	}

	@Test
	void failedChatIsAnErrorAndTheCallerGetsTheSdkExceptionUnchanged() {
		ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
			.model("no-such-model")
			.addUserMessage("Hi")
			.build();
		this.openAi.enqueue(Reply.error(400, "The model does not exist"));
		Throwable unwrapped = catchThrowable(() -> rawClient().chat().completions().create(params));
		this.openAi.enqueue(Reply.error(400, "The model does not exist"));
		Throwable thrown = catchThrowable(() -> this.client.chat().completions().create(params));

		assertThat(thrown).isInstanceOf(BadRequestException.class)
			.hasSameClassAs(unwrapped)
			.hasMessage(unwrapped.getMessage());
		Span generation = onlySpan();
		assertThat(string(generation, "langfuse.observation.level")).isEqualTo("ERROR");
		assertThat(generation.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
		assertThat(string(generation, "langfuse.observation.status_message"))
			.startsWith(BadRequestException.class.getName())
			.contains("The model does not exist");
		assertThat(string(generation, "langfuse.observation.model.name")).isEqualTo("no-such-model");
	}

	@Test
	void failedStreamIsAnErrorAndTheCallerGetsTheSdkExceptionUnchanged() {
		this.openAi.enqueue(Reply.error(400, "Streaming is not allowed"));
		Throwable thrown = catchThrowable(() -> this.client.chat()
			.completions()
			.createStreaming(ChatCompletionCreateParams.builder().model(REQUESTED_MODEL).addUserMessage("Hi").build())
			.stream()
			.count());
		assertThat(thrown).isInstanceOf(BadRequestException.class).hasMessageContaining("Streaming is not allowed");
		Span generation = onlySpan();
		assertThat(string(generation, "langfuse.observation.level")).isEqualTo("ERROR");
		assertThat(string(generation, "langfuse.observation.status_message")).contains("Streaming is not allowed");
	}

	@Test
	void streamClosedBeforeItsEndIsAWarningWithThePartOfTheAnswerRead() {
		this.openAi.enqueue(Reply.text("one two three four five", 5, 5).withChunkDelay(Duration.ofMillis(50)));
		try (StreamResponse<ChatCompletionChunk> stream = this.client.chat()
			.completions()
			.createStreaming(ChatCompletionCreateParams.builder().model(REQUESTED_MODEL).addUserMessage("Count").build())) {
			Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
			assertThat(chunks.next().choices().get(0).delta().content()).contains("one ");
		}
		Span generation = onlySpan();
		assertThat(string(generation, "langfuse.observation.level")).isEqualTo("WARNING");
		assertThat(string(generation, "langfuse.observation.status_message"))
			.isEqualTo("The stream was closed before its end");
		assertThat(json(generation, "langfuse.observation.output").get("content").asString()).isEqualTo("one ");
		assertThat(OtlpRequests.attributes(generation)).doesNotContainKey("langfuse.observation.usage_details");
	}

	@Test
	void chatAndStreamInsideAnObservedMethodAreItsChildren() {
		Assistant assistant = this.context.getBean(Assistant.class);
		assertThat(assistant.answer("Hi")).isEqualTo("Hello world / Hello world");
		List<Span> spans = spans(3);
		Span method = named(spans, "answer");
		assertThat(spans).filteredOn((span) -> span.getName().equals("OpenAI-generation"))
			.hasSize(2)
			.allSatisfy((generation) -> {
				assertThat(generation.getParentSpanId()).isEqualTo(method.getSpanId());
				assertThat(generation.getTraceId()).isEqualTo(method.getTraceId());
			});
	}

	@Test
	void chatInsideAnObservedGenerationIsFoldedIntoIt() {
		Assistant assistant = this.context.getBean(Assistant.class);
		assertThat(assistant.compose("Hi")).isEqualTo("Hello world");
		Span generation = onlySpan();
		assertThat(generation.getName()).isEqualTo("compose");
		assertThat(string(generation, "langfuse.observation.model.name")).isEqualTo(FakeOpenAiServer.MODEL);
		assertThat(json(generation, "langfuse.observation.usage_details").get("total").asLong()).isEqualTo(18);
		assertThat(json(generation, "langfuse.observation.input").get(0).get("content").asString()).isEqualTo("Hi");
		assertThat(json(generation, "langfuse.observation.model.parameters").get("temperature").asDouble())
			.isEqualTo(0.5);
	}

	@Test
	void streamInsideAnObservedGenerationIsNestedUnderIt() {
		Assistant assistant = this.context.getBean(Assistant.class);
		assertThat(assistant.composeStreaming("Hi")).isEqualTo("Hello world");
		List<Span> spans = spans(2);
		Span method = named(spans, "composeStreaming");
		Span stream = named(spans, "OpenAI-generation");
		assertThat(stream.getParentSpanId()).isEqualTo(method.getSpanId());
		assertThat(json(stream, "langfuse.observation.output").get("content").asString()).isEqualTo("Hello world");
	}

	@Test
	@Disabled("the SDK's structured outputs need victools jsonschema-generator 4.x (Jackson 2), and Spring AI 2.0,"
			+ " on this module's test class path too, brings 5.x; it passed with the SDK alone")
	void structuredChatIsRecordedAsThePlainChatItIsSentAs() {
		this.openAi.enqueue(Reply.text("{\"text\":\"hi\"}", 3, 2));
		StructuredChatCompletion<Greeting> completion = this.client.chat()
			.completions()
			.create(ChatCompletionCreateParams.builder()
				.model(REQUESTED_MODEL)
				.addUserMessage("Greet")
				.responseFormat(Greeting.class)
				.build());
		assertThat(completion.choices().get(0).message().content()).hasValueSatisfying(
				(greeting) -> assertThat(greeting.text).isEqualTo("hi"));
		Span generation = onlySpan();
		assertThat(json(generation, "langfuse.observation.output").get("content").asString())
			.isEqualTo("{\"text\":\"hi\"}");
		assertThat(json(generation, "langfuse.observation.usage_details").get("total").asLong()).isEqualTo(5);
	}

	@Test
	void asyncChatAndAsyncStreamAreRecorded() throws Exception {
		ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
			.model(REQUESTED_MODEL)
			.addUserMessage("Hi")
			.build();
		CompletableFuture<ChatCompletion> future = this.client.async().chat().completions().create(params);
		assertThat(future.get(10, TimeUnit.SECONDS).choices().get(0).message().content()).contains("Hello world");

		this.openAi.enqueue(Reply.text("Streamed asynchronously", 4, 2));
		List<String> pieces = new ArrayList<>();
		CompletableFuture<Optional<Throwable>> done = new CompletableFuture<>();
		AsyncStreamResponse<ChatCompletionChunk> stream = this.client.async().chat().completions().createStreaming(params);
		stream.subscribe(new AsyncStreamResponse.Handler<>() {

			@Override
			public void onNext(ChatCompletionChunk chunk) {
				chunk.choices().forEach((choice) -> choice.delta().content().ifPresent(pieces::add));
			}

			@Override
			public void onComplete(Optional<Throwable> error) {
				done.complete(error);
			}

		});
		assertThat(done.get(10, TimeUnit.SECONDS)).isEmpty();
		assertThat(String.join("", pieces)).isEqualTo("Streamed asynchronously");

		// the future's dependents, ours among them, may still run when get() returns
		await().untilAsserted(() -> {
			assertThat(this.context.getBean(LangfuseClient.class).flush(Duration.ofSeconds(10))).isTrue();
			assertThat(this.langfuse.receivedSpans()).hasSize(2);
		});
		List<Span> spans = this.langfuse.receivedSpans();
		assertThat(spans).extracting((span) -> json(span, "langfuse.observation.output").get("content").asString())
			.containsExactlyInAnyOrder("Hello world", "Streamed asynchronously");
		assertThat(spans).filteredOn(
				(span) -> OtlpRequests.attributes(span).containsKey("langfuse.observation.completion_start_time"))
			.singleElement()
			.satisfies((span) -> assertThat(json(span, "langfuse.observation.usage_details").get("total").asLong())
				.isEqualTo(6));
	}

	@Test
	void asyncStreamClosedBeforeItsEndIsAWarning() throws Exception {
		this.openAi.enqueue(Reply.text("one two three four five", 5, 5));
		CompletableFuture<String> firstPiece = new CompletableFuture<>();
		CountDownLatch closed = new CountDownLatch(1);
		AsyncStreamResponse<ChatCompletionChunk> stream = this.client.async()
			.chat()
			.completions()
			.createStreaming(ChatCompletionCreateParams.builder().model(REQUESTED_MODEL).addUserMessage("Count").build());
		// the SDK may have the whole body already: the handler holds the stream until it is closed
		stream.subscribe((chunk) -> chunk.choices().forEach((choice) -> choice.delta().content().ifPresent((text) -> {
			if (firstPiece.complete(text)) {
				awaitQuietly(closed);
			}
		})));
		assertThat(firstPiece.get(10, TimeUnit.SECONDS)).isEqualTo("one ");
		stream.close();
		closed.countDown();
		Span generation = onlySpan();
		assertThat(string(generation, "langfuse.observation.level")).isEqualTo("WARNING");
		assertThat(string(generation, "langfuse.observation.status_message"))
			.isEqualTo("The stream was closed before its end");
		assertThat(json(generation, "langfuse.observation.output").get("content").asString()).isEqualTo("one ");
	}

	@Test
	void clientWrappedByHandRecordsThroughTheRunningApplication() {
		OpenAIClient wrapped = LangfuseOpenAi.wrap(rawClient());
		assertThat(LangfuseOpenAi.wrap(wrapped)).isSameAs(wrapped);
		wrapped.chat()
			.completions()
			.create(ChatCompletionCreateParams.builder().model(REQUESTED_MODEL).addUserMessage("Hi").build());
		assertThat(onlySpan().getName()).isEqualTo("OpenAI-generation");
	}

	@Test
	void beanIsWrappedOnce() {
		OpenAIClient wrappedAgain = LangfuseOpenAi.wrap(this.client);
		assertThat(wrappedAgain).isSameAs(this.client);
		wrappedAgain.chat()
			.completions()
			.create(ChatCompletionCreateParams.builder().model(REQUESTED_MODEL).addUserMessage("Hi").build());
		onlySpan();
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private OpenAIClient rawClient() {
		OpenAIClient raw = OpenAIOkHttpClient.builder()
			.baseUrl(this.openAi.baseUrl() + "/v1")
			.apiKey("test")
			.maxRetries(0)
			.build();
		this.rawClients.add(raw);
		return raw;
	}

	private Span onlySpan() {
		return spans(1).get(0);
	}

	private List<Span> spans(int expected) {
		assertThat(this.context.getBean(LangfuseClient.class).flush(Duration.ofSeconds(10))).isTrue();
		List<Span> spans = this.langfuse.receivedSpans();
		assertThat(spans).hasSize(expected);
		return spans;
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

	/** A structured answer. */
	public static class Greeting {

		public String text;

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class OpenAiApplication {

		@Bean
		OpenAIClient openAiClient(Environment environment) {
			return OpenAIOkHttpClient.builder()
				.baseUrl(environment.getRequiredProperty("test.openai.url") + "/v1")
				.apiKey("test")
				.maxRetries(0)
				.build();
		}

		@Bean
		Assistant assistant(OpenAIClient client) {
			return new Assistant(client);
		}

	}

	/** Observed methods that call OpenAI. */
	public static class Assistant {

		private final OpenAIClient client;

		public Assistant(OpenAIClient client) {
			this.client = client;
		}

		@Observe
		public String answer(String question) {
			String first = text(this.client.chat().completions().create(params(question)));
			StringBuilder second = new StringBuilder();
			try (StreamResponse<ChatCompletionChunk> stream = this.client.chat()
				.completions()
				.createStreaming(params(question))) {
				stream.stream().forEach((chunk) -> chunk.choices()
					.forEach((choice) -> choice.delta().content().ifPresent(second::append)));
			}
			return first + " / " + second;
		}

		@Observe(type = ObservationType.GENERATION)
		public String compose(String question) {
			return text(this.client.chat().completions().create(params(question)));
		}

		@Observe(type = ObservationType.GENERATION)
		public String composeStreaming(String question) {
			StringBuilder answer = new StringBuilder();
			try (StreamResponse<ChatCompletionChunk> stream = this.client.chat()
				.completions()
				.createStreaming(params(question))) {
				stream.stream().forEach((chunk) -> chunk.choices()
					.forEach((choice) -> choice.delta().content().ifPresent(answer::append)));
			}
			return answer.toString();
		}

		private static ChatCompletionCreateParams params(String question) {
			return ChatCompletionCreateParams.builder()
				.model(REQUESTED_MODEL)
				.addUserMessage(question)
				.temperature(0.5)
				.build();
		}

		private static String text(ChatCompletion completion) {
			return completion.choices().get(0).message().content().orElse("");
		}

	}

}
