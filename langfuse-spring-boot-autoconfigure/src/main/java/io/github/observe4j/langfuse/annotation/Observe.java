package io.github.observe4j.langfuse.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Records each call of the annotated bean method as a Langfuse observation. On a type, every
 * public method of the bean is observed; an annotation on a method overrides the one on its type.
 * <p>
 * The outermost observed call on a thread becomes the root of a new trace (named after it);
 * observed calls made while it runs become its children. Arguments are captured as a JSON object
 * keyed by parameter name (compile with {@code -parameters}), the return value as the output, and
 * an exception marks the observation {@code ERROR} before it is rethrown unchanged.
 * <p>
 * Not to be confused with Micrometer's {@code @Observed}: this annotation exports to Langfuse
 * only and needs no {@code ObservationRegistry}.
 * <pre class="code">
 * &#64;Observe(type = ObservationType.GENERATION)
 * public String complete(String prompt) { ... }
 * </pre>
 *
 * @since 0.1.0
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface Observe {

	/**
	 * Name of the observation. Empty means the method name.
	 * @return the observation name
	 */
	String name() default "";

	/**
	 * Type of the observation.
	 * @return the observation type
	 */
	ObservationType type() default ObservationType.SPAN;

	/**
	 * Whether to record the arguments as the observation input. Capture also needs
	 * {@code langfuse.observe.capture-input} (default {@code true}); setting this to
	 * {@code false} keeps the arguments of this method out of Langfuse.
	 * @return whether to capture the input
	 */
	boolean captureInput() default true;

	/**
	 * Whether to record the return value as the observation output. Capture also needs
	 * {@code langfuse.observe.capture-output} (default {@code true}).
	 * @return whether to capture the output
	 */
	boolean captureOutput() default true;

}
