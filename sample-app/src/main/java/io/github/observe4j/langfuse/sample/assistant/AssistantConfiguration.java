package io.github.observe4j.langfuse.sample.assistant;

import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The assistant's Spring AI beans, built by hand rather than by Spring AI's auto-configuration so
 * that the model points at the right place: the endpoint in {@code sample.ai.base-url} and
 * {@code sample.ai.api-key} when both are set, a loopback {@link OpenAiStubServer} otherwise.
 * Both are built on the application's observation registry, which is all the starter needs to
 * record them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AssistantProperties.class)
class AssistantConfiguration {

	private static final Log logger = LogFactory.getLog(AssistantConfiguration.class);

	@Bean(destroyMethod = "close")
	ModelEndpoint assistantModelEndpoint(AssistantProperties properties) {
		if (properties.usesRemoteEndpoint()) {
			logger.info("The assistant uses model '" + properties.model() + "' at " + properties.baseUrl());
			return new ModelEndpoint(properties.baseUrl(), properties.apiKey(), null);
		}
		OpenAiStubServer stub = OpenAiStubServer.start();
		logger.info("The assistant uses the OpenAI stub at " + stub.baseUrl() + " (set sample.ai.base-url and "
				+ "sample.ai.api-key for a real model)");
		return new ModelEndpoint(stub.baseUrl(), "stub", stub);
	}

	@Bean
	OpenAiChatModel assistantChatModel(ModelEndpoint endpoint, AssistantProperties properties,
			ObservationRegistry observationRegistry) {
		return OpenAiChatModel.builder()
			.options(OpenAiChatOptions.builder()
				.baseUrl(endpoint.baseUrl() + "/v1")
				.apiKey(endpoint.apiKey())
				.model(properties.model())
				.temperature(properties.temperature())
				.maxTokens(properties.maxTokens())
				.timeout(properties.timeout())
				.streamUsage(true)
				.build())
			.observationRegistry(observationRegistry)
			.build();
	}

	@Bean
	ChatClient assistantChatClient(ChatModel chatModel, ObservationRegistry observationRegistry) {
		return ChatClient.builder(chatModel, observationRegistry, null, null).build();
	}

	/**
	 * Where the chat model is served, and the stub serving it when there is one.
	 *
	 * @param baseUrl base URL, without {@code /v1}
	 * @param apiKey API key
	 * @param stub the loopback stub, stopped with the application, or {@code null}
	 */
	record ModelEndpoint(String baseUrl, String apiKey, @Nullable OpenAiStubServer stub) implements AutoCloseable {

		@Override
		public void close() {
			if (this.stub != null) {
				this.stub.close();
			}
		}

		@Override
		public String toString() {
			return "ModelEndpoint[baseUrl=" + this.baseUrl + ", apiKey=******]";
		}

	}

}
