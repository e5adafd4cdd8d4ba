package io.github.observe4j.langfuse.prompt;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Which prompt to get: a name and either a version or a label. Without either, Langfuse serves
 * the version labelled {@value #PRODUCTION}, so {@code PromptKey.of("greeting")} and
 * {@code PromptKey.label("greeting", "production")} are the same key.
 *
 * @param name the prompt name; a prompt in a folder is named with its path, such as
 * {@code support/greeting}
 * @param version the version, or {@code null} to select by label
 * @param label the label, or {@code null} to select by version
 * @since 0.1.0
 */
public record PromptKey(String name, @Nullable Integer version, @Nullable String label) {

	/** The label Langfuse serves when neither a version nor a label is given. */
	public static final String PRODUCTION = "production";

	public PromptKey {
		Objects.requireNonNull(name, "name must not be null");
		if (name.isBlank()) {
			throw new IllegalArgumentException("name must not be blank");
		}
		if (version != null && label != null) {
			throw new IllegalArgumentException("Give a version or a label, not both");
		}
		if (version != null && version < 1) {
			throw new IllegalArgumentException("version must be 1 or more, was " + version);
		}
		if (label != null && label.isBlank()) {
			throw new IllegalArgumentException("label must not be blank");
		}
		if (version == null && label == null) {
			label = PRODUCTION;
		}
	}

	/**
	 * Select the version labelled {@value #PRODUCTION}.
	 * @param name the prompt name
	 * @return the key
	 */
	public static PromptKey of(String name) {
		return new PromptKey(name, null, null);
	}

	/**
	 * Select a version.
	 * @param name the prompt name
	 * @param version the version, 1 or more
	 * @return the key
	 */
	public static PromptKey version(String name, int version) {
		return new PromptKey(name, version, null);
	}

	/**
	 * Select the version that carries a label, such as {@code staging} or {@code latest}.
	 * @param name the prompt name
	 * @param label the label
	 * @return the key
	 */
	public static PromptKey label(String name, String label) {
		return new PromptKey(name, null, label);
	}

	@Override
	public String toString() {
		return "'" + this.name + "' " + ((this.version != null) ? "version " + this.version : "label " + this.label);
	}

}
