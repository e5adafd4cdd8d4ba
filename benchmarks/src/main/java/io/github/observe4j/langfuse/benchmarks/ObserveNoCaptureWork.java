package io.github.observe4j.langfuse.benchmarks;

import io.github.observe4j.langfuse.annotation.Observe;

/**
 * The bean of the {@code observeNoCapture} candidate: an observation without input or output.
 */
public class ObserveNoCaptureWork {

	/**
	 * Do the work.
	 * @param prompt a prompt
	 * @param n a number
	 * @return a value derived from both
	 */
	@Observe(captureInput = false, captureOutput = false)
	public String work(String prompt, int n) {
		return Workload.work(prompt, n);
	}

}
