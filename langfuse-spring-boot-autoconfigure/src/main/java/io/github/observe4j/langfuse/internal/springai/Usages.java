package io.github.observe4j.langfuse.internal.springai;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.metadata.Usage;

/**
 * Token usage of one model call in Langfuse's keys. Cache read and write counts are left out:
 * whether a provider's prompt count includes them differs (OpenAI's does, Anthropic's does not),
 * and Langfuse would subtract them from the input either way.
 */
final class Usages {

	private Usages() {
	}

	static Map<String, Long> of(@Nullable Usage usage, boolean withOutput) {
		Map<String, Long> keys = new LinkedHashMap<>(4);
		if (usage == null) {
			return keys;
		}
		Integer input = usage.getPromptTokens();
		Integer output = withOutput ? usage.getCompletionTokens() : null;
		Integer total = usage.getTotalTokens();
		if (isZero(input) && isZero(output) && isZero(total)) {
			// Spring AI's EmptyUsage: the provider reported none
			return keys;
		}
		putIfCounted(keys, "input", input);
		putIfCounted(keys, "output", output);
		putIfCounted(keys, "total", total);
		return keys;
	}

	private static boolean isZero(@Nullable Integer count) {
		return count == null || count == 0;
	}

	private static void putIfCounted(Map<String, Long> keys, String key, @Nullable Integer count) {
		if (count != null && count >= 0) {
			keys.put(key, count.longValue());
		}
	}

}
