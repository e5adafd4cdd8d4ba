package io.github.observe4j.langfuse.internal.core;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Ends the observation of a method returning a {@link CompletionStage} when the stage completes.
 * The caller keeps the very stage the method returned.
 *
 * @since 0.1.0
 */
public final class CompletionStageEndStrategy implements AsyncEndStrategy {

	@Override
	public boolean supports(Class<?> returnType) {
		return CompletionStage.class.isAssignableFrom(returnType);
	}

	@Override
	public Object endWhenDone(AsyncObservation observation, Object result) {
		if (result instanceof CompletionStage<?> stage) {
			LangfuseSpan span = observation.claim();
			stage.whenComplete((value, error) -> {
				if (error != null) {
					observation.fail(span, (error instanceof CompletionException && error.getCause() != null)
							? error.getCause() : error);
				}
				else {
					observation.succeed(span, value);
				}
			});
		}
		else {
			observation.succeed(observation.claim(), result);
		}
		return result;
	}

}
