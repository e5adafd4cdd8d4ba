package io.github.observe4j.langfuse.sample.story;

import java.util.List;

/**
 * What the guardrail found in a story.
 *
 * @param passed whether the story may be shown
 * @param findings the blocked words found
 */
public record GuardrailVerdict(boolean passed, List<String> findings) {

	public GuardrailVerdict {
		findings = List.copyOf(findings);
	}

}
