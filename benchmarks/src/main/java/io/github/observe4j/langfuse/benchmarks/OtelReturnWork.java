package io.github.observe4j.langfuse.benchmarks;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;

/**
 * The bean of the {@code otelWithSpanReturn} candidate: like {@link OtelWork}, and the return
 * value set as an attribute, which is what capturing the output costs with OpenTelemetry.
 */
public class OtelReturnWork {

	/**
	 * Do the work.
	 * @param prompt a prompt
	 * @param n a number
	 * @return a value derived from both
	 */
	@WithSpan
	public String work(@SpanAttribute("prompt") String prompt, @SpanAttribute("n") int n) {
		String result = Workload.work(prompt, n);
		Span.current().setAttribute("output", result);
		return result;
	}

}
