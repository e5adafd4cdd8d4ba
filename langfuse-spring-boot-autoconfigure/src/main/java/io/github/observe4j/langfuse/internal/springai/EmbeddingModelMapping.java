package io.github.observe4j.langfuse.internal.springai;

import java.util.Map;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.core.LlmCall;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationContext;

/**
 * An {@code EmbeddingModel} call as an embedding observation: the texts as input, the model,
 * the dimensions asked for, and the input tokens. The vectors are not recorded, only how many.
 *
 * @since 0.1.0
 */
public final class EmbeddingModelMapping implements SpringAiMapping<EmbeddingModelObservationContext> {

	@Override
	public Class<EmbeddingModelObservationContext> contextType() {
		return EmbeddingModelObservationContext.class;
	}

	@Override
	public ObservationType type() {
		return ObservationType.EMBEDDING;
	}

	@Override
	public String name(EmbeddingModelObservationContext context) {
		String model = requestedModel(context);
		return (model != null) ? "embedding " + model : "embedding";
	}

	@Override
	public void started(EmbeddingModelObservationContext context, LlmCall call) {
		call.input(context.getRequest().getInstructions());
		call.model(requestedModel(context));
		EmbeddingOptions options = context.getRequest().getOptions();
		if (options != null && options.getDimensions() != null) {
			call.modelParameters(Map.of("dimensions", options.getDimensions()));
		}
		call.metadata("provider", context.getOperationMetadata().provider());
	}

	@Override
	public void stopped(EmbeddingModelObservationContext context, LlmCall call) {
		EmbeddingResponse response = context.getResponse();
		if (response == null) {
			return;
		}
		if (Models.isUsable(response.getMetadata().getModel())) {
			call.model(response.getMetadata().getModel());
		}
		call.usage(Usages.of(response.getMetadata().getUsage(), false));
		call.metadata("embeddings", response.getResults().size());
	}

	private static @Nullable String requestedModel(EmbeddingModelObservationContext context) {
		EmbeddingOptions options = context.getRequest().getOptions();
		return (options != null && Models.isUsable(options.getModel())) ? options.getModel() : null;
	}

}
