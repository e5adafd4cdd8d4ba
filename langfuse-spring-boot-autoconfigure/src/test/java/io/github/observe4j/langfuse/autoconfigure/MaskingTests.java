package io.github.observe4j.langfuse.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.model.LangfuseMasker;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.OtlpRequests;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Masking: {@code langfuse.masking.patterns} and a {@link LangfuseMasker} bean change every
 * exported text before it leaves the application; a masker that throws costs the field, not the
 * export.
 */
@ExtendWith(OutputCaptureExtension.class)
class MaskingTests {

	private static final String EMAIL = "[\\w.+-]+@[\\w-]+\\.[\\w.]+";

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(LangfuseAutoConfiguration.class))
		.withPropertyValues("langfuse.host=" + this.server.url(), "langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
				"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY, "langfuse.export.schedule-delay=50ms");

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void patternsRedactEveryExportedText() {
		this.contextRunner
			.withPropertyValues("langfuse.masking.patterns[0]=" + EMAIL, "langfuse.masking.patterns[1]=\\d{4}-\\d{4}")
			.run((context) -> {
				traceOneCall(context.getBean(LangfuseClient.class));
				Map<String, String> attributes = attributesOfTheCall();
				assertThat(attributes.get("langfuse.observation.input")).contains("write to [REDACTED] please")
					.doesNotContain("ada@example.com");
				assertThat(attributes.get("langfuse.observation.output")).isEqualTo("card [REDACTED] charged");
				assertThat(attributes.get("langfuse.observation.metadata.contact")).isEqualTo("[REDACTED]");
				assertThat(attributes.get("langfuse.observation.status_message")).isEqualTo("bounced for [REDACTED]");
				assertThat(attributes.get("langfuse.trace.metadata.owner")).isEqualTo("[REDACTED]");
				// what is not text the user wrote is left alone
				assertThat(attributes.get("langfuse.observation.model.name")).isEqualTo("gpt-4o");
			});
	}

	@Test
	void theApplicationsMaskerRunsAfterThePatterns() {
		this.contextRunner
			.withPropertyValues("langfuse.masking.patterns[0]=" + EMAIL, "langfuse.masking.replacement=<email>")
			.withBean(LangfuseMasker.class, () -> (text) -> text.toUpperCase(Locale.ROOT))
			.run((context) -> {
				traceOneCall(context.getBean(LangfuseClient.class));
				Map<String, String> attributes = attributesOfTheCall();
				assertThat(attributes.get("langfuse.observation.output")).isEqualTo("CARD 1234-5678 CHARGED");
				assertThat(attributes.get("langfuse.observation.metadata.contact")).isEqualTo("<EMAIL>");
			});
	}

	@Test
	void severalMaskerBeansAllApplyInOrder() {
		this.contextRunner.withBean("first", LangfuseMasker.class, () -> (text) -> text.replace("card", "c***"))
			.withBean("second", LangfuseMasker.class, () -> (text) -> text.toUpperCase(Locale.ROOT))
			.run((context) -> {
				traceOneCall(context.getBean(LangfuseClient.class));
				assertThat(attributesOfTheCall().get("langfuse.observation.output")).isEqualTo("C*** 1234-5678 CHARGED");
			});
	}

	@Test
	void aPatternMatchingTheEmptyTextFailsStartup() {
		this.contextRunner.withPropertyValues("langfuse.masking.patterns[0]=\\d*").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("masking.patterns[0]")
				.hasMessageContaining("matches the empty text");
		});
	}

	@Test
	void aSecretLongerThanTheLimitIsMaskedBeforeItIsCut() {
		this.contextRunner
			.withPropertyValues("langfuse.export.max-observation-size=1KB", "langfuse.masking.patterns[0]=secret-[a-z]+-end")
			.run((context) -> {
				LangfuseClient client = context.getBean(LangfuseClient.class);
				// a value that is not a string is serialized at export; the secret's end lies past the limit
				// a record of strings is immutable: kept as it is, and serialized only at export
				Credentials input = new Credentials("p".repeat(800), "secret-" + "x".repeat(200) + "-end");
				client.observe("long", ObservationType.SPAN, () -> client.currentObservation().input(input));
				assertThat(client.flush(Duration.ofSeconds(10))).isTrue();
				assertThat(attributesOfTheCall().get("langfuse.observation.input")).doesNotContain("secret-x")
					.doesNotContain("xxxx");
			});
	}

	@Test
	void aMaskerThatThrowsCostsTheFieldNotTheExport(CapturedOutput output) {
		this.contextRunner.withBean(LangfuseMasker.class, () -> (text) -> {
			throw new IllegalStateException("masker bug");
		}).run((context) -> {
			traceOneCall(context.getBean(LangfuseClient.class));
			Map<String, String> attributes = attributesOfTheCall();
			assertThat(attributes.get("langfuse.observation.input")).isEqualTo(LangfuseMasker.FAILED_PLACEHOLDER);
			assertThat(attributes.get("langfuse.observation.output")).isEqualTo(LangfuseMasker.FAILED_PLACEHOLDER);
			assertThat(attributes.get("langfuse.observation.model.name")).isEqualTo("gpt-4o");
		});
		assertThat(this.server.receivedSpanNames()).containsExactly("send-mail");
		assertThat(output).containsOnlyOnce("The LangfuseMasker failed on the input of an observation"
				+ " (IllegalStateException: masker bug); the field is sent as \"<masked: the masker failed>\"");
	}

	@Test
	void anInvalidPatternFailsStartupNamingIt() {
		this.contextRunner.withPropertyValues("langfuse.masking.patterns[0]=card (\\d+").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("masking.patterns[0]")
				.hasMessageContaining("is not a valid regular expression");
		});
	}

	private static void traceOneCall(LangfuseClient client) {
		client.observe("send-mail", ObservationType.GENERATION, () -> {
			client.currentObservation()
				.input(Map.of("request", "write to ada@example.com please"))
				.output("card 1234-5678 charged")
				.metadata("contact", "ada@example.com")
				.statusMessage("bounced for ada@example.com")
				.model("gpt-4o");
			client.currentTrace().metadata("owner", "ada@example.com");
			return null;
		});
		assertThat(client.flush(Duration.ofSeconds(10))).isTrue();
	}

	private Map<String, String> attributesOfTheCall() {
		Span span = this.server.receivedSpans().get(0);
		Map<String, String> strings = new HashMap<>();
		OtlpRequests.attributes(span).forEach((key, value) -> strings.put(key, OtlpRequests.string(span, key)));
		return strings;
	}

	record Credentials(String padding, String token) {

	}

}
