package io.github.observe4j.langfuse.internal.core;

/**
 * Decides per trace, from the trace id alone, whether a trace is exported, so a trace and its
 * scores are kept or dropped whole. Uses OpenTelemetry's {@code TraceIdRatioBased} rule (the
 * random low 64 bits of the trace id against the ratio), as Langfuse's current SDKs do; 0 and 1
 * short-circuit.
 */
final class TraceSampler {

	private final double rate;

	private final long upperBound;

	TraceSampler(double rate) {
		this.rate = rate;
		this.upperBound = (long) (rate * Long.MAX_VALUE);
	}

	boolean isSampled(long traceIdLow) {
		if (this.rate >= 1.0) {
			return true;
		}
		if (this.rate <= 0.0) {
			return false;
		}
		return Math.abs(traceIdLow) < this.upperBound;
	}

}
