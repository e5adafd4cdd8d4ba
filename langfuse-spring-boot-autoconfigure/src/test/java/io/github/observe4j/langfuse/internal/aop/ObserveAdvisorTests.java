package io.github.observe4j.langfuse.internal.aop;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;

import io.github.observe4j.langfuse.annotation.Observe;
import org.junit.jupiter.api.Test;

import org.springframework.aop.ClassFilter;
import org.springframework.aop.support.AopUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for which classes {@link ObserveAdvisor} applies to: wherever {@code @Observe} is found
 * on a class or its methods through the type hierarchy, and nowhere else, so that the class
 * filter in front of the per-method match never hides an observed method.
 */
class ObserveAdvisorTests {

	private final ObserveAdvisor advisor = new ObserveAdvisor(
			new ObserveMethodInterceptor(() -> {
				throw new AssertionError("no call is made");
			}, List.of()));

	@Test
	void passesOverAClassWithoutObserveAnywhere() {
		assertThat(AopUtils.canApply(this.advisor, Plain.class)).isFalse();
		assertThat(AopUtils.canApply(this.advisor, PlainChild.class)).isFalse();
		assertThat(AopUtils.canApply(this.advisor, String.class)).isFalse();
	}

	@Test
	void appliesToAnAnnotatedMethodOrType() {
		assertThat(AopUtils.canApply(this.advisor, AnnotatedMethod.class)).isTrue();
		assertThat(AopUtils.canApply(this.advisor, AnnotatedType.class)).isTrue();
	}

	@Test
	void appliesWhereTheAnnotationIsOnlyInASupertype() {
		assertThat(AopUtils.canApply(this.advisor, InheritsAnnotatedMethod.class)).isTrue();
		assertThat(AopUtils.canApply(this.advisor, InheritsAnnotatedType.class)).isTrue();
		assertThat(AopUtils.canApply(this.advisor, ImplementsAnnotatedInterfaceMethod.class)).isTrue();
		assertThat(AopUtils.canApply(this.advisor, ImplementsAnnotatedInterface.class)).isTrue();
		assertThat(AopUtils.canApply(this.advisor, ImplementsThroughAnotherInterface.class)).isTrue();
	}

	@Test
	void appliesToAnAnnotationMetaAnnotatedWithObserve() {
		assertThat(AopUtils.canApply(this.advisor, ComposedOnMethod.class)).isTrue();
		assertThat(AopUtils.canApply(this.advisor, ComposedOnType.class)).isTrue();
		assertThat(AopUtils.canApply(this.advisor, TwiceComposedOnMethod.class)).isTrue();
		assertThat(AopUtils.canApply(this.advisor, InheritsAnInterfaceImplementation.class)).isTrue();
	}

	@Test
	void theClassFilterAloneTurnsAwayClassesWithoutObserve() {
		ClassFilter filter = this.advisor.getPointcut().getClassFilter();
		assertThat(filter.matches(Plain.class)).isFalse();
		assertThat(filter.matches(PlainChild.class)).isFalse();
		assertThat(filter.matches(AnnotatedMethod.class)).isTrue();
		assertThat(filter.matches(ImplementsThroughAnotherInterface.class)).isTrue();
	}

	@Test
	void aClassThatCannotBeIntrospectedIsLeftToThePerMethodMatch() throws Exception {
		Class<?> broken = new HidingClassLoader(getClass().getClassLoader()).loadClass(UsesMissing.class.getName());
		assertThatExceptionOfType(LinkageError.class).isThrownBy(broken::getDeclaredMethods);
		assertThat(this.advisor.getPointcut().getClassFilter().matches(broken)).isTrue();
	}

	static class Plain {

		public String work(String input) {
			return input;
		}

	}

	static class PlainChild extends Plain implements Runnable {

		@Override
		@Deprecated
		public void run() {
		}

	}

	static class AnnotatedMethod {

		@Observe
		public String work(String input) {
			return input;
		}

	}

	@Observe
	static class AnnotatedType {

		public String work(String input) {
			return input;
		}

	}

	static class InheritsAnnotatedMethod extends AnnotatedMethod {

		@Override
		public String work(String input) {
			return input + "!";
		}

	}

	static class InheritsAnnotatedType extends AnnotatedType {

	}

	interface AnnotatedInterfaceMethod {

		@Observe
		String work(String input);

	}

	static class ImplementsAnnotatedInterfaceMethod implements AnnotatedInterfaceMethod {

		@Override
		public String work(String input) {
			return input;
		}

	}

	@Observe
	interface AnnotatedInterface {

		String work(String input);

	}

	static class ImplementsAnnotatedInterface implements AnnotatedInterface {

		@Override
		public String work(String input) {
			return input;
		}

	}

	interface ExtendsAnnotatedInterfaceMethod extends AnnotatedInterfaceMethod {

	}

	static class ImplementsThroughAnotherInterface implements ExtendsAnnotatedInterfaceMethod {

		@Override
		public String work(String input) {
			return input;
		}

	}

	@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
	@Retention(RetentionPolicy.RUNTIME)
	@Observe(name = "composed")
	@interface Composed {

	}

	@Target(ElementType.TYPE)
	@Retention(RetentionPolicy.RUNTIME)
	@Observe
	@interface ComposedType {

	}

	@ComposedType
	static class ComposedOnType {

		public String work(String input) {
			return input;
		}

	}

	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	@Composed
	@interface TwiceComposed {

	}

	static class TwiceComposedOnMethod {

		@TwiceComposed
		public String work(String input) {
			return input;
		}

	}

	static class InheritsAnInterfaceImplementation extends ImplementsAnnotatedInterfaceMethod {

	}

	/** Stands for a class of an optional library that is not on the class path. */
	static class Missing {

	}

	/** A bean whose method signature names {@link Missing}. */
	static class UsesMissing {

		public void use(Missing missing) {
		}

	}

	/** Defines {@link UsesMissing} itself and cannot find {@link Missing}. */
	static final class HidingClassLoader extends ClassLoader {

		HidingClassLoader(ClassLoader parent) {
			super(parent);
		}

		@Override
		protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
			if (name.equals(Missing.class.getName())) {
				throw new ClassNotFoundException(name);
			}
			if (!name.equals(UsesMissing.class.getName())) {
				return super.loadClass(name, resolve);
			}
			synchronized (getClassLoadingLock(name)) {
				Class<?> loaded = findLoadedClass(name);
				if (loaded != null) {
					return loaded;
				}
				try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
					byte[] bytes = in.readAllBytes();
					return defineClass(name, bytes, 0, bytes.length);
				}
				catch (IOException ex) {
					throw new ClassNotFoundException(name, ex);
				}
			}
		}

	}

	static class ComposedOnMethod {

		@Composed
		public String work(String input) {
			return input;
		}

	}

}
