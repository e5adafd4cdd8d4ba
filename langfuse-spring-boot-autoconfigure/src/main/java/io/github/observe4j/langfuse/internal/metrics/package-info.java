/**
 * Micrometer adapter: the export counters as meters.
 */
@NullMarked
package io.github.observe4j.langfuse.internal.metrics;

import org.jspecify.annotations.NullMarked;
