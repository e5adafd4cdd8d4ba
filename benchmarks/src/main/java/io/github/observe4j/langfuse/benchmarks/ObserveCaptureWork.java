package io.github.observe4j.langfuse.benchmarks;

import io.github.observe4j.langfuse.annotation.Observe;

/**
 * The bean of the {@code observeCapture} and {@code observeDisabled} candidates: an observation
 * with the arguments as input and the return value as output, the default.
 */
public class ObserveCaptureWork {

	/**
	 * Do the work.
	 * @param prompt a prompt
	 * @param n a number
	 * @return a value derived from both
	 */
	@Observe
	public String work(String prompt, int n) {
		return Workload.work(prompt, n);
	}

}
