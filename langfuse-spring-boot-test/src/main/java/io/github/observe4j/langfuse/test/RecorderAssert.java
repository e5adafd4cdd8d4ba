package io.github.observe4j.langfuse.test;

import java.util.List;

import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on everything a {@link LangfuseRecorder} recorded.
 *
 * @since 0.1.0
 */
public final class RecorderAssert extends AbstractAssert<RecorderAssert, LangfuseRecorder> {

	RecorderAssert(LangfuseRecorder recorder) {
		super(recorder, RecorderAssert.class);
	}

	/**
	 * Verify how many traces were recorded.
	 * @param count the expected number
	 * @return this assertion
	 */
	public RecorderAssert hasTraceCount(int count) {
		isNotNull();
		List<RecordedTrace> traces = this.actual.traces();
		if (traces.size() != count) {
			failWithMessage("Expected %d traces but recorded %d: %s", count, traces.size(), names(traces));
		}
		return this;
	}

	/**
	 * Verify that nothing was traced.
	 * @return this assertion
	 */
	public RecorderAssert hasNoTraces() {
		return hasTraceCount(0);
	}

	/**
	 * Verify that a trace with the given name (the trace's own, else its root's) was recorded,
	 * and assert on it.
	 * @param name the trace name
	 * @return an assertion on the first such trace
	 */
	public TraceAssert trace(String name) {
		isNotNull();
		return this.actual.trace(name)
			.map(TraceAssert::new)
			.orElseThrow(() -> failure("Expected a trace named <%s> but recorded %s", name,
					names(this.actual.traces())));
	}

	/**
	 * Verify that exactly one trace was recorded, and assert on it.
	 * @return an assertion on that trace
	 */
	public TraceAssert singleTrace() {
		hasTraceCount(1);
		return new TraceAssert(this.actual.traces().get(0));
	}

	private static List<String> names(List<RecordedTrace> traces) {
		return traces.stream().map(RecordedTrace::name).toList();
	}

}
