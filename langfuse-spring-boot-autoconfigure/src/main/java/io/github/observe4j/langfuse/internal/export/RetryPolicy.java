package io.github.observe4j.langfuse.internal.export;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.random.RandomGenerator;

import org.jspecify.annotations.Nullable;

/**
 * When to retry a request to Langfuse and how long to wait before each retry: exponential
 * backoff with full jitter (a uniformly random wait between zero and the exponential bound).
 * Network errors, timeouts, 408, 429 and 5xx are retried; other 4xx never are, because sending
 * the same request again cannot fix them. A {@code Retry-After} answer is honoured: the next
 * attempt waits at least that long, unless the server asks for more than
 * {@link #MAX_RETRY_AFTER}, in which case the request is given up rather than stalling the
 * export pipeline.
 *
 * A request is retried until it is delivered, its answer is not retryable, {@code maxRetries}
 * retries were made, or the next retry would start more than {@code maxRetryDuration} after the
 * first attempt; by default only the time limits it, so an outage shorter than that loses nothing
 * that fits in the queue.
 *
 * @param maxRetries how many times a request is retried after the first attempt; 0 disables
 * retries, {@link Integer#MAX_VALUE} leaves only the time limit
 * @param initialBackoff bound of the first backoff
 * @param maxBackoff upper bound of any backoff
 * @param multiplier factor by which the bound grows with each retry
 * @param maxRetryDuration how long after the first attempt retries may still start
 * @since 0.1.0
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff, double multiplier,
		Duration maxRetryDuration) {

	/** Default number of retries: no limit but the time. */
	public static final int DEFAULT_MAX_RETRIES = Integer.MAX_VALUE;

	/** Default time after the first attempt within which retries may start. */
	public static final Duration DEFAULT_MAX_RETRY_DURATION = Duration.ofMinutes(5);

	/** Default bound of the first backoff. */
	public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);

	/** Default upper bound of any backoff. */
	public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

	/** Default backoff multiplier. */
	public static final double DEFAULT_MULTIPLIER = 2.0;

	/** Longest {@code Retry-After} that is waited for. */
	public static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(1);

	/**
	 * Create a policy limited by the number of retries and the default retry duration.
	 * @param maxRetries how many times a request is retried after the first attempt
	 * @param initialBackoff bound of the first backoff
	 * @param maxBackoff upper bound of any backoff
	 * @param multiplier factor by which the bound grows with each retry
	 */
	public RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff, double multiplier) {
		this(maxRetries, initialBackoff, maxBackoff, multiplier, DEFAULT_MAX_RETRY_DURATION);
	}

	public RetryPolicy {
		Objects.requireNonNull(initialBackoff, "initialBackoff must not be null");
		Objects.requireNonNull(maxRetryDuration, "maxRetryDuration must not be null");
		if (maxRetryDuration.isNegative()) {
			throw new IllegalArgumentException("maxRetryDuration must not be negative, was " + maxRetryDuration);
		}
		Objects.requireNonNull(maxBackoff, "maxBackoff must not be null");
		if (maxRetries < 0) {
			throw new IllegalArgumentException("maxRetries must not be negative, was " + maxRetries);
		}
		if (initialBackoff.isNegative() || initialBackoff.isZero()) {
			throw new IllegalArgumentException("initialBackoff must be positive, was " + initialBackoff);
		}
		if (maxBackoff.compareTo(initialBackoff) < 0) {
			throw new IllegalArgumentException(
					"maxBackoff (" + maxBackoff + ") must not be less than initialBackoff (" + initialBackoff + ")");
		}
		if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
			throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
		}
	}

	/**
	 * Return the default policy: retries for up to 5 minutes, backoff from 1s up to 30s,
	 * multiplier 2.
	 * @return the default policy
	 */
	public static RetryPolicy defaults() {
		return new RetryPolicy(DEFAULT_MAX_RETRIES, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_MULTIPLIER,
				DEFAULT_MAX_RETRY_DURATION);
	}

	/**
	 * Return a copy with the given number of retries.
	 * @param maxRetries the number of retries
	 * @return a new policy
	 */
	public RetryPolicy withMaxRetries(int maxRetries) {
		return new RetryPolicy(maxRetries, this.initialBackoff, this.maxBackoff, this.multiplier,
				this.maxRetryDuration);
	}

	/**
	 * Return a copy with the given retry duration.
	 * @param maxRetryDuration how long after the first attempt retries may still start
	 * @return a new policy
	 */
	public RetryPolicy withMaxRetryDuration(Duration maxRetryDuration) {
		return new RetryPolicy(this.maxRetries, this.initialBackoff, this.maxBackoff, this.multiplier,
				maxRetryDuration);
	}

	/**
	 * Return a copy with the given backoff bounds.
	 * @param initialBackoff bound of the first backoff
	 * @param maxBackoff upper bound of any backoff
	 * @return a new policy
	 */
	public RetryPolicy withBackoff(Duration initialBackoff, Duration maxBackoff) {
		return new RetryPolicy(this.maxRetries, initialBackoff, maxBackoff, this.multiplier, this.maxRetryDuration);
	}

	/**
	 * Return whether a response with this status is worth retrying.
	 * @param status the HTTP status
	 * @return {@code true} for 408, 429 and 5xx
	 */
	public static boolean isRetryable(int status) {
		return status == 408 || status == 429 || (status >= 500 && status <= 599);
	}

	/**
	 * Return the random wait before the given retry.
	 * @param retry the retry number, starting at 1
	 * @param random the source of jitter
	 * @return a wait between zero and the exponential bound for this retry
	 */
	Duration backoff(int retry, RandomGenerator random) {
		double bound = this.initialBackoff.toNanos() * Math.pow(this.multiplier, Math.max(0, retry - 1));
		double capped = Math.min(bound, this.maxBackoff.toNanos());
		return Duration.ofNanos((long) (random.nextDouble() * capped));
	}

	/**
	 * Parse a {@code Retry-After} header: delta-seconds or an HTTP-date.
	 * @param value the header value
	 * @param clock the clock to measure an HTTP-date against
	 * @return the wait (zero for a date in the past), or {@code null} if absent or unreadable
	 */
	static @Nullable Duration parseRetryAfter(@Nullable String value, Clock clock) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String trimmed = value.trim();
		try {
			long seconds = Long.parseLong(trimmed);
			return (seconds >= 0) ? Duration.ofSeconds(seconds) : null;
		}
		catch (NumberFormatException ex) {
			// Not delta-seconds, try an HTTP-date
		}
		try {
			Instant until = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
			Duration wait = Duration.between(clock.instant(), until);
			return wait.isNegative() ? Duration.ZERO : wait;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
