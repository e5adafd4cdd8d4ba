/**
 * Test fixtures shared by the tests of several packages.
 */
@NullMarked
package io.github.observe4j.langfuse.testsupport;

import org.jspecify.annotations.NullMarked;
