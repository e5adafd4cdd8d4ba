/**
 * Sample application for the Langfuse Spring Boot starter.
 */
@NullMarked
package io.github.observe4j.langfuse.sample;

import org.jspecify.annotations.NullMarked;
