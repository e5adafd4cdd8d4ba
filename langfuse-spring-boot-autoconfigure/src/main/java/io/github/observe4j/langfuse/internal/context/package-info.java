/**
 * Where {@code LangfuseContext} finds the application's client: the one piece of implementation
 * the public static API reaches, kept out of its public surface.
 */
@NullMarked
package io.github.observe4j.langfuse.internal.context;

import org.jspecify.annotations.NullMarked;
