package io.github.observe4j.langfuse.internal.springai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

/**
 * Spring AI messages in the shape of OpenAI's chat API, which Langfuse renders as a
 * conversation: {@code {role, content}}, with {@code tool_calls} on assistant messages and one
 * {@code tool} message per tool response, carrying its {@code tool_call_id}. The maps are built
 * once, when the call starts or stops, and not changed afterwards.
 */
final class ChatMessages {

	private ChatMessages() {
	}

	static List<Map<String, Object>> input(List<Message> messages) {
		List<Map<String, Object>> input = new ArrayList<>(messages.size());
		for (Message message : messages) {
			if (message instanceof ToolResponseMessage tools) {
				for (ToolResponseMessage.ToolResponse response : tools.getResponses()) {
					Map<String, Object> tool = new LinkedHashMap<>(4);
					tool.put("role", "tool");
					tool.put("content", response.responseData());
					tool.put("tool_call_id", response.id());
					tool.put("name", response.name());
					input.add(tool);
				}
				continue;
			}
			if (message instanceof AssistantMessage assistant) {
				input.add(assistant(assistant));
				continue;
			}
			Map<String, Object> entry = new LinkedHashMap<>(4);
			entry.put("role", message.getMessageType().getValue());
			entry.put("content", text(message.getText()));
			if (message instanceof UserMessage user && !user.getMedia().isEmpty()) {
				// media as placeholders: their bytes are no use in a trace and can be large
				entry.put("media", user.getMedia().stream().map((media) -> String.valueOf(media.getMimeType())).toList());
			}
			input.add(entry);
		}
		return input;
	}

	static @Nullable Map<String, Object> output(@Nullable ChatResponse response) {
		Generation generation = (response != null) ? response.getResult() : null;
		return (generation != null) ? assistant(generation.getOutput()) : null;
	}

	private static Map<String, Object> assistant(AssistantMessage message) {
		Map<String, Object> entry = new LinkedHashMap<>(4);
		entry.put("role", "assistant");
		entry.put("content", text(message.getText()));
		if (message.hasToolCalls()) {
			List<Map<String, Object>> calls = new ArrayList<>(message.getToolCalls().size());
			for (AssistantMessage.ToolCall call : message.getToolCalls()) {
				calls.add(Map.of("id", text(call.id()), "type", text(call.type()), "function",
						Map.of("name", text(call.name()), "arguments", text(call.arguments()))));
			}
			entry.put("tool_calls", calls);
		}
		return entry;
	}

	private static String text(@Nullable String text) {
		return (text != null) ? text : "";
	}

}
