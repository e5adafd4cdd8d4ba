package io.github.observe4j.langfuse.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.internal.core.LangfuseSpan;
import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import io.github.observe4j.langfuse.internal.export.ExporterStats;
import io.github.observe4j.langfuse.internal.export.ExporterStats.DropReason;
import io.github.observe4j.langfuse.internal.export.HttpRequest;
import io.github.observe4j.langfuse.internal.export.HttpResult;
import io.github.observe4j.langfuse.internal.export.HttpTransport;
import io.github.observe4j.langfuse.model.Score;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer.FakeResponse;
import io.github.observe4j.langfuse.testsupport.StopsFirst;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.SmartLifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LangfuseExportLifecycle}.
 */
@ExtendWith(OutputCaptureExtension.class)
class LangfuseExportLifecycleTests {

	/** Phase in which Boot's {@code WebServerStartStopLifecycle} stops the web server. */
	private static final int WEB_SERVER_STOP_PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	// a long schedule delay: only a flush or the shutdown sends anything
	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(LangfuseAutoConfiguration.class))
		.withPropertyValues("langfuse.host=" + this.server.url(),
				"langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
				"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY, "langfuse.export.schedule-delay=1m",
				"langfuse.export.initial-backoff=10ms", "langfuse.export.max-backoff=20ms");

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void stopsAfterTheWebServerAndBeforeReactorNettyResources() {
		// higher phases stop first; shared HTTP resources such as Reactor Netty's stop in phase 0
		assertThat(LangfuseExportLifecycle.PHASE).isLessThan(WEB_SERVER_STOP_PHASE).isGreaterThan(0);
		this.contextRunner.run((context) -> {
			LangfuseExportLifecycle lifecycle = context.getBean(LangfuseExportLifecycle.class);
			assertThat(lifecycle.getPhase()).isEqualTo(LangfuseExportLifecycle.PHASE);
			assertThat(lifecycle.isRunning()).isTrue();
			assertThat(lifecycle.isAutoStartup()).isTrue();
			assertThat(lifecycle.isPauseable()).isFalse();
		});
	}

	@Test
	void closingTheContextSendsWhatIsQueued() {
		this.contextRunner.run((context) -> {
			LangfuseTracer tracer = context.getBean(LangfuseTracer.class);
			LangfuseSpan span = tracer.startObservation("queued at shutdown", ObservationType.SPAN);
			tracer.endObservation(span);
			context.getBean(LangfuseClient.class).scoreTrace(span.traceIdHex(), Score.numeric("quality", 0.9));
			// queued, not exported: the worker may already hold it in its batch, off the queue
			ExporterStats stats = context.getBean(LangfuseExportPipeline.class).traceStats();
			assertThat(stats.queued()).isOne();
			assertThat(stats.exported()).isZero();
			assertThat(this.server.requests(FakeLangfuseServer.OTEL_PATH)).isEmpty();
		});
		assertThat(this.server.receivedSpanNames()).containsExactly("queued at shutdown");
		assertThat(this.server.requests(FakeLangfuseServer.SCORES_PATH)).hasSize(1);
	}

	@Test
	@Timeout(value = 20, unit = TimeUnit.SECONDS)
	void aShutdownOnAThreadInterruptedWhileClosingStillSendsWhatIsQueuedAndKeepsTheInterrupt(CapturedOutput output) {
		// Spring does not start closing a context from an interrupted thread, but a bean that
		// stops before ours may be interrupted and restore the flag, as it should
		this.server.setDefaultResponse(FakeLangfuseServer.OTEL_PATH, FakeResponse.status(200).delay(Duration.ofMillis(300)));
		LangfuseExportPipeline[] pipeline = new LangfuseExportPipeline[1];
		boolean interruptKept;
		try {
			this.contextRunner
				// stops before the export, interrupted meanwhile: it restores the interrupt, as it should
				.withBean(StopsFirst.class, () -> new StopsFirst(() -> Thread.currentThread().interrupt()))
				.run((context) -> {
					pipeline[0] = context.getBean(LangfuseExportPipeline.class);
					LangfuseTracer tracer = context.getBean(LangfuseTracer.class);
					tracer.endObservation(tracer.startObservation("queued at an interrupted shutdown", ObservationType.SPAN));
					context.getBean(LangfuseClient.class).scoreTrace("0af7651916cd43dd8448eb211c80319c",
							Score.numeric("quality", 0.9));
				});
		}
		finally {
			interruptKept = Thread.interrupted();
		}
		assertThat(interruptKept).as("the interrupt is kept").isTrue();
		assertThat(pipeline[0].isShutdown()).isTrue();
		assertThat(this.server.receivedSpanNames()).containsExactly("queued at an interrupted shutdown");
		assertThat(pipeline[0].traceStats().exported()).isOne();
		assertThat(pipeline[0].traceStats().droppedTotal()).isZero();
		assertThat(this.server.requests(FakeLangfuseServer.SCORES_PATH)).hasSize(1);
		assertThat(output).doesNotContain("shut down without delivering");
	}

	@Test
	@Timeout(value = 20, unit = TimeUnit.SECONDS)
	void closingTheContextWaitsAtMostTheShutdownTimeoutAndCountsWhatItDrops(CapturedOutput output) {
		this.server.setDefaultResponse(FakeLangfuseServer.OTEL_PATH, FakeResponse.hang());
		LangfuseExportPipeline[] pipeline = new LangfuseExportPipeline[1];
		this.contextRunner.withPropertyValues("langfuse.export.shutdown-timeout=500ms").run((context) -> {
			pipeline[0] = context.getBean(LangfuseExportPipeline.class);
			LangfuseTracer tracer = context.getBean(LangfuseTracer.class);
			tracer.endObservation(tracer.startObservation("never answered", ObservationType.SPAN));
		});
		assertThat(this.server.requests(FakeLangfuseServer.OTEL_PATH)).isNotEmpty();
		assertThat(pipeline[0].traceStats().exported()).isZero();
		assertThat(pipeline[0].traceStats().droppedTotal()).isOne();
		assertThat(pipeline[0].traceStats().dropped(DropReason.QUEUE_FULL)).isZero();
		assertThat(output).containsOnlyOnce("Langfuse export shut down without delivering 1 observation (shutdown: 1)")
			.contains("langfuse.export.shutdown-timeout (now PT0.5S)");
	}

	@Test
	void aCleanShutdownSaysNothing(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			LangfuseTracer tracer = context.getBean(LangfuseTracer.class);
			tracer.endObservation(tracer.startObservation("delivered", ObservationType.SPAN));
		});
		assertThat(this.server.receivedSpanNames()).containsExactly("delivered");
		assertThat(output).doesNotContain("shut down without delivering");
	}

	@Test
	void startingAgainAfterAStopSaysThatExportIsOff(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			LangfuseExportLifecycle lifecycle = context.getBean(LangfuseExportLifecycle.class);
			LangfuseExportPipeline pipeline = context.getBean(LangfuseExportPipeline.class);
			lifecycle.stop();
			lifecycle.start();
			assertThat(lifecycle.isRunning()).isTrue();
			assertThat(pipeline.isExporting()).isFalse();
		});
		assertThat(output).containsOnlyOnce("Langfuse export was stopped and does not start again");
	}

	@Test
	void stopIsIdempotent() {
		this.contextRunner.run((context) -> {
			LangfuseExportLifecycle lifecycle = context.getBean(LangfuseExportLifecycle.class);
			lifecycle.stop();
			assertThat(lifecycle.isRunning()).isFalse();
			lifecycle.stop();
			assertThat(lifecycle.isRunning()).isFalse();
		});
	}

	@Test
	void aTransportThatFailsWithLinkageErrorsCannotStopStartOrStop(CapturedOutput output) {
		HttpTransport broken = new HttpTransport() {

			@Override
			public CompletableFuture<HttpResult> send(HttpRequest request) {
				throw new NoClassDefFoundError("io/netty/handler/codec/quic/Quic");
			}

			@Override
			public void close() {
				throw new NoClassDefFoundError("io/netty/util/internal/Cleaner");
			}

		};
		LangfuseProperties properties = new LangfuseProperties();
		properties.setPublicKey(FakeLangfuseServer.PUBLIC_KEY);
		properties.setSecretKey(FakeLangfuseServer.SECRET_KEY);
		properties.getExport().setShutdownTimeout(Duration.ofSeconds(1));
		LangfuseExportPipeline pipeline = LangfuseExportPipeline.create(properties,
				new PropertiesLangfuseConnectionDetails(properties), (value, max) -> "null",
				(host, publicKey, secretKey) -> broken, null);
		LangfuseExportLifecycle lifecycle = new LangfuseExportLifecycle(pipeline);
		lifecycle.start();
		assertThat(lifecycle.isRunning()).isTrue();
		assertThat(pipeline.authCheck()).isFalse();
		lifecycle.stop();
		assertThat(lifecycle.isRunning()).isFalse();
		assertThat(output).contains("a class its HTTP client needs is missing")
			.contains("Langfuse export did not shut down cleanly (java.lang.NoClassDefFoundError: io/netty/util/internal/Cleaner)");
	}

}
