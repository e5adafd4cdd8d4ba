package io.github.observe4j.langfuse.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import io.github.observe4j.langfuse.context.LangfuseClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample application as a new user first starts it: real keys, the default host
 * {@code https://cloud.langfuse.com}, and no network. The test JVM resolves host names only
 * from a hosts file that knows {@code localhost} alone ({@code jdk.net.hosts.file}, set by
 * Surefire), so no packet leaves the machine. The application must start, serve, and say once
 * that Langfuse is unreachable.
 */
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "langfuse.public-key=pk-lf-offline", "langfuse.secret-key=sk-lf-offline-secret",
				"langfuse.export.schedule-delay=50ms", "langfuse.export.shutdown-timeout=1s",
				"sample.llm.latency=0ms" })
class SampleApplicationOfflineTests {

	@LocalServerPort
	private int port;

	@Autowired
	private LangfuseClient langfuseClient;

	@Autowired
	private ConfigurableApplicationContext context;

	@Test
	void startsServesAndWarnsOnceThatLangfuseIsUnreachable(CapturedOutput output) throws Exception {
		assertThat(System.getProperty("jdk.net.hosts.file")).as("set by Surefire").isNotBlank();
		HttpClient http = HttpClient.newHttpClient();
		for (int i = 0; i < 3; i++) {
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/story?topic=offline"))
						.build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).contains("https://cloud.langfuse.com/trace/");
		}
		assertThat(this.langfuseClient.authCheck()).isFalse();
		await().untilAsserted(() -> assertThat(output).contains("Cannot reach Langfuse at https://cloud.langfuse.com"));
		List<String> warnings = output.getAll()
			.lines()
			.filter((line) -> line.contains(" WARN ") || line.contains(" ERROR "))
			.toList();
		assertThat(warnings).singleElement()
			.asString()
			.contains("Cannot reach Langfuse at https://cloud.langfuse.com (unknown host")
			.doesNotContain("sk-lf-offline-secret");
		// stopping the app (SIGTERM) says what could not be delivered, with counts: stop what a
		// shutdown stops first, the starter's export lifecycle
		this.context.getBean("langfuseExportLifecycle", SmartLifecycle.class).stop();
		assertThat(output).containsPattern("Langfuse export shut down without delivering [0-9]+ observations \\(")
			.doesNotContain("sk-lf-offline-secret");
	}

}
