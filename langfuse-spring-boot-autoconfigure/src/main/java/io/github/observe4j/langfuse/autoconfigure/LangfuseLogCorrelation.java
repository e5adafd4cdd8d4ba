package io.github.observe4j.langfuse.autoconfigure;

import io.github.observe4j.langfuse.internal.core.ObservationContextHolder;
import io.github.observe4j.langfuse.internal.logging.MdcLogCorrelation;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Puts the current trace and observation ids in the logging MDC while a context that wants it
 * runs. The MDC belongs to the JVM, not to a context: with several contexts (tests with cached
 * contexts, parent and child), correlation stays on until the last of those that turned it on
 * closes.
 */
final class LangfuseLogCorrelation implements InitializingBean, DisposableBean {

	private static final MdcLogCorrelation correlation = new MdcLogCorrelation();

	private static int users;

	@Override
	public void afterPropertiesSet() {
		synchronized (LangfuseLogCorrelation.class) {
			if (users++ == 0) {
				ObservationContextHolder.setListener(correlation);
			}
		}
	}

	@Override
	public void destroy() {
		synchronized (LangfuseLogCorrelation.class) {
			if (--users == 0) {
				ObservationContextHolder.removeListener(correlation);
			}
		}
	}

}
