package io.github.observe4j.langfuse.sample.story;

import java.time.Duration;

import io.github.observe4j.langfuse.sample.llm.FakeLlmClient;
import io.github.observe4j.langfuse.sample.llm.LlmException;
import io.github.observe4j.langfuse.sample.llm.LlmProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link StoryService}, without Spring and so without tracing.
 */
class StoryServiceTests {

	private final LlmProperties properties = new LlmProperties(null, null, "fake-storyteller-1", 0.7, 400,
			Duration.ZERO, Duration.ofSeconds(1));

	private final StoryService service = new StoryService(new InspirationRetriever(),
			new StoryWriter(new FakeLlmClient("fake-storyteller-1", Duration.ZERO), this.properties),
			new StoryGuardrail(), this.properties);

	@Test
	void tellsStoryAboutTopic() {
		StoryResult result = this.service.tellStory(new StoryRequest("a patient turtle", "user-1", "session-1"));
		assertThat(result.story()).contains("patient").contains("turtle");
		assertThat(result.moderated()).isFalse();
		assertThat(result.sessionId()).isEqualTo("session-1");
	}

	@Test
	void hasNoTraceWithoutTracing() {
		StoryResult result = this.service.tellStory(new StoryRequest("a patient turtle", null, "session-1"));
		assertThat(result.traceId()).isNull();
		assertThat(result.traceUrl()).isNull();
	}

	@Test
	void replacesStoryThatFailsGuardrail() {
		StoryResult result = this.service.tellStory(new StoryRequest("a weapon shop", null, "session-1"));
		assertThat(result.moderated()).isTrue();
		assertThat(result.story()).isEqualTo(StoryService.MODERATED_STORY);
	}

	@Test
	void retiredModelFails() {
		assertThatExceptionOfType(LlmException.class).isThrownBy(
				() -> this.service.tellStoryWithRetiredModel(new StoryRequest("a broken robot", null, "session-1")));
	}

	@Test
	void retrieverRanksFablesByOverlap() {
		assertThat(new InspirationRetriever().findInspiration("a race of the turtle"))
			.first()
			.extracting(Inspiration::title)
			.isEqualTo("The Tortoise and the Hare");
	}

}
