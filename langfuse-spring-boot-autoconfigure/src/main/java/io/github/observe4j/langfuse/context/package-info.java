/**
 * The user-facing context API: {@link io.github.observe4j.langfuse.context.LangfuseContext} and the handles it returns.
 */
@NullMarked
package io.github.observe4j.langfuse.context;

import org.jspecify.annotations.NullMarked;
