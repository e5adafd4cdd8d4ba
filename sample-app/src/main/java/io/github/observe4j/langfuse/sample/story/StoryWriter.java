package io.github.observe4j.langfuse.sample.story;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.context.LangfuseContext;
import io.github.observe4j.langfuse.sample.llm.LlmClient;
import io.github.observe4j.langfuse.sample.llm.LlmProperties;
import io.github.observe4j.langfuse.sample.llm.LlmRequest;
import io.github.observe4j.langfuse.sample.llm.LlmResponse;

import org.springframework.stereotype.Component;

/**
 * Writes a story with the language model; each call is a Langfuse generation with model,
 * parameters, usage and cost.
 */
@Component
public class StoryWriter {

	private final LlmClient llmClient;

	private final LlmProperties llmProperties;

	/**
	 * Create a writer.
	 * @param llmClient the model to write with
	 * @param llmProperties the model name and sampling parameters
	 */
	public StoryWriter(LlmClient llmClient, LlmProperties llmProperties) {
		this.llmClient = llmClient;
		this.llmProperties = llmProperties;
	}

	/**
	 * Write a short story.
	 * @param topic the topic
	 * @param inspirations fables the story may borrow a moral from
	 * @param model the model to ask
	 * @return the story
	 */
	@Observe(name = "writeStory", type = ObservationType.GENERATION)
	public String writeStory(String topic, List<Inspiration> inspirations, String model) {
		String prompt = prompt(topic, inspirations);
		LlmRequest request = new LlmRequest(model, prompt, this.llmProperties.temperature(),
				this.llmProperties.maxTokens());
		// The prompt as chat messages reads better in Langfuse than the raw arguments.
		LangfuseContext.currentObservation()
			.input(List.of(Map.of("role", "user", "content", prompt)))
			.model(model)
			.modelParameters(Map.of("temperature", request.temperature(), "max_tokens", request.maxTokens()));
		LlmResponse response = this.llmClient.complete(request);
		LangfuseContext.currentObservation()
			.model(response.model())
			.usage(response.inputTokens(), response.outputTokens())
			.costDetails(response.costDetails());
		return response.text();
	}

	private static String prompt(String topic, List<Inspiration> inspirations) {
		String morals = inspirations.stream()
			.map((inspiration) -> inspiration.title() + ": " + inspiration.moral())
			.collect(Collectors.joining("\n"));
		return "Topic: " + topic + "\nInspiration:\n" + morals
				+ "\nWrite a short story for children, under 150 words.";
	}

}
