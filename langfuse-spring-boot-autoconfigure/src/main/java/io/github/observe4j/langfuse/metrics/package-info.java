/**
 * Micrometer adapter: the export counters as meters.
 */
@NullMarked
package io.github.observe4j.langfuse.metrics;

import org.jspecify.annotations.NullMarked;
