package io.github.observe4j.langfuse.test;

/**
 * Entry point for AssertJ assertions on what an application traced.
 * <pre class="code">
 * LangfuseAssertions.assertThat(recorder)
 *     .hasTraceCount(1)
 *     .trace("tellStory")
 *     .hasUserId("user-1")
 *     .hasScore("quality", 0.9)
 *     .observation("chat gpt-4o")
 *     .isGeneration()
 *     .hasParent("tellStory")
 *     .hasModel("gpt-4o")
 *     .hasUsage(11, 7);
 * </pre>
 *
 * @since 0.1.0
 */
public final class LangfuseAssertions {

	private LangfuseAssertions() {
	}

	/**
	 * Assert on everything a recorder recorded.
	 * @param recorder the recorder
	 * @return the assertion
	 */
	public static RecorderAssert assertThat(LangfuseRecorder recorder) {
		return new RecorderAssert(recorder);
	}

	/**
	 * Assert on one recorded trace.
	 * @param trace the trace
	 * @return the assertion
	 */
	public static TraceAssert assertThat(RecordedTrace trace) {
		return new TraceAssert(trace);
	}

}
