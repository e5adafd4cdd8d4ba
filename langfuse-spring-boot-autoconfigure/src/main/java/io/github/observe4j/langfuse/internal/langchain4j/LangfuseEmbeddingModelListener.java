package io.github.observe4j.langfuse.internal.langchain4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.listener.EmbeddingModelErrorContext;
import dev.langchain4j.model.embedding.listener.EmbeddingModelListener;
import dev.langchain4j.model.embedding.listener.EmbeddingModelRequestContext;
import dev.langchain4j.model.embedding.listener.EmbeddingModelResponseContext;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.core.LlmCall;
import io.github.observe4j.langfuse.internal.core.LlmCalls;
import io.github.observe4j.langfuse.internal.support.Failures;
import io.github.observe4j.langfuse.internal.support.ThrottledLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Records every call of a LangChain4j embedding model as a Langfuse embedding observation in
 * the current trace: the texts as input, the number and size of the vectors as output (never
 * the vectors), and the token usage. LangChain4j's Spring Boot starters do not hand embedding
 * listeners to their models: add it with {@code model.addListener(listener)}, which returns a
 * wrapping model to use instead, or a provider builder's {@code .listeners(...)}.
 *
 * @since 0.1.0
 */
public final class LangfuseEmbeddingModelListener implements EmbeddingModelListener {

	private static final Log logger = LogFactory.getLog(LangfuseEmbeddingModelListener.class);

	private static final Object CALL = LangfuseEmbeddingModelListener.class;

	private final Supplier<@Nullable LlmCalls> calls;

	private final ThrottledLog log = new ThrottledLog(logger, Duration.ofMinutes(1));

	/**
	 * Create a listener.
	 * @param calls supplies the calls factory, or {@code null} while tracing is not available
	 */
	public LangfuseEmbeddingModelListener(Supplier<@Nullable LlmCalls> calls) {
		this.calls = Objects.requireNonNull(calls, "calls must not be null");
	}

	@Override
	public void onRequest(EmbeddingModelRequestContext requestContext) {
		try {
			LlmCalls factory = this.calls.get();
			Map<Object, Object> attributes = requestContext.attributes();
			if (factory == null || attributes.containsKey(CALL)) {
				return;
			}
			String model = modelName(requestContext.embeddingModel());
			LlmCall call = factory.start((model != null) ? "embedding " + model : "embedding",
					ObservationType.EMBEDDING, null, false);
			attributes.put(CALL, call);
			call.model(model);
			if (requestContext.modelProvider() != null) {
				call.metadata("provider", requestContext.modelProvider().name());
			}
			call.input(texts(requestContext.textSegments()));
		}
		catch (Throwable ex) {
			failed("a LangChain4j embedding request", ex);
		}
	}

	@Override
	public void onResponse(EmbeddingModelResponseContext responseContext) {
		try {
			if (!(responseContext.attributes().get(CALL) instanceof LlmCall call)) {
				return;
			}
			try {
				EmbeddingResponse response = responseContext.embeddingResponse();
				if (response != null) {
					call.model(response.modelName());
					call.usage(ChatMessages.usage(response.tokenUsage()));
					call.output(summary(response.embeddings()));
				}
			}
			finally {
				call.end();
			}
		}
		catch (Throwable ex) {
			failed("a LangChain4j embedding response", ex);
		}
	}

	@Override
	public void onError(EmbeddingModelErrorContext errorContext) {
		try {
			if (!(errorContext.attributes().get(CALL) instanceof LlmCall call)) {
				return;
			}
			try {
				if (errorContext.error() != null) {
					call.fail(errorContext.error());
				}
			}
			finally {
				call.end();
			}
		}
		catch (Throwable ex) {
			failed("a LangChain4j embedding error", ex);
		}
	}

	private static @Nullable String modelName(@Nullable EmbeddingModel model) {
		return (model != null) ? model.modelName() : null;
	}

	private static List<@Nullable String> texts(@Nullable List<TextSegment> segments) {
		List<@Nullable String> texts = new ArrayList<>();
		if (segments != null) {
			for (TextSegment segment : segments) {
				texts.add((segment != null) ? segment.text() : null);
			}
		}
		return texts;
	}

	/** How many vectors of which size: the vectors themselves are of no use in a trace. */
	private static Map<String, Object> summary(@Nullable List<Embedding> embeddings) {
		Map<String, Object> summary = new LinkedHashMap<>();
		int count = (embeddings != null) ? embeddings.size() : 0;
		summary.put("embeddings", count);
		if (count > 0 && embeddings.get(0) != null) {
			summary.put("dimensions", embeddings.get(0).dimension());
		}
		return summary;
	}

	private void failed(String what, Throwable ex) {
		Failures.rethrowIfFatal(ex);
		this.log.warn("langchain4j-embedding", () -> "Langfuse could not record " + what, ex);
	}

}
