package io.github.observe4j.langfuse.benchmarks;

import java.util.concurrent.atomic.LongAdder;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Counts ended spans ahead of the batch processor, so that ended minus exported is what the
 * batch processor dropped.
 */
final class EndedSpanCounter implements SpanProcessor {

	private final LongAdder ended = new LongAdder();

	@Override
	public void onStart(Context parentContext, ReadWriteSpan span) {
	}

	@Override
	public boolean isStartRequired() {
		return false;
	}

	@Override
	public void onEnd(ReadableSpan span) {
		this.ended.increment();
	}

	@Override
	public boolean isEndRequired() {
		return true;
	}

	long ended() {
		return this.ended.sum();
	}

}
