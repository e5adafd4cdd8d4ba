package io.github.observe4j.langfuse.internal.model;

import java.util.Objects;

/**
 * Where observations and scores go instead of Langfuse while an application records them in
 * memory, as the test support does: a bean of this type turns the export off and hands every
 * ended observation and every score to these sinks, on the thread that produced it.
 *
 * @param observations the sink for ended observations
 * @param scores the sink for scores
 * @since 0.1.0
 */
public record RecordingSinks(RecordSink<ObservationRecord> observations, RecordSink<ScoreRecord> scores) {

	public RecordingSinks {
		Objects.requireNonNull(observations, "observations must not be null");
		Objects.requireNonNull(scores, "scores must not be null");
	}

}
