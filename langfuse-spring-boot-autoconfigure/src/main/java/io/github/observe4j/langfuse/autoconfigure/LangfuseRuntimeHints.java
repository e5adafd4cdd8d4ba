package io.github.observe4j.langfuse.autoconfigure;

import java.net.http.HttpClient;
import java.util.List;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.internal.propagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What a native image of an application using the starter needs beyond what Spring infers:
 * the version resource, the context-propagation accessor loaded through the service loader, the
 * annotation's attributes, and the method the JDK HTTP client is shut down with where it exists. What user beans need for {@code @Observe} is registered per bean, by
 * {@code ObserveBeanRegistrationAotProcessor}.
 */
class LangfuseRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern("io/github/observe4j/langfuse/langfuse-version.properties");
		hints.resources().registerPattern("META-INF/services/io.micrometer.context.ThreadLocalAccessor");
		hints.reflection()
			.registerType(ObservationThreadLocalAccessor.class, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
		hints.reflection().registerType(Observe.class, MemberCategory.INVOKE_DECLARED_METHODS);
		// on Java 21+, where it exists, the JDK HTTP client is shut down through reflection
		hints.reflection()
			.registerType(HttpClient.class,
					(type) -> type.withMethod("shutdownNow", List.of(), ExecutableMode.INVOKE));
	}

}
