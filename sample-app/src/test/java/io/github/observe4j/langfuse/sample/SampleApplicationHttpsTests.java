package io.github.observe4j.langfuse.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application against Langfuse over HTTPS (a TLS server on loopback whose CA is
 * trusted through {@code langfuse.ssl.bundle}), on the starter's own runtime classpath: if the
 * starter missed a class its HTTPS transport needs, this fails the build.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "langfuse.export.schedule-delay=50ms", "sample.llm.latency=0ms",
				"spring.ssl.bundle.pem.langfuse-ca.truststore.certificate=" + FakeLangfuseServer.TLS_CA_CERTIFICATE,
				"langfuse.ssl.bundle=langfuse-ca" })
class SampleApplicationHttpsTests {

	// started before the context, not when the class is initialized: Spring AOT loads test
	// classes to process them, and a server started then would keep that build step alive
	private static FakeLangfuseServer langfuse;

	@BeforeAll
	static void startLangfuse() {
		langfuse = FakeLangfuseServer.startTls();
	}

	@LocalServerPort
	private int port;

	@Autowired
	private LangfuseClient langfuseClient;

	@DynamicPropertySource
	static void langfuseProperties(DynamicPropertyRegistry registry) {
		registry.add("langfuse.host", () -> langfuse.url());
		registry.add("langfuse.public-key", () -> FakeLangfuseServer.PUBLIC_KEY);
		registry.add("langfuse.secret-key", () -> FakeLangfuseServer.SECRET_KEY);
	}

	@AfterAll
	static void stopLangfuse() {
		langfuse.close();
	}

	@Test
	void storyIsExportedOverHttps() throws Exception {
		assertThat(this.langfuseClient.authCheck()).isTrue();
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/story?topic=tls"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.langfuseClient.flush(Duration.ofSeconds(10))).isTrue();
		assertThat(langfuse.receivedSpanNames()).contains("tellStory");
		assertThat(response.body()).contains(langfuse.url() + "/project/" + FakeLangfuseServer.PROJECT_ID);
	}

}
