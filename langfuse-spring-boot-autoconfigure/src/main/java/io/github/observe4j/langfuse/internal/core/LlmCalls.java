package io.github.observe4j.langfuse.internal.core;

import java.util.Objects;
import java.util.function.BooleanSupplier;

import io.github.observe4j.langfuse.annotation.ObservationType;
import org.jspecify.annotations.Nullable;

/**
 * Starts {@link LlmCall}s for framework integrations. A call becomes a child of the parent it
 * is given, or of the current observation of the thread, or the root of a new trace. A chat call
 * made inside an open generation, such as an {@code @Observe(type = GENERATION)} method that calls
 * Spring AI, is folded into that generation instead, when merging is on and the call is not a
 * stream: a stream's callbacks end after the enclosing method has returned, when the generation
 * can no longer take them. A generation inside a generation that an integration started is the
 * same model call seen by two integrations, and is always folded in.
 *
 * @since 0.1.0
 */
public final class LlmCalls {

	private final LangfuseTracer tracer;

	private final boolean mergeIntoEnclosingGeneration;

	/**
	 * Create a factory.
	 * @param tracer the tracer
	 * @param mergeIntoEnclosingGeneration whether a generation inside a generation is folded into it
	 */
	public LlmCalls(LangfuseTracer tracer, boolean mergeIntoEnclosingGeneration) {
		this.tracer = Objects.requireNonNull(tracer, "tracer must not be null");
		this.mergeIntoEnclosingGeneration = mergeIntoEnclosingGeneration;
	}

	/**
	 * Start a call.
	 * @param name the observation name, such as {@code chat gpt-4o}
	 * @param type the observation type
	 * @param parent the parent the framework knows of, or {@code null} for the thread's current
	 * observation
	 * @param streaming whether the call streams its answer
	 * @return the call
	 */
	public LlmCall start(String name, ObservationType type, @Nullable ObservationContext parent, boolean streaming) {
		return start(name, type, parent, () -> streaming);
	}

	/**
	 * Start a call whose framework does not say whether it streams, such as LangChain4j's
	 * listener: the question is asked only when the call could be folded into an enclosing
	 * generation, so that the usual call pays nothing for the answer.
	 * @param name the observation name, such as {@code chat gpt-4o}
	 * @param type the observation type
	 * @param parent the parent the framework knows of, or {@code null} for the thread's current
	 * observation
	 * @param streaming tells whether the call streams its answer
	 * @return the call
	 */
	public LlmCall start(String name, ObservationType type, @Nullable ObservationContext parent,
			BooleanSupplier streaming) {
		ObservationContext resolved = (parent != null) ? parent : ObservationContextHolder.get();
		if (type == ObservationType.GENERATION && resolved instanceof LangfuseSpan enclosing
				&& enclosing.type() == ObservationType.GENERATION && !enclosing.isEnded()) {
			// inside an integration's generation it is the same model call seen by two
			// integrations (Spring AI over a wrapped OpenAI client): one generation, whatever the
			// mode, or its tokens would count twice
			if (enclosing.isLlmCall() || (this.mergeIntoEnclosingGeneration && !streaming.getAsBoolean())) {
				return new MergedLlmCall(enclosing, this.tracer.settings());
			}
		}
		LangfuseSpan span = this.tracer.startObservation(name, type, resolved);
		span.markLlmCall();
		return new ObservedLlmCall(this.tracer, span);
	}

}
