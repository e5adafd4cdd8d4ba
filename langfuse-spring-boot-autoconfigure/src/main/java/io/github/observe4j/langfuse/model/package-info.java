/**
 * Immutable values shared by the tracer and the exporters: levels, scores, trace attributes, finished observations.
 */
@NullMarked
package io.github.observe4j.langfuse.model;

import org.jspecify.annotations.NullMarked;
