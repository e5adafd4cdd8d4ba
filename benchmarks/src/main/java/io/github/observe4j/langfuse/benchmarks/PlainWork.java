package io.github.observe4j.langfuse.benchmarks;

/**
 * The bean of the {@code plain} and {@code emptyAdvice} candidates. Without the empty advisor
 * in its context the annotation does nothing and the bean is not proxied.
 */
public class PlainWork {

	/**
	 * Do the work.
	 * @param prompt a prompt
	 * @param n a number
	 * @return a value derived from both
	 */
	@Intercepted
	public String work(String prompt, int n) {
		return Workload.work(prompt, n);
	}

}
