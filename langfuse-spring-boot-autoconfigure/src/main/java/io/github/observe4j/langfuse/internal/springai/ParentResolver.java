package io.github.observe4j.langfuse.internal.springai;

import io.github.observe4j.langfuse.internal.core.LangfuseSpan;
import io.github.observe4j.langfuse.internal.core.LlmCall;
import io.github.observe4j.langfuse.internal.core.ObservationContext;
import io.github.observe4j.langfuse.internal.core.ObservationContextHolder;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationView;
import org.jspecify.annotations.Nullable;

/**
 * Finds the parent of a Spring AI observation between two candidates: the thread's current
 * observation (an {@code @Observe} method, or a tool whose scope is open) and the nearest Spring
 * AI observation up Micrometer's parent chain that became a Langfuse observation. The thread's
 * wins when it lies inside the nearest one, as in code called from a tool; otherwise the chain's,
 * as a stream's later rounds start on threads whose current observation means nothing to them.
 */
final class ParentResolver {

	/** Parent chains are short; a bound guards against a cycle built by hand. */
	private static final int MAX_DEPTH = 64;

	private ParentResolver() {
	}

	static @Nullable ObservationContext resolve(Observation.Context context) {
		ObservationContext current = ObservationContextHolder.get();
		ObservationContext nearest = nearestRecorded(context);
		if (nearest == null || (current != null && liesInside(current, nearest))) {
			return current;
		}
		return nearest;
	}

	static @Nullable ObservationContext nearestRecorded(Observation.ContextView context) {
		ObservationView parent = context.getParentObservation();
		for (int depth = 0; parent != null && depth < MAX_DEPTH; depth++) {
			Observation.ContextView view = parent.getContextView();
			LlmCall call = view.get(LlmCall.class);
			if (call != null) {
				return call.context();
			}
			parent = view.getParentObservation();
		}
		return null;
	}

	/**
	 * Whether the thread's observation is the recorded one or was started inside it. Spans keep
	 * only their parent's id, so "inside" is read as: same trace, still open, started no earlier.
	 * An observation of the same trace that started later and is current on this thread can only
	 * have been started from within the recorded one or a descendant of it.
	 */
	private static boolean liesInside(ObservationContext current, ObservationContext nearest) {
		if (current == nearest) {
			return true;
		}
		return current instanceof LangfuseSpan span && nearest instanceof LangfuseSpan recorded
				&& span.traceIdHigh() == recorded.traceIdHigh() && span.traceIdLow() == recorded.traceIdLow()
				&& !span.isEnded() && span.startEpochNanos() >= recorded.startEpochNanos();
	}

}
