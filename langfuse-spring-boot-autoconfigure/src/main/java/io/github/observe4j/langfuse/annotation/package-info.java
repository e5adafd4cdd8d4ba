/**
 * The {@code @Observe} annotation and the observation types it declares. Imports nothing.
 */
@NullMarked
package io.github.observe4j.langfuse.annotation;

import org.jspecify.annotations.NullMarked;
