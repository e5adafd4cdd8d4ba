package io.github.observe4j.langfuse.sample.llm;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link FakeLlmClient}.
 */
class FakeLlmClientTests {

	private static final String MODEL = "fake-storyteller-1";

	private final FakeLlmClient client = new FakeLlmClient(MODEL, Duration.ZERO);

	@Test
	void samePromptGivesSameCompletion() {
		LlmResponse first = this.client.complete(request("Topic: a lighthouse in winter"));
		LlmResponse second = new FakeLlmClient(MODEL, Duration.ZERO)
			.complete(request("Topic: a lighthouse in winter"));
		assertThat(second).isEqualTo(first);
	}

	@Test
	void differentPromptsGiveDifferentCompletions() {
		LlmResponse lighthouse = this.client.complete(request("Topic: a lighthouse in winter"));
		LlmResponse dragon = this.client.complete(request("Topic: a dragon learning to swim"));
		assertThat(dragon.text()).isNotEqualTo(lighthouse.text());
	}

	@Test
	void completionIsAboutTheTopic() {
		LlmResponse response = this.client.complete(request("Topic: lighthouse\nWrite a short story for children."));
		assertThat(response.text()).startsWith("Once upon a time,").contains("lighthouse").doesNotContain("children");
	}

	@Test
	void tokensAreWordCounts() {
		LlmResponse response = this.client.complete(request("Topic: a lighthouse in winter"));
		assertThat(response.inputTokens()).isEqualTo(5);
		assertThat(response.outputTokens()).isEqualTo(response.text().split(" ").length);
		assertThat(response.model()).isEqualTo(MODEL);
	}

	@Test
	void costIsFixedPricePerToken() {
		LlmResponse response = this.client.complete(request("Topic: a lighthouse in winter"));
		double input = 5 * FakeLlmClient.INPUT_COST_PER_TOKEN;
		double output = response.outputTokens() * FakeLlmClient.OUTPUT_COST_PER_TOKEN;
		assertThat(response.costDetails()).containsOnlyKeys("input", "output", "total");
		assertThat(response.costDetails().get("input")).isCloseTo(input, within(1e-12));
		assertThat(response.costDetails().get("output")).isCloseTo(output, within(1e-12));
		assertThat(response.costDetails().get("total")).isCloseTo(input + output, within(1e-12));
	}

	@Test
	void completionStopsAtMaxTokens() {
		LlmResponse response = this.client.complete(new LlmRequest(MODEL, "Topic: a lighthouse", 0.7, 6));
		assertThat(response.outputTokens()).isEqualTo(6);
		assertThat(response.text().split(" ")).hasSize(6);
	}

	@Test
	void unknownModelFails() {
		assertThatExceptionOfType(LlmException.class)
			.isThrownBy(() -> this.client.complete(new LlmRequest("gpt-unknown", "Topic: fox", 0.7, 100)))
			.withMessageContaining("gpt-unknown");
	}

	private static LlmRequest request(String prompt) {
		return new LlmRequest(MODEL, prompt, 0.7, 400);
	}

}
