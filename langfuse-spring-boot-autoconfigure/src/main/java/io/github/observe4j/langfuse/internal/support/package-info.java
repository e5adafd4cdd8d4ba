/**
 * The one copy of each small utility every tier uses: failure handling and throttled warnings.
 * Imports only the JDK and commons-logging.
 */
@NullMarked
package io.github.observe4j.langfuse.internal.support;

import org.jspecify.annotations.NullMarked;
