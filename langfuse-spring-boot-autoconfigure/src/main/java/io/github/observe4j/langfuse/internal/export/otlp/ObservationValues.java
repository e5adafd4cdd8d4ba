package io.github.observe4j.langfuse.internal.export.otlp;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.model.ObservationLevel;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.internal.model.TraceAttributes;
import io.github.observe4j.langfuse.internal.support.ThrottledLog;
import io.github.observe4j.langfuse.internal.support.Failures;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The values of one observation, read from its record and rendered to what goes on the wire,
 * with input, output and metadata cut to the size limit. Reading never fails: a getter that
 * throws leaves a placeholder (or nothing) for its field. Reused from one record to the next, so
 * an instance belongs to one thread.
 * <p>
 * Why about 370 lines: the reading of one record into reusable fields (no allocation per
 * observation) is one pass whose guards belong next to the values they guard.
 */
final class ObservationValues {

	private static final Log logger = LogFactory.getLog(ObservationValues.class);

	private static final int MAX_DESCRIPTION_LENGTH = 200;

	private final ValueRenderer renderer;

	private final Masking masking;

	private final int maxBytes;

	private final ThrottledLog readFailures = new ThrottledLog(logger, Duration.ofMinutes(1));

	long traceIdHigh;

	long traceIdLow;

	long spanId;

	long parentSpanId;

	long startEpochNanos;

	long endEpochNanos;

	String name = "";

	String type = ObservationType.SPAN.wireValue();

	@Nullable String input;

	@Nullable String output;

	int metadataCount;

	String[] metadataKeys = new String[8];

	/** String (raw or JSON text), Boolean, Long or Double. */
	Object[] metadataValues = new Object[8];

	@Nullable ObservationLevel level;

	@Nullable String statusMessage;

	boolean failed;

	@Nullable String version;

	@Nullable String model;

	@Nullable String modelParameters;

	@Nullable String usageDetails;

	@Nullable String costDetails;

	@Nullable String completionStartTime;

	@Nullable String promptName;

	@Nullable Integer promptVersion;

	boolean appRoot;

	TraceAttributes traceAttributes = TraceAttributes.EMPTY;

	boolean truncated;

	private int inputLength;

	private int outputLength;

	private int[] metadataLengths = new int[8];

	private int[] sizes = new int[10];

	/**
	 * Create an instance.
	 * @param renderer renders captured values
	 * @param maxBytes the size limit for input, output and metadata together
	 * @param masking applies the application's masker to each text read
	 */
	ObservationValues(ValueRenderer renderer, int maxBytes, Masking masking) {
		this.renderer = renderer;
		this.maxBytes = maxBytes;
		this.masking = masking;
	}

	/**
	 * Read a record.
	 * @param record the record
	 * @return {@code false} if the record cannot be exported at all because its ids or times
	 * cannot be read
	 */
	boolean read(ObservationRecord record) {
		clear();
		try {
			this.traceIdHigh = record.traceIdHigh();
			this.traceIdLow = record.traceIdLow();
			this.spanId = record.spanId();
			this.parentSpanId = record.parentSpanId();
			this.startEpochNanos = record.startEpochNanos();
			this.endEpochNanos = record.endEpochNanos();
		}
		catch (Throwable ex) {
			Failures.rethrowIfFatal(ex);
			readFailed("ids", ex);
			return false;
		}
		String name = read(record, ObservationRecord::name, "name");
		this.name = (name != null) ? cap(name) : "<unavailable>";
		ObservationType type = read(record, ObservationRecord::type, "type");
		this.type = (type != null) ? type.wireValue() : ObservationType.SPAN.wireValue();
		this.input = this.masking.apply("input", readText(record, ObservationRecord::input, "input"));
		if (this.input != null) {
			this.inputLength = this.input.length();
			this.input = cap(this.input);
		}
		this.output = this.masking.apply("output", readText(record, ObservationRecord::output, "output"));
		if (this.output != null) {
			this.outputLength = this.output.length();
			this.output = cap(this.output);
		}
		readMetadata(record);
		this.level = read(record, ObservationRecord::level, "level");
		this.statusMessage = capNullable(
				this.masking.apply("status message", read(record, ObservationRecord::statusMessage, "statusMessage")));
		this.failed = Boolean.TRUE.equals(read(record, ObservationRecord::failed, "failed"));
		this.version = read(record, ObservationRecord::version, "version");
		this.model = read(record, ObservationRecord::model, "model");
		this.modelParameters = readModelParameters(record);
		this.usageDetails = readUsage(record);
		this.costDetails = readCost(record);
		Instant completionStart = read(record, ObservationRecord::completionStartTime, "completionStartTime");
		this.completionStartTime = (completionStart != null) ? completionStart.toString() : null;
		this.promptName = read(record, ObservationRecord::promptName, "promptName");
		this.promptVersion = read(record, ObservationRecord::promptVersion, "promptVersion");
		this.appRoot = Boolean.TRUE.equals(read(record, ObservationRecord::isAppRoot, "isAppRoot"));
		TraceAttributes traceAttributes = read(record, ObservationRecord::traceAttributes, "traceAttributes");
		this.traceAttributes = (traceAttributes != null) ? traceAttributes : TraceAttributes.EMPTY;
		fitToLimit();
		return true;
	}

