package io.github.observe4j.langfuse.sample.llm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A deterministic stand-in for a language model: no network, the same prompt always gives the
 * same story. Tokens are counted as words and priced at a small fixed rate, so traces show
 * believable usage and cost.
 */
public final class FakeLlmClient implements LlmClient {

	/** USD per prompt token. */
	static final double INPUT_COST_PER_TOKEN = 0.000_000_5;

	/** USD per completion token. */
	static final double OUTPUT_COST_PER_TOKEN = 0.000_001_5;

	private static final String[] HEROES = { "a lighthouse keeper", "a curious fox", "an old clockmaker",
			"a girl with a paper kite", "a retired ship's cat", "a shy dragon" };

	private static final String[] PLACES = { "a town at the edge of the sea", "a forest that hummed at night",
			"a market built on a bridge", "a valley full of windmills", "a library that never closed" };

	private static final String[] TURNS = { "One morning everything went quiet.", "Then the river changed its course.",
			"A stranger arrived with a locked box.", "The first snow fell in the middle of summer.",
			"Nobody could remember the way home." };

	/** Short words and words of the prompt template, never mistaken for its topic. */
	private static final Set<String> STOP_WORDS = Set.of("the", "and", "for", "with", "about", "from", "that", "this",
			"topic", "write", "short", "story", "please", "using", "inspiration", "words", "under", "children");

	private final String model;

	private final Duration latency;

	/**
	 * Create a fake model.
	 * @param model the only model name it answers to
	 * @param latency how long each completion takes, to make traces look real
	 */
	public FakeLlmClient(String model, Duration latency) {
		this.model = model;
		this.latency = latency;
	}

	@Override
	public LlmResponse complete(LlmRequest request) {
		if (!this.model.equals(request.model())) {
			throw new LlmException("Model '" + request.model() + "' does not exist or you do not have access to it");
		}
		pause();
		List<String> words = limit(words(story(request.prompt())), request.maxTokens());
		long inputTokens = words(request.prompt()).size();
		long outputTokens = words.size();
		double inputCost = inputTokens * INPUT_COST_PER_TOKEN;
		double outputCost = outputTokens * OUTPUT_COST_PER_TOKEN;
		return new LlmResponse(String.join(" ", words), this.model, inputTokens, outputTokens,
				Map.of("input", inputCost, "output", outputCost, "total", inputCost + outputCost));
	}

	private String story(String prompt) {
		// String.hashCode is specified, so the choice is the same on every JVM.
		int seed = prompt.hashCode() & Integer.MAX_VALUE;
		String hero = HEROES[seed % HEROES.length];
		String place = PLACES[(seed / HEROES.length) % PLACES.length];
		String turn = TURNS[(seed / (HEROES.length * PLACES.length)) % TURNS.length];
		String subject = String.join(" and ", keywords(prompt));
		return "Once upon a time, " + hero + " lived in " + place + " and thought about " + subject + " every day. "
				+ turn + " So " + hero + " set out to learn what " + subject + " really meant, asked everyone on the way, "
				+ "and came back wiser, with a story worth telling twice.";
	}

	/** The first three distinct words that matter in the prompt, the closest thing a fake has to a topic. */
	private static Set<String> keywords(String prompt) {
		Set<String> keywords = new LinkedHashSet<>();
		for (String word : words(prompt.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} ]", " "))) {
			if (word.length() >= 3 && !STOP_WORDS.contains(word) && keywords.size() < 3) {
				keywords.add(word);
			}
		}
		if (keywords.isEmpty()) {
			keywords.add("nothing in particular");
		}
		return keywords;
	}

	private static List<String> words(String text) {
		String trimmed = text.strip();
		return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
	}

	private static List<String> limit(List<String> words, int maxTokens) {
		return (words.size() <= maxTokens) ? words : new ArrayList<>(words.subList(0, Math.max(maxTokens, 0)));
	}

	private void pause() {
		if (this.latency.isZero() || this.latency.isNegative()) {
			return;
		}
		try {
			Thread.sleep(this.latency.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LlmException("Interrupted while waiting for the model", ex);
		}
	}

}
