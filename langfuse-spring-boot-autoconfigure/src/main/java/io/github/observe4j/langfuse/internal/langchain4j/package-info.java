/**
 * The LangChain4j integration: a {@code ChatModelListener} that records every chat call as a
 * generation in the current trace, and an advisor that records {@code @Tool} methods of Spring
 * beans as tool observations. Nothing here runs unless LangChain4j is on the class path.
 */
@NullMarked
package io.github.observe4j.langfuse.internal.langchain4j;

import org.jspecify.annotations.NullMarked;
