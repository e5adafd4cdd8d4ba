package io.github.observe4j.langfuse.internal.model;

import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

import io.github.observe4j.langfuse.internal.support.Failures;
import io.github.observe4j.langfuse.model.Score;
import org.jspecify.annotations.Nullable;

/**
 * A cheap, conservative estimate of the heap an item keeps alive while it waits for export,
 * which {@link ByteBudget} counts. Text is counted at two bytes per character, the most a Java
 * string takes (Latin-1 text takes one), plus the string's own header; every item adds a fixed
 * overhead for itself, its queue slot and its place in a batch. Reading lengths only, it costs
 * a few nanoseconds for a typical observation and never serializes anything.
 * <p>
 * Captured values are text ({@link String}, {@link JsonText}), {@link CapturedArguments}, or
 * immutable values kept as they are: small ones (numbers, dates, enums) count as a small fixed
 * size, records the sum of their components, read from their fields (never through accessors,
 * which are user code). Maps and collections, which only hand-made records contain, count their
 * entries. Nesting deeper than {@value #MAX_DEPTH} levels counts as a small value, as snapshots
 * of deeper structures are JSON text anyway.
 *
 * @since 0.1.0
 */
public final class RetainedSize {

	/** One observation with its fixed fields, plus its queue slot and its batch list entry. */
	public static final long OBSERVATION_OVERHEAD = 512;

	/** One score with its fixed fields, plus its queue slot and its batch list entry. */
	public static final long SCORE_OVERHEAD = 256;

	/** A string (or JSON text) object and its character array's header, rounded up. */
	static final long TEXT_OVERHEAD = 64;

	/** A map entry with its table slot, rounded up. */
	static final long ENTRY_OVERHEAD = 64;

	/** A boxed number, a date, an enum, an array slot: any value of a small fixed size. */
	static final long SMALL_VALUE = 32;

	private static final int MAX_DEPTH = 4;

	private static final ClassValue<Field[]> RECORD_FIELDS = new ClassValue<>() {
		@Override
		protected Field[] computeValue(Class<?> type) {
			return recordFields(type);
		}
	};

	private RetainedSize() {
	}

	/**
	 * Estimate what an observation keeps alive, trace attributes aside: they are shared by the
	 * observations of a trace.
	 * @param record the observation
	 * @return the estimate in bytes
	 */
	public static long of(ObservationRecord record) {
		return withoutInput(record) + value(record.input(), 0);
	}

	/**
	 * As {@link #of(ObservationRecord)}, without the input, for a caller that holds it in
	 * another form.
	 * @param record the observation
	 * @return the estimate in bytes, the input left out
	 */
	public static long withoutInput(ObservationRecord record) {
		long size = OBSERVATION_OVERHEAD + text(record.name()) + text(record.statusMessage()) + text(record.version())
				+ text(record.model()) + text(record.promptName());
		size += value(record.output(), 0);
		size += map(record.metadata(), 0) + map(record.modelParameters(), 0) + map(record.usageDetails(), 0)
				+ map(record.costDetails(), 0);
		return size;
	}

	/**
	 * Estimate what the values of captured arguments keep alive, as {@link CapturedArguments}
	 * with these values counts.
	 * @param values the captured values
	 * @return the estimate in bytes
	 */
	public static long ofArguments(Object[] values) {
		return arguments(values, 0);
	}

	/**
	 * Estimate what a score keeps alive.
	 * @param record the score
	 * @return the estimate in bytes
	 */
	public static long of(ScoreRecord record) {
		Score score = record.score();
		return SCORE_OVERHEAD + text(record.traceId()) + text(record.observationId()) + text(record.environment())
				+ text(score.name()) + text(score.stringValue()) + text(score.comment()) + text(score.id())
				+ text(score.configId());
	}

	static long text(@Nullable CharSequence text) {
		return (text != null) ? TEXT_OVERHEAD + 2L * text.length() : 0;
	}

	static long value(@Nullable Object value, int depth) {
		if (value == null) {
			return 0;
		}
		if (value instanceof String string) {
			return text(string);
		}
		if (value instanceof JsonText json) {
			return SMALL_VALUE + text(json.json());
		}
		if (depth >= MAX_DEPTH) {
			return SMALL_VALUE;
		}
		if (value instanceof CapturedArguments arguments) {
			return arguments(arguments.values(), depth);
		}
		if (value instanceof Map<?, ?> map) {
			return map(map, depth);
		}
		if (value instanceof Collection<?> collection) {
			long size = SMALL_VALUE;
			for (Object element : collection) {
				size += SMALL_VALUE + value(element, depth + 1);
			}
			return size;
		}
		if (value instanceof BigInteger integer) {
			return SMALL_VALUE + integer.bitLength() / 8;
		}
		if (value instanceof BigDecimal decimal) {
			return SMALL_VALUE + decimal.unscaledValue().bitLength() / 8;
		}
		if (value instanceof Record) {
			return recordValue(value, depth);
		}
		return SMALL_VALUE;
	}

	private static long arguments(Object[] values, int depth) {
		// the names belong to the method and are shared; the value array is the invocation's
		long size = SMALL_VALUE + SMALL_VALUE * values.length;
		for (Object argument : values) {
			size += value(argument, depth + 1);
		}
		return size;
	}

	private static long map(Map<?, ?> map, int depth) {
		if (map.isEmpty()) {
			return 0;
		}
		long size = SMALL_VALUE;
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			size += ENTRY_OVERHEAD + value(entry.getKey(), depth + 1) + value(entry.getValue(), depth + 1);
		}
		return size;
	}

	private static long recordValue(Object record, int depth) {
		long size = SMALL_VALUE;
		for (Field field : RECORD_FIELDS.get(record.getClass())) {
			size += SMALL_VALUE;
			try {
				size += value(field.get(record), depth + 1);
			}
			catch (Throwable ex) {
				// not readable after all: only what is readable is counted
				Failures.rethrowIfFatal(ex);
			}
		}
		return size;
	}

	/** The fields behind a record's components, those that could be made readable. */
	private static Field[] recordFields(Class<?> type) {
		RecordComponent[] components = type.getRecordComponents();
		if (components == null) {
			return new Field[0];
		}
		Field[] fields = new Field[components.length];
		int readable = 0;
		for (RecordComponent component : components) {
			try {
				Field field = type.getDeclaredField(component.getName());
				if (field.getType().isPrimitive()) {
					continue;
				}
				if (field.trySetAccessible()) {
					fields[readable++] = field;
				}
			}
			catch (NoSuchFieldException | SecurityException ex) {
				// counted as the small value every component adds
			}
		}
		return Arrays.copyOf(fields, readable);
	}

}
