/**
 * OpenAI Java SDK adapter: an {@code OpenAIClient} wrapped so that its chat completions, plain
 * or streamed, sync or async, are recorded as generations through the core's {@code LlmCalls}.
 * The wrapper never changes an argument, a return value or an exception.
 */
@NullMarked
package io.github.observe4j.langfuse.internal.openai;

import org.jspecify.annotations.NullMarked;
