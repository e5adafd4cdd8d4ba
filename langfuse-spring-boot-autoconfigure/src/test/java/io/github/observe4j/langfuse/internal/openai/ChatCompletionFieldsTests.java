package io.github.observe4j.langfuse.internal.openai;

import java.util.List;
import java.util.Map;

import com.openai.models.ReasoningEffort;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionUserMessageParam;
import com.openai.models.completions.CompletionUsage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChatCompletionFields}: the shapes recorded from the SDK's own model objects.
 */
class ChatCompletionFieldsTests {

	@Test
	void cachedAndReasoningTokensAreSplitOutOfInputAndOutputAsLangfuseDoesWithOpenAiUsage() {
		CompletionUsage usage = CompletionUsage.builder()
			.promptTokens(100)
			.completionTokens(50)
			.totalTokens(150)
			.promptTokensDetails(CompletionUsage.PromptTokensDetails.builder().cachedTokens(40L).build())
			.completionTokensDetails(CompletionUsage.CompletionTokensDetails.builder().reasoningTokens(20L).build())
			.build();
		assertThat(ChatCompletionFields.usage(usage)).containsExactly(Map.entry("input", 60L), Map.entry("output", 30L),
				Map.entry("total", 150L), Map.entry("input_cached_tokens", 40L),
				Map.entry("output_reasoning_tokens", 20L));
	}

	@Test
	void zeroDetailsAreLeftOut() {
		CompletionUsage usage = CompletionUsage.builder()
			.promptTokens(10)
			.completionTokens(5)
			.totalTokens(15)
			.promptTokensDetails(CompletionUsage.PromptTokensDetails.builder().cachedTokens(0L).build())
			.build();
		assertThat(ChatCompletionFields.usage(usage)).containsExactly(Map.entry("input", 10L), Map.entry("output", 5L),
				Map.entry("total", 15L));
	}

	@Test
	void parametersAreTheOnesSetUnderOpenAisNames() {
		ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
			.model("o3-mini")
			.addUserMessage("Hi")
			.maxTokens(100L)
			.frequencyPenalty(0.1)
			.presencePenalty(0.2)
			.seed(7L)
			.n(2L)
			.reasoningEffort(ReasoningEffort.LOW)
			.build();
		assertThat(ChatCompletionFields.parameters(params)).containsExactly(Map.entry("max_tokens", 100L),
				Map.entry("frequency_penalty", 0.1), Map.entry("presence_penalty", 0.2), Map.entry("seed", 7L),
				Map.entry("n", 2L), Map.entry("reasoning_effort", "low"));
	}

	@Test
	void messageWithContentPartsKeepsThemAsSent() {
		ChatCompletionUserMessageParam message = ChatCompletionUserMessageParam.builder()
			.contentOfArrayOfContentParts(List.of(
					ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is this?").build()),
					ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
						.imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url("https://example.com/fox.png").build())
						.build())))
			.name("alice")
			.build();
		ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
			.model("gpt-4o")
			.addMessage(message)
			.build();
		assertThat(ChatCompletionFields.messages(params.messages())).singleElement().satisfies((plain) -> {
			assertThat(plain).containsEntry("role", "user").containsEntry("name", "alice");
			assertThat(plain.get("content")).isEqualTo(List.of(Map.of("type", "text", "text", "What is this?"),
					Map.of("type", "image_url", "image_url", Map.of("url", "https://example.com/fox.png"))));
		});
	}

}
