package io.github.observe4j.langfuse.internal.aop;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.List;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.core.AsyncEndStrategy;
import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import io.github.observe4j.langfuse.internal.support.Failures;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.TargetClassAware;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.util.ReflectionUtils;

/**
 * Everything about an observed method that does not change between calls, resolved once.
 *
 * @param targetClass the class of the bean the method was resolved for
 * @param matchesByClass whether a bean whose class is {@code targetClass} always has it as its
 * target class: it says nothing else about its target class ({@link TargetClassAware}), so a call
 * on it matches this by its class alone
 * @param name the observation name
 * @param type the observation type
 * @param captureInput whether to capture the arguments
 * @param captureOutput whether to capture the return value
 * @param parameterNames the parameter names
 * @param knownImmutableParameterTypes per parameter, the class whose values are captured as they
 * are without a lookup (see {@link LangfuseTracer#knownImmutableType(Class)}), or {@code null}
 * @param knownImmutableReturnType the same for the return value
 * @param asyncEnd how to end the observation when the declared return type is asynchronous
 * ({@code CompletionStage}, {@code Mono}, ...), or {@code null} to end it when the method returns
 */
record ObservedMethod(Class<?> targetClass, boolean matchesByClass, String name, ObservationType type, boolean captureInput,
		boolean captureOutput, String[] parameterNames, @Nullable Class<?>[] knownImmutableParameterTypes,
		@Nullable Class<?> knownImmutableReturnType, @Nullable AsyncEndStrategy asyncEnd) {

	/**
	 * Whether a type, one of its supertypes or a method one of them declares carries
	 * {@code @Observe} (itself or as a meta-annotation): most beans do not, and are then not
	 * looked at method by method, each with a search of the type hierarchy.
	 */
	private static final ClassValue<Boolean> MAY_BE_OBSERVED = new ClassValue<>() {

		@Override
		protected Boolean computeValue(Class<?> type) {
			try {
				return declaresObserve(type);
			}
			catch (Throwable ex) {
				Failures.rethrowIfFatal(ex);
				// a type that cannot be introspected (a missing class in a signature, malformed
				// annotations) is matched method by method, as without this filter
				return true;
			}
		}

		private boolean declaresObserve(Class<?> type) {
			if (type.getName().startsWith("java.")) {
				return false;
			}
			if (carriesObserve(type)) {
				return true;
			}
			for (Method method : ReflectionUtils.getDeclaredMethods(type)) {
				if (carriesObserve(method)) {
					return true;
				}
			}
			Class<?> superclass = type.getSuperclass();
			if (superclass != null && superclass != Object.class && get(superclass)) {
				return true;
			}
			for (Class<?> implemented : type.getInterfaces()) {
				if (get(implemented)) {
					return true;
				}
			}
			return false;
		}

	};

	static boolean mayBeObserved(Class<?> type) {
		return MAY_BE_OBSERVED.get(type);
	}

	private static boolean carriesObserve(AnnotatedElement element) {
		// most methods carry no annotation at all: no merged-annotation lookup for them
		return element.getDeclaredAnnotations().length > 0
				&& MergedAnnotations.from(element, SearchStrategy.DIRECT).isPresent(Observe.class);
	}

	static @Nullable Observe findAnnotation(Method method, @Nullable Class<?> targetClass) {
		Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
		Observe observe = AnnotatedElementUtils.findMergedAnnotation(specific, Observe.class);
		if (observe == null && specific != method) {
			observe = AnnotatedElementUtils.findMergedAnnotation(method, Observe.class);
		}
		if (observe == null && targetClass != null && isObservableByClass(specific)) {
			observe = AnnotatedElementUtils.findMergedAnnotation(targetClass, Observe.class);
		}
		return observe;
	}

	// A type-level @Observe covers the bean's own public API, not Object's contract methods.
	private static boolean isObservableByClass(Method method) {
		return Modifier.isPublic(method.getModifiers()) && method.getDeclaringClass() != Object.class
				&& !method.isSynthetic() && !ReflectionUtils.isEqualsMethod(method)
				&& !ReflectionUtils.isHashCodeMethod(method) && !ReflectionUtils.isToStringMethod(method);
	}

	static ObservedMethod resolve(Method method, Class<?> targetClass, Observe observe, boolean captureInputDefault,
			boolean captureOutputDefault, List<AsyncEndStrategy> asyncEndStrategies) {
		Parameter[] parameters = method.getParameters();
		String[] names = new String[parameters.length];
		Class<?>[] knownImmutable = new Class<?>[parameters.length];
		for (int i = 0; i < parameters.length; i++) {
			names[i] = parameters[i].getName();
			knownImmutable[i] = LangfuseTracer.knownImmutableType(parameters[i].getType());
		}
		String name = observe.name().isEmpty() ? method.getName() : observe.name();
		boolean returnsValue = method.getReturnType() != void.class && method.getReturnType() != Void.class;
		return new ObservedMethod(targetClass, !TargetClassAware.class.isAssignableFrom(targetClass), name, observe.type(), captureInputDefault && observe.captureInput(),
				captureOutputDefault && observe.captureOutput() && returnsValue, names, knownImmutable,
				LangfuseTracer.knownImmutableType(method.getReturnType()),
				asyncEnd(method.getReturnType(), asyncEndStrategies));
	}

	private static @Nullable AsyncEndStrategy asyncEnd(Class<?> returnType, List<AsyncEndStrategy> strategies) {
		for (AsyncEndStrategy strategy : strategies) {
			if (strategy.supports(returnType)) {
				return strategy;
			}
		}
		return null;
	}

}
