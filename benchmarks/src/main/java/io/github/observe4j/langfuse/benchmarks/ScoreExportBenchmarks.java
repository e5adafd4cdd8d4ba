package io.github.observe4j.langfuse.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.observe4j.langfuse.internal.export.ExportResult;
import io.github.observe4j.langfuse.internal.export.ExporterStats;
import io.github.observe4j.langfuse.internal.export.RetryPolicy;
import io.github.observe4j.langfuse.internal.export.ScoreExporter;
import io.github.observe4j.langfuse.model.Score;
import io.github.observe4j.langfuse.internal.model.ScoreRecord;
import io.github.observe4j.langfuse.internal.webclient.WebClientHttpTransport;
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

/**
 * How many scores per second the score exporter delivers to a Langfuse that takes
 * {@code latencyMillis} to answer each request (0: loopback; 20 and 100: a nearby and a distant
 * Langfuse Cloud region), one request at a time ({@code concurrency=1}, as before) or with up to
 * 8 in flight after the first (the default). One operation exports a batch of 64 scores, as the
 * score queue hands them over; scores per second are 64 times the operations per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class ScoreExportBenchmarks {

	static final int BATCH_SIZE = 64;

	@Param({ "0", "20", "100" })
	public int latencyMillis;

	@Param({ "1", "8" })
	public int concurrency;

	private HttpServer server;

	private ExecutorService serverThreads;

	private WebClientHttpTransport transport;

	private ScoreExporter exporter;

	private final List<ScoreRecord> batch = new ArrayList<>();

	@Setup(Level.Trial)
	public void start() throws IOException {
		System.setProperty("sun.net.httpserver.nodelay", "true");
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
		this.serverThreads = Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, "slow-langfuse");
			thread.setDaemon(true);
			return thread;
		});
		this.server.setExecutor(this.serverThreads);
		this.server.createContext("/", this::answerLate);
		this.server.start();
		this.transport = WebClientHttpTransport
			.builder("http://127.0.0.1:" + this.server.getAddress().getPort(), "pk-lf-bench", "sk-lf-bench")
			.timeout(Duration.ofSeconds(10))
			.build();
		this.exporter = new ScoreExporter(this.transport, RetryPolicy.defaults(), new ExporterStats(),
				this.concurrency, null);
		for (int i = 0; i < BATCH_SIZE; i++) {
			this.batch.add(new ScoreRecord(Score.numeric("helpful", i % 2), "0af7651916cd43dd8448eb211c80319c", null,
					null));
		}
	}

	private void answerLate(HttpExchange exchange) throws IOException {
		try (exchange) {
			exchange.getRequestBody().readAllBytes();
			if (this.latencyMillis > 0) {
				try {
					Thread.sleep(this.latencyMillis);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			byte[] body = "{\"id\":\"s\"}".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.exporter.shutdown();
		this.transport.close();
		this.server.stop(0);
		this.serverThreads.shutdownNow();
	}

	/**
	 * Export one batch of 64 scores.
	 * @return how many were delivered
	 */
	@Benchmark
	public int exportBatch() {
		ExportResult result = this.exporter.export(this.batch);
		if (result.exportedCount() != BATCH_SIZE) {
			throw new IllegalStateException("Not all scores delivered: " + result);
		}
		return result.exportedCount();
	}

}
