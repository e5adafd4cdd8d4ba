package io.github.observe4j.langfuse.internal.export;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RetryPolicy}.
 */
class RetryPolicyTests {

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

	@Test
	void defaultsMatchTheDocumentation() {
		RetryPolicy policy = RetryPolicy.defaults();
		assertThat(policy.maxRetries()).isEqualTo(Integer.MAX_VALUE);
		assertThat(policy.maxRetryDuration()).isEqualTo(Duration.ofMinutes(5));
		assertThat(policy.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
		assertThat(policy.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
		assertThat(policy.multiplier()).isEqualTo(2.0);
	}

	@Test
	void backoffGrowsExponentiallyUpToTheMaximumWithFullJitter() {
		RetryPolicy policy = RetryPolicy.defaults();
		RandomGenerator highest = fixedRandom(0.999999);
		assertThat(policy.backoff(1, highest)).isBetween(Duration.ofMillis(999), Duration.ofSeconds(1));
		assertThat(policy.backoff(3, highest)).isBetween(Duration.ofMillis(3999), Duration.ofSeconds(4));
		assertThat(policy.backoff(10, highest)).isBetween(Duration.ofMillis(29999), Duration.ofSeconds(30));
		assertThat(policy.backoff(3, fixedRandom(0.0))).isZero();
		assertThat(policy.backoff(3, fixedRandom(0.5))).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void retriesOnlyStatusesThatCanSucceedLater() {
		assertThat(RetryPolicy.isRetryable(429)).isTrue();
		assertThat(RetryPolicy.isRetryable(408)).isTrue();
		assertThat(RetryPolicy.isRetryable(500)).isTrue();
		assertThat(RetryPolicy.isRetryable(503)).isTrue();
		assertThat(RetryPolicy.isRetryable(400)).isFalse();
		assertThat(RetryPolicy.isRetryable(401)).isFalse();
		assertThat(RetryPolicy.isRetryable(403)).isFalse();
		assertThat(RetryPolicy.isRetryable(413)).isFalse();
		assertThat(RetryPolicy.isRetryable(200)).isFalse();
	}

	@Test
	void parsesRetryAfterSecondsAndHttpDates() {
		assertThat(RetryPolicy.parseRetryAfter("7", CLOCK)).isEqualTo(Duration.ofSeconds(7));
		assertThat(RetryPolicy.parseRetryAfter(" 0 ", CLOCK)).isZero();
		assertThat(RetryPolicy.parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", CLOCK))
			.isEqualTo(Duration.ofSeconds(30));
		assertThat(RetryPolicy.parseRetryAfter("Wed, 31 Dec 2025 23:59:00 GMT", CLOCK)).isZero();
		assertThat(RetryPolicy.parseRetryAfter("-3", CLOCK)).isNull();
		assertThat(RetryPolicy.parseRetryAfter("soon", CLOCK)).isNull();
		assertThat(RetryPolicy.parseRetryAfter(null, CLOCK)).isNull();
	}

	@Test
	void rejectsInvalidSettings() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryPolicy(-1, Duration.ofSeconds(1), Duration.ofSeconds(2), 2))
			.withMessage("maxRetries must not be negative, was -1");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryPolicy(1, Duration.ZERO, Duration.ofSeconds(2), 2))
			.withMessage("initialBackoff must be positive, was PT0S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryPolicy(1, Duration.ofSeconds(3), Duration.ofSeconds(2), 2))
			.withMessage("maxBackoff (PT2S) must not be less than initialBackoff (PT3S)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryPolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5))
			.withMessage("multiplier must be at least 1, was 0.5");
	}

	private static RandomGenerator fixedRandom(double value) {
		return new RandomGenerator() {

			@Override
			public long nextLong() {
				return 0;
			}

			@Override
			public double nextDouble() {
				return value;
			}

		};
	}

}
