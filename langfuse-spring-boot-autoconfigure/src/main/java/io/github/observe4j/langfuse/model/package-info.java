/**
 * Public values: scores and their data types, observation levels.
 */
@NullMarked
package io.github.observe4j.langfuse.model;

import org.jspecify.annotations.NullMarked;