	/**
	 * Forget the last record's values, so that large ones are not kept alive between batches.
	 */
	void clear() {
		this.name = "";
		this.input = null;
		this.output = null;
		Arrays.fill(this.metadataKeys, 0, this.metadataCount, null);
		Arrays.fill(this.metadataValues, 0, this.metadataCount, null);
		this.metadataCount = 0;
		this.inputLength = 0;
		this.outputLength = 0;
		this.statusMessage = null;
		this.modelParameters = null;
		this.traceAttributes = TraceAttributes.EMPTY;
		this.truncated = false;
		this.appRoot = false;
	}

	private @Nullable String readText(ObservationRecord record, Function<ObservationRecord, @Nullable Object> getter,
			String field) {
		try {
			Object value = getter.apply(record);
			return (value != null) ? this.renderer.text(value) : null;
		}
		catch (Throwable ex) {
			Failures.rethrowIfFatal(ex);
			readFailed(field, ex);
			return placeholder(ex);
		}
	}

	private void readMetadata(ObservationRecord record) {
		Map<String, Object> metadata = read(record, ObservationRecord::metadata, "metadata");
		if (metadata == null || metadata.isEmpty()) {
			return;
		}
		try {
			for (Map.Entry<String, Object> entry : metadata.entrySet()) {
				addMetadata(entry.getKey(), entry.getValue());
			}
		}
		catch (Throwable ex) {
			// A map changed while it is read: keep the entries read so far
			Failures.rethrowIfFatal(ex);
			readFailed("metadata", ex);
		}
	}

