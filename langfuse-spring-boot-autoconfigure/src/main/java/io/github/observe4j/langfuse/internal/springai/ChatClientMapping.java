package io.github.observe4j.langfuse.internal.springai;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.core.LlmCall;

import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.observation.ChatClientObservationContext;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.model.ChatResponse;

/**
 * A {@code ChatClient} call ({@code spring.ai.chat.client}) as a chain around the model calls
 * and tools it makes: the prompt as input, the final answer as output, the conversation id as
 * metadata. Never usage: a chat client's usage is the sum over its model calls, which are
 * generations of their own.
 *
 * @since 0.1.0
 */
public final class ChatClientMapping implements SpringAiMapping<ChatClientObservationContext> {

	@Override
	public Class<ChatClientObservationContext> contextType() {
		return ChatClientObservationContext.class;
	}

	@Override
	public ObservationType type() {
		return ObservationType.CHAIN;
	}

	@Override
	public String name(ChatClientObservationContext context) {
		return "chat_client";
	}

	@Override
	public boolean streaming(ChatClientObservationContext context) {
		return context.isStream();
	}

	@Override
	public void started(ChatClientObservationContext context, LlmCall call) {
		call.input(ChatMessages.input(context.getRequest().prompt().getInstructions()));
		Object conversationId = context.getRequest().context().get(ChatMemory.CONVERSATION_ID);
		if (conversationId != null) {
			call.metadata("conversation_id", String.valueOf(conversationId));
		}
		call.metadata("stream", context.isStream());
	}

	@Override
	public void stopped(ChatClientObservationContext context, LlmCall call) {
		ChatClientResponse response = context.getResponse();
		ChatResponse answer = (response != null) ? response.chatResponse() : null;
		if (answer == null) {
			if (context.isStream() && context.getError() == null) {
				call.incomplete("cancelled");
			}
			return;
		}
		call.output(ChatMessages.output(answer));
	}

}
