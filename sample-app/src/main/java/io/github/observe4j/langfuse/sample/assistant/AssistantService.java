package io.github.observe4j.langfuse.sample.assistant;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.context.LangfuseContext;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.stereotype.Service;

/**
 * Answers questions with Spring AI. Only the methods are annotated: the starter records every
 * {@code ChatClient} call, model call and tool call under them by itself.
 */
@Service
public class AssistantService {

	private static final String SYSTEM = "You are a storyteller's assistant. Answer briefly; "
			+ "look fables up with the findFable tool when they help.";

	private final ChatClient chatClient;

	private final FableTools fableTools;

	/**
	 * Create the service.
	 * @param chatClient the chat client
	 * @param fableTools the tool the model may call
	 */
	public AssistantService(ChatClient chatClient, FableTools fableTools) {
		this.chatClient = chatClient;
		this.fableTools = fableTools;
	}

	/**
	 * Answer a question, letting the model look fables up first.
	 * @param question the question
	 * @return the answer with its trace id and URL
	 */
	@Observe(name = "askAssistant")
	public AssistantAnswer ask(String question) {
		String answer = this.chatClient.prompt().system(SYSTEM).user(question).tools(this.fableTools).call().content();
		return new AssistantAnswer(question, (answer != null) ? answer : "", LangfuseContext.currentTraceId().orElse(null),
				LangfuseContext.currentTraceUrl().orElse(null));
	}

	/**
	 * Stream the answer to a question as the model writes it.
	 * @param question the question
	 * @return the pieces of the answer
	 */
	@Observe(name = "streamAssistant")
	public Flux<String> stream(String question) {
		return this.chatClient.prompt().system(SYSTEM).user(question).stream().content();
	}

}
