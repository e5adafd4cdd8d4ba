package io.github.observe4j.langfuse.internal.springai;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import io.github.observe4j.langfuse.internal.core.LlmCall;
import io.github.observe4j.langfuse.internal.core.LlmCalls;
import io.github.observe4j.langfuse.internal.core.ObservationContextHolder;
import io.github.observe4j.langfuse.internal.core.TracerSettings;
import io.github.observe4j.langfuse.internal.json.JacksonValueSerializer;
import io.github.observe4j.langfuse.internal.model.JsonText;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link VectorStoreMapping} on a real {@link SimpleVectorStore}: a query is a
 * RETRIEVER under the current observation with the request as input and the documents found as
 * output; adding documents is not recorded.
 */
class VectorStoreMappingTests {

	private final List<ObservationRecord> exported = new CopyOnWriteArrayList<>();

	private final LlmCalls calls = new LlmCalls(new LangfuseTracer(
			TracerSettings.defaults("http://localhost:3000", new JacksonValueSerializer()), this.exported::add), true);

	private final ObservationRegistry registry = ObservationRegistry.create();

	@AfterEach
	void clear() {
		ObservationContextHolder.swap(null);
	}

	@Test
	void aQueryIsARetrieverWithTheRequestAndTheDocumentsFound() {
		this.registry.observationConfig()
			.observationHandler(new SpringAiObservationHandler<>(new VectorStoreMapping(), () -> this.calls));
		SimpleVectorStore store = SimpleVectorStore.builder(new FixedEmbeddingModel())
			.observationRegistry(this.registry)
			.build();
		store.add(List.of(new Document("fable-1", "The Fox and the Grapes", java.util.Map.of()),
				new Document("fable-2", "The Tortoise and the Hare", java.util.Map.of())));
		assertThat(this.exported).as("adding documents is not recorded").isEmpty();
		LlmCall outer = this.calls.start("answer", ObservationType.SPAN, null, false);
		ObservationContextHolder.swap(outer.context());
		List<Document> found = store.similaritySearch(SearchRequest.builder().query("a fox").topK(2).build());
		ObservationContextHolder.swap(null);
		outer.end();
		assertThat(found).hasSize(2);
		ObservationRecord retriever = this.exported.stream()
			.filter((record) -> record.type() == ObservationType.RETRIEVER)
			.findFirst()
			.orElseThrow();
		ObservationRecord answer = this.exported.stream()
			.filter((record) -> record.name().equals("answer"))
			.findFirst()
			.orElseThrow();
		assertThat(retriever.parentSpanId()).isEqualTo(answer.spanId());
		assertThat(retriever.name()).startsWith("query ");
		assertThat(((JsonText) retriever.input()).json()).contains("\"query\":\"a fox\"").contains("\"topK\":2");
		assertThat(((JsonText) retriever.output()).json()).contains("The Fox and the Grapes")
			.contains("The Tortoise and the Hare")
			.contains("\"id\":\"fable-1\"");
		assertThat(retriever.metadata()).containsEntry("documents", 2);
		assertThat(this.exported).hasSize(2);
	}

	/** Every text gets the same vector, so every document matches. */
	static final class FixedEmbeddingModel implements EmbeddingModel {

		@Override
		public EmbeddingResponse call(EmbeddingRequest request) {
			List<Embedding> embeddings = new ArrayList<>();
			for (int i = 0; i < request.getInstructions().size(); i++) {
				embeddings.add(new Embedding(new float[] { 0.1f, 0.2f, 0.3f }, i));
			}
			return new EmbeddingResponse(embeddings);
		}

		@Override
		public float[] embed(Document document) {
			return new float[] { 0.1f, 0.2f, 0.3f };
		}

	}

}
