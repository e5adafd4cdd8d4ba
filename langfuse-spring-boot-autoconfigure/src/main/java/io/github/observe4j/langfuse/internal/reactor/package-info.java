/**
 * Reactor adapter: observations of methods returning {@code Mono}, {@code Flux} or any
 * {@code Publisher} end with the stream, and the observation is current while its operators run.
 */
@NullMarked
package io.github.observe4j.langfuse.internal.reactor;

import org.jspecify.annotations.NullMarked;
