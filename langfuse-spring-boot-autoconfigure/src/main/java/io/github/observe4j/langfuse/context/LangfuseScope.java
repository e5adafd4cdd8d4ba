package io.github.observe4j.langfuse.context;

/**
 * A scope opened by {@link LangfuseClient#joinTrace(String, String)}; closing it restores what
 * the thread had before. Use it with try-with-resources. Closing never throws and closing twice
 * does nothing.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface LangfuseScope extends AutoCloseable {

	/** A scope that does nothing when closed. */
	LangfuseScope NOOP = () -> {
	};

	@Override
	void close();

}
