package io.github.observe4j.langfuse.internal.langchain4j;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.message.CustomMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.core.LangfuseSpan;
import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import io.github.observe4j.langfuse.internal.core.LlmCall;
import io.github.observe4j.langfuse.internal.core.LlmCalls;
import io.github.observe4j.langfuse.internal.core.ObservationContextHolder;
import io.github.observe4j.langfuse.internal.core.TracerSettings;
import io.github.observe4j.langfuse.internal.json.JacksonValueSerializer;
import io.github.observe4j.langfuse.internal.model.JsonText;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.model.ObservationLevel;
import io.github.observe4j.langfuse.testsupport.FakeOpenAiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for the LangChain4j adapter without Spring: hooks that fail, the reaping of calls left
 * open, the mapping of messages, the hand-over along a streamed chain, and embeddings.
 */
@ExtendWith(OutputCaptureExtension.class)
class LangfuseChatModelListenerTests {

	private final FakeOpenAiServer openAi = FakeOpenAiServer.start();

	private final List<ObservationRecord> exported = new CopyOnWriteArrayList<>();

	private final LangfuseTracer tracer = new LangfuseTracer(
			TracerSettings.defaults("http://localhost:3000", new JacksonValueSerializer()), this.exported::add);

	private final LlmCalls calls = new LlmCalls(this.tracer, true);

	@AfterEach
	void stop() {
		ObservationContextHolder.swap(null);
		this.openAi.close();
	}

	private OpenAiChatModel chatModel(LangfuseChatModelListener listener) {
		return OpenAiChatModel.builder()
			.baseUrl(this.openAi.baseUrl() + "/v1")
			.apiKey("test-key")
			.modelName("gpt-4o-mini")
			.maxRetries(0)
			.listeners(List.of(listener))
			.build();
	}

