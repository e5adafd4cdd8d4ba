/**
 * The implementation the public context API reaches, kept out of its public surface: where
 * {@code LangfuseContext} finds the application's client, and the hex check of
 * {@code LangfuseIds}.
 */
@NullMarked
package io.github.observe4j.langfuse.internal.context;

import org.jspecify.annotations.NullMarked;
