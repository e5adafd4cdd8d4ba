/**
 * The assistant: Spring AI's {@code ChatClient} with a tool, traced by the starter with no code
 * in the application, and an OpenAI-compatible stub to run it without keys or network.
 */
@NullMarked
package io.github.observe4j.langfuse.sample.assistant;

import org.jspecify.annotations.NullMarked;
