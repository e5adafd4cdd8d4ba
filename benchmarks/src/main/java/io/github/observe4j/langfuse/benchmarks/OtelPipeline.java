package io.github.observe4j.langfuse.benchmarks;

import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;

/**
 * An OpenTelemetry SDK whose spans go through a {@link BatchSpanProcessor} to a
 * {@link CountingSpanExporter}, with a queue large enough that a tight loop drops nothing.
 */
final class OtelPipeline implements AutoCloseable {

	/** Queue size of the batch processor; the default 2048 drops spans under a tight loop. */
	static final int MAX_QUEUE_SIZE = 65_536;

	private final CountingSpanExporter exporter = new CountingSpanExporter();

	private final EndedSpanCounter endedSpans = new EndedSpanCounter();

	private final SdkTracerProvider tracerProvider;

	private final OpenTelemetrySdk openTelemetry;

	OtelPipeline() {
		BatchSpanProcessor batchProcessor = BatchSpanProcessor.builder(this.exporter)
			.setMaxQueueSize(MAX_QUEUE_SIZE)
			.build();
		this.tracerProvider = SdkTracerProvider.builder()
			.addSpanProcessor(SpanProcessor.composite(this.endedSpans, batchProcessor))
			.build();
		this.openTelemetry = OpenTelemetrySdk.builder().setTracerProvider(this.tracerProvider).build();
	}

	OpenTelemetry openTelemetry() {
		return this.openTelemetry;
	}

	/**
	 * Flush, then print how many spans ended, were exported and were dropped.
	 * @param candidate the candidate name to print
	 * @return the number of exported spans
	 */
	long report(String candidate) {
		this.tracerProvider.forceFlush().join(60, TimeUnit.SECONDS);
		long ended = this.endedSpans.ended();
		long exported = this.exporter.exported();
		long dropped = ended - exported;
		System.out.printf("%n[%s] spans ended=%d exported=%d dropped=%d (%.3f%%)%n", candidate, ended, exported,
				dropped, (ended > 0) ? 100.0 * dropped / ended : 0.0);
		ThreadCpu.report(candidate);
		return exported;
	}

	@Override
	public void close() {
		this.openTelemetry.close();
	}

}
