package io.github.observe4j.langfuse.benchmarks;

/**
 * The body every candidate bean method runs: cheap, derived from both arguments, and returning a
 * fresh value so the JIT cannot fold the call away.
 */
final class Workload {

	/** The prompt every benchmark passes. */
	static final String PROMPT = "Tell me a short story about a fox who learns to sail";

	/** The number every benchmark passes. */
	static final int N = 42;

	private Workload() {
	}

	static String work(String prompt, int n) {
		return prompt.length() + ":" + n;
	}

}
