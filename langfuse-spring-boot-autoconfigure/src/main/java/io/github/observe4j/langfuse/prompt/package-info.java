/**
 * Prompts managed in Langfuse: {@link io.github.observe4j.langfuse.prompt.LangfusePrompts} fetches
 * and caches them, {@link io.github.observe4j.langfuse.prompt.TextPrompt} and
 * {@link io.github.observe4j.langfuse.prompt.ChatPrompt} fill in their variables and link the
 * generations that use them.
 */
@NullMarked
package io.github.observe4j.langfuse.prompt;

import org.jspecify.annotations.NullMarked;
