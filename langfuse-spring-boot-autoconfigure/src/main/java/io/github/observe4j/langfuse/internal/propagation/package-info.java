/**
 * Micrometer context-propagation adapter: the current observation as a
 * {@code ThreadLocalAccessor}, so Reactor's automatic context propagation and Spring's
 * {@code ContextPropagatingTaskDecorator} carry it.
 */
@NullMarked
package io.github.observe4j.langfuse.internal.propagation;

import org.jspecify.annotations.NullMarked;
