package io.github.observe4j.langfuse.internal.model;

import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import io.github.observe4j.langfuse.model.Score;

/**
 * A score bound to its target, ready to be sent to {@code /api/public/scores}. A score without an
 * id gets a random one here, once, as Langfuse's own SDKs do: a request that is retried after a
 * timeout then overwrites the score it may already have stored instead of adding a second one.
 *
 * @param score the score
 * @param traceId target trace id, 32 lowercase hex characters
 * @param observationId target observation id, 16 lowercase hex characters, or {@code null} for a
 * trace score
 * @param environment environment of the application that produced the score
 * @since 0.1.0
 */
public record ScoreRecord(Score score, String traceId, @Nullable String observationId, @Nullable String environment) {

	public ScoreRecord {
		Objects.requireNonNull(score, "score must not be null");
		Objects.requireNonNull(traceId, "traceId must not be null");
		if (score.id() == null) {
			score = score.withId(UUID.randomUUID().toString());
		}
	}

	/**
	 * Return a conservative estimate of the heap this score keeps alive while it waits for export.
	 * @return the estimate in bytes
	 * @see RetainedSize
	 */
	public long retainedBytes() {
		return RetainedSize.of(this);
	}

}
