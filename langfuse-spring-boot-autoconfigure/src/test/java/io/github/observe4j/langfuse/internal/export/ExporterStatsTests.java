package io.github.observe4j.langfuse.internal.export;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.github.observe4j.langfuse.internal.export.ExporterStats.AuthState;
import io.github.observe4j.langfuse.internal.export.ExporterStats.DropReason;
import io.github.observe4j.langfuse.internal.export.ExporterStats.ExportOutcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExporterStats}.
 */
class ExporterStatsTests {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	private final ExporterStats stats = new ExporterStats(Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void startsEmpty() {
		assertThat(this.stats.queued()).isZero();
		assertThat(this.stats.exported()).isZero();
		assertThat(this.stats.droppedTotal()).isZero();
		assertThat(this.stats.queueSize()).isZero();
		assertThat(this.stats.queueCapacity()).isZero();
		assertThat(this.stats.lastOutcome()).isEqualTo(ExportOutcome.NONE);
		assertThat(this.stats.lastSuccessTime()).isNull();
		assertThat(this.stats.lastErrorMessage()).isNull();
		assertThat(this.stats.authState()).isEqualTo(AuthState.UNKNOWN);
		assertThat(this.stats.authReason()).isNull();
	}

	@Test
	void countsDropsByReasonAndTracksConsecutiveFailures() {
		this.stats.recordDropped(DropReason.QUEUE_FULL, 3);
		this.stats.recordDropped(DropReason.REJECTED, 2);
		this.stats.recordExportFailure("HTTP 400: " + "x".repeat(1000));
		this.stats.recordExportFailure("HTTP 503");
		assertThat(this.stats.dropped(DropReason.QUEUE_FULL)).isEqualTo(3);
		assertThat(this.stats.droppedTotal()).isEqualTo(5);
		assertThat(this.stats.consecutiveFailures()).isEqualTo(2);
		assertThat(this.stats.lastErrorMessage()).isEqualTo("HTTP 503");
		assertThat(this.stats.lastFailureTime()).isEqualTo(NOW);
		this.stats.recordExported(4);
		this.stats.recordExportSuccess();
		assertThat(this.stats.exported()).isEqualTo(4);
		assertThat(this.stats.consecutiveFailures()).isZero();
		assertThat(this.stats.lastOutcome()).isEqualTo(ExportOutcome.SUCCESS);
		assertThat(this.stats.lastSuccessTime()).isEqualTo(NOW);
	}

	@Test
	void shortensLongErrorMessages() {
		this.stats.recordExportFailure("x".repeat(1000));
		assertThat(this.stats.lastErrorMessage()).hasSize(303).endsWith("...");
	}

	@Test
	void reportsTheBoundQueue() {
		this.stats.bindQueue(() -> 7, 100);
		assertThat(this.stats.queueSize()).isEqualTo(7);
		assertThat(this.stats.queueCapacity()).isEqualTo(100);
	}

	@Test
	void eachPipelineHasItsOwnAuthStateAndWarnsOncePerStatus() {
		ExporterStats scores = new ExporterStats();
		assertThat(scores.recordAuthRejected(401, "HTTP 401: Invalid credentials")).isTrue();
		assertThat(scores.authState()).isEqualTo(AuthState.REJECTED);
		assertThat(scores.authReason()).isEqualTo("HTTP 401: Invalid credentials");
		assertThat(this.stats.authState()).isEqualTo(AuthState.UNKNOWN);
		assertThat(scores.recordAuthRejected(401, "HTTP 401: Invalid credentials")).isFalse();
		assertThat(scores.recordAuthRejected(403, "HTTP 403")).isTrue();
		scores.recordAuthAccepted();
		assertThat(scores.authState()).isEqualTo(AuthState.ACCEPTED);
	}

}
