package io.github.observe4j.langfuse.test;

import java.util.Map;
import java.util.Objects;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.model.ObservationLevel;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on one {@link RecordedObservation} of a trace.
 *
 * @since 0.1.0
 */
public final class ObservationAssert extends AbstractAssert<ObservationAssert, RecordedObservation> {

	private final RecordedTrace trace;

	ObservationAssert(RecordedTrace trace, RecordedObservation observation) {
		super(observation, ObservationAssert.class);
		this.trace = trace;
	}

	/**
	 * Verify the type.
	 * @param type the expected type
	 * @return this assertion
	 */
	public ObservationAssert isOfType(ObservationType type) {
		return has("type", type, this.actual.type());
	}

	/**
	 * Verify that this is a generation.
	 * @return this assertion
	 */
	public ObservationAssert isGeneration() {
		return isOfType(ObservationType.GENERATION);
	}

	/**
	 * Verify the name of the parent observation.
	 * @param name the expected parent name
	 * @return this assertion
	 */
	public ObservationAssert hasParent(String name) {
		String parent = this.trace.parentOf(this.actual).map(RecordedObservation::name).orElse(null);
		return has("parent", name, parent);
	}

	/**
	 * Verify the model.
	 * @param model the expected model
	 * @return this assertion
	 */
	public ObservationAssert hasModel(String model) {
		return has("model", model, this.actual.model());
	}

	/**
	 * Verify the input and output token usage.
	 * @param input the expected input tokens
	 * @param output the expected output tokens
	 * @return this assertion
	 */
	public ObservationAssert hasUsage(long input, long output) {
		Map<String, Long> usage = this.actual.usage();
		if (!Objects.equals(usage.get("input"), input) || !Objects.equals(usage.get("output"), output)) {
			failWithMessage("Expected observation <%s> to have usage input=%d, output=%d but had %s",
					this.actual.name(), input, output, usage);
		}
		return this;
	}

	/**
	 * Verify the level.
	 * @param level the expected level
	 * @return this assertion
	 */
	public ObservationAssert hasLevel(ObservationLevel level) {
		return has("level", level, this.actual.level());
	}

	/**
	 * Verify that the input text contains the given text.
	 * @param text the text
	 * @return this assertion
	 */
	public ObservationAssert hasInputContaining(String text) {
		return contains("input", text, this.actual.input());
	}

	/**
	 * Verify that the output text contains the given text.
	 * @param text the text
	 * @return this assertion
	 */
	public ObservationAssert hasOutputContaining(String text) {
		return contains("output", text, this.actual.output());
	}

	/**
	 * Verify a metadata value, as text.
	 * @param key the key
	 * @param value the expected value as the exporter renders it
	 * @return this assertion
	 */
	public ObservationAssert hasMetadata(String key, String value) {
		return has("metadata '" + key + "'", value, this.actual.metadata().get(key));
	}

	/**
	 * Assert on a child observation with the given name.
	 * @param name the child's name
	 * @return an assertion on the first such child
	 */
	public ObservationAssert child(String name) {
		return this.trace.childrenOf(this.actual)
			.stream()
			.filter((child) -> child.name().equals(name))
			.findFirst()
			.map((child) -> new ObservationAssert(this.trace, child))
			.orElseThrow(() -> failure("Expected observation <%s> to have a child named <%s> but its children were %s",
					this.actual.name(), name,
					this.trace.childrenOf(this.actual).stream().map(RecordedObservation::name).toList()));
	}

	private ObservationAssert has(String what, Object expected, @Nullable Object actual) {
		isNotNull();
		if (!Objects.equals(expected, actual)) {
			failWithMessage("Expected observation <%s> to have %s <%s> but had <%s>", this.actual.name(), what, expected,
					actual);
		}
		return this;
	}

	private ObservationAssert contains(String what, String text, @Nullable String actual) {
		isNotNull();
		if (actual == null || !actual.contains(text)) {
			failWithMessage("Expected observation <%s> to have %s containing <%s> but had <%s>", this.actual.name(),
					what, text, actual);
		}
		return this;
	}

}
