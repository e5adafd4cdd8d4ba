package io.github.observe4j.langfuse.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;

/**
 * Raises the export logger to DEBUG for {@code langfuse.debug=true} through Boot's
 * {@link LoggingSystem}, whichever logging library is in use. It does so once all singletons
 * exist, before the export starts with the context's lifecycle, so that creating a bean has no
 * such side effect. Without a {@link LoggingSystem} bean (an application context not started by
 * {@code SpringApplication}) it does nothing, and the logging library's own configuration
 * decides.
 */
final class LangfuseDebugLogging implements SmartInitializingSingleton {

	static final String EXPORT_LOGGER = "io.github.observe4j.langfuse.internal.export";

	private final ObjectProvider<LoggingSystem> loggingSystem;

	LangfuseDebugLogging(ObjectProvider<LoggingSystem> loggingSystem) {
		this.loggingSystem = loggingSystem;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.loggingSystem.ifAvailable((logging) -> logging.setLogLevel(EXPORT_LOGGER, LogLevel.DEBUG));
	}

}