	@Test
	void hookThatThrowsCannotFailTheCallAndIsLoggedOnce(CapturedOutput output) throws Exception {
		LangfuseChatModelListener listener = new LangfuseChatModelListener(() -> {
			throw new IllegalStateException("boom");
		});
		OpenAiChatModel model = chatModel(listener);
		for (int i = 0; i < 3; i++) {
			assertThat(model.chat("Hi")).isEqualTo("Hello world");
		}
		CompletableFuture<ChatResponse> done = new CompletableFuture<>();
		OpenAiStreamingChatModel.builder()
			.baseUrl(this.openAi.baseUrl() + "/v1")
			.apiKey("test-key")
			.modelName("gpt-4o-mini")
			.listeners(List.of(listener))
			.build()
			.chat("Hi", new StreamingChatResponseHandler() {

				@Override
				public void onCompleteResponse(ChatResponse response) {
					done.complete(response);
				}

				@Override
				public void onError(Throwable error) {
					done.completeExceptionally(error);
				}

			});
		assertThat(done.get(10, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("Hello world");
		assertThat(output).containsOnlyOnce(
				"Langfuse could not record a LangChain4j chat request: IllegalStateException: boom");
		assertThat(this.exported).isEmpty();
	}

	@Test
	void toolAdviceThatFailsCannotFailTheToolNorChangeWhatItThrows(CapturedOutput output) {
		ProxyFactory factory = new ProxyFactory(new Tools());
		factory.setProxyTargetClass(true);
		factory.addAdvisor(new LangChain4jToolAdvisor(() -> {
			throw new IllegalStateException("boom");
		}, 0));
		Tools tools = (Tools) factory.getProxy();
		assertThat(tools.echo("hi")).isEqualTo("hi");
		IllegalArgumentException failure = new IllegalArgumentException("bad");
		assertThat(catchThrowable(() -> tools.fail(failure))).isSameAs(failure);
		assertThat(output).containsOnlyOnce(
				"Langfuse could not record a LangChain4j tool call: IllegalStateException: boom");
	}

	@Test
	void failingToolIsAnErrorAndItsExceptionPassesUnchanged() {
		ProxyFactory factory = new ProxyFactory(new Tools());
		factory.setProxyTargetClass(true);
		factory.addAdvisor(new LangChain4jToolAdvisor(() -> this.calls, 0));
		Tools tools = (Tools) factory.getProxy();
		IllegalArgumentException failure = new IllegalArgumentException("bad");
		assertThat(catchThrowable(() -> tools.fail(failure))).isSameAs(failure);
		assertThat(this.exported).singleElement().satisfies((record) -> {
			assertThat(record.name()).isEqualTo("fail");
			assertThat(record.type()).isEqualTo(ObservationType.TOOL);
			assertThat(record.level()).isEqualTo(ObservationLevel.ERROR);
			assertThat(record.statusMessage()).contains("bad");
		});
	}

	@Test
	void callLeftOpenLongerThanTheBoundIsEndedAsIncompleteWhenTheNextStarts() {
		AtomicLong now = new AtomicLong();
		OpenChatCalls open = new OpenChatCalls(Duration.ofMinutes(10), 2, now::get);
		LlmCall cancelled = this.calls.start("chat cancelled", ObservationType.GENERATION, null, true);
		open.opened(cancelled);
		now.addAndGet(Duration.ofMinutes(5).toNanos());
		LlmCall answered = this.calls.start("chat answered", ObservationType.GENERATION, null, true);
		open.opened(answered);
		assertThat(this.exported).isEmpty();
		now.addAndGet(Duration.ofMinutes(6).toNanos());
		LlmCall next = this.calls.start("chat next", ObservationType.GENERATION, null, true);
		open.opened(next);
		assertThat(this.exported).singleElement().satisfies((record) -> {
			assertThat(record.name()).isEqualTo("chat cancelled");
			assertThat(record.level()).isEqualTo(ObservationLevel.WARNING);
			assertThat(record.statusMessage()).contains("cancelled stream");
		});
		open.closed(answered);
		answered.end();
		assertThat(open.endAll("shutdown")).isEqualTo(1);
		assertThat(this.exported).extracting(ObservationRecord::name)
			.containsExactly("chat cancelled", "chat answered", "chat next");
		assertThat(open.size()).isZero();
	}

	@Test
	void openCallsAreRememberedUpToTheirBound() {
		OpenChatCalls open = new OpenChatCalls(Duration.ofMinutes(10), 2, System::nanoTime);
		for (int i = 0; i < 5; i++) {
			open.opened(this.calls.start("chat " + i, ObservationType.GENERATION, null, true));
		}
		assertThat(open.size()).isEqualTo(2);
	}

	@Test
	void messagesAreMappedToOpenAiShapeWithMediaAsPlaceholders() {
		List<Map<String, Object>> messages = ChatMessages.messages(List.of(SystemMessage.from("Be brief"),
				UserMessage.from(TextContent.from("What is this?"), ImageContent.from("https://example.org/cat.png")),
				new CustomMessage(Map.of("kind", "note"))));
		assertThat(messages.get(0)).containsExactly(Map.entry("role", "system"), Map.entry("content", "Be brief"));
		assertThat(messages.get(1)).containsEntry("role", "user")
			.containsEntry("content", List.of(Map.of("type", "text", "text", "What is this?"),
					Map.of("type", "text", "text", "[image]")));
		assertThat(messages.get(2)).containsEntry("role", "custom");
	}

	@Test
	void parentHandedOnIsPutBackByTheNextCallbackOnTheThread() {
		LangfuseSpan outer = this.tracer.startObservation("outer", ObservationType.SPAN);
		LangfuseSpan parent = this.tracer.startObservation("parent", ObservationType.SPAN);
		ObservationContextHolder.swap(outer);
		StreamingChains.handOn(parent);
		assertThat(ObservationContextHolder.get()).isSameAs(parent);
		StreamingChains.release();
		assertThat(ObservationContextHolder.get()).isSameAs(outer);
		StreamingChains.handOn(parent);
		assertThat(StreamingChains.take()).isSameAs(parent);
		assertThat(ObservationContextHolder.get()).isSameAs(outer);
		assertThat(StreamingChains.take()).isNull();
	}

	@Test
	void noModelUpTheStackCountsAsStreamingSoNothingIsFolded() {
		assertThat(LangfuseChatModelListener.calledByStreamingModel()).isTrue();
	}

	@Test
	void embeddingIsAnEmbeddingObservationWithoutTheVectors() {
		LangfuseSpan outer = this.tracer.startObservation("index", ObservationType.SPAN);
		ObservationContextHolder.swap(outer);
		EmbeddingModel model = OpenAiEmbeddingModel.builder()
			.baseUrl(this.openAi.baseUrl() + "/v1")
			.apiKey("test-key")
			.modelName("text-embedding-3-small")
			.maxRetries(0)
			.listeners(List.of(new LangfuseEmbeddingModelListener(() -> this.calls)))
			.build();
		assertThat(model.embedAll(List.of(TextSegment.from("cats"), TextSegment.from("dogs"))).content()).hasSize(2);
		ObservationContextHolder.swap(null);
		this.tracer.endObservation(outer);
		assertThat(this.exported).extracting(ObservationRecord::name)
			.containsExactlyInAnyOrder("index", "embedding text-embedding-3-small");
		assertThat(this.exported).filteredOn((record) -> record.type() == ObservationType.EMBEDDING)
			.singleElement()
			.satisfies((record) -> {
			assertThat(record.name()).isEqualTo("embedding text-embedding-3-small");
			assertThat(record.type()).isEqualTo(ObservationType.EMBEDDING);
			assertThat(record.parentSpanId()).isEqualTo(outer.spanId());
			assertThat(record.usageDetails()).containsEntry("input", 10L).containsEntry("total", 10L);
			assertThat(((JsonText) record.input()).json()).isEqualTo("[\"cats\",\"dogs\"]");
				assertThat(((JsonText) record.output()).json()).isEqualTo("{\"embeddings\":2,\"dimensions\":3}");
			});
	}

	static class Tools {

		@Tool
		public String echo(String text) {
			return text;
		}

		@Tool
		public String fail(RuntimeException failure) {
			throw failure;
		}

	}

}
