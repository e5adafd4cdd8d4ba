package io.github.observe4j.langfuse.prompt;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.observe4j.langfuse.context.LangfuseContext;
import io.github.observe4j.langfuse.context.ObservationUpdate;
import org.jspecify.annotations.Nullable;

/**
 * A prompt version from Langfuse, or a fallback given by the application when Langfuse could not
 * serve it. Immutable.
 *
 * @since 0.1.0
 */
public abstract sealed class LangfusePrompt permits TextPrompt, ChatPrompt {

	private final String name;

	private final int version;

	private final List<String> labels;

	private final Map<String, @Nullable Object> config;

	private final boolean fallback;

	LangfusePrompt(String name, int version, List<String> labels, Map<String, ?> config, boolean fallback) {
		this.name = Objects.requireNonNull(name, "name must not be null");
		this.version = version;
		this.labels = List.copyOf(labels);
		this.config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
		this.fallback = fallback;
	}

	/**
	 * Return the prompt name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Return the version.
	 * @return the version, or {@code 0} for a fallback
	 */
	public int version() {
		return this.version;
	}

	/**
	 * Return the labels of this version, such as {@code production}.
	 * @return the labels; empty for a fallback
	 */
	public List<String> labels() {
		return this.labels;
	}

	/**
	 * Return the config stored with this version, such as the model and its parameters, as
	 * parsed from JSON (maps, lists, strings, numbers, booleans).
	 * @return the config; empty for a fallback or when none is set
	 */
	public Map<String, @Nullable Object> config() {
		return this.config;
	}

	/**
	 * Return whether this is the application's fallback rather than a version from Langfuse.
	 * @return whether it is a fallback
	 */
	public boolean isFallback() {
		return this.fallback;
	}

	/**
	 * Link an observation (a generation) to this prompt version, so Langfuse shows which prompt
	 * produced it. A fallback is not linked, as it is no version Langfuse knows.
	 * @param observation the observation to link, such as
	 * {@link LangfuseContext#currentObservation()}
	 * @return the observation, for chaining further updates
	 */
	public ObservationUpdate linkTo(ObservationUpdate observation) {
		if (!this.fallback) {
			observation.prompt(this.name, this.version);
		}
		return observation;
	}

	/**
	 * Link the current observation to this prompt version; does nothing outside an observed call
	 * or for a fallback. Langfuse keeps the link on generations only.
	 * @return the current observation, for chaining further updates
	 */
	public ObservationUpdate linkToCurrentObservation() {
		return linkTo(LangfuseContext.currentObservation());
	}

	String describe() {
		return "name=" + this.name + ", version=" + this.version + ", labels=" + this.labels
				+ (this.fallback ? ", fallback" : "");
	}

}
