package io.github.observe4j.langfuse.internal.core;

import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.context.ObservationUpdate;
import io.github.observe4j.langfuse.internal.model.CapturedArguments;
import io.github.observe4j.langfuse.model.ObservationLevel;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.internal.model.TraceAttributes;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A live observation: updated through {@link ObservationUpdate} while it runs, then frozen when
 * it ends and read by the exporter as an {@link ObservationRecord}. Updates and the end are
 * serialized on the span's monitor, so an update racing the end either lands or is ignored whole.
 *
 * @since 0.1.0
 */
public final class LangfuseSpan implements ObservationContext, ObservationUpdate, ObservationRecord {

	private static final Log logger = LogFactory.getLog(LangfuseSpan.class);

	private final TraceState trace;

	private final long spanId;

	private final long parentSpanId;

	private final long startEpochNanos;

	private final ObservationType type;

	private long endEpochNanos;

	private volatile boolean ended;

	private String name;

	private @Nullable Object input;

	private boolean inputSet;

	private @Nullable Object output;

	private boolean outputSet;

	private @Nullable Map<String, Object> metadata;

	private @Nullable ObservationLevel level;

	private @Nullable String statusMessage;

	private boolean failed;

	private @Nullable String version;

	private @Nullable String model;

	private @Nullable Map<String, Object> modelParameters;

	private @Nullable Map<String, Long> usageDetails;

	private @Nullable Map<String, Double> costDetails;

	private @Nullable Instant completionStartTime;

	private @Nullable String promptName;

	private @Nullable Integer promptVersion;

	private TraceAttributes traceAttributes = TraceAttributes.EMPTY;

	/**
	 * For a span opened by a handle: the context it was opened over ({@link #OPENED_OVER_NOTHING}
	 * for none), to fall back to once ended; {@code null} for any other span. One field, not two:
	 * it is allocated with every observation.
	 */
	private volatile @Nullable ObservationContext openedOver;

	/** Marks a span opened by a handle while nothing was current. */
	private static final ObservationContext OPENED_OVER_NOTHING = new RemoteParent(0, 0, 0, null);

	LangfuseSpan(TraceState trace, long spanId, long parentSpanId, String name, ObservationType type,
			long startEpochNanos) {
		this.trace = trace;
		this.spanId = spanId;
		this.parentSpanId = parentSpanId;
		this.name = name;
		this.type = type;
		this.startEpochNanos = startEpochNanos;
	}

	TraceState trace() {
		return this.trace;
	}

	void openedOver(@Nullable ObservationContext previous) {
		this.openedOver = (previous != null) ? previous : OPENED_OVER_NOTHING;
	}

	/**
	 * Return the context to use in place of this one: itself while it is open; once a span opened
	 * by a handle has ended (closed out of order, or on another thread), what it was opened over.
	 */
	static @Nullable ObservationContext live(@Nullable ObservationContext context) {
		ObservationContext live = context;
		for (int depth = 0; depth < 64 && live instanceof LangfuseSpan span && span.ended && span.openedOver != null;
				depth++) {
			live = span.openedOver;
		}
		return (live == OPENED_OVER_NOTHING) ? null : live;
	}

	/**
	 * Return whether this observation has ended.
	 * @return whether it has ended
	 */
	public boolean isEnded() {
		return this.ended;
	}

	/**
	 * Return the trace id as 32 lowercase hex characters.
	 * @return the trace id
	 */
	public String traceIdHex() {
		return this.trace.traceIdHex();
	}

	/**
	 * Return the observation id as 16 lowercase hex characters.
	 * @return the observation id
	 */
	public String spanIdHex() {
		return HexFormat.of().toHexDigits(this.spanId);
	}

	/**
	 * Record the captured arguments unless an input was set explicitly.
	 * @param arguments the captured arguments
	 */
	public synchronized void captureInput(CapturedArguments arguments) {
		if (!this.ended && !this.inputSet) {
			this.input = arguments;
		}
	}

	/**
	 * Record the return value unless an output was set explicitly.
	 * @param returnValue the return value
	 */
	public synchronized void captureOutput(@Nullable Object returnValue) {
		if (!this.ended && !this.outputSet) {
			this.output = this.trace.snapshots().snapshot(returnValue);
		}
	}

	/**
	 * Mark the observation failed with the given exception's type and message.
	 * @param error the exception thrown by the observed call
	 */
	public synchronized void recordError(Throwable error) {
		if (this.ended) {
			return;
		}
		this.failed = true;
		if (this.statusMessage == null) {
			String message = error.getMessage();
			this.statusMessage = (message != null) ? error.getClass().getName() + ": " + message
					: error.getClass().getName();
		}
	}

	/**
	 * Freeze the observation at the current time.
	 * @return {@code false} if it had already ended
	 */
	synchronized boolean markEnded() {
		if (this.ended) {
			return false;
		}
		this.endEpochNanos = Math.max(this.startEpochNanos, this.trace.nowEpochNanos());
		this.ended = true;
		return true;
	}

	void releaseWith(TraceAttributes attributes) {
		this.traceAttributes = attributes;
	}

	private boolean isWritable() {
		if (this.ended) {
			logger.debug("Ignoring an update of observation '" + this.name + "' after it ended");
			return false;
		}
		return true;
	}

	@Override
	public synchronized LangfuseSpan name(@Nullable String name) {
		if (name != null && isWritable()) {
			this.name = name;
		}
		return this;
	}

