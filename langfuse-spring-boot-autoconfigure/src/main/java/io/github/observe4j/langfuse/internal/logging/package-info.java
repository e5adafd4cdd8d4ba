/**
 * Adapter to SLF4J: the ids of the current observation in the logging MDC.
 */
@NullMarked
package io.github.observe4j.langfuse.internal.logging;

import org.jspecify.annotations.NullMarked;
