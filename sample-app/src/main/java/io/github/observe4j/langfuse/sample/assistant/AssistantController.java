package io.github.observe4j.langfuse.sample.assistant;

import reactor.core.publisher.Flux;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The assistant API: a question answered at once, or streamed.
 */
@RestController
@RequestMapping("/api/assistant")
public class AssistantController {

	private static final String DEFAULT_QUESTION = "Which fable teaches patience?";

	private final AssistantService assistantService;

	/**
	 * Create the controller.
	 * @param assistantService answers the questions
	 */
	public AssistantController(AssistantService assistantService) {
		this.assistantService = assistantService;
	}

	/**
	 * Answer a question; the model may look fables up with a tool first.
	 * @param question the question
	 * @return the answer with its trace id and URL
	 */
	@GetMapping
	public AssistantAnswer ask(@RequestParam(defaultValue = DEFAULT_QUESTION) String question) {
		return this.assistantService.ask(question);
	}

	/**
	 * Stream the answer to a question as server-sent events.
	 * @param question the question
	 * @return the pieces of the answer
	 */
	@GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	public Flux<String> stream(@RequestParam(defaultValue = DEFAULT_QUESTION) String question) {
		return this.assistantService.stream(question);
	}

}
