package io.github.observe4j.langfuse.internal.aop;

import java.lang.reflect.Method;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.internal.core.AsyncEndStrategy;
import io.github.observe4j.langfuse.internal.core.AsyncObservation;
import io.github.observe4j.langfuse.internal.core.CompletionStageEndStrategy;
import io.github.observe4j.langfuse.internal.core.LangfuseSpan;
import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import io.github.observe4j.langfuse.internal.core.ObservationContext;
import io.github.observe4j.langfuse.internal.core.ObservationContextHolder;
import io.github.observe4j.langfuse.internal.model.CapturedArguments;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;

/**
 * Records each call of an {@link Observe @Observe} method as an observation. The user's return
 * value and exception pass through untouched; a failure inside the tracer is logged and the call
 * proceeds untraced.
 *
 * @since 0.1.0
 */
public final class ObserveMethodInterceptor implements MethodInterceptor {

	private static final Log logger = LogFactory.getLog(ObserveMethodInterceptor.class);

	private final Supplier<LangfuseTracer> tracerSupplier;

	/**
	 * Read on every call, by identity: a proxy passes the same {@link Method} on every call, so a
	 * hit costs no {@code Method.hashCode} or {@code equals}, which showed in profiles. Copied on
	 * write, once per observed method, and never read under a lock.
	 */
	private volatile Map<Method, ObservedMethod> methods = new IdentityHashMap<>();

	// Every method resolved, per target class; the only map used when a method is observed on
	// several target classes, or a caller passes an equal but other Method instance.
	private final Map<MethodClassKey, ObservedMethod> methodsPerClass = new ConcurrentHashMap<>();

	private final List<AsyncEndStrategy> asyncEndStrategies;

	private volatile @Nullable LangfuseTracer tracer;

	/**
	 * Create an interceptor that handles {@link CompletionStage} results. The tracer is looked
	 * up on first use, because advisors are created before most beans.
	 * @param tracerSupplier supplies the tracer
	 */
	public ObserveMethodInterceptor(Supplier<LangfuseTracer> tracerSupplier) {
		this(tracerSupplier, List.of(new CompletionStageEndStrategy()));
	}

	/**
	 * Create an interceptor. The tracer is looked up on first use, because advisors are
	 * created before most beans.
	 * @param tracerSupplier supplies the tracer
	 * @param asyncEndStrategies how to end observations of asynchronous results, tried in order
	 * against each method's declared return type
	 */
	public ObserveMethodInterceptor(Supplier<LangfuseTracer> tracerSupplier,
			List<AsyncEndStrategy> asyncEndStrategies) {
		this.tracerSupplier = tracerSupplier;
		this.asyncEndStrategies = List.copyOf(asyncEndStrategies);
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		LangfuseTracer tracer = tracer();
		ObservedMethod method = (tracer != null) ? observedMethod(invocation, tracer) : null;
		if (method == null) {
			return invocation.proceed();
		}
		LangfuseSpan span;
		ObservationContext previous;
		try {
			span = tracer.startObservation(method.name(), method.type());
			if (method.captureInput()) {
				tracer.captureArgumentsUnshared(span, method.parameterNames(), invocation.getArguments(),
						method.knownImmutableParameterTypes());
			}
			previous = ObservationContextHolder.swap(span);
		}
		catch (RuntimeException | LinkageError ex) {
			warn("Langfuse could not start an observation for " + invocation.getMethod(), ex);
			return invocation.proceed();
		}
		Object result;
		try {
			result = invocation.proceed();
		}
		catch (Throwable ex) {
			ObservationContextHolder.swap(previous);
			endWithError(tracer, span, method, ex);
			throw ex;
		}
		ObservationContextHolder.swap(previous);
		AsyncEndStrategy asyncEnd = method.asyncEnd();
		if (asyncEnd != null && result != null) {
			return endWhenDone(asyncEnd, tracer, span, method, previous, invocation, result);
		}
		end(tracer, span, method, result);
		return result;
	}

