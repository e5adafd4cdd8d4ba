package io.github.observe4j.langfuse.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.observe4j.langfuse.internal.export.HttpRequest;
import io.github.observe4j.langfuse.internal.export.HttpResult;
import io.github.observe4j.langfuse.internal.webclient.WebClientHttpTransport;
import io.github.observe4j.langfuse.internal.webclient.WebClientHttpTransportBuilder;
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

import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;

/**
 * What the first request costs in a fresh JVM: one operation per fork, from nothing to the first
 * completed request. The operation builds a {@link WebClientHttpTransport} (over the JDK
 * {@link java.net.http.HttpClient}, the default, or over Reactor Netty), sends one
 * {@code GET /api/public/projects} to a {@link LoopbackSink} and waits for its response. The
 * sink is started before, outside the measurement, so the time is the transport's: class
 * loading, initialization, interpreted code, threads and the first connection.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1, batchSize = 1)
@Fork(value = 10, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class TransportStartupBenchmarks {

	/**
	 * Build the transport, send one GET to the sink and wait for the response.
	 * @param state the sink and the connector choice
	 * @return the response status
	 * @throws Exception if the request fails or does not answer 200
	 */
	@Benchmark
	public int firstRequest(StartupState state) throws Exception {
		WebClientHttpTransportBuilder builder = WebClientHttpTransport.builder(state.sink.baseUrl(), "pk-lf-bench",
				"sk-lf-bench");
		if ("reactor".equals(state.connector)) {
			state.connectionProvider = ReactorConnector.connectionProvider();
			builder.connector(ReactorConnector.connector(state.connectionProvider));
		}
		else if (!"jdk".equals(state.connector)) {
			throw new IllegalArgumentException("Unknown connector: " + state.connector);
		}
		state.transport = builder.build();
		HttpResult result = state.transport.send(HttpRequest.get(LoopbackSink.PROJECTS_PATH))
			.get(30, TimeUnit.SECONDS);
		if (result.status() != 200) {
			throw new IllegalStateException("Expected 200 from the sink, was " + result);
		}
		return result.status();
	}

	/**
	 * A sink, started before the measurement, and the connector to measure.
	 */
	@State(Scope.Benchmark)
	public static class StartupState {

		/**
		 * The transport's connector: {@code jdk}, the default over the JDK
		 * {@link java.net.http.HttpClient}, or {@code reactor}, a
		 * {@link ReactorClientHttpConnector} on a dedicated {@link ConnectionProvider} of at most
		 * {@value ExportThroughputBenchmarks.ExporterState#REACTOR_MAX_CONNECTIONS} connections,
		 * as in {@link ExportThroughputBenchmarks}.
		 */
		@Param({ "jdk", "reactor" })
		public String connector;

		LoopbackSink sink;

		@Nullable WebClientHttpTransport transport;

		@Nullable ConnectionProvider connectionProvider;

		/**
		 * Start the sink.
		 * @throws IOException if the sink cannot start
		 */
		@Setup(Level.Trial)
		public void setUp() throws IOException {
			this.sink = LoopbackSink.start();
		}

		/**
		 * Close the transport, release the connection pool and stop the sink.
		 */
		@TearDown(Level.Trial)
		public void tearDown() {
			if (this.transport != null) {
				this.transport.close();
			}
			if (this.connectionProvider != null) {
				this.connectionProvider.disposeLater().block(Duration.ofSeconds(10));
			}
			this.sink.close();
		}

	}

	/**
	 * The Reactor Netty types, in their own class so that the {@code jdk} forks never load them
	 * through this benchmark.
	 */
	private static final class ReactorConnector {

		private ReactorConnector() {
		}

		static ConnectionProvider connectionProvider() {
			return ConnectionProvider.builder("langfuse-bench")
				.maxConnections(ExportThroughputBenchmarks.ExporterState.REACTOR_MAX_CONNECTIONS)
				.build();
		}

		static ClientHttpConnector connector(ConnectionProvider connectionProvider) {
			return new ReactorClientHttpConnector(reactor.netty.http.client.HttpClient.create(connectionProvider));
		}

	}

}
