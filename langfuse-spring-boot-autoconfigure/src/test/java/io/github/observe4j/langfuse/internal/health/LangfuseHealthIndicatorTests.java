package io.github.observe4j.langfuse.internal.health;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.autoconfigure.LangfuseAutoConfiguration;
import io.github.observe4j.langfuse.autoconfigure.LangfuseHealthContributorAutoConfiguration;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.internal.core.LangfuseSpan;
import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import io.github.observe4j.langfuse.internal.export.ExporterStats;
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
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link LangfuseHealthIndicator}, wired by the auto-configuration to an export
 * pipeline that talks to a fake Langfuse.
 */
@ExtendWith(OutputCaptureExtension.class)
class LangfuseHealthIndicatorTests {

	private static final String PROJECTS = FakeLangfuseServer.PROJECTS_PATH;

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(LangfuseAutoConfiguration.class,
				LangfuseHealthContributorAutoConfiguration.class))
		.withPropertyValues("langfuse.host=" + this.server.url(), "langfuse.export.schedule-delay=50ms",
				"langfuse.export.initial-backoff=10ms", "langfuse.export.max-backoff=20ms",
				"langfuse.export.max-queue-size=100", "langfuse.export.max-batch-size=50");

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void unknownWithReasonWhenKeysAreMissing(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			Health health = context.getBean(LangfuseHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
			assertThat(health.getDetails()).containsEntry("exporting", false);
			assertThat(health.getDetails().get("reason")).asString()
				.contains("langfuse.public-key", "langfuse.secret-key");
		});
		assertThat(this.server.requests()).isEmpty();
		assertThat(output)
			.contains("Langfuse keys are not configured: set langfuse.public-key and langfuse.secret-key");
	}

	@Test
	void upWithQueueDeliveryAndAuthDetails() {
		this.contextRunner.withPropertyValues(keys()).run((context) -> {
			LangfuseTracer tracer = context.getBean(LangfuseTracer.class);
			LangfuseSpan span = tracer.startObservation("checked", ObservationType.SPAN);
			tracer.endObservation(span);
			assertThat(context.getBean(LangfuseClient.class).flush(Duration.ofSeconds(5))).isTrue();
			LangfuseHealthIndicator indicator = context.getBean(LangfuseHealthIndicator.class);
			await().until(() -> "ACCEPTED".equals(indicator.health().getDetails().get("auth")));
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("exporting", true);
			Map<String, Object> traces = details(health, "traces");
			assertThat(traces).containsEntry("queueSize", 0)
				.containsEntry("queueCapacity", 100)
				.containsEntry("exported", 1L)
				.containsEntry("queuedBytes", 0L)
				.containsEntry("maxQueueBytes", 32L * 1024 * 1024)
				.containsEntry("lastExport", "SUCCESS")
				.containsKey("lastSuccess");
			assertThat(details(traces, "dropped")).containsOnlyKeys("queue_full", "queue_bytes_full", "shutdown",
					"retries_exhausted", "rejected", "exporter_error")
				.allSatisfy((reason, count) -> assertThat(count).isEqualTo(0L));
			assertThat(details(health, "scores")).containsEntry("exported", 0L).containsEntry("queueCapacity", 100);
			assertThat(this.server.receivedSpanNames()).containsExactly("checked");
			assertNoSecret(health);
		});
	}

	@Test
	void downWithReasonWhenLangfuseRejectsTheKeys(CapturedOutput output) {
		this.server.setDefaultResponse(PROJECTS,
				FakeResponse.status(401).body("{\"message\":\"Invalid credentials\"}"));
		this.contextRunner.withPropertyValues(keys()).run((context) -> {
			LangfuseHealthIndicator indicator = context.getBean(LangfuseHealthIndicator.class);
			// the key check runs in the background after startup
			await().until(() -> indicator.health().getStatus().equals(Status.DOWN));
			Health health = indicator.health();
			assertThat(health.getDetails()).containsEntry("auth", "REJECTED");
			assertThat(health.getDetails().get("reason")).asString()
				.contains("HTTP 401", "Invalid credentials", "langfuse.public-key", "langfuse.secret-key");
			assertNoSecret(health);
			// the state is recorded just before the warning is logged
			await().untilAsserted(() -> assertThat(output)
				.contains("Langfuse rejected the API keys (HTTP 401: Invalid credentials)"));
		});
	}

	@Test
	void probesDoNotCallLangfuse() {
		this.contextRunner.withPropertyValues(keys()).run((context) -> {
			LangfuseHealthIndicator indicator = context.getBean(LangfuseHealthIndicator.class);
			await().until(() -> "ACCEPTED".equals(indicator.health().getDetails().get("auth")));
			int before = this.server.requests(PROJECTS).size();
			for (int i = 0; i < 20; i++) {
				assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
			}
			// a refresh is asynchronous: give any it started time to arrive
			await().during(Duration.ofMillis(300))
				.atMost(Duration.ofSeconds(2))
				.until(() -> this.server.requests(PROJECTS).size() <= before + 1);
		});
	}

	@Test
	void inactiveIndicatorIsUnknownAndNeverRefreshes() {
		Health health = LangfuseHealthIndicator.inactive("set langfuse.public-key").health();
		assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
		assertThat(health.getDetails()).containsEntry("reason", "set langfuse.public-key")
			.containsEntry("exporting", false);
	}

	@Test
	void activeIndicatorAsksForAKeyCheckOnEachProbeAndIsUpUntilKeysAreRejected() {
		AtomicInteger refreshes = new AtomicInteger();
		ExporterStats traces = new ExporterStats();
		LangfuseHealthIndicator indicator = new LangfuseHealthIndicator(traces,
				new ExporterStats(), refreshes::incrementAndGet);
		Health health = indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("auth", "UNKNOWN").containsEntry("exporting", true);
		assertThat(details(health, "traces")).containsEntry("lastExport", "NONE").doesNotContainKey("lastError");
		indicator.health();
		assertThat(refreshes).hasValue(2);
	}

	private static String[] keys() {
		return new String[] { "langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
				"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY };
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> details(Health health, String key) {
		return details(health.getDetails(), key);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> details(Map<String, Object> details, String key) {
		assertThat(details.get(key)).isInstanceOf(Map.class);
		return (Map<String, Object>) details.get(key);
	}

	private static void assertNoSecret(Health health) {
		assertThat(health.toString()).doesNotContain(FakeLangfuseServer.SECRET_KEY);
		assertThat(health.getDetails().toString()).doesNotContain(FakeLangfuseServer.SECRET_KEY);
	}

}
