package io.github.observe4j.langfuse.sample.story;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.context.LangfuseContext;
import io.github.observe4j.langfuse.sample.llm.LlmClient;
import io.github.observe4j.langfuse.sample.llm.LlmProperties;
import io.github.observe4j.langfuse.sample.llm.LlmRequest;
import io.github.observe4j.langfuse.sample.llm.LlmResponse;
import reactor.core.publisher.Flux;

import org.springframework.stereotype.Component;

/**
 * Streams a story word by word, as a chat model streams tokens: one {@code GENERATION} whose
 * output is the whole text and whose completion start time is the first word's.
 */
@Component
public class StoryStreamer {

	private static final Duration WORD_INTERVAL = Duration.ofMillis(20);

	private final LlmClient llmClient;

	private final LlmProperties llmProperties;

	/**
	 * Create a streamer.
	 * @param llmClient the model to write with
	 * @param llmProperties the model name and sampling parameters
	 */
	public StoryStreamer(LlmClient llmClient, LlmProperties llmProperties) {
		this.llmClient = llmClient;
		this.llmProperties = llmProperties;
	}

	/**
	 * Stream a short story.
	 * @param topic the topic
	 * @return the story's words, each but the last with the space after it (a space at the start
	 * of an SSE data line is dropped by browsers)
	 */
	@Observe(name = "streamStory", type = ObservationType.GENERATION)
	public Flux<String> streamStory(String topic) {
		String prompt = "Topic: " + topic + "\nWrite a short story for children, under 150 words.";
		LangfuseContext.currentObservation()
			.input(List.of(Map.of("role", "user", "content", prompt)))
			.model(this.llmProperties.model());
		// the fake model answers at once; its words are then released one by one
		LlmResponse response = this.llmClient.complete(new LlmRequest(this.llmProperties.model(), prompt,
				this.llmProperties.temperature(), this.llmProperties.maxTokens()));
		LangfuseContext.currentObservation().usage(response.inputTokens(), response.outputTokens());
		String[] words = response.text().split(" ");
		return Flux.range(0, words.length)
			.map((i) -> words[i] + ((i < words.length - 1) ? " " : ""))
			.delayElements(WORD_INTERVAL);
	}

}
