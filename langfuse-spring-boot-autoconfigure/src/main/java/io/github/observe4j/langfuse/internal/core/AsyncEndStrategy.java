package io.github.observe4j.langfuse.internal.core;

/**
 * Ends observations whose method returns an asynchronous result (a future, a {@code Mono}, a
 * {@code Flux}) when that result completes, fails or is cancelled, instead of when the method
 * returns. Chosen once per method from its declared return type, as OpenTelemetry's
 * {@code AsyncOperationEndStrategy} is.
 *
 * @since 0.1.0
 */
public interface AsyncEndStrategy {

	/**
	 * Return whether this strategy handles methods declared to return the given type.
	 * @param returnType the declared return type
	 * @return whether it is supported
	 */
	boolean supports(Class<?> returnType);

	/**
	 * Return whether this strategy handles a result known only at run time, for observations
	 * started without a declared return type ({@code LangfuseClient.observe}).
	 * @param result the result
	 * @return whether it is supported
	 */
	default boolean supportsValue(Object result) {
		return supports(result.getClass());
	}

	/**
	 * Arrange for the observation to end with the result, and return what the caller gets: the
	 * same object, or one that behaves the same and reports its signals to the observation.
	 * Must not throw.
	 * @param observation the observation, started and no longer current on this thread
	 * @param result what the method returned, not {@code null}
	 * @return the value to return to the caller, of the declared return type
	 */
	Object endWhenDone(AsyncObservation observation, Object result);

}
