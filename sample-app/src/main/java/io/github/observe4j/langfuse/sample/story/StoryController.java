package io.github.observe4j.langfuse.sample.story;

import java.util.Map;
import java.util.UUID;

import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.context.LangfuseIds;
import io.github.observe4j.langfuse.model.Score;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The story API: ask for a story, then rate it.
 */
@RestController
@RequestMapping("/api")
public class StoryController {

	private final StoryService storyService;

	private final StoryStreamer storyStreamer;

	private final LangfuseClient langfuseClient;

	/**
	 * Create the controller.
	 * @param storyService tells the stories
	 * @param storyStreamer streams stories word by word
	 * @param langfuseClient records the feedback as Langfuse scores
	 */
	public StoryController(StoryService storyService, StoryStreamer storyStreamer, LangfuseClient langfuseClient) {
		this.storyService = storyService;
		this.storyStreamer = storyStreamer;
		this.langfuseClient = langfuseClient;
	}

	/**
	 * Stream a story word by word as server-sent events; traced as one {@code GENERATION} with
	 * its time to first token.
	 * @param topic what the story is about
	 * @return the words
	 */
	@GetMapping(path = "/story/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	public Flux<String> streamStory(@RequestParam(defaultValue = "a brave little fox") String topic) {
		return this.storyStreamer.streamStory(topic);
	}

	/**
	 * Tell a story.
	 * @param topic what the story is about
	 * @param userId id of the user, from {@code X-User-Id}
	 * @param sessionId id of the conversation, from {@code X-Session-Id}; a new one when absent
	 * @return the story with its trace id and URL
	 */
	@GetMapping("/story")
	public StoryResult story(@RequestParam(defaultValue = "a brave little fox") String topic,
			@RequestHeader(name = "X-User-Id", required = false) @Nullable String userId,
			@RequestHeader(name = "X-Session-Id", required = false) @Nullable String sessionId) {
		return this.storyService.tellStory(new StoryRequest(topic, userId, sessionOrNew(sessionId)));
	}

	/**
	 * Try to tell a story with a retired model; always fails with 502 and leaves an
	 * {@code ERROR} trace in Langfuse.
	 * @param topic what the story is about
	 * @param userId id of the user, from {@code X-User-Id}
	 * @param sessionId id of the conversation, from {@code X-Session-Id}
	 * @return never returns normally
	 */
	@GetMapping("/fail")
	public StoryResult fail(@RequestParam(defaultValue = "a broken robot") String topic,
			@RequestHeader(name = "X-User-Id", required = false) @Nullable String userId,
			@RequestHeader(name = "X-Session-Id", required = false) @Nullable String sessionId) {
		return this.storyService.tellStoryWithRetiredModel(new StoryRequest(topic, userId, sessionOrNew(sessionId)));
	}

	/**
	 * Record the user's rating of a story as the {@code user-feedback} score of its trace. Scores
	 * are sent in the background; this returns at once.
	 * @param feedback the trace id, the rating and a comment
	 * @return 202 when accepted, 400 for a malformed trace id
	 */
	@PostMapping("/feedback")
	public ResponseEntity<?> feedback(@RequestBody FeedbackRequest feedback) {
		String traceId = feedback.traceId();
		if (!LangfuseIds.isValidTraceId(traceId)) {
			return ResponseEntity.badRequest()
				.body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
						"traceId must be the 32 hex characters returned with the story"));
		}
		this.langfuseClient.scoreTrace(LangfuseIds.normalize(traceId),
				Score.numeric("user-feedback", feedback.score()).withComment(feedback.comment()));
		return ResponseEntity.accepted().body(Map.of("traceId", traceId, "status", "accepted"));
	}

	private static String sessionOrNew(@Nullable String sessionId) {
		return (sessionId != null && !sessionId.isBlank()) ? sessionId : UUID.randomUUID().toString();
	}

}