	private Object endWhenDone(AsyncEndStrategy asyncEnd, LangfuseTracer tracer, LangfuseSpan span,
			ObservedMethod method, @Nullable ObservationContext previous, MethodInvocation invocation, Object result) {
		try {
			CapturedArguments input = (span.input() instanceof CapturedArguments arguments) ? arguments : null;
			return asyncEnd.endWhenDone(new AsyncObservation(tracer, span, previous, input, method.captureOutput()),
					result);
		}
		catch (RuntimeException | LinkageError ex) {
			warn("Langfuse could not follow the result of " + invocation.getMethod(), ex);
			end(tracer, span, method, null);
			return result;
		}
	}

	private void end(LangfuseTracer tracer, LangfuseSpan span, ObservedMethod method, @Nullable Object result) {
		try {
			if (method.captureOutput()) {
				tracer.endObservation(span, result, method.knownImmutableReturnType());
			}
			else {
				tracer.endObservation(span);
			}
		}
		catch (RuntimeException | LinkageError ex) {
			warn("Langfuse could not end observation '" + method.name() + "'", ex);
		}
	}

	private void endWithError(LangfuseTracer tracer, LangfuseSpan span, ObservedMethod method, Throwable error) {
		try {
			span.recordError(error);
			tracer.endObservation(span);
		}
		catch (RuntimeException | LinkageError ex) {
			warn("Langfuse could not end observation '" + method.name() + "'", ex);
		}
	}

	private @Nullable LangfuseTracer tracer() {
		LangfuseTracer tracer = this.tracer;
		if (tracer == null) {
			try {
				tracer = this.tracerSupplier.get();
				this.tracer = tracer;
			}
			catch (RuntimeException ex) {
				logger.debug("Langfuse tracer not available yet", ex);
			}
		}
		return tracer;
	}

	/**
	 * Log a WARN on one line that names the failure; its stack trace is logged at DEBUG.
	 */
	private static void warn(String message, Throwable failure) {
		String detail = failure.getMessage();
		String text = failure.getClass().getSimpleName()
				+ ((detail != null) ? ": " + detail.replaceAll("\\s+", " ").strip() : "");
		logger.warn(message + ": " + ((text.length() <= 200) ? text : text.substring(0, 200) + "..."));
		if (logger.isDebugEnabled()) {
			logger.debug(message, failure);
		}
	}

	private @Nullable ObservedMethod observedMethod(MethodInvocation invocation, LangfuseTracer tracer) {
		Method method = invocation.getMethod();
		Object target = invocation.getThis();
		ObservedMethod observed = this.methods.get(method);
		// the usual bean is its own target class: matched without asking AopUtils
		if (observed != null && target != null && target.getClass() == observed.targetClass()
				&& observed.matchesByClass()) {
			return observed;
		}
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : method.getDeclaringClass();
		if (observed != null && observed.targetClass() == targetClass) {
			return observed;
		}
		MethodClassKey key = new MethodClassKey(method, targetClass);
		observed = this.methodsPerClass.get(key);
		if (observed == null) {
			observed = resolve(method, targetClass, tracer);
			if (observed == null) {
				return null;
			}
			this.methodsPerClass.put(key, observed);
			// only for a key seen first, so an equal Method made anew for each call adds nothing
			remember(method, observed);
		}
		return observed;
	}

	private synchronized void remember(Method method, ObservedMethod observed) {
		if (!this.methods.containsKey(method)) {
			Map<Method, ObservedMethod> methods = new IdentityHashMap<>(this.methods);
			methods.put(method, observed);
			this.methods = methods;
		}
	}

	private @Nullable ObservedMethod resolve(Method method, Class<?> targetClass, LangfuseTracer tracer) {
		Observe observe = ObservedMethod.findAnnotation(method, targetClass);
		if (observe == null) {
			return null;
		}
		Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
		return ObservedMethod.resolve(specific, targetClass, observe, tracer.settings().captureInput(),
				tracer.settings().captureOutput(), this.asyncEndStrategies);
	}

}
