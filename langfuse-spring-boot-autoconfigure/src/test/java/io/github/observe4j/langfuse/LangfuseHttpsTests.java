package io.github.observe4j.langfuse;

import java.time.Duration;
import java.util.List;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.context.LangfuseContext;
import io.github.observe4j.langfuse.model.Score;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer.FakeResponse;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer.RecordedRequest;
import io.github.observe4j.langfuse.testsupport.TunnelProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Tests over HTTPS against a real TLS server on loopback, as every user of Langfuse Cloud or a
 * self-hosted instance behind a private CA talks to it: OTLP export, scores and the key check,
 * trusted through {@code langfuse.ssl.bundle}; an untrusted server; the routing options
 * (proxy, traces endpoint, extra headers).
 */
@ExtendWith(OutputCaptureExtension.class)
class LangfuseHttpsTests {

	private final FakeLangfuseServer server = FakeLangfuseServer.startTls();

	private ConfigurableApplicationContext context;

	@AfterEach
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
		this.server.close();
	}

	private ConfigurableApplicationContext start(String... properties) {
		this.context = new SpringApplicationBuilder(GreetingApplication.class).web(WebApplicationType.NONE)
			.properties("langfuse.host=" + this.server.url(), "langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
					"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY, "langfuse.export.schedule-delay=50ms",
					"langfuse.export.initial-backoff=20ms", "langfuse.export.max-backoff=40ms")
			.properties(properties)
			.run();
		return this.context;
	}

	private static String[] trustingTheTestCa() {
		return new String[] { "spring.ssl.bundle.pem.langfuse-ca.truststore.certificate="
				+ FakeLangfuseServer.TLS_CA_CERTIFICATE, "langfuse.ssl.bundle=langfuse-ca" };
	}

	@Test
	void exportsTracesAndScoresAndChecksTheKeysOverHttpsTrustedThroughAnSslBundle(CapturedOutput output) {
		start(trustingTheTestCa());
		LangfuseClient client = this.context.getBean(LangfuseClient.class);
		assertThat(client.authCheck()).isTrue();
		String traceId = this.context.getBean(Greeter.class).greet("Ada");
		assertThat(client.flush(Duration.ofSeconds(10))).isTrue();

		assertThat(this.server.receivedSpanNames()).containsExactly("greet");
		RecordedRequest traces = this.server.requests(FakeLangfuseServer.OTEL_PATH).get(0);
		assertThat(traces.basicCredentials())
			.isEqualTo(FakeLangfuseServer.PUBLIC_KEY + ":" + FakeLangfuseServer.SECRET_KEY);
		List<RecordedRequest> scores = this.server.requests(FakeLangfuseServer.SCORES_PATH);
		assertThat(scores).hasSize(1);
		assertThat(scores.get(0).bodyAsString()).contains("\"traceId\":\"" + traceId + "\"").contains("polite");
		assertThat(this.server.requests(FakeLangfuseServer.PROJECTS_PATH)).isNotEmpty();
		assertThat(client.traceUrl(traceId)).contains(
				this.server.url() + "/project/" + FakeLangfuseServer.PROJECT_ID + "/traces/" + traceId);
		assertThat(output).doesNotContain("WARN").doesNotContain("ERROR");
	}

	@Test
	void anUntrustedCertificateLogsOneWarningThatSaysHowToTrustItAndTheApplicationRuns(CapturedOutput output) {
		// retry for a moment only, so the test sees what happens when retrying ends
		start("langfuse.export.max-retry-duration=200ms");
		LangfuseClient client = this.context.getBean(LangfuseClient.class);
		assertThat(client.authCheck()).isFalse();
		assertThat(this.context.getBean(Greeter.class).greet("Ada")).hasSize(32);
		await().untilAsserted(() -> assertThat(output).contains("TLS certificate is not trusted"));
		assertThat(output).contains("Cannot reach Langfuse at " + this.server.url())
			.contains("langfuse.ssl.bundle")
			.doesNotContain(FakeLangfuseServer.SECRET_KEY);
		assertThat(client.authCheck()).isFalse();
		assertThat(output.toString().split("Cannot reach Langfuse at " + this.server.url(), -1)).hasSize(2);
		assertThat(this.server.requests()).isEmpty();
		// What was observed meanwhile is dropped once its retries are exhausted. Newer JDKs put the
		// TLS alert in front of the JDK's message: "(certificate_unknown) PKIX path building failed"
		await().untilAsserted(() -> assertThat(output)
			.containsPattern("Could not deliver 1 observation to Langfuse \\(/api/public/otel/v1/traces\\), dropping"
					+ " them: WebClientRequestException: (\\(certificate_unknown\\) )?PKIX path building failed")
			.containsPattern("Could not deliver 1 score to Langfuse \\(/api/public/scores\\), dropping them:"
					+ " WebClientRequestException: (\\(certificate_unknown\\) )?PKIX path building failed"));
	}

	@Test
	void anSslBundleThatDoesNotExistFailsStartupNamingTheProperty(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("langfuse.ssl.bundle=missing"))
			.havingRootCause()
			.withMessageContaining("langfuse.ssl.bundle names the SSL bundle 'missing', which is not defined")
			.withMessageContaining("spring.ssl.bundle.pem.missing");
		assertThat(output).contains("Exception encountered during context initialization - cancelling refresh attempt")
			.contains("Application run failed")
			.contains("langfuse.ssl.bundle names the SSL bundle 'missing', which is not defined");
	}

	@Test
	void goesThroughAConfiguredProxyWithAConnectTunnel() {
		try (TunnelProxy proxy = TunnelProxy.start()) {
			start(concat(trustingTheTestCa(), "langfuse.proxy.host=127.0.0.1", "langfuse.proxy.port=" + proxy.port()));
			LangfuseClient client = this.context.getBean(LangfuseClient.class);
			assertThat(client.authCheck()).isTrue();
			this.context.getBean(Greeter.class).greet("Ada");
			assertThat(client.flush(Duration.ofSeconds(10))).isTrue();
			assertThat(this.server.receivedSpanNames()).containsExactly("greet");
			assertThat(proxy.tunnels()).isNotEmpty().allSatisfy((target) -> assertThat(target)
				.isEqualTo("localhost:" + this.server.port()));
		}
	}

	@Test
	void sendsPlainHttpThroughAConfiguredProxy() {
		// the loopback Langfuse plays the proxy: it gets the absolute-form requests for a host
		// that does not resolve, which only a proxy can deliver
		try (FakeLangfuseServer proxy = FakeLangfuseServer.start()) {
			this.context = new SpringApplicationBuilder(GreetingApplication.class).web(WebApplicationType.NONE)
				.properties("langfuse.host=http://langfuse.invalid", "langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
						"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY, "langfuse.export.schedule-delay=50ms",
						"langfuse.proxy.host=127.0.0.1", "langfuse.proxy.port=" + proxy.port())
				.run();
			LangfuseClient client = this.context.getBean(LangfuseClient.class);
			assertThat(client.authCheck()).isTrue();
			this.context.getBean(Greeter.class).greet("Ada");
			assertThat(client.flush(Duration.ofSeconds(10))).isTrue();
			assertThat(proxy.receivedSpanNames()).containsExactly("greet");
			assertThat(proxy.requests(FakeLangfuseServer.SCORES_PATH)).hasSize(1);
		}
	}

	@Test
	void sendsTracesToAnOverriddenEndpointWithExtraHeaders(CapturedOutput output) {
		try (FakeLangfuseServer collector = FakeLangfuseServer.start()) {
			collector.setDefaultResponse("/v1/traces", FakeResponse.ok("{}"));
			start(concat(trustingTheTestCa(), "langfuse.export.traces-endpoint=" + collector.url() + "/v1/traces",
					"langfuse.export.headers.x-collector-token=t0ken"));
			LangfuseClient client = this.context.getBean(LangfuseClient.class);
			this.context.getBean(Greeter.class).greet("Ada");
			assertThat(client.flush(Duration.ofSeconds(10))).isTrue();

			List<RecordedRequest> received = collector.requests("/v1/traces");
			assertThat(received).hasSize(1);
			assertThat(received.get(0).traceRequest().getResourceSpans(0).getScopeSpans(0).getSpans(0).getName())
				.isEqualTo("greet");
			assertThat(received.get(0).header("x-collector-token")).isEqualTo("t0ken");
			assertThat(this.server.requests(FakeLangfuseServer.OTEL_PATH)).isEmpty();
			// the collector gets its header but not Langfuse's keys; scores and the key check still go
			// to Langfuse, with the keys and without the collector's header
			assertThat(received.get(0).header("Authorization")).isNull();
			assertThat(this.server.requests(FakeLangfuseServer.SCORES_PATH)).singleElement().satisfies((score) -> {
				assertThat(score.header("x-collector-token")).isNull();
				assertThat(score.basicCredentials()).startsWith(FakeLangfuseServer.PUBLIC_KEY);
			});
		}
		assertThat(output).doesNotContain("WARN").doesNotContain("ERROR");
	}

	private static String[] concat(String[] first, String... more) {
		String[] all = new String[first.length + more.length];
		System.arraycopy(first, 0, all, 0, first.length);
		System.arraycopy(more, 0, all, first.length, more.length);
		return all;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class GreetingApplication {

		@Bean
		Greeter greeter() {
			return new Greeter();
		}

	}

	/** An observed bean that scores its own trace. */
	public static class Greeter {

		/**
		 * Greet someone and score the trace.
		 * @param name who to greet
		 * @return the trace id
		 */
		@Observe
		public String greet(String name) {
			LangfuseContext.scoreCurrentTrace(Score.categorical("tone", "polite"));
			return LangfuseContext.currentTraceId().orElseThrow();
		}

	}

}
