package io.github.observe4j.langfuse.internal.aop;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;

import io.github.observe4j.langfuse.annotation.Observe;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;

import static org.assertj.core.api.Assertions.assertThat;

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

	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	@Observe(name = "composed")
	@interface Composed {

	}

	static class ComposedOnMethod {

		@Composed
		public String work(String input) {
			return input;
		}

	}

}
