package io.github.observe4j.langfuse.sample.llm;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Chooses the language model: a real OpenAI-compatible endpoint when {@code sample.llm.base-url}
 * and {@code sample.llm.api-key} are set, the deterministic fake otherwise.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LlmProperties.class)
class LlmConfiguration {

	private static final Log logger = LogFactory.getLog(LlmConfiguration.class);

	@Bean
	LlmClient llmClient(LlmProperties properties) {
		if (!properties.usesRemoteEndpoint()) {
			logger.info("Using the deterministic fake model '" + properties.model() + "'");
			return new FakeLlmClient(properties.model(), properties.latency());
		}
		logger.info("Using model '" + properties.model() + "' at " + properties.baseUrl());
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory();
		requestFactory.setReadTimeout(properties.timeout());
		RestClient restClient = RestClient.builder()
			.baseUrl(properties.baseUrl())
			.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + properties.apiKey())
			.requestFactory(requestFactory)
			.build();
		return new OpenAiCompatibleLlmClient(restClient);
	}

}
