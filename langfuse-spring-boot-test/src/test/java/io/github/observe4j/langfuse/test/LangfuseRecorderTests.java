package io.github.observe4j.langfuse.test;

import java.time.Duration;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.context.LangfuseContext;
import io.github.observe4j.langfuse.model.ObservationLevel;
import io.github.observe4j.langfuse.model.Score;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A user-style test: an application with {@code @Observe} beans, traced in memory through
 * {@link AutoConfigureLangfuseRecorder} and checked with {@link LangfuseAssertions}, with no
 * Langfuse server and no keys.
 */
@SpringBootTest(classes = LangfuseRecorderTests.StoryApplication.class)
@AutoConfigureLangfuseRecorder
@ExtendWith(OutputCaptureExtension.class)
class LangfuseRecorderTests {

	@Autowired
	private StoryService stories;

	@Autowired
	private LangfuseRecorder recorder;

	@BeforeEach
	void forgetEarlierTests() {
		this.recorder.clear();
	}

	@Test
	void recordsTheTraceOfACallAsSoonAsItReturns() {
		assertThat(this.stories.tellStory("cats")).isEqualTo("A story about cats");
		LangfuseAssertions.assertThat(this.recorder)
			.hasTraceCount(1)
			.trace("tellStory")
			.hasRootNamed("tellStory")
			.hasUserId("user-1")
			.hasSessionId("session-1")
			.hasTags("story")
			.hasObservationCount(2)
			.hasScore("quality", 0.9)
			.observation("complete")
			.isGeneration()
			.hasParent("tellStory")
			.hasModel("gpt-4o")
			.hasUsage(11, 7)
			.hasInputContaining("\"prompt\":\"Tell a story about cats\"")
			.hasOutputContaining("A story about cats");
		RecordedTrace trace = this.recorder.trace("tellStory").orElseThrow();
		assertThat(trace.id()).hasSize(32);
		assertThat(trace.root().orElseThrow().parentId()).isNull();
	}

	@Test
	void recordsAFailedCallWithItsErrorAndLeavesTheExceptionAlone() {
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.stories.tellStory("fail"))
			.withMessage("model unavailable");
		LangfuseAssertions.assertThat(this.recorder)
			.singleTrace()
			.root()
			.hasLevel(ObservationLevel.ERROR)
			.child("complete")
			.hasLevel(ObservationLevel.ERROR);
	}

	@Test
	void failsWithAMessageThatSaysWhatWasRecorded() {
		this.stories.tellStory("dogs");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> LangfuseAssertions.assertThat(this.recorder).trace("tellJoke"))
			.withMessageContaining("Expected a trace named <tellJoke> but recorded [tellStory]");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> LangfuseAssertions.assertThat(this.recorder)
				.trace("tellStory")
				.observation("complete")
				.hasModel("gpt-5"))
			.withMessageContaining("to have model <gpt-5> but had <gpt-4o>");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> LangfuseAssertions.assertThat(this.recorder).trace("tellStory").hasScore("quality", 0.1))
			.withMessageContaining("to have score <quality> = 0.1");
	}

	@Test
	void waitsForObservationsThatEndOnOtherThreads() throws Exception {
		Thread worker = new Thread(() -> this.stories.tellStory("threads"));
		worker.start();
		assertThat(this.recorder.awaitObservations(2, Duration.ofSeconds(10))).isTrue();
		worker.join(10_000);
		assertThat(this.recorder.observations()).extracting(RecordedObservation::name)
			.containsExactly("complete", "tellStory");
		assertThat(this.recorder.awaitObservations(3, Duration.ofMillis(50))).isFalse();
	}

	@Test
	void sendsNothingAndWarnsOfNoMissingKeys(CapturedOutput output) {
		this.stories.tellStory("quiet");
		assertThat(this.recorder.observations()).hasSize(2);
		assertThat(output).doesNotContain("Langfuse keys are not configured");
		assertThat(LangfuseContext.client().flush(Duration.ofSeconds(1))).isTrue();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class StoryApplication {

		@Bean
		ModelClient modelClient() {
			return new ModelClient();
		}

		@Bean
		StoryService storyService(ModelClient modelClient) {
			return new StoryService(modelClient);
		}

	}

	static class StoryService {

		private final ModelClient model;

		StoryService(ModelClient model) {
			this.model = model;
		}

		@Observe
		public String tellStory(String topic) {
			LangfuseContext.currentTrace().userId("user-1").sessionId("session-1").tags("story");
			String story = this.model.complete("Tell a story about " + topic);
			LangfuseContext.scoreCurrentTrace(Score.numeric("quality", 0.9));
			return story;
		}

	}

	static class ModelClient {

		@Observe(type = ObservationType.GENERATION)
		public String complete(String prompt) {
			if (prompt.endsWith("fail")) {
				throw new IllegalStateException("model unavailable");
			}
			LangfuseContext.currentObservation().model("gpt-4o").usage(11, 7);
			return prompt.replace("Tell a story", "A story");
		}

	}

}
