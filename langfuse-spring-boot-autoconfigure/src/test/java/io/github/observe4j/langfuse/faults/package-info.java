/**
 * The delivery fault suite: a real Spring Boot application with the starter, against a
 * controllable Langfuse stand-in, counting what arrives by span id.
 */
@NullMarked
package io.github.observe4j.langfuse.faults;

import org.jspecify.annotations.NullMarked;
