package io.github.observe4j.langfuse.internal.springai;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import io.github.observe4j.langfuse.internal.core.LlmCall;
import io.github.observe4j.langfuse.internal.core.LlmCalls;
import io.github.observe4j.langfuse.internal.core.ObservationContextHolder;
import io.github.observe4j.langfuse.internal.core.TracerSettings;
import io.github.observe4j.langfuse.internal.json.JacksonValueSerializer;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.model.ObservationLevel;
import io.github.observe4j.langfuse.testsupport.FakeOpenAiServer;
import io.github.observe4j.langfuse.testsupport.FakeOpenAiServer.Reply;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.observation.ModelObservationContext;
import org.springframework.ai.observation.AiOperationMetadata;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.observation.conventions.AiProvider;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link SpringAiObservationHandler} on a real observation registry and a real
 * OpenAI chat model talking to a loopback server.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringAiObservationHandlerTests {

	private final List<ObservationRecord> exported = new CopyOnWriteArrayList<>();

	private final LlmCalls calls = new LlmCalls(new LangfuseTracer(
			TracerSettings.defaults("http://localhost:3000", new JacksonValueSerializer()), this.exported::add), true);

	private final ObservationRegistry registry = ObservationRegistry.create();

	private final FakeOpenAiServer openAi = FakeOpenAiServer.start();

	@AfterEach
	void stop() {
		this.openAi.close();
		ObservationContextHolder.swap(null);
	}

	@Test
	void aMappingThatThrowsNeitherFailsTheCallNorLeavesTheObservationOpen(CapturedOutput output) {
		register(new ThrowingMapping());
		ChatModel model = chatModel();
		assertThat(model.call(new Prompt("Hi")).getResult().getOutput().getText()).isEqualTo("Hello world");
		assertThat(model.call(new Prompt("Again")).getResult().getOutput().getText()).isEqualTo("Hello world");
		assertThat(this.exported).hasSize(2);
		assertThat(output).contains("Langfuse could not record a Spring AI ChatModelObservationContext (start);"
				+ " the call itself is unaffected: IllegalStateException: mapping failed at start");
		assertThat(output).contains("(stop); the call itself is unaffected");
		assertThat(output.toString().split("mapping failed at start", -1)).as("throttled to one WARN a minute")
			.hasSize(2);
	}

	@Test
	void aMappingThatThrowsLeavesTheModelsOwnExceptionUnchanged(CapturedOutput output) {
		register(new ThrowingMapping());
		this.openAi.enqueue(Reply.error(400, "Invalid model name"));
		assertThatThrownBy(() -> chatModel().call(new Prompt("Hi")))
			.isInstanceOf(com.openai.errors.BadRequestException.class)
			.hasMessageContaining("Invalid model name");
		assertThat(this.exported).singleElement()
			.satisfies((record) -> assertThat(record.level()).isEqualTo(ObservationLevel.ERROR));
		assertThat(output).contains("mapping failed at start");
	}

	@Test
	void aFactoryThatThrowsDoesNotFailTheCall(CapturedOutput output) {
		this.registry.observationConfig().observationHandler(new SpringAiObservationHandler<>(new ChatModelMapping(), () -> {
			throw new IllegalStateException("no tracer");
		}));
		assertThat(chatModel().call(new Prompt("Hi")).getResult().getOutput().getText()).isEqualTo("Hello world");
		assertThat(this.exported).isEmpty();
		assertThat(output).contains("no tracer");
	}

	@Test
	void onlyTheExactContextClassIsSupported() {
		SpringAiObservationHandler<ChatModelObservationContext> handler = new SpringAiObservationHandler<>(
				new ChatModelMapping(), () -> this.calls);
		assertThat(handler.supportsContext(chatContext())).isTrue();
		assertThat(handler.supportsContext(new Observation.Context())).isFalse();
		// the superclass, which LangChain4j-style look-alikes and other Spring AI contexts share
		assertThat(handler.supportsContext(new ModelObservationContext<>(new Prompt("Hi"),
				new AiOperationMetadata("chat", "openai")))).isFalse();
	}

	@Test
	void whileItsScopeIsOpenTheCallIsTheThreadsCurrentObservation() {
		register(new ChatModelMapping());
		ChatModelObservationContext chat = chatContext();
		Observation observation = Observation.createNotStarted("gen_ai.client.operation", () -> chat, this.registry)
			.start();
		LlmCall outerCall = this.calls.start("outer", ObservationType.SPAN, null, false);
		ObservationContextHolder.swap(outerCall.context());
		try (Observation.Scope scope = observation.openScope()) {
			LlmCall call = chat.get(LlmCall.class);
			assertThat(ObservationContextHolder.get()).isSameAs(call.context());
		}
		assertThat(ObservationContextHolder.get()).isSameAs(outerCall.context());
		observation.stop();
	}

	@Test
	void aChildObservationOnAnotherThreadFindsItsParentUpTheObservationChain() throws Exception {
		register(new ChatModelMapping());
		ChatModelObservationContext parent = chatContext();
		Observation parentObservation = Observation
			.createNotStarted("gen_ai.client.operation", () -> parent, this.registry)
			.start();
		ChatModelObservationContext child = chatContext();
		Thread thread = new Thread(() -> {
			Observation.createNotStarted("gen_ai.client.operation", () -> child, this.registry)
				.parentObservation(parentObservation)
				.start()
				.stop();
		});
		thread.start();
		thread.join();
		parentObservation.stop();
		// found up the chain, a chat inside a chat is the same model call seen twice and is
		// folded into it; not found, it would have been a trace of its own
		assertThat(this.exported).singleElement().satisfies((record) -> assertThat(record.parentSpanId()).isZero());
	}

	private void register(SpringAiMapping<ChatModelObservationContext> mapping) {
		this.registry.observationConfig().observationHandler(new SpringAiObservationHandler<>(mapping, () -> this.calls));
	}

	private ChatModel chatModel() {
		return OpenAiChatModel.builder()
			.options(OpenAiChatOptions.builder()
				.baseUrl(this.openAi.baseUrl() + "/v1")
				.apiKey("sk-test")
				.model("gpt-4o-mini")
				.maxRetries(0)
				.build())
			.observationRegistry(this.registry)
			.build();
	}

	private static ChatModelObservationContext chatContext() {
		return ChatModelObservationContext.builder().prompt(new Prompt("Hi")).provider(AiProvider.OPENAI.value()).build();
	}

	/** Reads nothing and fails at every step, as a bug or an unexpected Spring AI value could. */
	private static final class ThrowingMapping implements SpringAiMapping<ChatModelObservationContext> {

		private final ChatModelMapping delegate = new ChatModelMapping();

		@Override
		public Class<ChatModelObservationContext> contextType() {
			return ChatModelObservationContext.class;
		}

		@Override
		public ObservationType type() {
			return ObservationType.GENERATION;
		}

		@Override
		public String name(ChatModelObservationContext context) {
			return this.delegate.name(context);
		}

		@Override
		public void started(ChatModelObservationContext context, LlmCall call) {
			throw new IllegalStateException("mapping failed at start");
		}

		@Override
		public void stopped(ChatModelObservationContext context, LlmCall call) {
			throw new IllegalStateException("mapping failed at stop");
		}

	}

}
