/**
 * Fetching and caching the prompts of {@link io.github.observe4j.langfuse.prompt.LangfusePrompts}
 * over the export's HTTP transport; framework-free.
 */
@NullMarked
package io.github.observe4j.langfuse.internal.prompt;

import org.jspecify.annotations.NullMarked;
