package io.github.observe4j.langfuse.internal.support;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Durations made safe to wait for: waits are counted in nanoseconds, where about 292 years
 * overflow, so the longest wait is a century, which is as good as forever.
 */
public final class Durations {

	/** The longest duration waited for or accepted in configuration: 36,500 days. */
	public static final Duration LONGEST = Duration.ofDays(36_500);

	private Durations() {
	}

	/**
	 * Return a duration as a wait: a negative or missing one is no wait, a longer one than
	 * {@link #LONGEST} is {@link #LONGEST}.
	 * @param duration the duration, such as a caller's timeout
	 * @return a duration from zero to {@link #LONGEST}
	 */
	public static Duration asWait(@Nullable Duration duration) {
		if (duration == null || duration.isNegative()) {
			return Duration.ZERO;
		}
		return (duration.compareTo(LONGEST) > 0) ? LONGEST : duration;
	}

	/**
	 * Return a duration's nanoseconds as a wait, see {@link #asWait}.
	 * @param duration the duration
	 * @return from zero to the nanoseconds of {@link #LONGEST}
	 */
	public static long waitNanos(@Nullable Duration duration) {
		return asWait(duration).toNanos();
	}

}
