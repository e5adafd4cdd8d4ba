package io.github.observe4j.langfuse.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Hooks;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.env.Environment;

/**
 * Turns on Reactor's automatic context propagation, as {@code spring.reactor.context-propagation=auto}
 * does, so the current observation (registered with context-propagation as a
 * {@code ThreadLocalAccessor}) is restored in operators that run on other threads. The hook is
 * global to the JVM; an application that sets {@code spring.reactor.context-propagation} itself
 * keeps its choice.
 */
final class LangfuseReactorContextPropagation implements InitializingBean {

	/** Spring Boot's own switch: when the application sets it, its choice stands. */
	static final String BOOT_PROPERTY = "spring.reactor.context-propagation";

	private static final Log logger = LogFactory.getLog(LangfuseReactorContextPropagation.class);

	private final Environment environment;

	LangfuseReactorContextPropagation(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void afterPropertiesSet() {
		if (this.environment.containsProperty(BOOT_PROPERTY)) {
			logger.debug("Leaving Reactor's context propagation to " + BOOT_PROPERTY + "="
					+ this.environment.getProperty(BOOT_PROPERTY));
			return;
		}
		Hooks.enableAutomaticContextPropagation();
		logger.debug("Enabled Reactor's automatic context propagation for Langfuse observations"
				+ " (langfuse.observe.reactor-context-propagation=false leaves Reactor's hooks alone)");
	}

}
