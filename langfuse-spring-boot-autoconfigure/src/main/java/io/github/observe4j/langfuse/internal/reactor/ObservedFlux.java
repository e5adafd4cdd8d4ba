package io.github.observe4j.langfuse.internal.reactor;

import io.github.observe4j.langfuse.internal.core.AsyncObservation;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;

/**
 * A {@link Flux} that records each subscription to its source as a run of an observation.
 *
 * @param <T> the element type
 */
final class ObservedFlux<T> extends FluxOperator<T, T> {

	private final AsyncObservation observation;

	ObservedFlux(Flux<? extends T> source, AsyncObservation observation) {
		super(source);
		this.observation = observation;
	}

	@Override
	public void subscribe(CoreSubscriber<? super T> actual) {
		ObservingSubscriber.subscribe(this.source, actual, this.observation, false);
	}

}
