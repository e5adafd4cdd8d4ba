package io.github.observe4j.langfuse.test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The observations and scores of one trace, in the order they ended or were given, with the
 * trace attributes as the last observation carried them.
 *
 * @param id the trace id, 32 hex digits
 * @param name the trace name: the one set on the trace, else the root observation's
 * @param userId the user id, or {@code null}
 * @param sessionId the session id, or {@code null}
 * @param tags the tags
 * @param metadata the trace metadata, as text
 * @param observations the observations
 * @param scores the scores
 * @since 0.1.0
 */
public record RecordedTrace(String id, String name, @Nullable String userId, @Nullable String sessionId,
		List<String> tags, Map<String, String> metadata, List<RecordedObservation> observations,
		List<RecordedScore> scores) {

	/**
	 * Return the root: the observation that has no parent among this trace's observations.
	 * @return the root, or empty while it has not ended
	 */
	public Optional<RecordedObservation> root() {
		return this.observations.stream().filter((observation) -> parentOf(observation).isEmpty()).findFirst();
	}

	/**
	 * Return the first observation with the given name.
	 * @param name the name
	 * @return the observation, or empty
	 */
	public Optional<RecordedObservation> observation(String name) {
		return this.observations.stream().filter((observation) -> observation.name().equals(name)).findFirst();
	}

	/**
	 * Return the parent of an observation of this trace.
	 * @param observation the observation
	 * @return the parent, or empty for a root
	 */
	public Optional<RecordedObservation> parentOf(RecordedObservation observation) {
		String parentId = observation.parentId();
		return this.observations.stream().filter((candidate) -> candidate.id().equals(parentId)).findFirst();
	}

	/**
	 * Return the children of an observation of this trace.
	 * @param observation the observation
	 * @return the children, in the order they ended
	 */
	public List<RecordedObservation> childrenOf(RecordedObservation observation) {
		return this.observations.stream().filter((child) -> observation.id().equals(child.parentId())).toList();
	}

}
