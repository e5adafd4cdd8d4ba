package io.github.observe4j.langfuse.internal.support;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

/**
 * Logs a WARN at most once per interval for each key, so a failure that repeats for every
 * batch (an unreachable host, a full queue) cannot flood the application's log. The next WARN
 * that gets through says how many were suppressed in between. Keys must have low cardinality,
 * such as a failure kind or an HTTP status.
 *
 * @since 0.1.0
 */
public final class ThrottledLog {

	/** Upper bound on remembered keys, in case a caller builds keys from unbounded values. */
	private static final int MAX_KEYS = 256;

	private final Log log;

	private final long intervalNanos;

	private final LongSupplier nanoTime;

	private final Map<String, KeyState> keys = new ConcurrentHashMap<>();

	/**
	 * Create a throttled log.
	 * @param log the log to write to
	 * @param interval the minimum time between two WARNs with the same key
	 */
	public ThrottledLog(Log log, Duration interval) {
		this(log, interval, System::nanoTime);
	}

	// Visible for testing
	ThrottledLog(Log log, Duration interval, LongSupplier nanoTime) {
		Objects.requireNonNull(log, "log must not be null");
		Objects.requireNonNull(interval, "interval must not be null");
		this.log = log;
		this.intervalNanos = interval.toNanos();
		this.nanoTime = nanoTime;
	}

	/**
	 * Log a WARN unless one with the same key was logged within the interval.
	 * @param key what kind of problem this is
	 * @param message the message, only built when it is logged
	 * @return whether the message was logged
	 */
	public boolean warn(String key, Supplier<String> message) {
		return warn(key, message, null);
	}

	/**
	 * Log a WARN with a cause unless one with the same key was logged within the interval. The
	 * WARN is one line that ends with the cause's type and message; the cause's stack trace is
	 * logged at DEBUG.
	 * @param key what kind of problem this is
	 * @param message the message, only built when it is logged
	 * @param cause the cause to describe, or {@code null}
	 * @return whether the message was logged
	 */
	public boolean warn(String key, Supplier<String> message, @Nullable Throwable cause) {
		if (!this.log.isWarnEnabled()) {
			return false;
		}
		long suppressed = state(key).tryAcquire(this.nanoTime.getAsLong(), this.intervalNanos);
		if (suppressed < 0) {
			return false;
		}
		String text = message.get();
		if (suppressed > 0) {
			text = text + " (" + suppressed + " similar " + ((suppressed == 1) ? "message" : "messages")
					+ " suppressed)";
		}
		if (cause != null) {
			this.log.warn(text + ": " + Failures.describe(cause));
			if (this.log.isDebugEnabled()) {
				this.log.debug(text, cause);
			}
		}
		else {
			this.log.warn(text);
		}
		return true;
	}

	/**
	 * Return whether a WARN with the given key may be logged now; if not, it is counted as
	 * suppressed.
	 * @param key what kind of problem this is
	 * @return whether to log it
	 */
	public boolean tryAcquire(String key) {
		if (!this.log.isWarnEnabled()) {
			return false;
		}
		return state(key).tryAcquire(this.nanoTime.getAsLong(), this.intervalNanos) >= 0;
	}

	private KeyState state(String key) {
		if (this.keys.size() >= MAX_KEYS && !this.keys.containsKey(key)) {
			this.keys.clear();
		}
		return this.keys.computeIfAbsent(key, (k) -> new KeyState());
	}

	/**
	 * Return how many WARNs with the given key have been suppressed since the last one logged.
	 * @param key the key
	 * @return the suppressed count
	 */
	public long suppressedCount(String key) {
		KeyState state = this.keys.get(key);
		return (state != null) ? state.suppressed() : 0;
	}

	/** Throttling state of one key. */
	private static final class KeyState {

		private boolean logged;

		private long lastLoggedNanos;

		private long suppressed;

		/**
		 * Return the number suppressed since the last WARN if this one may be logged, else
		 * {@code -1} after counting it as suppressed.
		 */
		synchronized long tryAcquire(long now, long intervalNanos) {
			if (this.logged && now - this.lastLoggedNanos < intervalNanos) {
				this.suppressed++;
				return -1;
			}
			long result = this.suppressed;
			this.logged = true;
			this.lastLoggedNanos = now;
			this.suppressed = 0;
			return result;
		}

		synchronized long suppressed() {
			return this.suppressed;
		}

	}

}
