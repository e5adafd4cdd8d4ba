package io.github.observe4j.langfuse.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.observe4j.langfuse.sample.llm.LlmClient;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.test.context.aot.DisabledInAotMode;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample application with {@code server.shutdown=graceful} on a random port: a request in
 * flight when shutdown starts completes, and its trace still reaches Langfuse; with Langfuse
 * down, shutdown stays within the graceful period plus the export's shutdown timeout.
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(60)
// builds the application with an extra configuration class, which AOT-generated code cannot add
@DisabledInAotMode("adds a configuration class to the application at run time")
class GracefulShutdownTests {

	private final FakeLangfuseServer langfuse = FakeLangfuseServer.start();

	// HTTP/1.1 without an h2c upgrade, on one connection per request, as a browser talks to Tomcat
	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@AfterEach
	void stopLangfuse() {
		this.langfuse.close();
	}

	private ConfigurableApplicationContext start(String... properties) {
		// as command-line arguments: they override the application's own application.yml
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--server.shutdown=graceful",
				"--spring.lifecycle.timeout-per-shutdown-phase=10s", "--langfuse.host=" + this.langfuse.url(),
				"--langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
				"--langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY, "--langfuse.export.schedule-delay=50ms",
				"--spring.main.banner-mode=off"));
		for (String property : properties) {
			arguments.add("--" + property);
		}
		return new SpringApplicationBuilder(SampleApplication.class, ModelCallsStarted.class)
			.run(arguments.toArray(String[]::new));
	}

	private CompletableFuture<HttpResponse<String>> story(ConfigurableApplicationContext context) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return this.http.sendAsync(
				HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/story?topic=a%20slow%20fox")).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void aRequestInFlightAtShutdownCompletesAndIsTraced() throws Exception {
		ModelCallsStarted.count.set(0);
		ConfigurableApplicationContext context = start("sample.llm.latency=1500ms");
		CompletableFuture<HttpResponse<String>> inFlight = story(context);
		// the model call is under way: its observation has started, the response has not
		await().until(() -> ModelCallsStarted.count.get() > 0);
		context.close();
		HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.langfuse.receivedSpans()).extracting(Span::getName).contains("tellStory", "writeStory");
	}

	@Test
	void shutdownWithLangfuseDownStaysBounded(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext context = start("sample.llm.latency=0ms", "langfuse.export.shutdown-timeout=1s");
		this.langfuse.stop();
		assertThat(story(context).get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		long start = System.nanoTime();
		context.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(output).contains("Langfuse export shut down without delivering");
	}

	/** Counts model calls as they start, so the test knows a request is in flight. */
	@Configuration(proxyBeanMethods = false)
	static class ModelCallsStarted {

		static final AtomicInteger count = new AtomicInteger();

		@Bean
		static BeanPostProcessor countModelCalls() {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (bean instanceof LlmClient client) {
						return (LlmClient) (request) -> {
							count.incrementAndGet();
							return client.complete(request);
						};
					}
					return bean;
				}

			};
		}

	}

}
