package io.github.observe4j.langfuse.prompt;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fills in {@code {{variable}}} placeholders as Langfuse's SDKs do: the name between the braces
 * is trimmed, a variable that is not given leaves its placeholder as it is, a {@code null} value
 * becomes the empty text, and a placeholder without closing braces is kept verbatim. Values are
 * inserted once, never scanned for placeholders themselves.
 */
final class PromptTemplates {

	private static final String OPENING = "{{";

	private static final String CLOSING = "}}";

	private PromptTemplates() {
	}

	static String compile(String template, Map<String, ?> variables) {
		if (variables.isEmpty() || !template.contains(OPENING)) {
			return template;
		}
		StringBuilder result = new StringBuilder(template.length());
		int index = 0;
		while (true) {
			int start = template.indexOf(OPENING, index);
			int end = (start >= 0) ? template.indexOf(CLOSING, start + OPENING.length()) : -1;
			if (end < 0) {
				result.append(template, index, template.length());
				return result.toString();
			}
			String name = template.substring(start + OPENING.length(), end).trim();
			result.append(template, index, start);
			if (variables.containsKey(name)) {
				Object value = variables.get(name);
				result.append((value != null) ? value : "");
			}
			else {
				result.append(template, start, end + CLOSING.length());
			}
			index = end + CLOSING.length();
		}
	}

	static List<String> variables(String template) {
		Set<String> names = new LinkedHashSet<>();
		int index = 0;
		while (true) {
			int start = template.indexOf(OPENING, index);
			int end = (start >= 0) ? template.indexOf(CLOSING, start + OPENING.length()) : -1;
			if (end < 0) {
				return List.copyOf(names);
			}
			names.add(template.substring(start + OPENING.length(), end).trim());
			index = end + CLOSING.length();
		}
	}

}
