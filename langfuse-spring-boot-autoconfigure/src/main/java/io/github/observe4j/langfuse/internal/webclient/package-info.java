/**
 * WebFlux {@code WebClient} adapter for the HTTP transport SPI.
 */
@NullMarked
package io.github.observe4j.langfuse.internal.webclient;

import org.jspecify.annotations.NullMarked;
