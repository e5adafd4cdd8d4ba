package io.github.observe4j.langfuse.test;

import java.time.Duration;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.autoconfigure.LangfuseAutoConfiguration;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.internal.json.JacksonValueSerializer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LangfuseRecorderAutoConfiguration}: each branch of its conditions, and that
 * the recorder takes the place of the export even with keys set.
 */
class LangfuseRecorderAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(LangfuseRecorderAutoConfiguration.class, LangfuseAutoConfiguration.class));

	@Test
	void recordsInsteadOfExportingEvenWithKeys() {
		// a host nothing listens on: an export attempt would fail and be counted
		this.contextRunner
			.withPropertyValues("langfuse.public-key=pk-lf-test", "langfuse.secret-key=sk-lf-test",
					"langfuse.host=http://127.0.0.1:9")
			.run((context) -> {
				LangfuseClient client = context.getBean(LangfuseClient.class);
				client.observe("recorded", ObservationType.SPAN, () -> "done");
				assertThat(client.flush(Duration.ofSeconds(1))).isTrue();
				assertThat(context.getBean(LangfuseRecorder.class).observations()).extracting(RecordedObservation::name)
					.containsExactly("recorded");
				assertThat(context.getBean("langfuseExportPipeline").toString()).contains("inactive");
			});
	}

	@Test
	void backsOffForTheApplicationsOwnRecorder() {
		LangfuseRecorder own = new LangfuseRecorder(new JacksonValueSerializer());
		this.contextRunner.withBean("ownRecorder", LangfuseRecorder.class, () -> own).run((context) -> {
			assertThat(context).getBeans(LangfuseRecorder.class).containsOnlyKeys("ownRecorder");
			context.getBean(LangfuseClient.class).observe("into mine", ObservationType.SPAN, () -> "done");
			assertThat(own.observations()).extracting(RecordedObservation::name).containsExactly("into mine");
		});
	}

}
