/**
 * Langfuse tracing for the official OpenAI Java SDK: {@link io.github.observe4j.langfuse.openai.LangfuseOpenAi}
 * wraps a client built by hand; in a Spring Boot application, {@code OpenAIClient} beans are
 * wrapped without it.
 */
@NullMarked
package io.github.observe4j.langfuse.openai;

import org.jspecify.annotations.NullMarked;
