package io.github.observe4j.langfuse.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Collectors;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.test.AutoConfigureLangfuseRecorder;
import io.github.observe4j.langfuse.test.LangfuseRecorder;
import io.github.observe4j.langfuse.test.RecordedObservation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An observed controller method that takes the servlet request and response, on a real server:
 * capture must not call their getters, which could create a session, use up the body or pick the
 * response's output stream (before the placeholders, the response's {@code getOutputStream()},
 * called by capture, made the method's own {@code getWriter()} fail: a 500).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureLangfuseRecorder
class ServletRequestCaptureTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private LangfuseRecorder recorder;

	@BeforeEach
	void forgetEarlierCalls() {
		this.recorder.clear();
	}

	@Test
	void theMethodReadsTheBodyAndNoSessionIsCreated() throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/test/echo"))
					.header("Content-Type", "text/plain")
					.POST(HttpRequest.BodyPublishers.ofString("hello body"))
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("echo: hello body");
		assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
		assertThat(this.recorder.awaitObservations(1, Duration.ofSeconds(10))).isTrue();
		RecordedObservation echo = this.recorder.observations().get(0);
		assertThat(echo.name()).isEqualTo("echo");
		assertThat(echo.input()).contains("is a resource or a request>").doesNotContain("hello body");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class EchoConfiguration {

		@Bean
		EchoController echoController() {
			return new EchoController();
		}

	}

	@RestController
	static class EchoController {

		@Observe
		@PostMapping("/test/echo")
		public void echo(HttpServletRequest request, HttpServletResponse response) throws IOException {
			String body = request.getReader().lines().collect(Collectors.joining("\n"));
			response.setContentType("text/plain");
			response.getWriter().write("echo: " + body);
		}

	}

}
