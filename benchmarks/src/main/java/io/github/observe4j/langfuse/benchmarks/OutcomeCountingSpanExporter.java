package io.github.observe4j.langfuse.benchmarks;

import java.util.Collection;
import java.util.concurrent.atomic.LongAdder;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Wraps a span exporter and counts the spans of each export once its result is known: sent, or
 * failed (after the exporter's own retries). Ended spans minus both is what is still queued or
 * being sent, which paces the producer.
 */
final class OutcomeCountingSpanExporter implements SpanExporter {

	private final SpanExporter delegate;

	private final LongAdder exported = new LongAdder();

	private final LongAdder failed = new LongAdder();

	OutcomeCountingSpanExporter(SpanExporter delegate) {
		this.delegate = delegate;
	}

	@Override
	public CompletableResultCode export(Collection<SpanData> spans) {
		int count = spans.size();
		CompletableResultCode result = this.delegate.export(spans);
		result.whenComplete(() -> (result.isSuccess() ? this.exported : this.failed).add(count));
		return result;
	}

	@Override
	public CompletableResultCode flush() {
		return this.delegate.flush();
	}

	@Override
	public CompletableResultCode shutdown() {
		return this.delegate.shutdown();
	}

	long exported() {
		return this.exported.sum();
	}

	long failed() {
		return this.failed.sum();
	}

}
