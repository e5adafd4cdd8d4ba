package io.github.observe4j.langfuse.internal.springai;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.core.LlmCall;

import org.springframework.ai.tool.observation.ToolCallingObservationContext;

/**
 * A tool run by Spring AI's tool calling ({@code spring.ai.tool}) as a tool observation: the
 * arguments the model chose as input, the tool's result as output.
 *
 * @since 0.1.0
 */
public final class ToolCallingMapping implements SpringAiMapping<ToolCallingObservationContext> {

	@Override
	public Class<ToolCallingObservationContext> contextType() {
		return ToolCallingObservationContext.class;
	}

	@Override
	public ObservationType type() {
		return ObservationType.TOOL;
	}

	@Override
	public String name(ToolCallingObservationContext context) {
		return context.getToolDefinition().name();
	}

	@Override
	public void started(ToolCallingObservationContext context, LlmCall call) {
		call.input(context.getToolCallArguments());
		if (!context.getToolCallId().isEmpty()) {
			call.metadata("tool_call_id", context.getToolCallId());
		}
		call.metadata("tool_type", context.getToolType());
	}

	@Override
	public void stopped(ToolCallingObservationContext context, LlmCall call) {
		call.output(context.getToolCallResult());
	}

}
