package io.github.observe4j.langfuse.internal.reactor;

import java.util.concurrent.atomic.AtomicBoolean;

import io.github.observe4j.langfuse.internal.core.AsyncObservation;
import io.github.observe4j.langfuse.internal.core.LangfuseSpan;
import io.github.observe4j.langfuse.internal.core.ObservationContext;
import io.github.observe4j.langfuse.internal.core.ObservationContextHolder;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.util.context.Context;

/**
 * Sits between an observed stream and its subscriber for one subscription: ends that run's
 * observation on the first terminal signal or cancel, collects the output, and switches the
 * thread's context, so the observation is current upstream (subscribing, requesting, cancelling)
 * and the caller's context is current downstream (each signal it receives).
 *
 * @param <T> the element type
 */
final class ObservingSubscriber<T> implements CoreSubscriber<T>, Subscription {

	private final CoreSubscriber<? super T> actual;

	private final AsyncObservation observation;

	private final LangfuseSpan span;

	private final Context context;

	private final boolean mono;

	private final @Nullable StreamOutput output;

	private final AtomicBoolean ended = new AtomicBoolean();

	private volatile long elements;

	private @Nullable Subscription upstream;

	private ObservingSubscriber(CoreSubscriber<? super T> actual, AsyncObservation observation, LangfuseSpan span,
			boolean mono) {
		this.actual = actual;
		this.observation = observation;
		this.span = span;
		this.mono = mono;
		this.context = actual.currentContext().put(ObservationContextHolder.KEY, span);
		this.output = observation.capturesOutput() ? new StreamOutput(observation, mono) : null;
	}

	/**
	 * Subscribe to the source as one run of the observation, with the run's observation current.
	 */
	static <T> void subscribe(Publisher<? extends T> source, CoreSubscriber<? super T> actual,
			AsyncObservation observation, boolean mono) {
		LangfuseSpan span = observation.claim();
		ObservingSubscriber<T> subscriber = new ObservingSubscriber<>(actual, observation, span, mono);
		ObservationContext previous = ObservationContextHolder.swap(span);
		try {
			source.subscribe(subscriber);
		}
		finally {
			ObservationContextHolder.swap(previous);
		}
	}

	@Override
	public Context currentContext() {
		return this.context;
	}

	@Override
	public void onSubscribe(Subscription subscription) {
		if (this.upstream != null) {
			// Reactive Streams rule 2.5: a second subscription is cancelled
			subscription.cancel();
			return;
		}
		this.upstream = subscription;
		ObservationContext previous = ObservationContextHolder.install(this.observation.parent());
		try {
			this.actual.onSubscribe(this);
		}
		finally {
			ObservationContextHolder.swap(previous);
		}
	}

	@Override
	public void onNext(T element) {
		long count = this.elements + 1;
		// signals are serial: no other thread writes this field
		this.elements = count;
		if (count == 1 && !this.mono) {
			this.observation.firstElement(this.span);
		}
		if (this.output != null) {
			this.output.add(element);
		}
		if (this.mono && this.ended.compareAndSet(false, true)) {
			// a Mono's value is its success (as doOnSuccess sees it): end before the caller's
			// operators run, so their work is neither timed nor parented here
			this.observation.succeed(this.span, (this.output != null) ? this.output.result() : null);
		}
		ObservationContext previous = ObservationContextHolder.install(this.observation.parent());
		try {
			this.actual.onNext(element);
		}
		finally {
			ObservationContextHolder.swap(previous);
		}
	}

	@Override
	public void onError(Throwable error) {
		if (this.ended.compareAndSet(false, true)) {
			this.observation.fail(this.span, error);
		}
		ObservationContext previous = ObservationContextHolder.install(this.observation.parent());
		try {
			this.actual.onError(error);
		}
		finally {
			ObservationContextHolder.swap(previous);
		}
	}

	@Override
	public void onComplete() {
		if (this.ended.compareAndSet(false, true)) {
			this.observation.succeed(this.span, (this.output != null) ? this.output.result() : null);
		}
		ObservationContext previous = ObservationContextHolder.install(this.observation.parent());
		try {
			this.actual.onComplete();
		}
		finally {
			ObservationContextHolder.swap(previous);
		}
	}

	@Override
	public void request(long n) {
		ObservationContext previous = ObservationContextHolder.swap(this.span);
		try {
			upstream().request(n);
		}
		finally {
			ObservationContextHolder.swap(previous);
		}
	}

	@Override
	public void cancel() {
		if (this.ended.compareAndSet(false, true)) {
			long count = this.elements;
			Object partial = (this.output != null) ? this.output.result() : null;
			if (this.mono && count > 0) {
				// a Mono's subscriber may cancel once it has the value: that is a success
				this.observation.succeed(this.span, partial);
			}
			else {
				this.observation.cancel(this.span, partial,
						"cancelled after " + count + ((count == 1) ? " element" : " elements"));
			}
		}
		ObservationContext previous = ObservationContextHolder.swap(this.span);
		try {
			upstream().cancel();
		}
		finally {
			ObservationContextHolder.swap(previous);
		}
	}

	private Subscription upstream() {
		Subscription subscription = this.upstream;
		if (subscription == null) {
			throw new IllegalStateException("request or cancel before onSubscribe");
		}
		return subscription;
	}

}
