package io.github.observe4j.langfuse.sample.llm;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;

/**
 * Settings of the language model, under {@code sample.llm}.
 *
 * @param baseUrl base URL of an OpenAI-compatible endpoint, for example
 * {@code https://api.openai.com/v1}; unset means the deterministic fake model
 * @param apiKey API key of that endpoint
 * @param model model to ask
 * @param temperature sampling temperature
 * @param maxTokens the most tokens a completion may have
 * @param latency how long the fake model takes per completion
 * @param timeout how long to wait for a real endpoint
 */
@ConfigurationProperties("sample.llm")
public record LlmProperties(@Nullable String baseUrl, @Nullable String apiKey,
		@DefaultValue("fake-storyteller-1") String model, @DefaultValue("0.7") double temperature,
		@DefaultValue("400") int maxTokens, @DefaultValue("0ms") Duration latency,
		@DefaultValue("60s") Duration timeout) {

	/**
	 * Return whether a real endpoint is configured.
	 * @return whether both the base URL and the API key are set
	 */
	public boolean usesRemoteEndpoint() {
		return StringUtils.hasText(this.baseUrl) && StringUtils.hasText(this.apiKey);
	}

	@Override
	public String toString() {
		// Records print every component; the API key must never reach a log.
		return "LlmProperties[baseUrl=" + this.baseUrl + ", model=" + this.model + ", apiKey="
				+ (StringUtils.hasText(this.apiKey) ? "******" : "") + "]";
	}

}
