/**
 * Jackson 3 adapter that turns captured values into bounded JSON text.
 */
@NullMarked
package io.github.observe4j.langfuse.internal.json;

import org.jspecify.annotations.NullMarked;
