/**
 * Test support: record what an application traces in memory, with no Langfuse server, and
 * assert on it with AssertJ.
 */
@NullMarked
package io.github.observe4j.langfuse.test;

import org.jspecify.annotations.NullMarked;
