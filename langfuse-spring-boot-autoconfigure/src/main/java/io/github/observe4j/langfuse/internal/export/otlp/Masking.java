package io.github.observe4j.langfuse.internal.export.otlp;

import java.util.concurrent.atomic.AtomicLong;

import io.github.observe4j.langfuse.internal.support.Failures;
import io.github.observe4j.langfuse.internal.support.ThrottledLog;
import io.github.observe4j.langfuse.model.LangfuseMasker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Applies the user's {@link LangfuseMasker} to each exported text, so that a failing masker
 * costs one field (replaced by a placeholder, counted, logged once a minute), never the export.
 */
final class Masking {

	private static final Log logger = LogFactory.getLog(Masking.class);

	private final @Nullable LangfuseMasker masker;

	private final AtomicLong failures;

	private final ThrottledLog warnings;

	Masking(@Nullable LangfuseMasker masker, AtomicLong failures, ThrottledLog warnings) {
		this.masker = masker;
		this.failures = failures;
		this.warnings = warnings;
	}

	@Nullable String apply(String field, @Nullable String text) {
		LangfuseMasker current = this.masker;
		if (current == null || text == null) {
			return text;
		}
		try {
			String masked = current.mask(text);
			return (masked != null) ? masked : "";
		}
		catch (Throwable ex) {
			Failures.rethrowIfFatal(ex);
			long count = this.failures.incrementAndGet();
			if (this.warnings.tryAcquire("masking")) {
				logger.warn("The LangfuseMasker failed on the " + field + " of an observation (" + Failures.describe(ex)
						+ "); the field is sent as \"" + LangfuseMasker.FAILED_PLACEHOLDER + "\" (" + count
						+ " masking failures so far, logged at most once a minute)");
			}
			return LangfuseMasker.FAILED_PLACEHOLDER;
		}
	}

}
