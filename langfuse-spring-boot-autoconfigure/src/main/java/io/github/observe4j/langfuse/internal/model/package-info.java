/**
 * What the tracer hands to the exporter, and the two interfaces they meet through: finished
 * observation and score records, captured values, {@code RecordSink} and {@code ValueSerializer}.
 * Implementation: may change in any release.
 */
@NullMarked
package io.github.observe4j.langfuse.internal.model;

import org.jspecify.annotations.NullMarked;
