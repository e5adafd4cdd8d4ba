package io.github.observe4j.langfuse.sample.story;

import java.util.List;
import java.util.Locale;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.context.LangfuseContext;
import io.github.observe4j.langfuse.model.ObservationLevel;

import org.springframework.stereotype.Component;

/**
 * Keeps stories suitable for children: a stand-in for a moderation model.
 */
@Component
public class StoryGuardrail {

	private static final List<String> BLOCKED_WORDS = List.of("blood", "kill", "weapon", "gore");

	/**
	 * Check a story for blocked words.
	 * @param story the story
	 * @return the verdict
	 */
	@Observe(name = "checkStory", type = ObservationType.GUARDRAIL)
	public GuardrailVerdict checkStory(String story) {
		String lowerCase = story.toLowerCase(Locale.ROOT);
		List<String> findings = BLOCKED_WORDS.stream().filter(lowerCase::contains).toList();
		if (!findings.isEmpty()) {
			LangfuseContext.currentObservation()
				.level(ObservationLevel.WARNING)
				.statusMessage("Blocked words: " + String.join(", ", findings));
		}
		return new GuardrailVerdict(findings.isEmpty(), findings);
	}

}
