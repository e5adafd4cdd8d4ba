package io.github.observe4j.langfuse.springai;

import java.time.Duration;
import java.util.List;

import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.springai.SpringAiApplication.Assistant;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.FakeOpenAiServer;
import io.github.observe4j.langfuse.testsupport.FakeOpenAiServer.Reply;
import io.github.observe4j.langfuse.testsupport.OtlpRequests;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Spring AI calls made by a real application against a loopback OpenAI, recorded with no code
 * in the application: each call must arrive at the loopback Langfuse as an observation with the
 * right parent, fields and usage.
 */
@ExtendWith(OutputCaptureExtension.class)
class LangfuseSpringAiTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String CHAT = "chat " + SpringAiApplication.MODEL;

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

	@Test
	void aChatCallInsideAnObservedMethodIsAGenerationUnderIt() {
		Assistant assistant = start();
		assertThat(assistant.ask("Hi")).isEqualTo("Hello world");
		List<Span> spans = flush(2);
		Span ask = only(spans, "ask");
		Span chat = only(spans, CHAT);
		assertThat(chat.getParentSpanId()).isEqualTo(ask.getSpanId());
		assertThat(chat.getTraceId()).isEqualTo(ask.getTraceId());
		assertThat(string(chat, "langfuse.observation.type")).isEqualTo("generation");
		assertThat(string(chat, "langfuse.observation.model.name")).isEqualTo(FakeOpenAiServer.MODEL);
		assertThat(json(chat, "langfuse.observation.usage_details"))
			.isEqualTo(JSON.readTree("{\"input\":11,\"output\":7,\"total\":18}"));
		assertThat(json(chat, "langfuse.observation.input"))
			.isEqualTo(JSON.readTree("[{\"role\":\"user\",\"content\":\"Hi\"}]"));
		assertThat(json(chat, "langfuse.observation.output"))
			.isEqualTo(JSON.readTree("{\"role\":\"assistant\",\"content\":\"Hello world\"}"));
		JsonNode parameters = json(chat, "langfuse.observation.model.parameters");
		assertThat(parameters.path("temperature").asDouble()).isEqualTo(0.2);
		assertThat(parameters.path("max_tokens").asInt()).isEqualTo(100);
		assertThat(parameters.path("stream").asText()).isEqualTo("false");
		assertThat(string(chat, "langfuse.observation.metadata.provider")).isEqualTo("openai");
		assertThat(string(chat, "langfuse.observation.metadata.finish_reason")).isEqualTo("STOP");
		assertThat(string(chat, "langfuse.observation.metadata.response_id")).startsWith("chatcmpl-");
		assertThat(OtlpRequests.attributes(chat)).doesNotContainKey("langfuse.observation.level");
	}

	@Test
	void aChatCallOutsideAnyObservedMethodIsTheRootOfATraceOfItsOwn() {
		start();
		ChatModel chatModel = this.context.getBean(ChatModel.class);
		assertThat(chatModel.call(new Prompt("Hi")).getResult().getOutput().getText()).isEqualTo("Hello world");
		Span chat = only(flush(1), CHAT);
		assertThat(chat.getParentSpanId().isEmpty()).isTrue();
		assertThat(string(chat, "langfuse.observation.type")).isEqualTo("generation");
		assertThat(json(chat, "langfuse.observation.usage_details").path("total").asInt()).isEqualTo(18);
	}

	@Test
	void aStreamBlockedOnInsideAnObservedMethodIsAGenerationUnderItWithTheWholeAnswer() {
		Assistant assistant = start();
		this.openAi.enqueue(Reply.text("Once upon a time", 12, 4));
		assertThat(assistant.askStreaming("Tell me")).isEqualTo("Once upon a time");
		List<Span> spans = flush(2);
		Span chat = only(spans, CHAT);
		assertThat(chat.getParentSpanId()).isEqualTo(only(spans, "askStreaming").getSpanId());
		assertThat(json(chat, "langfuse.observation.output").path("content").asText()).isEqualTo("Once upon a time");
		assertThat(json(chat, "langfuse.observation.usage_details"))
			.isEqualTo(JSON.readTree("{\"input\":12,\"output\":4,\"total\":16}"));
		assertThat(json(chat, "langfuse.observation.model.parameters").path("stream").asText()).isEqualTo("true");
		assertThat(string(chat, "langfuse.observation.model.name")).isEqualTo(FakeOpenAiServer.MODEL);
	}

	@Test
	void aStreamReturnedFromAReactiveObservedMethodIsAGenerationUnderIt() {
		Assistant assistant = start();
		assertThat(String.join("", assistant.streamAnswer("Hi").collectList().block())).isEqualTo("Hello world");
		List<Span> spans = flush(2);
		Span chat = only(spans, CHAT);
		assertThat(chat.getParentSpanId()).isEqualTo(only(spans, "streamAnswer").getSpanId());
		assertThat(json(chat, "langfuse.observation.output").path("content").asText()).isEqualTo("Hello world");
	}

	@Test
	void aStreamSubscribedToOnAnotherThreadInsideAReactiveObservedMethodIsAGenerationUnderIt() {
		Assistant assistant = start();
		assertThat(String.join("", assistant.streamAnswerAfterADelay("Hi").collectList().block()))
			.isEqualTo("Hello world");
		List<Span> spans = flush(2);
		assertThat(only(spans, CHAT).getParentSpanId())
			.isEqualTo(only(spans, "streamAnswerAfterADelay").getSpanId());
	}

	@Test
	void aStreamOutsideAnyObservedMethodIsTheRootOfATraceOfItsOwn() {
		start();
		ChatModel chatModel = this.context.getBean(ChatModel.class);
		assertThat(chatModel.stream(new Prompt("Hi")).collectList().block()).hasSizeGreaterThan(1);
		Span chat = only(flush(1), CHAT);
		assertThat(chat.getParentSpanId().isEmpty()).isTrue();
		assertThat(json(chat, "langfuse.observation.output").path("content").asText()).isEqualTo("Hello world");
	}

	@Test
	void aStreamCancelledAfterItsFirstWordIsAWarning() {
		Assistant assistant = start();
		this.openAi.enqueue(Reply.text("One two three four", 5, 4).withChunkDelay(Duration.ofMillis(100)));
		assertThat(assistant.firstStreamedWord("Count")).isEqualTo("One ");
		List<Span> spans = flush(2);
		Span chat = only(spans, CHAT);
		assertThat(chat.getParentSpanId()).isEqualTo(only(spans, "firstStreamedWord").getSpanId());
		assertThat(string(chat, "langfuse.observation.level")).isEqualTo("WARNING");
		assertThat(string(chat, "langfuse.observation.status_message")).isEqualTo("cancelled");
		assertThat(OtlpRequests.attributes(chat)).doesNotContainKey("langfuse.observation.output");
	}

	@Test
	void aFailedChatCallIsAnErrorAndTheApplicationGetsTheModelsOwnException() {
		Assistant assistant = start();
		this.openAi.enqueue(Reply.error(400, "Invalid model name"));
		assertThatThrownBy(() -> assistant.ask("Hi")).hasMessageContaining("Invalid model name")
			.isInstanceOf(com.openai.errors.BadRequestException.class);
		List<Span> spans = flush(2);
		Span chat = only(spans, CHAT);
		assertThat(chat.getParentSpanId()).isEqualTo(only(spans, "ask").getSpanId());
		assertThat(string(chat, "langfuse.observation.level")).isEqualTo("ERROR");
		assertThat(string(chat, "langfuse.observation.status_message")).contains("Invalid model name");
		assertThat(OtlpRequests.attributes(chat)).doesNotContainKey("langfuse.observation.usage_details");
	}

	@Test
	void aFailedChatCallOutsideAnyObservedMethodIsARootError() {
		start();
		this.openAi.enqueue(Reply.error(400, "Invalid model name"));
		ChatModel chatModel = this.context.getBean(ChatModel.class);
		assertThatThrownBy(() -> chatModel.call(new Prompt("Hi"))).hasMessageContaining("Invalid model name");
		Span chat = only(flush(1), CHAT);
		assertThat(chat.getParentSpanId().isEmpty()).isTrue();
		assertThat(string(chat, "langfuse.observation.level")).isEqualTo("ERROR");
	}

	@Test
	void aFailedStreamIsAnErrorUnderTheObservedMethod(CapturedOutput output) {
		Assistant assistant = start();
		this.openAi.enqueue(Reply.error(400, "Invalid model name"));
		assertThatThrownBy(() -> assistant.askStreaming("Hi")).hasMessageContaining("Invalid model name");
		List<Span> spans = flush(2);
		Span chat = only(spans, CHAT);
		assertThat(chat.getParentSpanId()).isEqualTo(only(spans, "askStreaming").getSpanId());
		assertThat(string(chat, "langfuse.observation.level")).isEqualTo("ERROR");
		assertThat(string(chat, "langfuse.observation.status_message")).contains("Invalid model name");
		// Spring AI's own MessageAggregator logs the failed stream
		assertThat(output).contains("Aggregation Error");
	}

	@Test
	void aChatClientToolLoopIsAChainOfTwoGenerationsAroundTheToolAndTheToolsObservedCodeNestsUnderTheTool() {
		Assistant assistant = start();
		this.openAi.enqueue(Reply.toolCall("call_1", "weather", "{\"city\":\"Paris\"}"));
		this.openAi.enqueue(Reply.text("It is sunny in Paris", 30, 6));
		assertThat(assistant.askWithTools("Weather in Paris?")).isEqualTo("It is sunny in Paris");
		assertToolLoop(flush(6), "askWithTools", false);
	}

	@Test
	void aStreamedChatClientToolLoopIsAChainOfTwoGenerationsAroundTheTool() {
		Assistant assistant = start();
		this.openAi.enqueue(Reply.toolCall("call_1", "weather", "{\"city\":\"Paris\"}"));
		this.openAi.enqueue(Reply.text("It is sunny in Paris", 30, 6));
		assertThat(assistant.streamWithTools("Weather in Paris?")).isEqualTo("It is sunny in Paris");
		assertToolLoop(flush(6), "streamWithTools", true);
	}

	private void assertToolLoop(List<Span> spans, String root, boolean streamed) {
		Span method = only(spans, root);
		Span client = only(spans, "chat_client");
		Span tool = only(spans, "weather");
		Span forecast = only(spans, "forecast");
		List<Span> chats = spans.stream()
			.filter((span) -> span.getName().equals(CHAT))
			.sorted((a, b) -> Long.compare(a.getStartTimeUnixNano(), b.getStartTimeUnixNano()))
			.toList();
		assertThat(chats).hasSize(2);
		assertThat(client.getParentSpanId()).isEqualTo(method.getSpanId());
		assertThat(string(client, "langfuse.observation.type")).isEqualTo("chain");
		assertThat(OtlpRequests.attributes(client)).doesNotContainKey("langfuse.observation.usage_details");
		assertThat(json(client, "langfuse.observation.output").path("content").asText())
			.isEqualTo("It is sunny in Paris");
		assertThat(chats).allSatisfy((chat) -> assertThat(chat.getParentSpanId()).isEqualTo(client.getSpanId()));
		assertThat(tool.getParentSpanId()).isEqualTo(client.getSpanId());
		assertThat(string(tool, "langfuse.observation.type")).isEqualTo("tool");
		assertThat(string(tool, "langfuse.observation.input")).contains("Paris");
		assertThat(string(tool, "langfuse.observation.output")).contains("Sunny in Paris");
		assertThat(string(tool, "langfuse.observation.metadata.tool_call_id")).isEqualTo("call_1");
		assertThat(forecast.getParentSpanId()).isEqualTo(tool.getSpanId());
		Span first = chats.get(0);
		Span second = chats.get(1);
		if (streamed) {
			// a streamed generation stops once the tool calling advisor has its answer, which may
			// be after the tool started (Spring AI stops it in doFinally)
			assertThat(first.getStartTimeUnixNano()).isLessThan(tool.getStartTimeUnixNano());
		}
		else {
			assertThat(first.getEndTimeUnixNano()).isLessThanOrEqualTo(tool.getStartTimeUnixNano());
		}
		assertThat(tool.getEndTimeUnixNano()).isLessThanOrEqualTo(second.getStartTimeUnixNano());
		JsonNode toolCalls = json(first, "langfuse.observation.output").path("tool_calls");
		assertThat(toolCalls.path(0).path("function").path("name").asText()).isEqualTo("weather");
		assertThat(json(first, "langfuse.observation.usage_details").path("input").asInt()).isEqualTo(20);
		JsonNode secondInput = json(second, "langfuse.observation.input");
		JsonNode toolMessage = secondInput.get(secondInput.size() - 1);
		assertThat(toolMessage.path("role").asText()).isEqualTo("tool");
		assertThat(toolMessage.path("tool_call_id").asText()).isEqualTo("call_1");
		assertThat(secondInput.get(secondInput.size() - 2).path("tool_calls").path(0).path("id").asText())
			.isEqualTo("call_1");
		assertThat(json(second, "langfuse.observation.usage_details"))
			.isEqualTo(JSON.readTree("{\"input\":30,\"output\":6,\"total\":36}"));
	}

	@Test
	void anEmbeddingCallIsAnEmbeddingUnderTheObservedMethod() {
		Assistant assistant = start();
		assertThat(assistant.embed(List.of("one", "two"))).isEqualTo(2);
		List<Span> spans = flush(2);
		Span embedding = only(spans, "embedding text-embedding-3-small");
		assertThat(embedding.getParentSpanId()).isEqualTo(only(spans, "embed").getSpanId());
		assertThat(string(embedding, "langfuse.observation.type")).isEqualTo("embedding");
		assertThat(string(embedding, "langfuse.observation.model.name")).isEqualTo("text-embedding-3-small");
		assertThat(json(embedding, "langfuse.observation.input")).isEqualTo(JSON.readTree("[\"one\",\"two\"]"));
		assertThat(json(embedding, "langfuse.observation.usage_details"))
			.isEqualTo(JSON.readTree("{\"input\":10,\"total\":10}"));
		assertThat(json(embedding, "langfuse.observation.model.parameters").path("dimensions").asInt()).isEqualTo(3);
		assertThat(OtlpRequests.attributes(embedding).get("langfuse.observation.metadata.embeddings").getIntValue())
			.isEqualTo(2);
	}

	@Test
	void aChatCallInsideAnObservedGenerationFillsThatGenerationInsteadOfNestingOne() {
		Assistant assistant = start();
		assertThat(assistant.generate("Hi")).isEqualTo("Hello world");
		Span generate = only(flush(1), "generate");
		assertThat(string(generate, "langfuse.observation.type")).isEqualTo("generation");
		assertThat(string(generate, "langfuse.observation.model.name")).isEqualTo(FakeOpenAiServer.MODEL);
		assertThat(json(generate, "langfuse.observation.usage_details"))
			.isEqualTo(JSON.readTree("{\"input\":11,\"output\":7,\"total\":18}"));
		assertThat(json(generate, "langfuse.observation.input"))
			.isEqualTo(JSON.readTree("[{\"role\":\"user\",\"content\":\"Hi\"}]"));
		assertThat(json(generate, "langfuse.observation.output").path("content").asText()).isEqualTo("Hello world");
	}

	@Test
	void withNestingAChatCallInsideAnObservedGenerationIsAGenerationUnderIt() {
		Assistant assistant = start("langfuse.integrations.nested-generation=nest");
		assertThat(assistant.generate("Hi")).isEqualTo("Hello world");
		List<Span> spans = flush(2);
		assertThat(only(spans, CHAT).getParentSpanId()).isEqualTo(only(spans, "generate").getSpanId());
	}

	@Test
	void aStreamInsideAnObservedGenerationIsAGenerationUnderIt() {
		Assistant assistant = start();
		assertThat(String.join("", assistant.generateStreaming("Hi").collectList().block())).isEqualTo("Hello world");
		List<Span> spans = flush(2);
		Span chat = only(spans, CHAT);
		assertThat(chat.getParentSpanId()).isEqualTo(only(spans, "generateStreaming").getSpanId());
		assertThat(json(chat, "langfuse.observation.usage_details").path("total").asInt()).isEqualTo(18);
	}

	@Test
	void theStartersOwnExportIsNotObserved() {
		Assistant assistant = start();
		assertThat(assistant.ask("Hi")).isEqualTo("Hello world");
		flush(2);
		List<String> started = this.context.getBean(SpringAiApplication.RecordingObservationHandler.class).started;
		assertThat(started).anySatisfy((name) -> assertThat(name).startsWith("gen_ai.client.operation"));
		// the export's HTTP client is built without the registry: no http.client.requests to Langfuse
		assertThat(started).noneSatisfy((name) -> assertThat(name).startsWith("http.client.requests"));
		assertThat(started).noneSatisfy((name) -> assertThat(name).contains(String.valueOf(this.langfuse.port())));
	}

	@Test
	void switchedOffSpringAiCallsAreNotRecorded() {
		Assistant assistant = start("langfuse.integrations.spring-ai.enabled=false");
		assertThat(assistant.ask("Hi")).isEqualTo("Hello world");
		assertThat(flush(1)).extracting(Span::getName).containsExactly("ask");
	}

	private Assistant start(String... properties) {
		this.context = new SpringApplicationBuilder(SpringAiApplication.class).web(WebApplicationType.NONE)
			.properties("langfuse.host=" + this.langfuse.url(), "langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
					"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY, "langfuse.export.schedule-delay=50ms",
					"test.openai.base-url=" + this.openAi.baseUrl())
			.properties(properties)
			.run();
		return this.context.getBean(Assistant.class);
	}

	/**
	 * Wait for the expected spans: a stream's generation ends after the subscriber has seen the
	 * end of the stream, so it may still be open when the observed method returns.
	 */
	private List<Span> flush(int expected) {
		LangfuseClient client = this.context.getBean(LangfuseClient.class);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(client.flush(Duration.ofSeconds(5))).isTrue();
			assertThat(this.langfuse.receivedSpans()).hasSizeGreaterThanOrEqualTo(expected);
		});
		List<Span> spans = this.langfuse.receivedSpans();
		assertThat(spans).as("spans %s", spans.stream().map(Span::getName).toList()).hasSize(expected);
		return spans;
	}

	private static Span only(List<Span> spans, String name) {
		List<Span> matching = spans.stream().filter((span) -> span.getName().equals(name)).toList();
		assertThat(matching).as("%s in %s", name, spans.stream().map(Span::getName).toList()).hasSize(1);
		return matching.get(0);
	}

	private static String string(Span span, String key) {
		return OtlpRequests.string(span, key);
	}

	private static JsonNode json(Span span, String key) {
		String value = OtlpRequests.string(span, key);
		assertThat(value).as(key).isNotNull();
		return JSON.readTree(value);
	}

}
