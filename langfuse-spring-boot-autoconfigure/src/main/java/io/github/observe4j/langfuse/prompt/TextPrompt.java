package io.github.observe4j.langfuse.prompt;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A text prompt: one template with {@code {{variable}}} placeholders.
 * <pre class="code">
 * TextPrompt prompt = prompts.getTextPrompt("greeting");
 * String text = prompt.compile(Map.of("name", "Ada"));
 * </pre>
 *
 * @since 0.1.0
 */
public final class TextPrompt extends LangfusePrompt {

	private final String prompt;

	/**
	 * Create a text prompt as stored in Langfuse.
	 * @param name the prompt name
	 * @param version the version
	 * @param labels the labels of this version
	 * @param config the config of this version
	 * @param prompt the template
	 */
	public TextPrompt(String name, int version, List<String> labels, Map<String, ?> config, String prompt) {
		this(name, version, labels, config, prompt, false);
	}

	private TextPrompt(String name, int version, List<String> labels, Map<String, ?> config, String prompt,
			boolean fallback) {
		super(name, version, labels, config, fallback);
		this.prompt = Objects.requireNonNull(prompt, "prompt must not be null");
	}

	/**
	 * Create a fallback: version 0, no labels, no config, never linked to observations.
	 * @param name the prompt name
	 * @param prompt the template
	 * @return the fallback
	 */
	public static TextPrompt fallback(String name, String prompt) {
		return new TextPrompt(name, 0, List.of(), Map.of(), prompt, true);
	}

	/**
	 * Return the template, placeholders included.
	 * @return the template
	 */
	public String prompt() {
		return this.prompt;
	}

	/**
	 * Return the names of the template's variables, in order of first use.
	 * @return the variable names
	 */
	public List<String> variables() {
		return PromptTemplates.variables(this.prompt);
	}

	/**
	 * Fill in the placeholders. A variable that is not given keeps its {@code {{placeholder}}};
	 * a {@code null} value becomes the empty text; other values are inserted with
	 * {@code toString()}.
	 * @param variables the values by variable name
	 * @return the text
	 */
	public String compile(Map<String, ?> variables) {
		return PromptTemplates.compile(this.prompt, variables);
	}

	@Override
	public String toString() {
		return "TextPrompt[" + describe() + "]";
	}

}
