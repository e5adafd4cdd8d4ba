package io.github.observe4j.langfuse.internal.springai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.core.LlmCall;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationContext;

/**
 * A vector store query as a retriever observation: the search request as input (query, top k,
 * similarity threshold, filter) and the documents found as output (id, text, score). Adding and
 * deleting documents is not recorded.
 *
 * @since 0.1.0
 */
public final class VectorStoreMapping implements SpringAiMapping<VectorStoreObservationContext> {

	private static final String QUERY = "query";

	@Override
	public Class<VectorStoreObservationContext> contextType() {
		return VectorStoreObservationContext.class;
	}

	@Override
	public boolean records(VectorStoreObservationContext context) {
		return QUERY.equals(context.getOperationName());
	}

	@Override
	public ObservationType type() {
		return ObservationType.RETRIEVER;
	}

	@Override
	public String name(VectorStoreObservationContext context) {
		String collection = context.getCollectionName();
		return "query " + ((collection != null) ? collection : context.getDatabaseSystem());
	}

	@Override
	public void started(VectorStoreObservationContext context, LlmCall call) {
		SearchRequest request = context.getQueryRequest();
		if (request != null) {
			Map<String, Object> input = new LinkedHashMap<>();
			input.put("query", request.getQuery());
			input.put("topK", request.getTopK());
			input.put("similarityThreshold", request.getSimilarityThreshold());
			if (request.getFilterExpression() != null) {
				input.put("filter", String.valueOf(request.getFilterExpression()));
			}
			call.input(input);
		}
		call.metadata("db.system", context.getDatabaseSystem());
		call.metadata("collection", context.getCollectionName());
	}

	@Override
	public void stopped(VectorStoreObservationContext context, LlmCall call) {
		List<Document> documents = context.getQueryResponse();
		if (documents == null) {
			return;
		}
		List<Map<String, @Nullable Object>> found = new ArrayList<>(documents.size());
		for (Document document : documents) {
			Map<String, @Nullable Object> entry = new LinkedHashMap<>();
			entry.put("id", document.getId());
			entry.put("text", document.getText());
			entry.put("score", document.getScore());
			found.add(entry);
		}
		call.output(found);
		call.metadata("documents", documents.size());
	}

}
