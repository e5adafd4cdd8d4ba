package io.github.observe4j.langfuse;

import java.time.Duration;

import io.github.observe4j.langfuse.LangfuseHttpsTests.Greeter;
import io.github.observe4j.langfuse.LangfuseHttpsTests.GreetingApplication;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTPS trusted through the JVM's own trust store ({@code -Djavax.net.ssl.trustStore}), with no
 * {@code langfuse.ssl.bundle}. The JVM reads that property once, so this class runs in its own
 * Surefire execution ({@code jvm-trust-store}) whose JVM has it set to the test CA.
 */
@Tag("jvm-trust-store")
class LangfuseJvmTrustStoreTests {

	@Test
	void exportsOverHttpsTrustedThroughTheJvmTrustStore() {
		assertThat(System.getProperty("javax.net.ssl.trustStore"))
			.as("run by the jvm-trust-store Surefire execution")
			.endsWith(FakeLangfuseServer.TLS_TRUST_STORE);
		try (FakeLangfuseServer server = FakeLangfuseServer.startTls();
				ConfigurableApplicationContext context = new SpringApplicationBuilder(GreetingApplication.class)
					.web(WebApplicationType.NONE)
					.properties("langfuse.host=" + server.url(), "langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
							"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY)
					.run()) {
			LangfuseClient client = context.getBean(LangfuseClient.class);
			assertThat(client.authCheck()).isTrue();
			String traceId = context.getBean(Greeter.class).greet("Grace");
			assertThat(client.flush(Duration.ofSeconds(10))).isTrue();
			assertThat(server.receivedSpanNames()).containsExactly("greet");
			assertThat(server.requests(FakeLangfuseServer.SCORES_PATH)).singleElement()
				.satisfies((score) -> assertThat(score.bodyAsString()).contains(traceId));
		}
	}

}
