/**
 * OTLP/HTTP protobuf encoding of finished observations, following Langfuse's attribute mapping.
 */
@NullMarked
package io.github.observe4j.langfuse.internal.export.otlp;

import org.jspecify.annotations.NullMarked;
