package io.github.observe4j.langfuse.autoconfigure;

import io.github.observe4j.langfuse.internal.core.ObservationContextHolder;
import io.github.observe4j.langfuse.internal.logging.MdcLogCorrelation;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Puts the current trace and observation ids in the logging MDC while the context runs, and
 * stops when it closes.
 */
final class LangfuseLogCorrelation implements InitializingBean, DisposableBean {

	private final MdcLogCorrelation correlation = new MdcLogCorrelation();

	@Override
	public void afterPropertiesSet() {
		ObservationContextHolder.setListener(this.correlation);
	}

	@Override
	public void destroy() {
		ObservationContextHolder.removeListener(this.correlation);
	}

}
