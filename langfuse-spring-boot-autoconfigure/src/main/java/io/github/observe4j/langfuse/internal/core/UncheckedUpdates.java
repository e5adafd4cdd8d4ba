package io.github.observe4j.langfuse.internal.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

import io.github.observe4j.langfuse.internal.support.Failures;
import io.github.observe4j.langfuse.internal.support.ThrottledLog;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What observation and trace updates share for values the types promise but callers do not
 * always keep: maps built unchecked (parsed from JSON, say) read as raw maps, and a value that
 * breaks as it is read, skipped with one warning a minute per kind.
 */
final class UncheckedUpdates {

	private static final ThrottledLog warnings = new ThrottledLog(LogFactory.getLog(UncheckedUpdates.class),
			Duration.ofMinutes(1));

	private UncheckedUpdates() {
	}

	/**
	 * Hand each entry with a text key to the action; entries with other keys are skipped. Read
	 * through the map's own {@code forEach}, which a synchronized map runs under its lock.
	 * @param map the map, read as a raw one
	 * @param action takes the key and the value
	 */
	static void forEachTextKey(Map<?, ?> map, BiConsumer<String, @Nullable Object> action) {
		map.forEach((key, value) -> {
			if (key instanceof String text) {
				action.accept(text, value);
			}
		});
	}

	/**
	 * Copy the entries with a text key, read through the map's own {@code forEach}: done before
	 * any lock of the starter's is taken, so that a caller who holds a synchronized map's lock as
	 * it passes the map takes the two locks in the same order as the update does.
	 * @param map the map, read as a raw one
	 * @return the copy, in the map's order
	 * @throws RuntimeException if the map breaks as it is read
	 */
	static Map<String, @Nullable Object> textKeyed(Map<?, ?> map) {
		Map<String, @Nullable Object> copy = new LinkedHashMap<>();
		forEachTextKey(map, copy::put);
		return copy;
	}

	/**
	 * Say, at most once a minute per kind of subject and of failure, that part of an update was
	 * skipped: the caller's call goes on, with what was applied before.
	 * @param subject what was updated, such as {@code "an update of observation 'x'"}
	 * @param kind the kind of subject, for throttling with the failure's class
	 * @param failure why
	 */
	static void ignored(String subject, String kind, RuntimeException failure) {
		warnings.warn(kind + ":" + failure.getClass().getName(),
				() -> "Ignoring part of " + subject + " that could not be read: " + Failures.describe(failure));
	}

}
