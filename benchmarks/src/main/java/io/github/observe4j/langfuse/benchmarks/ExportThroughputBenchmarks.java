package io.github.observe4j.langfuse.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import com.google.protobuf.ByteString;
import io.github.observe4j.langfuse.autoconfigure.LangfuseProperties;
import io.github.observe4j.langfuse.internal.core.LangfuseVersion;
import io.github.observe4j.langfuse.internal.export.BatchProcessor;
import io.github.observe4j.langfuse.internal.export.ExporterStats;
import io.github.observe4j.langfuse.internal.export.ExporterStats.DropReason;
import io.github.observe4j.langfuse.internal.export.OtlpTraceExporter;
import io.github.observe4j.langfuse.internal.export.RetryPolicy;
import io.github.observe4j.langfuse.internal.export.otlp.OtlpResource;
import io.github.observe4j.langfuse.internal.export.otlp.OtlpTraceEncoder;
import io.github.observe4j.langfuse.internal.json.JacksonValueSerializer;
import io.github.observe4j.langfuse.internal.model.ByteBudget;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.internal.webclient.WebClientHttpTransport;
import io.github.observe4j.langfuse.internal.webclient.WebClientHttpTransportBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;

/**
 * How fast observations leave the application: the exporter sending to a {@link LoopbackSink},
 * in observations per second and bytes per observation, against OpenTelemetry's own OTLP/HTTP
 * exporter sending the same observations ({@link #otelExporter}). {@link #sinkCeiling} measures
 * what the sink itself can take, so an exporter result can be read against it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class ExportThroughputBenchmarks {

	/**
	 * One synchronous POST of a 64 KiB OTLP request to the sink per operation: the ceiling of the
	 * sink (decoding included) and the loopback, in requests per second.
	 * @param state the sink and a client
	 * @return the response status
	 * @throws Exception if the request fails
	 */
	@Benchmark
	public int sinkCeiling(SinkCeilingState state) throws Exception {
		return state.client.send(state.request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	/**
	 * Offer one finished observation to the starter's export pipeline, waiting first while
	 * {@value ExporterState#MAX_PENDING} observations are queued or being sent: the producer
	 * runs at the speed the pipeline sustains, so the score is observations sent per second,
	 * with the backlog kept well below the queue capacity. Drops would be counted and printed at
	 * teardown; there should be none.
	 * @param state the exporter and the sink
	 * @return whether the exporter accepted the observation
	 */
	@Benchmark
	public boolean langfuseExporter(ExporterState state) {
		state.awaitBacklogBelowLimit();
		boolean accepted = state.processor.offer(SyntheticObservation.of(state.payload).sized());
		if (accepted) {
			state.accepted.increment();
		}
		return accepted;
	}

	/**
	 * Record one finished observation as a span through OpenTelemetry's own export pipeline
	 * ({@link OtelExporterState}), paced as {@link #langfuseExporter}: waiting first while
	 * {@value ExporterState#MAX_PENDING} spans are queued or being sent, so the score is spans
	 * sent per second. The span carries the same name, times and Langfuse attributes as the
	 * starter's; the producer renders its JSON values. Drops are printed at teardown.
	 * @param state the pipeline and the sink
	 */
	@Benchmark
	public void otelExporter(OtelExporterState state) {
		state.awaitBacklogBelowLimit();
		state.spans.record(SyntheticObservation.of(state.payload));
		state.ended.increment();
	}

	/**
	 * A sink and a JDK HTTP client posting to it.
	 */
	@State(Scope.Benchmark)
	public static class SinkCeilingState {

		static final int BODY_SIZE = 64 * 1024;

		LoopbackSink sink;

		HttpClient client;

		HttpRequest request;

		/**
		 * Start the sink.
		 * @throws IOException if the sink cannot start
		 */
		@Setup(Level.Trial)
		public void setUp() throws IOException {
			this.sink = LoopbackSink.start();
			this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			this.request = HttpRequest.newBuilder(URI.create(this.sink.baseUrl() + LoopbackSink.TRACES_PATH))
				.header("Content-Type", "application/x-protobuf")
				.POST(HttpRequest.BodyPublishers.ofByteArray(otlpBody()))
				.build();
		}

		/** A well-formed OTLP request of about {@value #BODY_SIZE} bytes, so the sink decodes it as it does ours. */
		private static byte[] otlpBody() {
			ScopeSpans.Builder scopeSpans = ScopeSpans.newBuilder();
			ExportTraceServiceRequest request;
			int spans = 0;
			do {
				spans++;
				scopeSpans.addSpans(Span.newBuilder()
					.setTraceId(ByteString.copyFrom(new byte[16]))
					.setSpanId(ByteString.copyFrom(new byte[8]))
					.setName("work")
					.setStartTimeUnixNano(spans)
					.setEndTimeUnixNano(spans + 1_000_000L)
					.addAttributes(KeyValue.newBuilder()
						.setKey("langfuse.observation.input")
						.setValue(AnyValue.newBuilder().setStringValue("{\"prompt\":\"" + Workload.PROMPT + "\"}"))));
				request = ExportTraceServiceRequest.newBuilder()
					.addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scopeSpans))
					.build();
			}
			while (request.getSerializedSize() < BODY_SIZE);
			return request.toByteArray();
		}

		/**
		 * Report and stop the sink.
		 */
		@TearDown(Level.Trial)
		public void tearDown() {
			this.sink.report("sinkCeiling");
			this.sink.close();
		}

	}

	/**
	 * The starter's export pipeline as its auto-configuration builds it, with its default
	 * settings except the queue size, which is the peers' 65,536: a {@link BatchProcessor} in
	 * front of an {@link OtlpTraceExporter} with the {@link OtlpTraceEncoder}, sending through a
	 * {@link WebClientHttpTransport} to a sink, over the JDK {@link HttpClient} (the default) or
	 * Reactor Netty.
	 */
	@State(Scope.Benchmark)
	public static class ExporterState {

		/** Most observations queued or being sent before the producer waits: 8 batches. */
		static final int MAX_PENDING = 8 * 512;

		static final int MAX_QUEUE_SIZE = OtelPipeline.MAX_QUEUE_SIZE;

		/**
		 * A byte budget that the backlog of {@link #MAX_PENDING} realistic observations stays well
		 * within (about 7KB each by the estimate, 27MB in all, too close to the default 32MB): the
		 * producer's wait paces the pipeline, not drops.
		 */
		static final long MAX_QUEUE_BYTES = 256L * 1024 * 1024;

		static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(60);

		/** Most connections of the Reactor Netty connector's dedicated pool. */
		static final int REACTOR_MAX_CONNECTIONS = 4;

		/** Whether request bodies are gzipped, as they are by default. */
		@Param({ "true", "false" })
		public boolean gzip;

		/**
		 * The transport's connector: {@code jdk}, the default over the JDK {@link HttpClient},
		 * or {@code reactor}, a {@link ReactorClientHttpConnector} on a dedicated
		 * {@link ConnectionProvider} of at most {@value #REACTOR_MAX_CONNECTIONS} connections.
		 */
		@Param({ "jdk", "reactor" })
		public String connector;

		/**
		 * {@code realistic}: a 2 KB prompt and a 1 KB answer of varied text, model, usage and
		 * cost; {@code synthetic}: the short fixed observation of earlier runs.
		 */
		@Param({ "realistic", "synthetic" })
		public String payload;

		final LongAdder accepted = new LongAdder();

		LoopbackSink sink;

		WebClientHttpTransport transport;

		@Nullable ConnectionProvider connectionProvider;

		ExporterStats stats;

		BatchProcessor<ObservationRecord> processor;

		long startNanos;

		/**
		 * Start the sink and the pipeline.
		 * @throws IOException if the sink cannot start
		 */
		@Setup(Level.Trial)
		public void setUp() throws IOException {
			LangfuseProperties.Export defaults = new LangfuseProperties().getExport();
			this.sink = LoopbackSink.start();
			WebClientHttpTransportBuilder transport = WebClientHttpTransport
				.builder(this.sink.baseUrl(), "pk-lf-bench", "sk-lf-bench")
				.timeout(defaults.getTimeout());
			switch (this.connector) {
				case "jdk" -> {
					// the default connector
				}
				case "reactor" -> {
					this.connectionProvider = ConnectionProvider.builder("langfuse-bench")
						.maxConnections(REACTOR_MAX_CONNECTIONS)
						.build();
					transport.connector(new ReactorClientHttpConnector(
							reactor.netty.http.client.HttpClient.create(this.connectionProvider)));
				}
				default -> throw new IllegalArgumentException("Unknown connector: " + this.connector);
			}
			this.transport = transport.build();
			this.stats = new ExporterStats();
			OtlpTraceEncoder encoder = new OtlpTraceEncoder(
					new OtlpResource("benchmarks", null, null, LangfuseVersion.SDK_NAME, LangfuseVersion.version()),
					new JacksonValueSerializer(), (int) defaults.getMaxObservationSize().toBytes());
			int maxRequestBytes = (int) defaults.getMaxRequestSize().toBytes();
			OtlpTraceExporter exporter = new OtlpTraceExporter(this.transport,
					encoder.requestEncoder(maxRequestBytes), RetryPolicy.defaults(), this.stats, this.gzip, false);
			this.processor = BatchProcessor.builder(exporter)
				.name("traces")
				.maxQueueSize(MAX_QUEUE_SIZE)
				.maxBatchSize(defaults.getMaxBatchSize())
				.scheduleDelay(defaults.getScheduleDelay())
				.byteBudget(new ByteBudget(MAX_QUEUE_BYTES), ObservationRecord::retainedBytes)
				.stats(this.stats)
				.build();
			this.processor.start();
			this.startNanos = System.nanoTime();
		}

		void awaitBacklogBelowLimit() {
			while (this.accepted.sum() - this.stats.exported() - this.stats.droppedTotal() >= MAX_PENDING) {
				LockSupport.parkNanos(500_000);
			}
		}

		/**
		 * Flush the pipeline, print observations sent per second and bytes per observation,
		 * then shut everything down.
		 */
		@TearDown(Level.Trial)
		public void tearDown() {
			boolean flushed = this.processor.forceFlush(FLUSH_TIMEOUT);
			double seconds = (System.nanoTime() - this.startNanos) / 1e9;
			long accepted = this.accepted.sum();
			long spans = this.sink.traceSpans();
			long bytes = this.sink.traceBytes();
			String candidate = "langfuseExporter gzip=" + this.gzip + " connector=" + this.connector + " payload="
					+ this.payload;
			this.sink.report(candidate);
			System.out.printf("[%s] %d observations accepted, exported=%d dropped=%d "
					+ "(queue-full=%d), sink decoded %d spans in %.1f s, flush included: %.0f observations/s, "
					+ "%.1f bytes/observation on the wire%s%n", candidate, accepted, this.stats.exported(),
					this.stats.droppedTotal(), this.stats.dropped(DropReason.QUEUE_FULL), spans, seconds,
					spans / seconds, (spans > 0) ? (double) bytes / spans : 0.0,
					flushed ? "" : "; flush did not complete within " + FLUSH_TIMEOUT);
			ThreadCpu.report(candidate);
			this.processor.shutdown(Duration.ofSeconds(10));
			this.transport.close();
			if (this.connectionProvider != null) {
				this.connectionProvider.disposeLater().block(Duration.ofSeconds(10));
			}
			this.sink.close();
		}

	}

}
