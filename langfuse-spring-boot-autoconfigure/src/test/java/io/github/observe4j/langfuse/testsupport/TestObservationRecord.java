package io.github.observe4j.langfuse.testsupport;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.model.ObservationLevel;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.internal.model.TraceAttributes;
import org.jspecify.annotations.Nullable;

/**
 * A mutable {@link ObservationRecord} for tests, configured with fluent setters. Defaults: a
 * fresh span id, a fixed trace id, a root {@code SPAN} named {@code "test"} lasting one
 * millisecond, nothing else set.
 */
public final class TestObservationRecord implements ObservationRecord {

	private boolean appRoot;

	/** Trace id high bits used by default. */
	public static final long DEFAULT_TRACE_ID_HIGH = 0x0123456789abcdefL;

	/** Trace id low bits used by default. */
	public static final long DEFAULT_TRACE_ID_LOW = 0xfedcba9876543210L;

	private static final AtomicLong nextSpanId = new AtomicLong(1);

	private long traceIdHigh = DEFAULT_TRACE_ID_HIGH;

	private long traceIdLow = DEFAULT_TRACE_ID_LOW;

	private long spanId = nextSpanId.getAndIncrement();

	private long parentSpanId;

	private long startEpochNanos = 1_700_000_000_000_000_000L;

	private long endEpochNanos = 1_700_000_000_001_000_000L;

	private String name = "test";

	private ObservationType type = ObservationType.SPAN;

	private @Nullable Object input;

	private @Nullable Object output;

	private Map<String, Object> metadata = new LinkedHashMap<>();

	private @Nullable ObservationLevel level;

	private @Nullable String statusMessage;

	private boolean failed;

	private @Nullable String version;

	private @Nullable String model;

	private Map<String, Object> modelParameters = new LinkedHashMap<>();

	private Map<String, Long> usageDetails = new LinkedHashMap<>();

	private Map<String, Double> costDetails = new LinkedHashMap<>();

	private @Nullable Instant completionStartTime;

	private @Nullable String promptName;

	private @Nullable Integer promptVersion;

	private TraceAttributes traceAttributes = TraceAttributes.EMPTY;

	/**
	 * Create a root span with defaults.
	 * @return a new record
	 */
	public static TestObservationRecord span() {
		return new TestObservationRecord();
	}

	/**
	 * Create a record with the given name.
	 * @param name the name
	 * @return a new record
	 */
	public static TestObservationRecord named(String name) {
		return new TestObservationRecord().name(name);
	}

	public TestObservationRecord traceId(long high, long low) {
		this.traceIdHigh = high;
		this.traceIdLow = low;
		return this;
	}

	public TestObservationRecord spanId(long spanId) {
		this.spanId = spanId;
		return this;
	}

	/**
	 * Mark this record as the application's root under a remote parent.
	 * @param appRoot whether it is
	 * @return this record
	 */
	public TestObservationRecord appRoot(boolean appRoot) {
		this.appRoot = appRoot;
		return this;
	}

	@Override
	public boolean isAppRoot() {
		return this.appRoot;
	}

	public TestObservationRecord parentSpanId(long parentSpanId) {
		this.parentSpanId = parentSpanId;
		return this;
	}

	/**
	 * Make this record a child of another, in the same trace.
	 * @param parent the parent
	 * @return this record
	 */
	public TestObservationRecord childOf(ObservationRecord parent) {
		this.traceIdHigh = parent.traceIdHigh();
		this.traceIdLow = parent.traceIdLow();
		this.parentSpanId = parent.spanId();
		return this;
	}

	public TestObservationRecord times(long startEpochNanos, long endEpochNanos) {
		this.startEpochNanos = startEpochNanos;
		this.endEpochNanos = endEpochNanos;
		return this;
	}

	public TestObservationRecord name(String name) {
		this.name = name;
		return this;
	}

	public TestObservationRecord type(ObservationType type) {
		this.type = type;
		return this;
	}

	public TestObservationRecord input(@Nullable Object input) {
		this.input = input;
		return this;
	}

	public TestObservationRecord output(@Nullable Object output) {
		this.output = output;
		return this;
	}

	public TestObservationRecord metadata(String key, Object value) {
		this.metadata.put(key, value);
		return this;
	}

	public TestObservationRecord metadata(Map<String, Object> metadata) {
		this.metadata = metadata;
		return this;
	}

	public TestObservationRecord level(@Nullable ObservationLevel level) {
		this.level = level;
		return this;
	}

	public TestObservationRecord statusMessage(@Nullable String statusMessage) {
		this.statusMessage = statusMessage;
		return this;
	}

	public TestObservationRecord failed(boolean failed) {
		this.failed = failed;
		return this;
	}

	public TestObservationRecord version(@Nullable String version) {
		this.version = version;
		return this;
	}

	public TestObservationRecord model(@Nullable String model) {
		this.model = model;
		return this;
	}

	public TestObservationRecord modelParameter(String key, Object value) {
		this.modelParameters.put(key, value);
		return this;
	}

	public TestObservationRecord usage(String key, long value) {
		this.usageDetails.put(key, value);
		return this;
	}

	public TestObservationRecord cost(String key, double value) {
		this.costDetails.put(key, value);
		return this;
	}

	public TestObservationRecord completionStartTime(@Nullable Instant completionStartTime) {
		this.completionStartTime = completionStartTime;
		return this;
	}

	public TestObservationRecord prompt(@Nullable String name, @Nullable Integer version) {
		this.promptName = name;
		this.promptVersion = version;
		return this;
	}

	public TestObservationRecord traceAttributes(TraceAttributes traceAttributes) {
		this.traceAttributes = traceAttributes;
		return this;
	}

	@Override
	public long traceIdHigh() {
		return this.traceIdHigh;
	}

	@Override
	public long traceIdLow() {
		return this.traceIdLow;
	}

	@Override
	public long spanId() {
		return this.spanId;
	}

	@Override
	public long parentSpanId() {
		return this.parentSpanId;
	}

	@Override
	public long startEpochNanos() {
		return this.startEpochNanos;
	}

	@Override
	public long endEpochNanos() {
		return this.endEpochNanos;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public ObservationType type() {
		return this.type;
	}

	@Override
	public @Nullable Object input() {
		return this.input;
	}

	@Override
	public @Nullable Object output() {
		return this.output;
	}

	@Override
	public Map<String, Object> metadata() {
		return this.metadata;
	}

	@Override
	public @Nullable ObservationLevel level() {
		return this.level;
	}

	@Override
	public @Nullable String statusMessage() {
		return this.statusMessage;
	}

	@Override
	public boolean failed() {
		return this.failed;
	}

	@Override
	public @Nullable String version() {
		return this.version;
	}

	@Override
	public @Nullable String model() {
		return this.model;
	}

	@Override
	public Map<String, Object> modelParameters() {
		return this.modelParameters;
	}

	@Override
	public Map<String, Long> usageDetails() {
		return this.usageDetails;
	}

	@Override
	public Map<String, Double> costDetails() {
		return this.costDetails;
	}

	@Override
	public @Nullable Instant completionStartTime() {
		return this.completionStartTime;
	}

	@Override
	public @Nullable String promptName() {
		return this.promptName;
	}

	@Override
	public @Nullable Integer promptVersion() {
		return this.promptVersion;
	}

	@Override
	public TraceAttributes traceAttributes() {
		return this.traceAttributes;
	}

	@Override
	public String toString() {
		return "TestObservationRecord[" + this.name + " " + Long.toHexString(this.spanId) + "]";
	}

}
