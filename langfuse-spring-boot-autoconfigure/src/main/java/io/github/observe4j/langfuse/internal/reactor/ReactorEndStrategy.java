package io.github.observe4j.langfuse.internal.reactor;

import java.lang.reflect.Modifier;

import io.github.observe4j.langfuse.internal.core.AsyncEndStrategy;
import io.github.observe4j.langfuse.internal.core.AsyncObservation;
import org.reactivestreams.Publisher;
import reactor.core.publisher.ConnectableFlux;
import reactor.core.publisher.Flux;
import reactor.core.publisher.GroupedFlux;
import reactor.core.publisher.Mono;

/**
 * Ends the observation of a method declared to return a {@link Mono}, a {@link Flux} or a
 * {@link Publisher} when the stream completes, fails or is cancelled, exactly once per
 * subscription, never when the method returns. The caller gets a stream that emits the same
 * signals; the observation is current while the stream is subscribed to and requested from,
 * and travels in the Reactor {@code Context} under {@code ObservationContextHolder.KEY}, so
 * Reactor's automatic context propagation restores it in operators that run on other threads.
 * Code downstream of the stream runs with the caller's context again.
 * <ul>
 * <li>Output: the value of a {@code Mono}; the elements of a {@code Flux}, concatenated when all
 * are text (as Langfuse's Python SDK does for generators), else a list; bounded in size.</li>
 * <li>Error: the observation is {@code ERROR} with the exception's type and message.</li>
 * <li>Cancel: the observation ends with what was produced so far, as {@code WARNING} with
 * "cancelled after N elements"; a {@code Mono} cancelled after its value counts as complete.</li>
 * <li>A {@code GENERATION} streaming a {@code Flux} gets its completion start time at the first
 * element.</li>
 * <li>A second subscription (a cold stream re-run by {@code retry()} or {@code repeat()}) is
 * recorded as an observation of its own, with the same name, input and parent.</li>
 * </ul>
 *
 * @since 0.1.0
 */
public final class ReactorEndStrategy implements AsyncEndStrategy {

	@Override
	public boolean supports(Class<?> returnType) {
		return returnType == Mono.class || returnType == Flux.class || returnType == Publisher.class;
	}

	/**
	 * Whether a result whose static type the caller chose ({@code LangfuseClient.observe}) can be
	 * replaced: only one of Reactor's own operators or of this starter's (what an observed method
	 * or a nested {@code observe} returned), whose classes are not public, so that no caller can
	 * hold it as its own type. A subclass of the application's or another library's (Reactor
	 * Netty's {@code ByteBufFlux}) is returned as it is and ends with the call.
	 */
	@Override
	public boolean supportsValue(Object result) {
		if (result instanceof ObservedMono || result instanceof ObservedFlux) {
			return true;
		}
		Class<?> type = result.getClass();
		return (result instanceof Mono || (result instanceof Flux<?> flux && replaceable(flux)))
				&& type.getPackageName().equals("reactor.core.publisher") && !Modifier.isPublic(type.getModifiers());
	}

	// a Flux subtype with API of its own (connectable, grouped) cannot be replaced by a plain Flux
	// behind its caller's back, even where the declared type is Flux
	private static boolean replaceable(Flux<?> flux) {
		return !(flux instanceof ConnectableFlux) && !(flux instanceof GroupedFlux);
	}

	@Override
	public Object endWhenDone(AsyncObservation observation, Object result) {
		if (result instanceof Mono<?> mono) {
			return new ObservedMono<>(mono, observation);
		}
		if (result instanceof Flux<?> flux && replaceable(flux)) {
			return new ObservedFlux<>(flux, observation);
		}
		if (result instanceof Publisher<?> publisher && !(result instanceof Flux)) {
			return new ObservedFlux<>(Flux.from(publisher), observation);
		}
		// a connectable or grouped Flux behind a declared Flux: its caller may cast it back to use
		// connect() or key(), so it is returned as it is, and the observation ends with the call
		observation.succeed(observation.claim(), result);
		return result;
	}

}
