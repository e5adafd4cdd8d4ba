package io.github.observe4j.langfuse.springai;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.annotation.ObservationType;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.OpenAiEmbeddingModel;
import org.springframework.ai.openai.OpenAiEmbeddingOptions;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * An application that uses Spring AI as its users do: OpenAI chat and embedding models built
 * on the application's observation registry, a {@code ChatClient} with a tool, and observed
 * services around them; the models talk to the base URL in {@code test.openai.base-url}.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class SpringAiApplication {

	static final String MODEL = "gpt-4o-mini";

	@Bean
	OpenAiChatModel chatModel(ObservationRegistry observationRegistry, Environment environment) {
		return OpenAiChatModel.builder()
			.options(OpenAiChatOptions.builder()
				.baseUrl(environment.getRequiredProperty("test.openai.base-url") + "/v1")
				.apiKey("sk-test")
				.model(MODEL)
				.temperature(0.2)
				.maxTokens(100)
				.maxRetries(0)
				.timeout(Duration.ofSeconds(10))
				.streamUsage(true)
				.build())
			.observationRegistry(observationRegistry)
			.build();
	}

	@Bean
	OpenAiEmbeddingModel embeddingModel(ObservationRegistry observationRegistry, Environment environment) {
		return OpenAiEmbeddingModel.builder()
			.options(OpenAiEmbeddingOptions.builder()
				.baseUrl(environment.getRequiredProperty("test.openai.base-url") + "/v1")
				.apiKey("sk-test")
				.model("text-embedding-3-small")
				.dimensions(3)
				.maxRetries(0)
				.build())
			.observationRegistry(observationRegistry)
			.build();
	}

	@Bean
	ChatClient chatClient(ChatModel chatModel, ObservationRegistry observationRegistry) {
		return ChatClient.builder(chatModel, observationRegistry, null, null).build();
	}

	@Bean
	RecordingObservationHandler recordingObservationHandler() {
		return new RecordingObservationHandler();
	}

	@Bean
	Forecaster forecaster() {
		return new Forecaster();
	}

	@Bean
	WeatherTools weatherTools(Forecaster forecaster) {
		return new WeatherTools(forecaster);
	}

	@Bean
	Assistant assistant(ChatModel chatModel, EmbeddingModel embeddingModel, ChatClient chatClient,
			WeatherTools weatherTools) {
		return new Assistant(chatModel, embeddingModel, chatClient, weatherTools);
	}

	/** Observed code that calls Spring AI. */
	public static class Assistant {

		private final ChatModel chatModel;

		private final EmbeddingModel embeddingModel;

		private final ChatClient chatClient;

		private final WeatherTools weatherTools;

		Assistant(ChatModel chatModel, EmbeddingModel embeddingModel, ChatClient chatClient,
				WeatherTools weatherTools) {
			this.chatModel = chatModel;
			this.embeddingModel = embeddingModel;
			this.chatClient = chatClient;
			this.weatherTools = weatherTools;
		}

		@Observe
		public String ask(String question) {
			return this.chatModel.call(new Prompt(question)).getResult().getOutput().getText();
		}

		@Observe
		public String askStreaming(String question) {
			return String.join("", this.chatModel.stream(new Prompt(question))
				.mapNotNull(Assistant::text)
				.collectList()
				.block());
		}

		@Observe
		public Flux<String> streamAnswer(String question) {
			return this.chatModel.stream(new Prompt(question)).mapNotNull(Assistant::text);
		}

		@Observe
		public Flux<String> streamAnswerAfterADelay(String question) {
			// the stream is subscribed to on a timer thread, not where the method ran
			return Mono.delay(Duration.ofMillis(20))
				.flatMapMany((tick) -> this.chatModel.stream(new Prompt(question)))
				.mapNotNull(Assistant::text);
		}

		@Observe
		public String firstStreamedWord(String question) {
			return this.chatModel.stream(new Prompt(question))
				.mapNotNull(Assistant::text)
				.take(1)
				.blockFirst();
		}

		@Observe(type = ObservationType.GENERATION)
		public String generate(String question) {
			return this.chatModel.call(new Prompt(question)).getResult().getOutput().getText();
		}

		@Observe(type = ObservationType.GENERATION)
		public Flux<String> generateStreaming(String question) {
			return this.chatModel.stream(new Prompt(question)).mapNotNull(Assistant::text);
		}

		private static @Nullable String text(ChatResponse response) {
			// the last chunk of a stream carries usage and no answer
			return (response.getResult() != null) ? response.getResult().getOutput().getText() : null;
		}

		@Observe
		public String askWithTools(String question) {
			return this.chatClient.prompt(question).tools(this.weatherTools).call().content();
		}

		@Observe
		public String streamWithTools(String question) {
			return String.join("", this.chatClient.prompt(question).tools(this.weatherTools).stream().content()
				.collectList().block());
		}

		@Observe
		public int embed(List<String> texts) {
			return this.embeddingModel.embed(texts).size();
		}

	}

	/** Every observation the application's registry starts, as another handler sees it. */
	static class RecordingObservationHandler implements ObservationHandler<Observation.Context> {

		final List<String> started = new CopyOnWriteArrayList<>();

		@Override
		public void onStart(Observation.Context context) {
			this.started.add(context.getName() + " " + context.getClass().getSimpleName() + " "
					+ ((context instanceof SenderContext<?> sender) ? sender.getRemoteServiceAddress() : ""));
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

	/** A Spring AI tool that calls observed code. */
	public static class WeatherTools {

		private final Forecaster forecaster;

		WeatherTools(Forecaster forecaster) {
			this.forecaster = forecaster;
		}

		@Tool(description = "The weather in a city")
		public String weather(String city) {
			return this.forecaster.forecast(city);
		}

	}

	/** Observed code inside a tool. */
	public static class Forecaster {

		@Observe
		public String forecast(String city) {
			return "Sunny in " + city;
		}

	}

}
