package io.github.observe4j.langfuse.benchmarks;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;

/**
 * The bean of the {@code otelWithSpan} candidate: a span with both arguments as attributes.
 */
public class OtelWork {

	/**
	 * Do the work.
	 * @param prompt a prompt
	 * @param n a number
	 * @return a value derived from both
	 */
	@WithSpan
	public String work(@SpanAttribute("prompt") String prompt, @SpanAttribute("n") int n) {
		return Workload.work(prompt, n);
	}

}
