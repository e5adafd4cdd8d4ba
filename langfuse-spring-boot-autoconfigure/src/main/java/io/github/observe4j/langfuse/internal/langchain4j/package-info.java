/**
 * The LangChain4j integration: a {@code ChatModelListener} that records every chat call as a
 * generation in the current trace, an {@code EmbeddingModelListener} for embedding calls, and an
 * advisor that records {@code @Tool} methods of Spring beans as tool observations. Nothing here
 * is loaded unless LangChain4j is on the class path.
 */
@NullMarked
package io.github.observe4j.langfuse.internal.langchain4j;

import org.jspecify.annotations.NullMarked;
