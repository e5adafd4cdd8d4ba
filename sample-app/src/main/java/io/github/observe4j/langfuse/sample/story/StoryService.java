package io.github.observe4j.langfuse.sample.story;

import java.util.List;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.context.LangfuseContext;
import io.github.observe4j.langfuse.model.Score;
import io.github.observe4j.langfuse.sample.llm.LlmProperties;

import org.springframework.stereotype.Service;

/**
 * Tells a story: finds inspiration, writes, checks. Each call is one Langfuse trace whose root
 * is {@link #tellStory}; the retriever, the writer and the guardrail are separate beans so their
 * calls go through the proxy and appear as child observations.
 */
@Service
public class StoryService {

	static final String MODERATED_STORY = "Once upon a time, a kind storyteller chose a gentler tale for today. The end.";

	private final InspirationRetriever inspirationRetriever;

	private final StoryWriter storyWriter;

	private final StoryGuardrail storyGuardrail;

	private final String model;

	/**
	 * Create the service.
	 * @param inspirationRetriever finds fables for a topic
	 * @param storyWriter writes with the language model
	 * @param storyGuardrail checks what was written
	 * @param llmProperties the configured model
	 */
	public StoryService(InspirationRetriever inspirationRetriever, StoryWriter storyWriter,
			StoryGuardrail storyGuardrail, LlmProperties llmProperties) {
		this.inspirationRetriever = inspirationRetriever;
		this.storyWriter = storyWriter;
		this.storyGuardrail = storyGuardrail;
		this.model = llmProperties.model();
	}

	/**
	 * Tell a story with the configured model.
	 * @param request the topic, user and session
	 * @return the story with its trace id and URL
	 */
	@Observe(name = "tellStory")
	public StoryResult tellStory(StoryRequest request) {
		return tell(request, this.model);
	}

	/**
	 * Tell a story with a model that does not exist, to show how a failed generation is traced:
	 * the generation and the root observation end as {@code ERROR} and the exception reaches the
	 * caller unchanged.
	 * @param request the topic, user and session
	 * @return never returns normally
	 */
	@Observe(name = "tellStoryWithRetiredModel")
	public StoryResult tellStoryWithRetiredModel(StoryRequest request) {
		return tell(request, "storyteller-retired-0");
	}

	private StoryResult tell(StoryRequest request, String model) {
		LangfuseContext.currentTrace()
			.userId(request.userId())
			.sessionId(request.sessionId())
			.tags("story", "sample-app");
		List<Inspiration> inspirations = this.inspirationRetriever.findInspiration(request.topic());
		String story = this.storyWriter.writeStory(request.topic(), inspirations, model);
		GuardrailVerdict verdict = this.storyGuardrail.checkStory(story);
		LangfuseContext.scoreCurrentTrace(Score.bool("guardrail-passed", verdict.passed()));
		String shown = verdict.passed() ? story : MODERATED_STORY;
		return new StoryResult(request.topic(), shown, !verdict.passed(), request.sessionId(),
				LangfuseContext.currentTraceId().orElse(null), LangfuseContext.currentTraceUrl().orElse(null));
	}

}
