/**
 * OTLP/HTTP protobuf encoding of finished observations, following Langfuse's attribute mapping.
 */
@NullMarked
package io.github.observe4j.langfuse.export.otlp;

import org.jspecify.annotations.NullMarked;