	@Override
	public synchronized LangfuseSpan input(@Nullable Object input) {
		if (input != null && isWritable()) {
			this.input = this.trace.snapshots().snapshot(input);
			this.inputSet = true;
		}
		return this;
	}

	@Override
	public synchronized LangfuseSpan output(@Nullable Object output) {
		if (output != null && isWritable()) {
			this.output = this.trace.snapshots().snapshot(output);
			this.outputSet = true;
		}
		return this;
	}

	@Override
	public synchronized LangfuseSpan metadata(@Nullable Map<String, ?> metadata) {
		if (metadata != null && isWritable()) {
			metadata.forEach(this::putMetadata);
		}
		return this;
	}

	@Override
	public synchronized LangfuseSpan metadata(String key, @Nullable Object value) {
		if (isWritable()) {
			putMetadata(key, value);
		}
		return this;
	}

	private void putMetadata(@Nullable String key, @Nullable Object value) {
		if (key == null || value == null) {
			return;
		}
		if (this.metadata == null) {
			this.metadata = new LinkedHashMap<>();
		}
		this.metadata.put(key, this.trace.snapshots().snapshot(value));
	}

	@Override
	public synchronized LangfuseSpan level(@Nullable ObservationLevel level) {
		if (level != null && isWritable()) {
			this.level = level;
		}
		return this;
	}

	@Override
	public synchronized LangfuseSpan statusMessage(@Nullable String statusMessage) {
		if (statusMessage != null && isWritable()) {
			this.statusMessage = statusMessage;
		}
		return this;
	}

	@Override
	public synchronized LangfuseSpan version(@Nullable String version) {
		if (version != null && isWritable()) {
			this.version = version;
		}
		return this;
	}

	@Override
	public synchronized LangfuseSpan model(@Nullable String model) {
		if (model != null && isWritable()) {
			this.model = model;
		}
		return this;
	}

	@Override
	public synchronized LangfuseSpan modelParameters(@Nullable Map<String, ?> parameters) {
		if (parameters != null && isWritable()) {
			if (this.modelParameters == null) {
				this.modelParameters = new LinkedHashMap<>();
			}
			parameters.forEach((key, value) -> {
				if (key != null && value != null) {
					this.modelParameters.put(key, this.trace.snapshots().snapshot(value));
				}
			});
		}
		return this;
	}

	@Override
	public LangfuseSpan usage(long inputTokens, long outputTokens) {
		return usageDetails(Map.of("input", inputTokens, "output", outputTokens, "total", inputTokens + outputTokens));
	}

	@Override
	public synchronized LangfuseSpan usageDetails(@Nullable Map<String, ? extends Number> usageDetails) {
		if (usageDetails != null && isWritable()) {
			if (this.usageDetails == null) {
				this.usageDetails = new LinkedHashMap<>();
			}
			usageDetails.forEach((key, value) -> {
				// Langfuse keeps only non-negative integers
				if (key != null && value != null && value.doubleValue() >= 0) {
					this.usageDetails.put(key, Math.round(value.doubleValue()));
				}
			});
		}
		return this;
	}

	@Override
	public synchronized LangfuseSpan costDetails(@Nullable Map<String, ? extends Number> costDetails) {
		if (costDetails != null && isWritable()) {
			if (this.costDetails == null) {
				this.costDetails = new LinkedHashMap<>();
			}
			costDetails.forEach((key, value) -> {
				if (key != null && value != null && value.doubleValue() >= 0) {
					this.costDetails.put(key, value.doubleValue());
				}
			});
		}
		return this;
	}

	@Override
	public synchronized LangfuseSpan completionStartTime(@Nullable Instant completionStartTime) {
		if (completionStartTime != null && isWritable()) {
			this.completionStartTime = completionStartTime;
		}
		return this;
	}

	@Override
	public synchronized LangfuseSpan prompt(String name, int version) {
		if (name != null && isWritable()) {
			this.promptName = name;
			this.promptVersion = version;
		}
		return this;
	}

	@Override
	public long traceIdHigh() {
		return this.trace.traceIdHigh();
	}

	@Override
	public long traceIdLow() {
		return this.trace.traceIdLow();
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
		return (this.metadata != null) ? this.metadata : Map.of();
	}

	@Override
	public @Nullable ObservationLevel level() {
		return (this.level == null && this.failed) ? ObservationLevel.ERROR : this.level;
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
		return (this.version != null) ? this.version : this.traceAttributes.version();
	}

	@Override
	public @Nullable String model() {
		return this.model;
	}

	@Override
	public Map<String, Object> modelParameters() {
		return (this.modelParameters != null) ? this.modelParameters : Map.of();
	}

	@Override
	public Map<String, Long> usageDetails() {
		return (this.usageDetails != null) ? this.usageDetails : Map.of();
	}

	@Override
	public Map<String, Double> costDetails() {
		return (this.costDetails != null) ? this.costDetails : Map.of();
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
	public boolean isAppRoot() {
		return this.parentSpanId != 0 && this.trace.isRoot(this);
	}

	@Override
	public TraceAttributes traceAttributes() {
		return this.traceAttributes;
	}

	@Override
	public String toString() {
		return "LangfuseSpan[" + this.type.wireValue() + " '" + this.name + "' " + traceIdHex() + "/" + spanIdHex()
				+ "]";
	}

}
