/**
 * An endpoint that handles credentials, to show how to keep secrets out of Langfuse.
 */
@NullMarked
package io.github.observe4j.langfuse.sample.account;

import org.jspecify.annotations.NullMarked;
