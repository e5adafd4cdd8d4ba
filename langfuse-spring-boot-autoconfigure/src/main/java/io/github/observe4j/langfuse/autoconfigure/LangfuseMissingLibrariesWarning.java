package io.github.observe4j.langfuse.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.util.ClassUtils;

/**
 * Logs one warning naming the libraries that are missing for Langfuse tracing and how to add
 * them. Defined only when one of them is missing.
 */
final class LangfuseMissingLibrariesWarning implements BeanClassLoaderAware, InitializingBean {

	static final String WEB_CLIENT = "org.springframework.web.reactive.function.client.WebClient";

	static final String JSON_MAPPER = "tools.jackson.databind.json.JsonMapper";

	private static final Log logger = LogFactory.getLog(LangfuseMissingLibrariesWarning.class);

	private @Nullable ClassLoader classLoader;

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Override
	public void afterPropertiesSet() {
		ClassLoader classLoader = this.classLoader;
		List<String> missing = new ArrayList<>();
		if (!ClassUtils.isPresent(WEB_CLIENT, classLoader)) {
			missing.add("org.springframework:spring-webflux (for WebClient)");
		}
		if (!ClassUtils.isPresent(JSON_MAPPER, classLoader)) {
			missing.add("tools.jackson.core:jackson-databind (Jackson 3)");
		}
		logger.warn("Langfuse tracing is off: " + String.join(" and ", missing)
				+ ((missing.size() == 1) ? " is" : " are") + " not on the classpath. Depend on"
				+ " io.github.observe4j:langfuse-spring-boot-starter, which brings them, or add them; set"
				+ " langfuse.enabled=false to silence this.");
	}

}
