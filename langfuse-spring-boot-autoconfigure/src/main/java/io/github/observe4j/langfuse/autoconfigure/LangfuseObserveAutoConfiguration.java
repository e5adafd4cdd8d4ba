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
 * <p>
 * Like Boot's {@link AopAutoConfiguration}, it auto-proxies only while {@code spring.aop.auto} is
 * not {@code false}, proxying classes unless {@code spring.aop.proxy-target-class=false}. With
 * {@code spring.aop.auto=false} the advisor is still defined but applied only by an auto-proxy
 * creator of the application's own, such as the one {@code @EnableAspectJAutoProxy},
 * {@code @EnableTransactionManagement} or {@code @EnableCaching} registers; without one,
 * {@code @Observe} methods are not traced.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { LangfuseAutoConfiguration.class, AopAutoConfiguration.class })
@ConditionalOnClass(MethodInterceptor.class)
@ConditionalOnBooleanProperty(name = "langfuse.observe.enabled", matchIfMissing = true)
@ConditionalOnBean(LangfuseTracer.class)
@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
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
	 * as {@code @EnableTransactionManagement} does, unless {@code spring.aop.auto=false}: then the
	 * application has said it configures AOP itself.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "spring.aop.auto", matchIfMissing = true)
	static class AutoProxyingConfiguration {

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnBooleanProperty(name = "spring.aop.proxy-target-class", havingValue = false)
		@Import(AutoProxyRegistrar.class)
		static class JdkDynamicAutoProxyConfiguration {

		}

		/**
		 * Proxies classes, as Boot's {@link AopAutoConfiguration} does by default, also when it
		 * is excluded: a JDK proxy of an observed bean that implements any interface could no
		 * longer be injected by its class.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnBooleanProperty(name = "spring.aop.proxy-target-class", matchIfMissing = true)
		@Import(ClassProxyingAutoProxyRegistrar.class)
		static class ClassProxyingAutoProxyConfiguration {

		}

	}

	/**
	 * Registers an auto-proxy creator for infrastructure advisors if there is none yet; one of
	 * higher capability, such as AspectJ's, is kept.
	 */
	static class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {

		@Override
		public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
			AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
		}

	}

	/**
	 * Registers an auto-proxy creator as {@link AutoProxyRegistrar} does and has it proxy classes.
	 */
	static class ClassProxyingAutoProxyRegistrar extends AutoProxyRegistrar {

		@Override
		public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
			super.registerBeanDefinitions(metadata, registry);
			AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
		}

	}

}
