package io.github.observe4j.langfuse.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.internal.core.RecentTraces;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the {@code langfuse} actuator endpoint: what it shows, that it never shows a secret,
 * and each condition of its configuration.
 */
@ExtendWith(OutputCaptureExtension.class)
class LangfuseEndpointTests {

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(LangfuseAutoConfiguration.class))
		.withPropertyValues("langfuse.host=" + this.server.url(), "langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
				"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY, "langfuse.export.schedule-delay=50ms",
				"langfuse.export.headers.x-token=header-secret");

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	@SuppressWarnings("unchecked")
	void showsTheConfigurationAndTheQueuesButNoSecret() {
		this.contextRunner.run((context) -> {
			LangfuseClient client = context.getBean(LangfuseClient.class);
			client.observe("shown", ObservationType.SPAN, () -> "done");
			assertThat(client.flush(Duration.ofSeconds(10))).isTrue();
			Map<String, Object> shown = context.getBean(LangfuseEndpoint.class).langfuse();
			assertThat(shown).containsEntry("exporting", true);
			assertThat((Map<String, Object>) shown.get("configuration"))
				.containsEntry("publicKey", FakeLangfuseServer.PUBLIC_KEY)
				.containsEntry("secretKeySet", true)
				.containsEntry("host", this.server.url());
			assertThat((Map<String, Object>) shown.get("traces")).containsEntry("exported", 1L)
				.containsEntry("queued", 1L);
			assertThat(shown.toString()).doesNotContain(FakeLangfuseServer.SECRET_KEY).doesNotContain("header-secret")
				.contains("x-token");
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void showsTheLastTracesSentWithTheirUrlsWhereTheEndpointIsExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=langfuse").run((context) -> {
			LangfuseClient client = context.getBean(LangfuseClient.class);
			for (int i = 1; i <= 25; i++) {
				String name = "request " + i;
				client.observe(name, ObservationType.SPAN,
						() -> client.observe("step", ObservationType.SPAN, () -> "done"));
			}
			assertThat(client.flush(Duration.ofSeconds(10))).isTrue();
			List<Map<String, Object>> traces = (List<Map<String, Object>>) context.getBean(LangfuseEndpoint.class)
				.langfuse()
				.get("recentTraces");
			assertThat(traces).hasSize(20);
			assertThat(traces.get(0)).containsEntry("name", "request 25").containsEntry("observations", 2);
			assertThat(traces.get(19)).containsEntry("name", "request 6");
			String traceId = (String) traces.get(0).get("traceId");
			assertThat(traceId).hasSize(32);
			// the project id comes with the answer to the key check, which may come after the
			// export's: until then the url is the host's /trace/ redirect
			assertThat((String) traces.get(0).get("url")).isIn(this.server.url() + "/trace/" + traceId,
					projectTraceUrl(traceId));
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat((String) ((List<Map<String, Object>>) context
					.getBean(LangfuseEndpoint.class)
					.langfuse()
					.get("recentTraces")).get(0).get("url")).isEqualTo(projectTraceUrl(traceId)));
		});
	}

	private String projectTraceUrl(String traceId) {
		return this.server.url() + "/project/" + FakeLangfuseServer.PROJECT_ID + "/traces/" + traceId;
	}

	@Test
	void keepsNoTracesWhereTheEndpointIsNotExposed() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(RecentTraces.class);
			assertThat(context.getBean(LangfuseEndpoint.class).langfuse()).doesNotContainKey("recentTraces");
		});
	}

	@Test
	void saysWhyNothingIsExportedWithoutKeys(CapturedOutput output) {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LangfuseAutoConfiguration.class))
			.run((context) -> {
				Map<String, Object> shown = context.getBean(LangfuseEndpoint.class).langfuse();
				assertThat(output).contains("Langfuse keys are not configured");
				assertThat(shown).containsEntry("exporting", false);
				assertThat(shown.get("reason").toString()).contains("langfuse.public-key");
			});
	}

	@Test
	void noEndpointWithoutTheActuator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(LangfuseEndpoint.class));
	}

	@Test
	void backsOffForTheApplicationsOwn() {
		this.contextRunner
			.withBean("myEndpoint", LangfuseEndpoint.class,
					() -> new LangfuseEndpoint(new LangfuseProperties(), new InactiveExportPipeline("mine"), null,
							LangfuseClient.noop()))
			.run((context) -> assertThat(context).getBeans(LangfuseEndpoint.class).containsOnlyKeys("myEndpoint"));
	}

}
