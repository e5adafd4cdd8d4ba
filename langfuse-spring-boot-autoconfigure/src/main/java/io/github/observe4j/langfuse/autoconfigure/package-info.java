/**
 * Spring Boot auto-configuration for Langfuse tracing.
 */
@NullMarked
package io.github.observe4j.langfuse.autoconfigure;

import org.jspecify.annotations.NullMarked;
