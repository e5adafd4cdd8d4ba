package io.github.observe4j.langfuse.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import io.github.observe4j.langfuse.internal.core.LlmCalls;
import io.github.observe4j.langfuse.internal.core.ObservationContextHolder;
import io.github.observe4j.langfuse.internal.core.TracerSettings;
import io.github.observe4j.langfuse.internal.json.JacksonValueSerializer;
import io.github.observe4j.langfuse.internal.springai.ChatModelMapping;
import io.github.observe4j.langfuse.internal.springai.SpringAiObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.observation.ChatModelObservationDocumentation;
import org.springframework.ai.chat.observation.DefaultChatModelObservationConvention;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * What the Langfuse Spring AI handler adds to one {@code ChatModel.call}: a chat model that does
 * what a provider's does (an observation around the call, the response set on its context) with
 * the HTTP exchange replaced by a canned answer, on a registry with a do-nothing handler that
 * stands for the application's other handlers (metrics), {@code without} and {@code with} the
 * Langfuse handler. The recorded generations go to a counting sink: what is measured is the
 * caller's cost, the export thread's work is measured by the export benchmarks.
 * {@code messages} is the prompt's length (a system message, then user turns).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
@State(Scope.Benchmark)
public class SpringAiBenchmarks {

	@Param({ "without", "with" })
	public String handler;

	@Param({ "2", "10" })
	public int messages;

	private final LongAdder recorded = new LongAdder();

	private ChatModel chatModel;

	private Prompt prompt;

	@Setup(Level.Trial)
	public void setUp() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new OtherHandler());
		if ("with".equals(this.handler)) {
			LangfuseTracer tracer = new LangfuseTracer(
					TracerSettings.defaults("http://localhost:3000", new JacksonValueSerializer()),
					(record) -> {
						this.recorded.increment();
						return true;
					});
			LlmCalls calls = new LlmCalls(tracer, true);
			registry.observationConfig()
				.observationHandler(new SpringAiObservationHandler<>(new ChatModelMapping(), () -> calls));
		}
		this.chatModel = new StubChatModel(registry);
		List<org.springframework.ai.chat.messages.Message> conversation = new java.util.ArrayList<>();
		conversation.add(new SystemMessage("You are a helpful assistant that answers in one short sentence."));
		for (int i = 1; i < this.messages; i++) {
			conversation.add((i % 2 == 1) ? new UserMessage("What is the weather like in city number " + i + "?")
					: new AssistantMessage("It is sunny in city number " + (i - 1) + "."));
		}
		this.prompt = new Prompt(conversation,
				ChatOptions.builder().model("gpt-4o-mini").temperature(0.2).maxTokens(100).build());
		ObservationContextHolder.swap(null);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		System.out.println("generations recorded: " + this.recorded.sum());
	}

	@Benchmark
	public ChatResponse call() {
		return this.chatModel.call(this.prompt);
	}

	/** A provider's chat model with the HTTP exchange replaced by a canned answer. */
	static final class StubChatModel implements ChatModel {

		private static final DefaultChatModelObservationConvention CONVENTION = new DefaultChatModelObservationConvention();

		private final ObservationRegistry registry;

		StubChatModel(ObservationRegistry registry) {
			this.registry = registry;
		}

		@Override
		public ChatResponse call(Prompt prompt) {
			ChatModelObservationContext context = ChatModelObservationContext.builder()
				.prompt(prompt)
				.provider("openai")
				.build();
			return ChatModelObservationDocumentation.CHAT_MODEL_OPERATION
				.observation(null, CONVENTION, () -> context, this.registry)
				.observe(() -> {
					ChatResponse response = new ChatResponse(
							List.of(new Generation(new AssistantMessage("It is sunny."),
									ChatGenerationMetadata.builder().finishReason("STOP").build())),
							ChatResponseMetadata.builder()
								.id("chatcmpl-1")
								.model("gpt-4o-mini-2024-07-18")
								.usage(new DefaultUsage(42, 5))
								.build());
					context.setResponse(response);
					return response;
				});
		}

		@Override
		public ChatOptions getDefaultOptions() {
			return ChatOptions.builder().model("gpt-4o-mini").build();
		}

	}

	/** Stands for the application's other handlers, so both cases create real observations. */
	static final class OtherHandler implements ObservationHandler<Observation.Context> {

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}
