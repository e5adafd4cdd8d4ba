package io.github.observe4j.langfuse.internal.openai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
import com.openai.models.completions.CompletionUsage;
import io.github.observe4j.langfuse.internal.core.LlmCall;

/**
 * What a chat completion records, in the shapes Langfuse shows: the messages as
 * {@code [{role, content, tool_calls?, tool_call_id?}]}, the parameters under OpenAI's own names,
 * usage as {@code {input, output, total}}.
 */
final class ChatCompletionFields {

	/** The name the Python SDK's OpenAI integration gives its generations. */
	static final String NAME = "OpenAI-generation";

	private static final Set<String> INPUT_KEYS = keys("role", "name", "content", "tool_calls", "tool_call_id");

	private static final Set<String> OUTPUT_KEYS = keys("role", "content", "refusal", "tool_calls", "function_call",
			"audio");

	private ChatCompletionFields() {
	}

	/**
	 * Record what was asked: model, parameters and messages.
	 * @param call the call
	 * @param params the request
	 */
	static void request(LlmCall call, ChatCompletionCreateParams params) {
		HookGuard.run("model", () -> call.model(params.model().asString()));
		HookGuard.run("model parameters", () -> call.modelParameters(parameters(params)));
		HookGuard.run("input", () -> call.input(messages(params.messages())));
	}

	/**
	 * Record the answer: model, output message, usage, id and finish reason.
	 * @param call the call
	 * @param completion the answer
	 */
	static void response(LlmCall call, ChatCompletion completion) {
		HookGuard.run("model", () -> call.model(completion.model()));
		HookGuard.run("output", () -> {
			List<Map<String, Object>> messages = new ArrayList<>();
			completion.choices().forEach((choice) -> messages.add(PlainJson.object(choice.message(), OUTPUT_KEYS)));
			call.output(oneOrAll(messages));
		});
		HookGuard.run("usage", () -> completion.usage().ifPresent((usage) -> call.usage(usage(usage))));
		HookGuard.run("metadata", () -> {
			call.metadata("id", completion.id());
			if (!completion.choices().isEmpty()) {
				call.metadata("finish_reason", completion.choices().get(0).finishReason().asString());
			}
		});
	}

	static Map<String, Object> parameters(ChatCompletionCreateParams params) {
		Map<String, Object> parameters = new LinkedHashMap<>();
		params.temperature().ifPresent((value) -> parameters.put("temperature", value));
		params.maxTokens().ifPresent((value) -> parameters.put("max_tokens", value));
		params.maxCompletionTokens().ifPresent((value) -> parameters.put("max_completion_tokens", value));
		params.topP().ifPresent((value) -> parameters.put("top_p", value));
		params.frequencyPenalty().ifPresent((value) -> parameters.put("frequency_penalty", value));
		params.presencePenalty().ifPresent((value) -> parameters.put("presence_penalty", value));
		params.seed().ifPresent((value) -> parameters.put("seed", value));
		params.n().ifPresent((value) -> parameters.put("n", value));
		params.reasoningEffort().ifPresent((value) -> parameters.put("reasoning_effort", value.asString()));
		return parameters;
	}

	static List<Map<String, Object>> messages(List<ChatCompletionMessageParam> messages) {
		List<Map<String, Object>> plain = new ArrayList<>(messages.size());
		messages.forEach((message) -> plain.add(PlainJson.object(message, INPUT_KEYS)));
		return plain;
	}

	/**
	 * Return usage by Langfuse key. Cached prompt tokens and reasoning tokens, when reported, are
	 * split out of {@code input} and {@code output} as Langfuse itself does with an OpenAI usage
	 * object, so that they are priced at their own rate and not counted twice.
	 * @param usage the usage OpenAI reported
	 * @return the usage details
	 */
	static Map<String, Long> usage(CompletionUsage usage) {
		long cached = positive(usage.promptTokensDetails().flatMap((details) -> details.cachedTokens()));
		long reasoning = positive(usage.completionTokensDetails().flatMap((details) -> details.reasoningTokens()));
		Map<String, Long> details = new LinkedHashMap<>();
		details.put("input", Math.max(0, usage.promptTokens() - cached));
		details.put("output", Math.max(0, usage.completionTokens() - reasoning));
		details.put("total", usage.totalTokens());
		if (cached > 0) {
			details.put("input_cached_tokens", cached);
		}
		if (reasoning > 0) {
			details.put("output_reasoning_tokens", reasoning);
		}
		return details;
	}

	static Object oneOrAll(List<Map<String, Object>> messages) {
		return (messages.size() == 1) ? messages.get(0) : messages;
	}

	private static long positive(Optional<Long> count) {
		return count.filter((value) -> value > 0).orElse(0L);
	}

	private static Set<String> keys(String... keys) {
		return new LinkedHashSet<>(List.of(keys));
	}

}
