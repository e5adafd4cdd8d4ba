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

	@AfterEach
	void stopServer() {
		this.server.close();
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
