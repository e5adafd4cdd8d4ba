package io.github.observe4j.langfuse.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.internal.core.LangfuseSpan;
import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import io.github.observe4j.langfuse.internal.health.LangfuseHealthIndicator;
import io.github.observe4j.langfuse.model.Score;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer.FakeResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys refused on one endpoint only: traces keep being delivered, the warning names what is
 * dropped, and health is DOWN with the state of each endpoint.
 */
@ExtendWith(OutputCaptureExtension.class)
class PerEndpointAuthTests {

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(LangfuseAutoConfiguration.class,
				LangfuseHealthContributorAutoConfiguration.class))
		.withPropertyValues("langfuse.host=" + this.server.url(), "langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
				"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY, "langfuse.export.schedule-delay=50ms");

	private final FakeLangfuseServer collector = FakeLangfuseServer.start();

	@AfterEach
	void stopServer() {
		this.server.close();
		this.collector.close();
	}

	@Test
	@SuppressWarnings("unchecked")
	void aCollectorAcceptingTracesDoesNotMakeRefusedKeysLookAccepted(CapturedOutput output) {
		// the collector never sees the keys: only the key check to Langfuse says whether they work
		this.server.setDefaultResponse(FakeLangfuseServer.PROJECTS_PATH,
				FakeResponse.status(401).body("{\"message\":\"Invalid credentials\"}"));
		this.collector.setDefaultResponse("/v1/traces", FakeResponse.status(200));
		this.contextRunner.withPropertyValues("langfuse.export.traces-endpoint=" + this.collector.url() + "/v1/traces")
			.run((context) -> {
				LangfuseClient client = context.getBean(LangfuseClient.class);
				assertThat(client.authCheck()).isFalse();
				client.observe("traced", ObservationType.SPAN, () -> "done");
				assertThat(client.flush(Duration.ofSeconds(10))).isTrue();
				Health health = context.getBean(LangfuseHealthIndicator.class).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat((Map<String, Object>) health.getDetails().get("traces")).containsEntry("auth", "REJECTED")
					.containsEntry("exported", 1L);
			});
		assertThat(this.collector.requests("/v1/traces")).singleElement()
			.satisfies((request) -> assertThat(request.header("Authorization")).isNull());
		assertThat(output).containsOnlyOnce("Langfuse rejected the API keys (HTTP 401: Invalid credentials)");
	}

	@Test
	@SuppressWarnings("unchecked")
	void aCollectorRefusingItsOwnCredentialsIsNotBlamedOnTheKeys(CapturedOutput output) {
		this.collector.setDefaultResponse("/v1/traces", FakeResponse.status(401).body("missing collector token"));
		String endpoint = this.collector.url() + "/v1/traces";
		this.contextRunner.withPropertyValues("langfuse.export.traces-endpoint=" + endpoint).run((context) -> {
			LangfuseClient client = context.getBean(LangfuseClient.class);
			assertThat(client.authCheck()).isTrue();
			client.observe("traced", ObservationType.SPAN, () -> "done");
			client.flush(Duration.ofSeconds(10));
			Health health = context.getBean(LangfuseHealthIndicator.class).health(true);
			Map<String, Object> traces = (Map<String, Object>) health.getDetails().get("traces");
			assertThat(traces).containsEntry("auth", "ACCEPTED");
			assertThat((Map<String, Long>) traces.get("dropped")).containsEntry("rejected", 1L);
		});
		assertThat(output).containsOnlyOnce(endpoint + " refused 1 observation (401), dropping them without retry")
			.doesNotContain("Langfuse rejected the API keys");
	}

	@Test
	@SuppressWarnings("unchecked")
	void scoresRefusedWhileTracesAreAcceptedIsDownForScoresOnly(CapturedOutput output) {
		this.server.setDefaultResponse(FakeLangfuseServer.SCORES_PATH,
				FakeResponse.status(401).body("{\"message\":\"Invalid credentials\"}"));
		this.contextRunner.run((context) -> {
			LangfuseClient client = context.getBean(LangfuseClient.class);
			LangfuseTracer tracer = context.getBean(LangfuseTracer.class);
			LangfuseSpan span = tracer.startObservation("traced", ObservationType.SPAN);
			tracer.endObservation(span);
			client.scoreTrace(span.traceIdHex(), Score.numeric("quality", 1));
			assertThat(client.flush(Duration.ofSeconds(10))).isTrue();
			assertThat(client.authCheck()).isTrue();

			Health health = context.getBean(LangfuseHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("reason").toString()).contains("rejected the configured keys for scores");
			assertThat((Map<String, Object>) health.getDetails().get("traces")).containsEntry("auth", "ACCEPTED")
				.containsEntry("exported", 1L);
			assertThat((Map<String, Object>) health.getDetails().get("scores")).containsEntry("auth", "REJECTED");
		});
		assertThat(this.server.receivedSpanNames()).containsExactly("traced");
		assertThat(output).containsOnlyOnce("Langfuse rejected the API keys (HTTP 401: Invalid credentials)")
			.contains("Scores sent to /api/public/scores are dropped")
			.doesNotContain("Observations sent to");
	}

}
