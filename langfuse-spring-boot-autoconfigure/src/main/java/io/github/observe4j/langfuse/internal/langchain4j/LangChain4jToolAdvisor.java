package io.github.observe4j.langfuse.internal.langchain4j;

import java.lang.reflect.Method;
import java.util.function.Supplier;

import dev.langchain4j.agent.tool.Tool;
import io.github.observe4j.langfuse.internal.core.LlmCalls;
import org.aopalliance.aop.Advice;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Records the {@code @Tool} methods of Spring beans as tool observations. LangChain4j's Spring
 * {@code @AiService} factory calls tool beans through their proxy, so this advice runs for every
 * tool call it makes; tools given to a hand-built AI Service as plain objects are not proxied and
 * not recorded.
 *
 * @since 0.1.0
 */
public final class LangChain4jToolAdvisor extends AbstractPointcutAdvisor {

	private final transient ToolMethodInterceptor interceptor;

	private final transient Pointcut pointcut = new ToolPointcut();

	/**
	 * Create an advisor.
	 * @param calls supplies the calls factory, or {@code null} while tracing is not available
	 * @param order the advisor order
	 */
	public LangChain4jToolAdvisor(Supplier<@Nullable LlmCalls> calls, int order) {
		this.interceptor = new ToolMethodInterceptor(calls);
		setOrder(order);
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
	 * Matches methods annotated with {@code @Tool}, on the method or on the one it implements.
	 */
	private static final class ToolPointcut extends StaticMethodMatcherPointcut {

		@Override
		public boolean matches(Method method, @Nullable Class<?> targetClass) {
			if (AnnotatedElementUtils.hasAnnotation(method, Tool.class)) {
				return true;
			}
			Method specific = (targetClass != null) ? AopUtils.getMostSpecificMethod(method, targetClass) : method;
			return specific != method && AnnotatedElementUtils.hasAnnotation(specific, Tool.class);
		}

	}

}
