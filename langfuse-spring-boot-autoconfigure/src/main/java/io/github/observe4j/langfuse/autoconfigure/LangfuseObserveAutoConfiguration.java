package io.github.observe4j.langfuse.autoconfigure;

import io.github.observe4j.langfuse.internal.aop.ObserveAdvisor;
import io.github.observe4j.langfuse.internal.aop.ObserveMethodInterceptor;
import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import org.aopalliance.intercept.MethodInterceptor;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Auto-configuration for the {@code @Observe} annotation: an
 * infrastructure {@link ObserveAdvisor}, so it works with or without AspectJ on the class path.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { LangfuseAutoConfiguration.class, AopAutoConfiguration.class })
@ConditionalOnClass(MethodInterceptor.class)
@ConditionalOnBooleanProperty(name = "langfuse.observe.enabled", matchIfMissing = true)
@ConditionalOnBean(LangfuseTracer.class)
@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
@Import(LangfuseObserveAutoConfiguration.AutoProxyRegistrar.class)
public final class LangfuseObserveAutoConfiguration {

	// Advisors are created by the auto-proxy creator before most beans: static, and the tracer
	// is reached lazily so it is not created early.
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static ObserveAdvisor langfuseObserveAdvisor(ObjectProvider<LangfuseTracer> tracer, Environment environment,
			ResourceLoader resourceLoader) {
		int order = environment.getProperty("langfuse.observe.order", Integer.class, Ordered.LOWEST_PRECEDENCE);
		return new ObserveAdvisor(new ObserveMethodInterceptor(tracer::getObject,
				LangfuseAsyncEndStrategies.available(resourceLoader.getClassLoader())), order);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "reactor.core.publisher.Hooks", "io.micrometer.context.ContextRegistry" })
	@ConditionalOnBooleanProperty(name = "langfuse.observe.reactor-context-propagation", matchIfMissing = true)
	static class ReactorContextPropagationConfiguration {

		@Bean
		static LangfuseReactorContextPropagation langfuseReactorContextPropagation(Environment environment) {
			return new LangfuseReactorContextPropagation(environment);
		}

	}

	/**
	 * Registers an auto-proxy creator for infrastructure advisors when the application has none,
	 * as {@code @EnableTransactionManagement} does, proxying classes unless
	 * {@code spring.aop.proxy-target-class=false}, as Boot's {@link AopAutoConfiguration} does.
	 */
	static class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {

		private final Environment environment;

		AutoProxyRegistrar(Environment environment) {
			this.environment = environment;
		}

		@Override
		public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
			AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
			// Without AopAutoConfiguration (spring.aop.auto=false) nothing else asks for class
			// proxies, and a JDK proxy of an observed bean that implements any interface could no
			// longer be injected by its class
			if (this.environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true)) {
				AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
			}
		}

	}

}
