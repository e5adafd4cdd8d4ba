package io.github.observe4j.langfuse.benchmarks;

import io.micrometer.observation.annotation.Observed;

/**
 * The bean of the {@code micrometerObserved} candidate.
 */
public class ObservedWork {

	/**
	 * Do the work.
	 * @param prompt a prompt
	 * @param n a number
	 * @return a value derived from both
	 */
	@Observed(name = "work")
	public String work(String prompt, int n) {
		return Workload.work(prompt, n);
	}

}
