package io.github.observe4j.langfuse.sample.story;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.model.ObservationLevel;
import io.github.observe4j.langfuse.sample.llm.LlmException;
import io.github.observe4j.langfuse.test.AutoConfigureLangfuseRecorder;
import io.github.observe4j.langfuse.test.LangfuseAssertions;
import io.github.observe4j.langfuse.test.LangfuseRecorder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the story service traces, asserted as an application's own test would: the test support
 * records the traces in memory, with no Langfuse server and no keys.
 */
@SpringBootTest(properties = "sample.llm.latency=0ms")
@AutoConfigureLangfuseRecorder
class StoryTracingTests {

	@Autowired
	private StoryService stories;

	@Autowired
	private LangfuseRecorder recorder;

	@BeforeEach
	void forgetEarlierCalls() {
		this.recorder.clear();
	}

	@Test
	void aStoryIsOneTraceWithRetrieverGenerationAndGuardrail() {
		this.stories.tellStory(new StoryRequest("a patient turtle", "user-7", "session-7"));
		LangfuseAssertions.assertThat(this.recorder)
			.singleTrace()
			.hasRootNamed("tellStory")
			.hasUserId("user-7")
			.hasSessionId("session-7")
			.hasTags("story", "sample-app")
			.hasScore("guardrail-passed", 1.0)
			.observation("writeStory")
			.isGeneration()
			.hasParent("tellStory")
			.hasModel("fake-storyteller-1")
			.hasInputContaining("a patient turtle");
		LangfuseAssertions.assertThat(this.recorder)
			.trace("tellStory")
			.observation("findInspiration")
			.isOfType(ObservationType.RETRIEVER);
	}

	@Test
	void aRetiredModelFailsTheGenerationAndTheRoot() {
		assertThatExceptionOfType(LlmException.class)
			.isThrownBy(() -> this.stories.tellStoryWithRetiredModel(new StoryRequest("a robot", null, "s")));
		LangfuseAssertions.assertThat(this.recorder)
			.singleTrace()
			.root()
			.hasLevel(ObservationLevel.ERROR)
			.child("writeStory")
			.hasLevel(ObservationLevel.ERROR);
	}

}
