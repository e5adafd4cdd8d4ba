package io.github.observe4j.langfuse.sample.story;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.context.LangfuseContext;

import org.springframework.stereotype.Component;

/**
 * Finds fables related to a topic: a stand-in for a vector store lookup.
 */
@Component
public class InspirationRetriever {

	private static final List<Fable> FABLES = List.of(
			new Fable("The Tortoise and the Hare", "Slow and steady wins the race.", "race speed patience turtle rabbit"),
			new Fable("The Ant and the Grasshopper", "Prepare today for the needs of tomorrow.",
					"work winter summer food planning"),
			new Fable("The Lion and the Mouse", "No act of kindness is ever wasted.", "kindness help friend small strong"),
			new Fable("The Boy Who Cried Wolf", "Liars are not believed even when they tell the truth.",
					"truth lie trust sheep wolf"),
			new Fable("The Fox and the Grapes", "It is easy to despise what you cannot get.", "fox grapes envy desire"),
			new Fable("The North Wind and the Sun", "Persuasion is better than force.",
					"wind sun weather force gentle"));

	private static final int MAX_RESULTS = 2;

	/**
	 * Find the fables that share the most words with the topic.
	 * @param topic the story topic
	 * @return the best matches, most relevant first; the first fables when nothing matches
	 */
	@Observe(name = "findInspiration", type = ObservationType.RETRIEVER)
	public List<Inspiration> findInspiration(String topic) {
		Set<String> topicWords = words(topic);
		List<Inspiration> found = FABLES.stream()
			.map((fable) -> new Inspiration(fable.title(), fable.moral(), fable.overlap(topicWords)))
			.sorted(Comparator.comparingInt(Inspiration::relevance).reversed())
			.limit(MAX_RESULTS)
			.toList();
		LangfuseContext.currentObservation()
			.metadata("documentsSearched", FABLES.size())
			.metadata("topRelevance", found.get(0).relevance());
		return found;
	}

	private static Set<String> words(String text) {
		return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
			.filter((word) -> !word.isEmpty())
			.collect(Collectors.toSet());
	}

	private record Fable(String title, String moral, String keywords) {

		int overlap(Set<String> topicWords) {
			return (int) words(this.keywords + " " + this.title).stream().filter(topicWords::contains).count();
		}

	}

}
