package io.github.observe4j.langfuse.context;

/**
 * An observation started with {@link LangfuseClient#startObservation}: current on this thread
 * until closed, so observed calls made meanwhile become its children. Close it on the thread
 * that started it, in a try-with-resources block; closing ends it (once) and makes the previous
 * observation current again.
 * <pre class="code">
 * try (LangfuseObservation step = langfuse.startObservation("rerank", ObservationType.SPAN)) {
 *     step.input(candidates);
 *     List&lt;Document&gt; ranked = reranker.rank(candidates);
 *     step.output(ranked);
 * }
 * </pre>
 *
 * @since 0.1.0
 */
public interface LangfuseObservation extends ObservationUpdate, AutoCloseable {

	/**
	 * End the observation and restore the previous one as current. Idempotent.
	 */
	@Override
	void close();

}
