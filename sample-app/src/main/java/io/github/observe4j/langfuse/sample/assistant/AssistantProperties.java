package io.github.observe4j.langfuse.sample.assistant;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;

/**
 * Settings of the assistant's chat model, under {@code sample.ai}.
 *
 * @param baseUrl base URL of an OpenAI-compatible endpoint, without {@code /v1}, for example
 * {@code https://api.openai.com}; unset means the loopback stub
 * @param apiKey API key of that endpoint
 * @param model model to ask
 * @param temperature sampling temperature
 * @param maxTokens the most tokens a completion may have
 * @param timeout how long to wait for the endpoint
 */
@ConfigurationProperties("sample.ai")
public record AssistantProperties(@Nullable String baseUrl, @Nullable String apiKey,
		@DefaultValue("gpt-4o-mini") String model, @DefaultValue("0.7") double temperature,
		@DefaultValue("400") int maxTokens, @DefaultValue("60s") Duration timeout) {

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
		return "AssistantProperties[baseUrl=" + this.baseUrl + ", model=" + this.model + ", apiKey="
				+ (StringUtils.hasText(this.apiKey) ? "******" : "") + "]";
	}

}
