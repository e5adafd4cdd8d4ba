package io.github.observe4j.langfuse.internal.reactor;

import io.github.observe4j.langfuse.internal.core.AsyncObservation;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;

/**
 * A {@link Mono} that records each subscription to its source as a run of an observation.
 *
 * @param <T> the value type
 */
final class ObservedMono<T> extends MonoOperator<T, T> {

	private final AsyncObservation observation;

	ObservedMono(Mono<? extends T> source, AsyncObservation observation) {
		super(source);
		this.observation = observation;
	}

	@Override
	public void subscribe(CoreSubscriber<? super T> actual) {
		ObservingSubscriber.subscribe(this.source, actual, this.observation, true);
	}

}
