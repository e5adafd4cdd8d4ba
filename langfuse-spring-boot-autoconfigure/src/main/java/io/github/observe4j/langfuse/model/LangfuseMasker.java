package io.github.observe4j.langfuse.model;

/**
 * Changes what is sent to Langfuse before it leaves the application, for example to redact
 * e-mail addresses, card numbers or secrets. Define one as a bean and the starter applies it to
 * every text it exports: the input, output, status message and metadata values of each
 * observation and the trace's metadata, each as the JSON text or string Langfuse receives.
 * <pre class="code">
 * &#64;Bean
 * LangfuseMasker redactEmails() {
 *     Pattern email = Pattern.compile("[\\w.+-]+@[\\w-]+\\.[\\w.]+");
 *     return (text) -&gt; email.matcher(text).replaceAll("&lt;email&gt;");
 * }
 * </pre>
 * It runs on the export thread, never on the caller's. If it throws, the field is replaced by
 * {@value #FAILED_PLACEHOLDER}, the failure is counted and logged, and the rest is exported.
 * For the common case, {@code langfuse.masking.patterns} redacts by regular expression without
 * code.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface LangfuseMasker {

	/** What a field becomes when the masker throws. */
	String FAILED_PLACEHOLDER = "<masked: the masker failed>";

	/**
	 * Return the text to send instead of the given one.
	 * @param text the text as it would be sent, never {@code null}
	 * @return the text to send; {@code null} sends an empty text
	 */
	String mask(String text);

}
