/**
 * The one copy of each small utility every tier uses: failure handling, throttled warnings, JSON
 * strings, URLs, truncation markers and the interrupt a shutdown holds back.
 * Imports only the JDK and commons-logging.
 */
@NullMarked
package io.github.observe4j.langfuse.internal.support;

import org.jspecify.annotations.NullMarked;
