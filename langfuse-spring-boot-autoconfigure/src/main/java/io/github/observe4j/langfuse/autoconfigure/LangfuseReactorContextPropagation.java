package io.github.observe4j.langfuse.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Hooks;

import org.springframework.beans.factory.InitializingBean;

/**
 * Turns on Reactor's automatic context propagation, as {@code spring.reactor.context-propagation=auto}
 * does, so the current observation (registered with context-propagation as a
 * {@code ThreadLocalAccessor}) is restored in operators that run on other threads.
 */
final class LangfuseReactorContextPropagation implements InitializingBean {

	private static final Log logger = LogFactory.getLog(LangfuseReactorContextPropagation.class);

	@Override
	public void afterPropertiesSet() {
		Hooks.enableAutomaticContextPropagation();
		logger.debug("Enabled Reactor's automatic context propagation for Langfuse observations"
				+ " (langfuse.observe.reactor-context-propagation=false leaves Reactor's hooks alone)");
	}

}
