package io.github.observe4j.langfuse.internal.langchain4j;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import dev.langchain4j.agent.tool.Tool;
import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.core.LlmCall;
import io.github.observe4j.langfuse.internal.core.LlmCalls;
import io.github.observe4j.langfuse.internal.core.ObservationContext;
import io.github.observe4j.langfuse.internal.core.ObservationContextHolder;
import io.github.observe4j.langfuse.internal.support.Failures;
import io.github.observe4j.langfuse.internal.support.ThrottledLog;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Records a call of a {@code @Tool} method as a tool observation: named after the tool, with
 * the arguments by parameter name as input and the result as output, or the error. The
 * observation is current while the method runs, so what the tool calls nests under it. What the
 * method returns or throws is passed on unchanged.
 */
final class ToolMethodInterceptor implements MethodInterceptor {

	private static final Log logger = LogFactory.getLog(ToolMethodInterceptor.class);

	private static final ParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();

	private final Supplier<@Nullable LlmCalls> calls;

	private final ThrottledLog log = new ThrottledLog(logger, Duration.ofMinutes(1));

	ToolMethodInterceptor(Supplier<@Nullable LlmCalls> calls) {
		this.calls = calls;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		LlmCall call = start(invocation);
		if (call == null) {
			return invocation.proceed();
		}
		ObservationContext previous = ObservationContextHolder.swap(call.context());
		Object result;
		try {
			result = invocation.proceed();
		}
		catch (Throwable ex) {
			ObservationContextHolder.swap(previous);
			end(call, null, ex);
			throw ex;
		}
		ObservationContextHolder.swap(previous);
		end(call, result, null);
		return result;
	}

	private @Nullable LlmCall start(MethodInvocation invocation) {
		try {
			LlmCalls factory = this.calls.get();
			if (factory == null) {
				return null;
			}
			Method method = invocation.getMethod();
			LlmCall call = factory.start(toolName(method), ObservationType.TOOL, null, false);
			call.input(arguments(method, invocation.getArguments()));
			return call;
		}
		catch (Throwable ex) {
			failed("a LangChain4j tool call", ex);
			return null;
		}
	}

	private void end(LlmCall call, @Nullable Object result, @Nullable Throwable error) {
		try {
			if (error != null) {
				call.fail(error);
			}
			else {
				call.output(result);
			}
			call.end();
		}
		catch (Throwable ex) {
			failed("the end of a LangChain4j tool call", ex);
		}
	}

	static String toolName(Method method) {
		Tool tool = AnnotatedElementUtils.findMergedAnnotation(method, Tool.class);
		return (tool != null && !tool.name().isEmpty()) ? tool.name() : method.getName();
	}

	private static Map<String, @Nullable Object> arguments(Method method, @Nullable Object[] values) {
		String[] names = PARAMETER_NAMES.getParameterNames(method);
		Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
		for (int i = 0; i < values.length; i++) {
			arguments.put((names != null && i < names.length) ? names[i] : "arg" + i, values[i]);
		}
		return arguments;
	}

	private void failed(String what, Throwable ex) {
		Failures.rethrowIfFatal(ex);
		this.log.warn("langchain4j-tool", () -> "Langfuse could not record " + what, ex);
	}

}
