package io.github.observe4j.langfuse.benchmarks;

import java.lang.reflect.Method;

import org.aopalliance.intercept.MethodInterceptor;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.autoproxy.DefaultAdvisorAutoProxyCreator;
import org.springframework.aop.support.StaticMethodMatcherPointcutAdvisor;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * An interceptor that only proceeds, matched statically through an {@link Advisor}: the floor any
 * proxy-based tracing pays. Class-based proxies, as Spring Boot creates by default.
 */
@Configuration(proxyBeanMethods = false)
class EmptyAdviceConfiguration {

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static DefaultAdvisorAutoProxyCreator advisorAutoProxyCreator() {
		DefaultAdvisorAutoProxyCreator creator = new DefaultAdvisorAutoProxyCreator();
		creator.setProxyTargetClass(true);
		return creator;
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static Advisor emptyAdvisor() {
		StaticMethodMatcherPointcutAdvisor advisor = new StaticMethodMatcherPointcutAdvisor() {

			@Override
			public boolean matches(Method method, @Nullable Class<?> targetClass) {
				return AnnotatedElementUtils.hasAnnotation(method, Intercepted.class);
			}

		};
		advisor.setAdvice((MethodInterceptor) (invocation) -> invocation.proceed());
		return advisor;
	}

	@Bean
	PlainWork plainWork() {
		return new PlainWork();
	}

}
