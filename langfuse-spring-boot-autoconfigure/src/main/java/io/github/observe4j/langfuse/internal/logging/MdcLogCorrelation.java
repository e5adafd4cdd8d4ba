package io.github.observe4j.langfuse.internal.logging;

import io.github.observe4j.langfuse.internal.core.ObservationContext;
import io.github.observe4j.langfuse.internal.core.ObservationContextHolder.ContextListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Keeps the current Langfuse trace id and observation id in the SLF4J MDC, under
 * {@value #TRACE_ID} and {@value #OBSERVATION_ID}, so application logs can be joined with
 * traces ({@code %X{langfuseTraceId}} in a Logback pattern). It follows the context wherever the
 * context goes: into observed calls, tasks wrapped for other threads, Reactor operators with
 * context propagation. Outside any observation both keys are absent.
 */
public final class MdcLogCorrelation implements ContextListener {

	/** MDC key of the trace id, 32 lowercase hex digits. */
	public static final String TRACE_ID = "langfuseTraceId";

	/** MDC key of the current observation id, 16 lowercase hex digits. */
	public static final String OBSERVATION_ID = "langfuseObservationId";

	@Override
	public void contextChanged(@Nullable ObservationContext current) {
		if (current == null) {
			MDC.remove(TRACE_ID);
			MDC.remove(OBSERVATION_ID);
			return;
		}
		String traceId = current.traceIdHex();
		// within one trace only the observation changes: leave the trace id as it is
		if (!traceId.equals(MDC.get(TRACE_ID))) {
			MDC.put(TRACE_ID, traceId);
		}
		String observationId = current.observationIdHex();
		if (observationId != null) {
			MDC.put(OBSERVATION_ID, observationId);
		}
		else {
			MDC.remove(OBSERVATION_ID);
		}
	}

}
