/**
 * Actuator health indicator for the Langfuse exporter.
 */
@NullMarked
package io.github.observe4j.langfuse.internal.health;

import org.jspecify.annotations.NullMarked;