	private void addMetadata(@Nullable String key, @Nullable Object value) {
		if (key == null || value == null) {
			return;
		}
		Object typed;
		int length = 0;
		if (value instanceof Boolean || value instanceof Long) {
			typed = value;
		}
		else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
			typed = ((Number) value).longValue();
		}
		else if ((value instanceof Double || value instanceof Float)
				&& Double.isFinite(((Number) value).doubleValue())) {
			typed = ((Number) value).doubleValue();
		}
		else {
			String text = this.masking.apply("metadata",
					(value instanceof String string) ? string : this.renderer.json(value));
			length = text.length();
			typed = cap(text);
		}
		if (this.metadataCount == this.metadataKeys.length) {
			int grown = this.metadataCount * 2;
			this.metadataKeys = Arrays.copyOf(this.metadataKeys, grown);
			this.metadataValues = Arrays.copyOf(this.metadataValues, grown);
			this.metadataLengths = Arrays.copyOf(this.metadataLengths, grown);
		}
		this.metadataKeys[this.metadataCount] = key;
		this.metadataValues[this.metadataCount] = typed;
		this.metadataLengths[this.metadataCount] = length;
		this.metadataCount++;
	}

	private @Nullable String readModelParameters(ObservationRecord record) {
		Map<String, Object> parameters = read(record, ObservationRecord::modelParameters, "modelParameters");
		return (parameters == null || parameters.isEmpty()) ? null
				: render("modelParameters", () -> this.renderer.jsonObject(parameters));
	}

	private @Nullable String readUsage(ObservationRecord record) {
		Map<String, Long> usage = read(record, ObservationRecord::usageDetails, "usageDetails");
		return (usage == null || usage.isEmpty()) ? null : render("usageDetails", () -> this.renderer.usageObject(usage));
	}

	private @Nullable String readCost(ObservationRecord record) {
		Map<String, Double> cost = read(record, ObservationRecord::costDetails, "costDetails");
		return (cost == null || cost.isEmpty()) ? null : render("costDetails", () -> this.renderer.costObject(cost));
	}

	/**
	 * Render a map the user gave as a JSON object, leaving it out if it cannot be read (a map
	 * changed while it is read, a value whose getter throws) or is empty.
	 */
	private @Nullable String render(String field, Supplier<String> json) {
		try {
			String rendered = json.get();
			return (rendered.length() > 2) ? cap(rendered) : null;
		}
		catch (Throwable ex) {
			Failures.rethrowIfFatal(ex);
			readFailed(field, ex);
			return null;
		}
	}

	/**
	 * Cut input, output and metadata values, largest first, until together they fit the limit.
	 */
	private void fitToLimit() {
		// no char takes more than 3 UTF-8 bytes: most observations are far below the limit and
		// need no exact count
		long maxUtf8Bytes = 0;
		maxUtf8Bytes += (this.input != null) ? this.input.length() : 0;
		maxUtf8Bytes += (this.output != null) ? this.output.length() : 0;
		for (int i = 0; i < this.metadataCount; i++) {
			if (this.metadataValues[i] instanceof String text) {
				maxUtf8Bytes += text.length();
			}
		}
		if (3 * maxUtf8Bytes <= this.maxBytes) {
			return;
		}
		int count = 0;
		long total = 0;
		if (this.sizes.length < this.metadataCount + 2) {
			this.sizes = new int[this.metadataCount + 2];
		}
		int inputBytes = (this.input != null) ? ProtobufWriter.utf8Length(this.input) : 0;
		int outputBytes = (this.output != null) ? ProtobufWriter.utf8Length(this.output) : 0;
		this.sizes[count++] = inputBytes;
		this.sizes[count++] = outputBytes;
		total += inputBytes + outputBytes;
		for (int i = 0; i < this.metadataCount; i++) {
			if (this.metadataValues[i] instanceof String text) {
				int bytes = ProtobufWriter.utf8Length(text);
				this.sizes[count++] = bytes;
				total += bytes;
			}
		}
		if (total <= this.maxBytes) {
			return;
		}
		this.truncated = true;
		int cap = Truncation.sizeCap(this.sizes, count, this.maxBytes);
		if (this.input != null && inputBytes > cap) {
			this.input = Truncation.cutToBytes(this.input, cap, this.inputLength);
		}
		if (this.output != null && outputBytes > cap) {
			this.output = Truncation.cutToBytes(this.output, cap, this.outputLength);
		}
		for (int i = 0; i < this.metadataCount; i++) {
			if (this.metadataValues[i] instanceof String text && ProtobufWriter.utf8Length(text) > cap) {
				this.metadataValues[i] = Truncation.cutToBytes(text, cap, this.metadataLengths[i]);
			}
		}
	}

	private String cap(String value) {
		String capped = Truncation.cutToChars(value, this.maxBytes);
		if (capped != value) {
			this.truncated = true;
		}
		return capped;
	}

	private @Nullable String capNullable(@Nullable String value) {
		return (value != null) ? cap(value) : null;
	}

	private <T> @Nullable T read(ObservationRecord record, Function<ObservationRecord, T> getter, String field) {
		try {
			return getter.apply(record);
		}
		catch (Throwable ex) {
			Failures.rethrowIfFatal(ex);
			readFailed(field, ex);
			return null;
		}
	}

	private void readFailed(String field, Throwable failure) {
		if (this.readFailures.tryAcquire("read-failure")) {
			logger.warn("Could not read " + field + " of an observation for Langfuse (" + Failures.describe(failure)
					+ "); exporting it without that value (further failures within a minute are logged at debug"
					+ " level)");
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Could not read " + field + " of an observation for Langfuse", failure);
		}
	}

	private static String placeholder(Throwable failure) {
		return "<unavailable: " + failure.getClass().getSimpleName() + ">";
	}

}
