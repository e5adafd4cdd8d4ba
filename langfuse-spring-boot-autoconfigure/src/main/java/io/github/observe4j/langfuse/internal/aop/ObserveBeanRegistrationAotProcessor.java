package io.github.observe4j.langfuse.internal.aop;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

import io.github.observe4j.langfuse.annotation.Observe;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Registers, for a native image, what {@code @Observe} reads at run time from a bean that uses
 * it: its observed methods (their annotation and parameter names) and the types of their
 * arguments and return values, which capture serializes to JSON. Runs during Spring AOT
 * processing; at run time it is not used.
 *
 * @since 0.1.0
 */
public final class ObserveBeanRegistrationAotProcessor implements BeanRegistrationAotProcessor {

	private final BindingReflectionHintsRegistrar bindingHints = new BindingReflectionHintsRegistrar();

	@Override
	public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		Class<?> beanClass = registeredBean.getBeanClass();
		boolean observedClass = AnnotatedElementUtils.hasAnnotation(beanClass, Observe.class);
		List<Method> observed = new ArrayList<>();
		ReflectionUtils.doWithMethods(beanClass, observed::add,
				(method) -> method.getDeclaringClass() != Object.class && (observedClass
						|| AnnotatedElementUtils.hasAnnotation(method, Observe.class)));
		if (observed.isEmpty()) {
			return null;
		}
		return (generationContext, code) -> {
			ReflectionHints reflection = generationContext.getRuntimeHints().reflection();
			for (Method method : observed) {
				reflection.registerMethod(method, ExecutableMode.INTROSPECT);
				List<Type> types = new ArrayList<>(List.of(method.getGenericParameterTypes()));
				types.add(method.getGenericReturnType());
				this.bindingHints.registerReflectionHints(reflection, types.toArray(Type[]::new));
			}
		};
	}

	@Override
	public boolean isBeanExcludedFromAotProcessing() {
		return false;
	}

}
