package io.github.observe4j.langfuse.sample.assistant;

import java.util.List;
import java.util.stream.Collectors;

import io.github.observe4j.langfuse.sample.story.Inspiration;
import io.github.observe4j.langfuse.sample.story.InspirationRetriever;

import org.springframework.ai.tool.annotation.Tool;
import org.springframework.stereotype.Component;

/**
 * The assistant's tool: looks fables up with the story service's retriever, whose own
 * {@code RETRIEVER} observation then nests under the tool call.
 */
@Component
public class FableTools {

	private final InspirationRetriever retriever;

	/**
	 * Create the tools.
	 * @param retriever finds fables for a topic
	 */
	public FableTools(InspirationRetriever retriever) {
		this.retriever = retriever;
	}

	/**
	 * Find fables about a topic.
	 * @param topic what the fable should be about
	 * @return the titles and morals of the best matches
	 */
	@Tool(name = "findFable", description = "Find Aesop's fables about a topic, with their morals")
	public String findFable(String topic) {
		List<Inspiration> found = this.retriever.findInspiration(topic);
		return found.stream()
			.map((fable) -> fable.title() + ": " + fable.moral())
			.collect(Collectors.joining(" "));
	}

}
