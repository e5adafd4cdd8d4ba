package io.github.observe4j.langfuse.benchmarks;

/**
 * Arguments of the measured call, read from fields so the JIT treats them as unknown.
 */
public abstract class Inputs {

	/** The prompt argument. */
	public String prompt = Workload.PROMPT;

	/** The number argument. */
	public int n = Workload.N;

}
