package io.github.observe4j.langfuse.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.internal.core.LangfuseSpan;
import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import io.github.observe4j.langfuse.internal.health.LangfuseHealthIndicator;
import io.github.observe4j.langfuse.model.Score;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer.FakeResponse;
import io.github.observe4j.langfuse.testsupport.StopsFirst;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code langfuse.export.spool-dir}: what one application context could not deliver before it
 * shut down is sent by the next one, exactly once, and the spool is empty afterwards.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpoolRoundTripTests {

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	@TempDir
	Path spoolDir;

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	/**
	 * Langfuse takes a request of two spans (and stores it, as far as anyone can tell) but never
	 * answers before the application stops: the request is spooled as possibly stored.
	 * @return the names of the spans
	 */
	private List<String> keepTwoSpansInFlightAtShutdown() throws IOException {
		this.server.setDefaultResponse(FakeLangfuseServer.OTEL_PATH, FakeResponse.hang());
		List<String> names = new ArrayList<>();
		// one request of both spans: a full batch of two, never split by the delay
		this.contextRunner()
			.withPropertyValues("langfuse.export.schedule-delay=1m", "langfuse.export.max-batch-size=2")
			.run((context) -> {
				LangfuseTracer tracer = context.getBean(LangfuseTracer.class);
				for (int i = 0; i < 2; i++) {
					tracer.endObservation(tracer.startObservation("in-flight-" + i, ObservationType.SPAN));
					names.add("in-flight-" + i);
				}
				await().until(() -> !this.server.requests(FakeLangfuseServer.OTEL_PATH).isEmpty());
			});
		try (Stream<Path> files = Files.list(this.spoolDir)) {
			assertThat(files.map((file) -> file.getFileName().toString()).filter((name) -> name.endsWith(".request")))
				.singleElement()
				.satisfies((name) -> assertThat(name).endsWith("-2-sent.request"));
		}
		return names;
	}

	/** A collector's 200 with an OTLP partial success: one span of each request not kept. */
	private void answerKeepingAllButOneSpan() {
		byte[] answer = ExportTraceServiceResponse.newBuilder()
			.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(1).setErrorMessage("over quota"))
			.build()
			.toByteArray();
		this.server.setDefaultResponse(FakeLangfuseServer.OTEL_PATH, FakeResponse.status(200)
			.header("Content-Type", "application/x-protobuf")
			.body(new String(answer, StandardCharsets.ISO_8859_1)));
	}

	private ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(LangfuseAutoConfiguration.class,
					LangfuseHealthContributorAutoConfiguration.class))
			.withPropertyValues("langfuse.host=" + this.server.url(),
					"langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
					"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY, "langfuse.export.schedule-delay=50ms",
					"langfuse.export.max-batch-size=4", "langfuse.export.initial-backoff=50ms",
					"langfuse.export.max-backoff=100ms", "langfuse.export.shutdown-timeout=1s",
					"langfuse.export.spool-dir=" + this.spoolDir);
	}

	@Test
	@SuppressWarnings("unchecked")
	void whatShutdownCouldNotDeliverIsSentAtTheNextStartExactlyOnce(CapturedOutput output) throws IOException {
		// a Langfuse that answers 503 until the first application has shut down
		this.server.setDefaultResponse(FakeLangfuseServer.OTEL_PATH, FakeResponse.status(503));
		this.server.setDefaultResponse(FakeLangfuseServer.SCORES_PATH, FakeResponse.status(503));
		List<String> names = new ArrayList<>();
		this.contextRunner().run((context) -> {
			LangfuseTracer tracer = context.getBean(LangfuseTracer.class);
			LangfuseClient client = context.getBean(LangfuseClient.class);
			for (int i = 0; i < 10; i++) {
				LangfuseSpan span = tracer.startObservation("kept-" + i, ObservationType.SPAN);
				tracer.endObservation(span);
				names.add("kept-" + i);
				if (i < 3) {
					client.scoreTrace(span.traceIdHex(), Score.numeric("quality", i));
				}
			}
		});
		assertThat(this.server.receivedSpans()).isNotEmpty();
		assertThat(spooledItems("traces")).isEqualTo(10);
		assertThat(spooledItems("score")).isEqualTo(3);
		assertThat(output).contains("Langfuse export kept 13 observation(s) and score(s) it could not deliver in "
				+ this.spoolDir + "; they are sent at the next start")
			.doesNotContain("shut down without delivering");

		this.server.reset();
		this.contextRunner().run((context) -> {
			LangfuseClient client = context.getBean(LangfuseClient.class);
			assertThat(client.flush(Duration.ofSeconds(10))).isTrue();
			Health health = context.getBean(LangfuseHealthIndicator.class).health(true);
			assertThat((Map<String, Object>) health.getDetails().get("traces")).containsEntry("replayed", 10L);
			assertThat((Map<String, Object>) health.getDetails().get("scores")).containsEntry("replayed", 3L);
		});
		assertThat(this.server.receivedSpanNames()).containsExactlyInAnyOrderElementsOf(names);
		assertThat(this.server.requests(FakeLangfuseServer.SCORES_PATH)).hasSize(3)
			.extracting((request) -> new String(request.body(), StandardCharsets.UTF_8))
			.allSatisfy((json) -> assertThat(json).contains("\"name\":\"quality\"").contains("\"id\":"));
		assertThat(spooledItems("traces") + spooledItems("score")).isZero();
		assertThat(output).contains("Sent 10 observation(s) that an earlier run kept in " + this.spoolDir)
			.contains("Sent 3 score(s) that an earlier run kept in " + this.spoolDir);
	}

	@Test
	void aLangfuseStillFailingAtTheNextStartLeavesTheSpoolForTheStartAfter(CapturedOutput output)
			throws IOException {
		this.server.stop();
		this.contextRunner().run((context) -> {
			LangfuseTracer tracer = context.getBean(LangfuseTracer.class);
			tracer.endObservation(tracer.startObservation("patient", ObservationType.SPAN));
		});
		assertThat(spooledItems("traces")).isOne();
		// still failing: the next run tries, keeps the file, and keeps it at its own shutdown
		this.server.restart();
		this.server.setDefaultResponse(FakeLangfuseServer.OTEL_PATH, FakeResponse.status(503));
		this.contextRunner().run((context) -> await()
			.until(() -> !this.server.requests(FakeLangfuseServer.OTEL_PATH).isEmpty()));
		assertThat(spooledItems("traces")).isOne();
		assertThat(output).contains("they stay there for the next start");

		this.server.reset();
		this.contextRunner().run((context) -> assertThat(context.getBean(LangfuseClient.class)
			.flush(Duration.ofSeconds(10))).isTrue());
		assertThat(this.server.storedSpans()).extracting(Span::getName).containsExactly("patient");
		assertThat(spooledItems("traces")).isZero();
	}

	@Test
	@SuppressWarnings("unchecked")
	void aRequestInFlightAtShutdownIsKeptAndItsReplayCountedAsPossiblyDuplicated(CapturedOutput output)
			throws IOException {
		List<String> names = keepTwoSpansInFlightAtShutdown();

		this.server.setDefaultResponse(FakeLangfuseServer.OTEL_PATH, FakeResponse.ok("{}"));
		this.contextRunner().run((context) -> {
			assertThat(context.getBean(LangfuseClient.class).flush(Duration.ofSeconds(10))).isTrue();
			Health health = context.getBean(LangfuseHealthIndicator.class).health(true);
			assertThat((Map<String, Object>) health.getDetails().get("traces")).containsEntry("replayed", 2L)
				.containsEntry("possiblyDuplicated", 2L);
		});
		// stored twice: once by the request that never got its answer, once by the replay; counted
		assertThat(this.server.storedSpans()).extracting(Span::getName)
			.containsExactlyInAnyOrder(names.get(0), names.get(1), names.get(0), names.get(1));
		assertThat(spooledItems("traces")).isZero();
		assertThat(output).contains("Langfuse export kept 2 observation(s)");
	}

	@Test
	@SuppressWarnings("unchecked")
	void spansTheServerAcceptsButDoesNotKeepAtReplayAreCountedAsRejected(CapturedOutput output) throws IOException {
		this.server.stop();
		this.contextRunner().run((context) -> {
			LangfuseTracer tracer = context.getBean(LangfuseTracer.class);
			for (int i = 0; i < 3; i++) {
				tracer.endObservation(tracer.startObservation("kept-" + i, ObservationType.SPAN));
			}
		});
		assertThat(spooledItems("traces")).isEqualTo(3);
		// at the next start a collector answers each request: one of its spans was not kept
		this.server.restart();
		answerKeepingAllButOneSpan();
		this.contextRunner().run((context) -> {
			assertThat(context.getBean(LangfuseClient.class).flush(Duration.ofSeconds(10))).isTrue();
			int requests = this.server.requests(FakeLangfuseServer.OTEL_PATH).size();
			assertThat(requests).isBetween(1, 3);
			Map<String, Object> traces = (Map<String, Object>) context.getBean(LangfuseHealthIndicator.class)
				.health(true)
				.getDetails()
				.get("traces");
			assertThat(traces).containsEntry("replayed", 3L - requests);
			assertThat((Map<String, Long>) traces.get("dropped")).containsEntry("rejected", (long) requests);
			assertThat(output).containsOnlyOnce("The server accepted the requests an earlier run kept but not "
					+ requests + " of their observations, dropping those: over quota");
		});
		assertThat(spooledItems("traces")).isZero();
	}

	@Test
	@SuppressWarnings("unchecked")
	void aReplayedRequestCountsOnlyTheSpansTheServerKeptAsPossiblyDuplicated(CapturedOutput output)
			throws IOException {
		keepTwoSpansInFlightAtShutdown();
		answerKeepingAllButOneSpan();
		this.contextRunner().run((context) -> {
			assertThat(context.getBean(LangfuseClient.class).flush(Duration.ofSeconds(10))).isTrue();
			Map<String, Object> traces = (Map<String, Object>) context.getBean(LangfuseHealthIndicator.class)
				.health(true)
				.getDetails()
				.get("traces");
			// the one span the server did not keep this time cannot be stored twice
			assertThat(traces).containsEntry("replayed", 1L).containsEntry("possiblyDuplicated", 1L);
			assertThat((Map<String, Long>) traces.get("dropped")).containsEntry("rejected", 1L);
		});
		assertThat(output).contains("Langfuse export kept 2 observation(s)")
			.containsOnlyOnce("The server accepted the requests an earlier run kept but not 1 of their observations,"
					+ " dropping those: over quota");
	}

	@Test
	void anInterruptWhileShuttingDownDoesNotStopItKeepingWhatItCouldNotDeliver(CapturedOutput output)
			throws IOException {
		this.server.setDefaultResponse(FakeLangfuseServer.OTEL_PATH, FakeResponse.status(503));
		this.server.setDefaultResponse(FakeLangfuseServer.SCORES_PATH, FakeResponse.status(503));
		boolean interruptKept;
		try {
			this.contextRunner()
				// the stopping thread interrupted 100 ms later, while the export retries against a 503
				.withBean(StopsFirst.class, () -> new StopsFirst(SpoolRoundTripTests::interruptThisThreadSoon))
				.run((context) -> {
					LangfuseTracer tracer = context.getBean(LangfuseTracer.class);
					// more than the worker holds (batches of 4), so that the shutdown itself spools some
					for (int i = 0; i < 20; i++) {
						LangfuseSpan span = tracer.startObservation("kept while interrupted", ObservationType.SPAN);
						tracer.endObservation(span);
						if (i < 3) {
							context.getBean(LangfuseClient.class).scoreTrace(span.traceIdHex(), Score.numeric("quality", i));
						}
					}
				});
		}
		finally {
			interruptKept = Thread.interrupted();
		}
		assertThat(interruptKept).as("the interrupt is kept").isTrue();
		assertThat(spooledItems("traces")).isEqualTo(20);
		assertThat(spooledItems("score")).isEqualTo(3);
		assertThat(output).contains("Langfuse export kept 23 observation(s) and score(s)")
			.doesNotContain("Could not write to the Langfuse spool")
			.doesNotContain("shut down without delivering");
	}

	private int spooledItems(String kind) throws IOException {
		try (Stream<Path> files = Files.list(this.spoolDir)) {
			return files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.startsWith(kind + "-") && name.endsWith(".request"))
				.map((name) -> name.replace("-sent.request", ".request"))
				.mapToInt((name) -> Integer.parseInt(name.substring(name.lastIndexOf('-') + 1, name.indexOf('.'))))
				.sum();
		}
	}

	private static void interruptThisThreadSoon() {
		Thread stopping = Thread.currentThread();
		CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS).execute(stopping::interrupt);
	}

}
