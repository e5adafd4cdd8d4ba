/**
 * Spring AI adapter: a Micrometer observation handler that records Spring AI's chat model,
 * embedding model, tool and chat client observations as Langfuse observations in the current
 * trace. Only this package (and the auto-configuration that registers it) touches Spring AI.
 */
@NullMarked
package io.github.observe4j.langfuse.internal.springai;

import org.jspecify.annotations.NullMarked;
