/**
 * The story pipeline: retrieval, generation and a guardrail, each an observed bean, behind a REST API.
 */
@NullMarked
package io.github.observe4j.langfuse.sample.story;

import org.jspecify.annotations.NullMarked;
