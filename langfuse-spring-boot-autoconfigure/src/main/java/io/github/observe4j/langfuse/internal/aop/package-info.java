/**
 * Spring AOP adapter: the advisor and method interceptor behind {@code @Observe}.
 */
@NullMarked
package io.github.observe4j.langfuse.internal.aop;

import org.jspecify.annotations.NullMarked;
