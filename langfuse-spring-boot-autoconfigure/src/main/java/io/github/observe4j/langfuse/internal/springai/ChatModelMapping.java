package io.github.observe4j.langfuse.internal.springai;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.core.LlmCall;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.ChatOptions;

/**
 * A {@code ChatModel} call ({@code gen_ai.client.operation}) as a generation: the prompt's
 * messages and options at start; the answer, the model that gave it, usage, response id and
 * finish reason at stop. A stream that stops with neither an answer nor an error was cancelled.
 *
 * @since 0.1.0
 */
public final class ChatModelMapping implements SpringAiMapping<ChatModelObservationContext> {

	@Override
	public Class<ChatModelObservationContext> contextType() {
		return ChatModelObservationContext.class;
	}

	@Override
	public ObservationType type() {
		return ObservationType.GENERATION;
	}

	@Override
	public String name(ChatModelObservationContext context) {
		String model = requestedModel(context);
		return (model != null) ? "chat " + model : "chat";
	}

	@Override
	public boolean streaming(ChatModelObservationContext context) {
		return context.isStreaming();
	}

	@Override
	public void started(ChatModelObservationContext context, LlmCall call) {
		call.input(ChatMessages.input(context.getRequest().getInstructions()));
		call.model(requestedModel(context));
		call.modelParameters(parameters(context.getRequest().getOptions(), context.isStreaming()));
		call.metadata("provider", context.getOperationMetadata().provider());
	}

	@Override
	public void stopped(ChatModelObservationContext context, LlmCall call) {
		ChatResponse response = context.getResponse();
		if (response == null) {
			if (context.isStreaming() && context.getError() == null) {
				call.incomplete("cancelled");
			}
			return;
		}
		ChatResponseMetadata metadata = response.getMetadata();
		String answeredBy = metadata.getModel();
		if (Models.isUsable(answeredBy)) {
			call.model(answeredBy);
		}
		call.output(ChatMessages.output(response));
		call.usage(Usages.of(metadata.getUsage(), true));
		if (Models.isUsable(metadata.getId())) {
			call.metadata("response_id", metadata.getId());
		}
		Generation generation = response.getResult();
		if (generation != null) {
			call.metadata("finish_reason", generation.getMetadata().getFinishReason());
		}
	}

	private static @Nullable String requestedModel(ChatModelObservationContext context) {
		ChatOptions options = context.getRequest().getOptions();
		return (options != null && Models.isUsable(options.getModel())) ? options.getModel() : null;
	}

	private static Map<String, Object> parameters(@Nullable ChatOptions options, boolean streaming) {
		Map<String, Object> parameters = new LinkedHashMap<>();
		if (options != null) {
			putIfPresent(parameters, "temperature", options.getTemperature());
			putIfPresent(parameters, "max_tokens", options.getMaxTokens());
			putIfPresent(parameters, "top_p", options.getTopP());
			putIfPresent(parameters, "top_k", options.getTopK());
			putIfPresent(parameters, "frequency_penalty", options.getFrequencyPenalty());
			putIfPresent(parameters, "presence_penalty", options.getPresencePenalty());
			List<String> stop = options.getStopSequences();
			if (stop != null && !stop.isEmpty()) {
				parameters.put("stop", List.copyOf(stop));
			}
		}
		parameters.put("stream", streaming);
		return parameters;
	}

	private static void putIfPresent(Map<String, Object> parameters, String key, @Nullable Object value) {
		if (value != null) {
			parameters.put(key, value);
		}
	}

}
