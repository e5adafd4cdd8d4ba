package io.github.observe4j.langfuse.internal.langchain4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.output.TokenUsage;
import org.jspecify.annotations.Nullable;

/**
 * Turns LangChain4j's chat types into the plain maps and lists Langfuse shows as a chat: messages
 * in OpenAI's shape {@code [{role, content, tool_calls?, tool_call_id?}]}, which Langfuse renders,
 * model parameters by OpenAI's names, and usage by Langfuse's keys. Media is never copied: an
 * image or a PDF becomes a placeholder such as {@code [image]}.
 */
final class ChatMessages {

	private ChatMessages() {
	}

	static List<Map<String, Object>> messages(List<ChatMessage> messages) {
		List<Map<String, Object>> mapped = new ArrayList<>(messages.size());
		for (ChatMessage message : messages) {
			if (message != null) {
				mapped.add(message(message));
			}
		}
		return mapped;
	}

	static Map<String, Object> message(ChatMessage message) {
		Map<String, Object> mapped = new LinkedHashMap<>();
		if (message instanceof SystemMessage system) {
			mapped.put("role", "system");
			putIfPresent(mapped, "content", system.text());
		}
		else if (message instanceof UserMessage user) {
			mapped.put("role", "user");
			putIfPresent(mapped, "name", user.name());
			mapped.put("content", user.hasSingleText() ? user.singleText() : contents(user.contents()));
		}
		else if (message instanceof AiMessage ai) {
			return assistant(ai);
		}
		else if (message instanceof ToolExecutionResultMessage result) {
			mapped.put("role", "tool");
			putIfPresent(mapped, "tool_call_id", result.id());
			putIfPresent(mapped, "name", result.toolName());
			putIfPresent(mapped, "content", result.text());
		}
		else {
			mapped.put("role", String.valueOf(message.type()).toLowerCase(Locale.ROOT));
			mapped.put("content", String.valueOf(message));
		}
		return mapped;
	}

	static Map<String, Object> assistant(AiMessage message) {
		Map<String, Object> mapped = new LinkedHashMap<>();
		mapped.put("role", "assistant");
		putIfPresent(mapped, "content", message.text());
		if (message.hasToolExecutionRequests()) {
			List<Map<String, Object>> calls = new ArrayList<>();
			for (ToolExecutionRequest request : message.toolExecutionRequests()) {
				Map<String, Object> function = new LinkedHashMap<>();
				putIfPresent(function, "name", request.name());
				putIfPresent(function, "arguments", request.arguments());
				Map<String, Object> call = new LinkedHashMap<>();
				putIfPresent(call, "id", request.id());
				call.put("type", "function");
				call.put("function", function);
				calls.add(call);
			}
			mapped.put("tool_calls", calls);
		}
		return mapped;
	}

	private static List<Map<String, Object>> contents(List<Content> contents) {
		List<Map<String, Object>> parts = new ArrayList<>(contents.size());
		for (Content content : contents) {
			String text = (content instanceof TextContent textContent) ? textContent.text()
					: "[" + String.valueOf(content.type()).toLowerCase(Locale.ROOT) + "]";
			parts.add(Map.of("type", "text", "text", (text != null) ? text : ""));
		}
		return parts;
	}

	static Map<String, Object> parameters(@Nullable ChatRequestParameters parameters) {
		Map<String, Object> mapped = new LinkedHashMap<>();
		if (parameters == null) {
			return mapped;
		}
		putIfPresent(mapped, "temperature", parameters.temperature());
		putIfPresent(mapped, "top_p", parameters.topP());
		putIfPresent(mapped, "top_k", parameters.topK());
		putIfPresent(mapped, "frequency_penalty", parameters.frequencyPenalty());
		putIfPresent(mapped, "presence_penalty", parameters.presencePenalty());
		putIfPresent(mapped, "max_tokens", parameters.maxOutputTokens());
		List<String> stop = parameters.stopSequences();
		if (stop != null && !stop.isEmpty()) {
			mapped.put("stop", List.copyOf(stop));
		}
		if (parameters.toolChoice() != null) {
			mapped.put("tool_choice", String.valueOf(parameters.toolChoice()).toLowerCase(Locale.ROOT));
		}
		return mapped;
	}

	static @Nullable List<String> toolNames(@Nullable ChatRequestParameters parameters) {
		List<ToolSpecification> tools = (parameters != null) ? parameters.toolSpecifications() : null;
		if (tools == null || tools.isEmpty()) {
			return null;
		}
		List<String> names = new ArrayList<>(tools.size());
		for (ToolSpecification tool : tools) {
			names.add(tool.name());
		}
		return names;
	}

	/** Usage of this one call; a missing count is left out rather than reported as zero. */
	static Map<String, Integer> usage(@Nullable TokenUsage usage) {
		Map<String, Integer> mapped = new LinkedHashMap<>();
		if (usage != null) {
			putIfPresent(mapped, "input", usage.inputTokenCount());
			putIfPresent(mapped, "output", usage.outputTokenCount());
			putIfPresent(mapped, "total", usage.totalTokenCount());
		}
		return mapped;
	}

	private static <V> void putIfPresent(Map<String, ? super V> map, String key, @Nullable V value) {
		if (value != null) {
			map.put(key, value);
		}
	}

}
