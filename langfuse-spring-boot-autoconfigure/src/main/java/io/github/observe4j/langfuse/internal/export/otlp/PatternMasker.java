package io.github.observe4j.langfuse.internal.export.otlp;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.observe4j.langfuse.model.LangfuseMasker;

/**
 * Replaces every match of the configured regular expressions ({@code langfuse.masking.patterns})
 * with a fixed text, then hands the result to the application's own masker, if any.
 */
public final class PatternMasker implements LangfuseMasker {

	private final List<Pattern> patterns;

	private final String replacement;

	private final LangfuseMasker next;

	/**
	 * Create a masker.
	 * @param patterns what to redact
	 * @param replacement what each match becomes, taken literally
	 * @param next the application's masker to apply after the patterns
	 */
	public PatternMasker(List<Pattern> patterns, String replacement, LangfuseMasker next) {
		this.patterns = List.copyOf(patterns);
		this.replacement = Matcher.quoteReplacement(replacement);
		this.next = next;
	}

	@Override
	public String mask(String text) {
		String masked = text;
		for (Pattern pattern : this.patterns) {
			masked = pattern.matcher(masked).replaceAll(this.replacement);
		}
		return this.next.mask(masked);
	}

}
