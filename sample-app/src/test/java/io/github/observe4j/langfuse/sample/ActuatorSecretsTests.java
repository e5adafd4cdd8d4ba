package io.github.observe4j.langfuse.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The secret key stays masked in the actuator's configprops and env endpoints even when they
 * are configured to show values, and the starter's own {@code langfuse} endpoint never shows it. A loopback stand-in for Langfuse answers the startup key
 * check.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "langfuse.public-key=pk-lf-visible", "langfuse.secret-key=sk-lf-must-stay-hidden",
				"my.alias.for.the.key=sk-lf-must-stay-hidden",
				"my.command.line=java -jar app.jar --langfuse.secret-key=sk-lf-must-stay-hidden --server.port=0",
				"langfuse.export.headers.x-collector-token=collector-secret",
				"management.endpoints.web.exposure.include=configprops,env,langfuse",
				"management.endpoint.configprops.show-values=always", "management.endpoint.env.show-values=always" })
class ActuatorSecretsTests {

	// started before the context, not when the class is initialized: Spring AOT loads test
	// classes to process them, and a server started then would keep that build step alive
	private static FakeLangfuseServer langfuse;

	@BeforeAll
	static void startLangfuse() {
		langfuse = FakeLangfuseServer.start();
	}

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void langfuseProperties(DynamicPropertyRegistry registry) {
		registry.add("langfuse.host", () -> langfuse.url());
	}

	@AfterAll
	static void stopLangfuse() {
		langfuse.close();
	}

	private String get(String path) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	@Test
	void configpropsShowsValuesButNotTheSecretKey() throws Exception {
		String body = get("/actuator/configprops/langfuse");
		assertThat(body).contains("pk-lf-visible")
			.contains("x-collector-token")
			.doesNotContain("sk-lf-must-stay-hidden")
			.doesNotContain("collector-secret");
	}

	@Test
	void envShowsValuesButNotTheSecretKeyUnderAnyName() throws Exception {
		String body = get("/actuator/env");
		assertThat(body).contains("pk-lf-visible")
			.contains("langfuse.export.headers.x-collector-token")
			.contains("my.command.line")
			.doesNotContain("sk-lf-must-stay-hidden")
			.doesNotContain("collector-secret");
	}

	@Test
	void theLangfuseEndpointShowsWhatIsConfiguredAndExportedButNoSecret() throws Exception {
		String body = get("/actuator/langfuse");
		assertThat(body).contains("\"exporting\":true")
			.contains("\"publicKey\":\"pk-lf-visible\"")
			.contains("\"secretKeySet\":true")
			.contains("\"extraHeaders\":[\"x-collector-token\"]")
			.contains("\"traces\":{\"auth\":")
			.contains("\"dropped\":{\"queue_full\":0")
			.doesNotContain("sk-lf-must-stay-hidden")
			.doesNotContain("collector-secret");
	}

}
