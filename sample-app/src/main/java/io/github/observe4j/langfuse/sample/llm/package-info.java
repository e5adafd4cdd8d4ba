/**
 * The language model the sample calls: a deterministic fake, or any OpenAI-compatible endpoint.
 */
@NullMarked
package io.github.observe4j.langfuse.sample.llm;

import org.jspecify.annotations.NullMarked;
