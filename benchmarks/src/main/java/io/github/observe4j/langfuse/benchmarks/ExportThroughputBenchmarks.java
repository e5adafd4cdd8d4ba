package io.github.observe4j.langfuse.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.github.observe4j.langfuse.export.RecordSink;
import io.github.observe4j.langfuse.model.ObservationRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How fast observations leave the application: the exporter sending to a {@link LoopbackSink},
 * in observations per second and bytes per observation. {@link #sinkCeiling} measures what the
 * sink itself can take, so an exporter result can be read against it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class ExportThroughputBenchmarks {

	/**
	 * One synchronous 64 KiB POST to the sink per operation: the ceiling of the sink and the
	 * loopback, in requests per second.
	 * @param state the sink and a client
	 * @return the response status
	 * @throws Exception if the request fails
	 */
	@Benchmark
	public int sinkCeiling(SinkCeilingState state) throws Exception {
		return state.client.send(state.request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	/**
	 * Offer one finished observation to the exporter; the sent rate is printed at teardown.
	 * @param state the exporter and the sink
	 * @return whether the exporter accepted the observation
	 */
	@Benchmark
	public boolean langfuseExporter(ExporterState state) {
		boolean accepted = state.exporter.offer(SyntheticObservation.next());
		(accepted ? state.accepted : state.dropped).increment();
		return accepted;
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
				.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[BODY_SIZE]))
				.build();
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
	 * The starter's exporter, sending to a sink.
	 */
	@State(Scope.Benchmark)
	public static class ExporterState {

		static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(60);

		final LongAdder accepted = new LongAdder();

		final LongAdder dropped = new LongAdder();

		LoopbackSink sink;

		RecordSink<ObservationRecord> exporter = RecordSink.discarding();

		long startNanos;

		/**
		 * Start the sink and the exporter.
		 * @throws IOException if the sink cannot start
		 */
		@Setup(Level.Trial)
		public void setUp() throws IOException {
			this.sink = LoopbackSink.start();
			// TODO: build the starter's OTLP exporter (HTTP transport with base URL
			// this.sink.baseUrl(), pk-lf-bench / sk-lf-bench) once it exists, assign its
			// RecordSink<ObservationRecord> to this.exporter, keep its flush handle for
			// tearDown and set this.startNanos = System.nanoTime(). Until then this benchmark
			// fails at setup on purpose, so it never reports the speed of a discarding sink.
			this.sink.close();
			throw new UnsupportedOperationException(
					"TODO: langfuseExporter is a skeleton until the starter's exporter exists");
		}

		/**
		 * Flush the exporter, then print observations sent per second and bytes per observation.
		 */
		@TearDown(Level.Trial)
		public void tearDown() {
			// TODO: flush the exporter for at most FLUSH_TIMEOUT before reading the sink.
			double seconds = (System.nanoTime() - this.startNanos) / 1e9;
			long sent = this.accepted.sum();
			long bytes = this.sink.traceBytes();
			System.out.printf("%n[langfuseExporter] %d observations accepted, %d dropped; sink got %d requests, "
					+ "%d bytes in %.1f s: %.0f observations/s, %d bytes/observation%n", sent, this.dropped.sum(),
					this.sink.traceRequests(), bytes, seconds, sent / seconds, (sent > 0) ? bytes / sent : 0);
			this.sink.close();
		}

	}

}
