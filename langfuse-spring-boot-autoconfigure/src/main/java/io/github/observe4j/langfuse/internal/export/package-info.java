/**
 * Framework-free export pipeline: bounded batch queue, exporters with retry, HTTP transport SPI and exporter statistics.
 */
@NullMarked
package io.github.observe4j.langfuse.internal.export;

import org.jspecify.annotations.NullMarked;
