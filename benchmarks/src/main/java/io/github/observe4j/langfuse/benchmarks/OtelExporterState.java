package io.github.observe4j.langfuse.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import io.github.observe4j.langfuse.autoconfigure.LangfuseProperties;
import io.github.observe4j.langfuse.internal.export.OtlpTraceExporter;
import io.github.observe4j.langfuse.internal.json.JacksonValueSerializer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * OpenTelemetry's own export pipeline, set up as {@link ExportThroughputBenchmarks.ExporterState}
 * sets up ours: an {@link SdkTracerProvider} with a {@link BatchSpanProcessor} (queue 65,536,
 * batches of 512, the starter's schedule delay) in front of an {@link OtlpHttpSpanExporter} over
 * the JDK {@code HttpClient} sender (the OkHttp sender is excluded from the class path), sending
 * to a {@link LoopbackSink} with the same Basic authentication and ingestion header as ours.
 * <p>
 * Each operation records one {@link SyntheticObservation} as a span through
 * {@link OtelObservationSpans}, which renders the JSON values on the producer's thread: here the
 * producer pays for the rendering, in ours the export thread does.
 */
@State(Scope.Benchmark)
public class OtelExporterState {

	static final int MAX_PENDING = ExportThroughputBenchmarks.ExporterState.MAX_PENDING;

	static final Duration FLUSH_TIMEOUT = ExportThroughputBenchmarks.ExporterState.FLUSH_TIMEOUT;

	/**
	 * Whether request bodies are gzipped (compression {@code gzip}) or not ({@code none}).
	 * OpenTelemetry compresses at the JDK's default level 6, where the starter uses level 1: it
	 * offers no setting for the level, and its own gzip compressor replaces any registered for
	 * the same encoding. So with gzip on it spends more CPU and sends fewer bytes.
	 */
	@Param({ "true", "false" })
	public boolean gzip;

	/** As {@link ExportThroughputBenchmarks.ExporterState#payload}. */
	@Param({ "realistic", "synthetic" })
	public String payload;

	final LongAdder ended = new LongAdder();

	LoopbackSink sink;

	OutcomeCountingSpanExporter exporter;

	SdkTracerProvider tracerProvider;

	OtelObservationSpans spans;

	long startNanos;

	/**
	 * Start the sink and the pipeline.
	 * @throws IOException if the sink cannot start
	 */
	@Setup(Level.Trial)
	public void setUp() throws IOException {
		LangfuseProperties.Export defaults = new LangfuseProperties().getExport();
		this.sink = LoopbackSink.start();
		String credentials = Base64.getEncoder().encodeToString("pk-lf-bench:sk-lf-bench".getBytes(StandardCharsets.UTF_8));
		OtlpHttpSpanExporter otlp = OtlpHttpSpanExporter.builder()
			.setEndpoint(this.sink.baseUrl() + LoopbackSink.TRACES_PATH)
			.setCompression(this.gzip ? "gzip" : "none")
			.setTimeout(defaults.getTimeout())
			.addHeader("Authorization", "Basic " + credentials)
			.addHeader("x-langfuse-ingestion-version", OtlpTraceExporter.INGESTION_VERSION)
			.build();
		System.out.println("[" + candidate() + "] " + otlp);
		this.exporter = new OutcomeCountingSpanExporter(otlp);
		BatchSpanProcessor processor = BatchSpanProcessor.builder(this.exporter)
			.setMaxQueueSize(ExportThroughputBenchmarks.ExporterState.MAX_QUEUE_SIZE)
			.setMaxExportBatchSize(defaults.getMaxBatchSize())
			.setScheduleDelay(defaults.getScheduleDelay())
			.build();
		this.tracerProvider = SdkTracerProvider.builder()
			.setResource(Resource.getDefault().merge(Resource.builder()
				.put(AttributeKey.stringKey("service.name"), "benchmarks")
				.build()))
			.addSpanProcessor(processor)
			.build();
		this.spans = new OtelObservationSpans(this.tracerProvider.get(OtelExporterState.class.getPackageName()),
				new JacksonValueSerializer(), (int) defaults.getMaxObservationSize().toBytes());
		this.startNanos = System.nanoTime();
	}

	void awaitBacklogBelowLimit() {
		while (this.ended.sum() - this.exporter.exported() - this.exporter.failed() >= MAX_PENDING) {
			LockSupport.parkNanos(500_000);
		}
	}

	/**
	 * Flush the pipeline, print spans sent per second, bytes per span and drops (ended spans the
	 * sink did not decode, whatever the reason: queue full, failed export), then shut everything
	 * down.
	 */
	@TearDown(Level.Trial)
	public void tearDown() {
		boolean flushed = this.tracerProvider.forceFlush().join(FLUSH_TIMEOUT.toSeconds(), TimeUnit.SECONDS).isSuccess();
		double seconds = (System.nanoTime() - this.startNanos) / 1e9;
		long ended = this.ended.sum();
		long spans = this.sink.traceSpans();
		long bytes = this.sink.traceBytes();
		String candidate = candidate();
		this.sink.report(candidate);
		System.out.printf("[%s] %d spans ended, exported=%d failed=%d dropped=%d (ended minus decoded by the sink), "
				+ "sink decoded %d spans in %.1f s, flush included: %.0f observations/s, "
				+ "%.1f bytes/observation on the wire%s%n", candidate, ended, this.exporter.exported(),
				this.exporter.failed(), ended - spans, spans, seconds, spans / seconds,
				(spans > 0) ? (double) bytes / spans : 0.0,
				flushed ? "" : "; flush did not complete within " + FLUSH_TIMEOUT);
		ThreadCpu.report(candidate);
		this.tracerProvider.shutdown().join(10, TimeUnit.SECONDS);
		this.sink.close();
	}

	private String candidate() {
		return "otelExporter gzip=" + this.gzip + " payload=" + this.payload;
	}

}
