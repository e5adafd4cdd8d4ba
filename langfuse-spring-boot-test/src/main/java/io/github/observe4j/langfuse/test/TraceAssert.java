package io.github.observe4j.langfuse.test;

import java.util.List;
import java.util.Objects;

import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on one {@link RecordedTrace}.
 *
 * @since 0.1.0
 */
public final class TraceAssert extends AbstractAssert<TraceAssert, RecordedTrace> {

	TraceAssert(RecordedTrace trace) {
		super(trace, TraceAssert.class);
	}

	/**
	 * Verify the name of the root observation.
	 * @param name the expected name
	 * @return this assertion
	 */
	public TraceAssert hasRootNamed(String name) {
		isNotNull();
		String root = this.actual.root().map(RecordedObservation::name).orElse(null);
		if (!name.equals(root)) {
			failWithMessage("Expected trace <%s> to have root <%s> but its root was <%s>", this.actual.name(), name,
					root);
		}
		return this;
	}

	/**
	 * Verify the user id.
	 * @param userId the expected user id
	 * @return this assertion
	 */
	public TraceAssert hasUserId(String userId) {
		return hasAttribute("user id", userId, this.actual.userId());
	}

	/**
	 * Verify the session id.
	 * @param sessionId the expected session id
	 * @return this assertion
	 */
	public TraceAssert hasSessionId(String sessionId) {
		return hasAttribute("session id", sessionId, this.actual.sessionId());
	}

	/**
	 * Verify that the trace has these tags, among others.
	 * @param tags the expected tags
	 * @return this assertion
	 */
	public TraceAssert hasTags(String... tags) {
		isNotNull();
		if (!this.actual.tags().containsAll(List.of(tags))) {
			failWithMessage("Expected trace <%s> to have tags %s but had %s", this.actual.name(), List.of(tags),
					this.actual.tags());
		}
		return this;
	}

	/**
	 * Verify how many observations the trace has.
	 * @param count the expected number
	 * @return this assertion
	 */
	public TraceAssert hasObservationCount(int count) {
		isNotNull();
		if (this.actual.observations().size() != count) {
			failWithMessage("Expected trace <%s> to have %d observations but had %d: %s", this.actual.name(), count,
					this.actual.observations().size(), names());
		}
		return this;
	}

	/**
	 * Verify that the trace has a score with the given name and numeric value.
	 * @param name the score name
	 * @param value the expected value
	 * @return this assertion
	 */
	public TraceAssert hasScore(String name, double value) {
		isNotNull();
		boolean found = this.actual.scores()
			.stream()
			.anyMatch((score) -> score.score().name().equals(name)
					&& Objects.equals(score.score().numericValue(), value));
		if (!found) {
			failWithMessage("Expected trace <%s> to have score <%s> = %s but had %s", this.actual.name(), name, value,
					this.actual.scores().stream().map(RecordedScore::score).toList());
		}
		return this;
	}

	/**
	 * Verify that the trace has an observation with the given name, and assert on it.
	 * @param name the observation name
	 * @return an assertion on the first such observation
	 */
	public ObservationAssert observation(String name) {
		isNotNull();
		return this.actual.observation(name)
			.map((observation) -> new ObservationAssert(this.actual, observation))
			.orElseThrow(() -> failure("Expected trace <%s> to have an observation named <%s> but it had %s",
					this.actual.name(), name, names()));
	}

	/**
	 * Assert on the root observation.
	 * @return an assertion on the root
	 */
	public ObservationAssert root() {
		isNotNull();
		return this.actual.root()
			.map((observation) -> new ObservationAssert(this.actual, observation))
			.orElseThrow(() -> failure("Expected trace <%s> to have ended its root", this.actual.name()));
	}

	private TraceAssert hasAttribute(String attribute, String expected, @Nullable String actual) {
		isNotNull();
		if (!Objects.equals(expected, actual)) {
			failWithMessage("Expected trace <%s> to have %s <%s> but had <%s>", this.actual.name(), attribute, expected,
					actual);
		}
		return this;
	}

	private List<String> names() {
		return this.actual.observations().stream().map(RecordedObservation::name).toList();
	}

}
