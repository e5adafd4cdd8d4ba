package io.github.observe4j.langfuse.internal.langchain4j;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.github.observe4j.langfuse.internal.core.LlmCall;

/**
 * The chat calls that have started and not ended. LangChain4j calls no listener method when a
 * stream is cancelled, so such a call would never end and never be exported: calls open longer
 * than a bound are ended as incomplete (WARNING) when the next call starts, and all of them at
 * shutdown. At most {@code maxTracked} calls are remembered; beyond that a call is not reaped,
 * and one never ended is left to the garbage collector with the framework's attributes.
 */
final class OpenChatCalls {

	private final Map<LlmCall, Long> startedAt = new ConcurrentHashMap<>();

	private final long maxOpenNanos;

	private final long sweepIntervalNanos;

	private final int maxTracked;

	private final LongSupplier nanoTime;

	private final AtomicLong nextSweep;

	OpenChatCalls(Duration maxOpen, int maxTracked, LongSupplier nanoTime) {
		this.maxOpenNanos = maxOpen.toNanos();
		this.sweepIntervalNanos = Math.min(this.maxOpenNanos, Duration.ofMinutes(1).toNanos());
		this.maxTracked = maxTracked;
		this.nanoTime = nanoTime;
		this.nextSweep = new AtomicLong(nanoTime.getAsLong() + this.sweepIntervalNanos);
	}

	void opened(LlmCall call) {
		long now = this.nanoTime.getAsLong();
		long due = this.nextSweep.get();
		if (now - due >= 0 && this.nextSweep.compareAndSet(due, now + this.sweepIntervalNanos)) {
			sweep(now);
		}
		if (this.startedAt.size() < this.maxTracked) {
			this.startedAt.put(call, now);
		}
	}

	void closed(LlmCall call) {
		this.startedAt.remove(call);
	}

	int size() {
		return this.startedAt.size();
	}

	/**
	 * End every open call as incomplete.
	 * @param reason the status message
	 * @return how many were ended
	 */
	int endAll(String reason) {
		int ended = 0;
		for (LlmCall call : this.startedAt.keySet()) {
			if (this.startedAt.remove(call) != null) {
				endIncomplete(call, reason);
				ended++;
			}
		}
		return ended;
	}

	private void sweep(long now) {
		this.startedAt.forEach((call, started) -> {
			if (now - started > this.maxOpenNanos && this.startedAt.remove(call, started)) {
				endIncomplete(call, "no answer within " + Duration.ofNanos(this.maxOpenNanos)
						+ ", such as a cancelled stream");
			}
		});
	}

	private static void endIncomplete(LlmCall call, String reason) {
		call.incomplete(reason);
		call.end();
	}

}
