package io.github.observe4j.langfuse.internal.aop;

import java.lang.reflect.Method;

import org.aopalliance.aop.Advice;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.Ordered;

/**
 * Applies the {@link ObserveMethodInterceptor} to methods annotated with
 * {@code @Observe}, or declared public on a type annotated with it. The match is static, so
 * Spring evaluates it once per method instead of on every call.
 *
 * @since 0.1.0
 */
public final class ObserveAdvisor extends AbstractPointcutAdvisor {

	private final transient ObserveMethodInterceptor interceptor;

	private final transient Pointcut pointcut = new ObservePointcut();

	/**
	 * Create an advisor.
	 * @param interceptor the interceptor to apply
	 * @param order the advisor order
	 */
	public ObserveAdvisor(ObserveMethodInterceptor interceptor, int order) {
		this.interceptor = interceptor;
		setOrder(order);
	}

	/**
	 * Create an advisor with the lowest precedence, so it runs closest to the target.
	 * @param interceptor the interceptor to apply
	 */
	public ObserveAdvisor(ObserveMethodInterceptor interceptor) {
		this(interceptor, Ordered.LOWEST_PRECEDENCE);
	}

	@Override
	public Pointcut getPointcut() {
		return this.pointcut;
	}

	@Override
	public Advice getAdvice() {
		return this.interceptor;
	}

	/**
	 * Matches observed methods.
	 */
	private static final class ObservePointcut extends StaticMethodMatcherPointcut {

		ObservePointcut() {
			// a class with no @Observe anywhere is passed over without a look at each method
			setClassFilter(ObservedMethod::mayBeObserved);
		}

		@Override
		public boolean matches(Method method, @Nullable Class<?> targetClass) {
			return ObservedMethod.findAnnotation(method, targetClass) != null;
		}

	}

}
