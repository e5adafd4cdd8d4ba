package io.github.observe4j.langfuse.internal.core;

import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.context.ObservationUpdate;
import io.github.observe4j.langfuse.internal.model.CapturedArguments;
import io.github.observe4j.langfuse.model.ObservationLevel;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.internal.model.RetainedSize;
import io.github.observe4j.langfuse.internal.model.TraceAttributes;
import io.github.observe4j.langfuse.internal.support.Failures;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A live observation: updated through {@link ObservationUpdate} while it runs, then frozen when
 * it ends and read by the exporter as an {@link ObservationRecord}. Updates and the end are
 * serialized on the span's monitor, so an update racing the end either lands or is ignored whole;
 * every setter goes through one private guard, which ignores {@code null} values and updates
 * after the end. What few observations record (metadata, level, status message, version, what a
 * handle was opened over) lives in {@code SpanDetails}, and what only generations record (model,
 * usage, cost, prompt) in the {@code GenerationFields} it holds, each created when first set: the
 * span of an ordinary {@code @Observe} call is 80 bytes.
 * <p>
 * Why this class is still over 300 lines: one object plays three roles on purpose, the context
 * carried on the thread, the {@link ObservationUpdate} handle users write through and the
 * {@link ObservationRecord} the exporter reads, so that each observation is a single object.
 * Those interfaces have some forty methods between them, each a few lines; splitting the roles
 * into separate objects would add allocations to every {@code @Observe} call, and splitting them
 * across a class hierarchy would only spread the same private fields over more files.
 *
 * @since 0.1.0
 */
public final class LangfuseSpan implements ObservationContext, ObservationUpdate, ObservationRecord {

	private static final Log logger = LogFactory.getLog(LangfuseSpan.class);

	private final TraceState trace;

	private final long spanId;

	private final long parentSpanId;

	private final long startEpochNanos;

	// an index into TYPES: a byte fits beside the flags, where a reference would need 8 more bytes
	private final byte type;

	private long endEpochNanos;

	private volatile boolean ended;

	private String name;

	/** The input; for captured arguments their values, the names in {@link #argumentNames}. */
	private @Nullable Object input;

	/**
	 * The parameter names when {@link #input} holds the values of captured arguments, else
	 * {@code null}: the pair is made a {@link CapturedArguments} when read, off the caller's
	 * thread, rather than allocated with every call.
	 */
	private String @Nullable [] argumentNames;

	private boolean inputSet;

	private @Nullable Object output;

	private boolean outputSet;

	/** Created by the first update of a rarely set field; most observations never need one. */
	private @Nullable SpanDetails details;

	private TraceAttributes traceAttributes = TraceAttributes.EMPTY;

	/**
	 * The estimate of {@link #retainedBytes()} once computed, 0 before (it is never 0). The one
	 * field the byte budget adds to every span: 8 bytes with alignment, measured 584 -> 592 B per
	 * {@code @Observe} call.
	 */
	private int retainedBytes;

	/** Marks a span opened by a handle while nothing was current. */
	private static final ObservationContext OPENED_OVER_NOTHING = new RemoteParent(0, 0, 0, null);

	private static final ObservationType[] TYPES = ObservationType.values();

	LangfuseSpan(TraceState trace, long spanId, long parentSpanId, String name, ObservationType type,
			long startEpochNanos) {
		this.trace = trace;
		this.spanId = spanId;
		this.parentSpanId = parentSpanId;
		this.name = name;
		this.type = (byte) type.ordinal();
		this.startEpochNanos = startEpochNanos;
	}

	TraceState trace() {
		return this.trace;
	}

	/**
	 * Record what a handle opens this span over ({@link #OPENED_OVER_NOTHING} for nothing), before
	 * the handle is returned, so before anything can end the span: {@link #live} reads it without
	 * a lock once it sees the span ended.
	 */
	synchronized void openedOver(@Nullable ObservationContext previous) {
		detailsForUpdate().openedOver = (previous != null) ? previous : OPENED_OVER_NOTHING;
	}

	/**
	 * Return the context to use in place of this one on the current thread: itself while it is
	 * open; once a span opened by a handle has ended (closed out of order, or on another thread),
	 * what it was opened over; on the thread that joined a trace, what the join was made over once
	 * its scope has closed.
	 * Public for {@link ObservationContextHolder}, which a container may load apart from it.
	 * @param context a context, or {@code null}
	 * @return the context to use, or {@code null} for none
	 */
	public static @Nullable ObservationContext live(@Nullable ObservationContext context) {
		return resolve(context, false);
	}

	/**
	 * Resolve a context handed off earlier for installing it now, where work that was handed
	 * off runs (a wrapped task, a context snapshot, a stream's signals, another run of a stream):
	 * like {@link #live}, an ended handle gives way to what it was opened over, but a joined
	 * trace is installed as its copy, which no scope closes, so that the work stays in it
	 * wherever and whenever it runs, also when the scope closes meanwhile. Public for
	 * {@link ObservationContextHolder}, which a container may load apart from it.
	 * @param context the context handed off, or {@code null}
	 * @return the context to install, or {@code null} for none
	 */
	public static @Nullable ObservationContext handedOff(@Nullable ObservationContext context) {
		return resolve(context, true);
	}

	/** {@link #live} and {@link #handedOff}: they differ only in what a closed join becomes. */
	private static @Nullable ObservationContext resolve(@Nullable ObservationContext context, boolean handedOff) {
		ObservationContext resolved = context;
		for (int depth = 0; depth < 64; depth++) {
			if (resolved instanceof LangfuseSpan span) {
				ObservationContext openedOver = span.openedOverOnceEnded();
				if (openedOver == null) {
					break;
				}
				resolved = openedOver;
			}
			else if (resolved instanceof RemoteParent remote) {
				if (handedOff && remote != OPENED_OVER_NOTHING) {
					// the trace the work belongs to, as its copy, which no scope closes: the work
					// stays in it also when the scope closes while it runs, on this thread or another
					return remote.handedOut();
				}
				if (!remote.isClosedOnThisThread()) {
					break;
				}
				// a trace this thread joined, whose scope was closed out of order or on another thread
				resolved = remote.joinedOver();
			}
			else {
				break;
			}
		}
		return (resolved == OPENED_OVER_NOTHING) ? null : resolved;
	}

	/**
	 * Return a context as it is handed to work that may run later or elsewhere: a joined trace as
	 * a copy its scope cannot close, so that the work stays in the trace, even when it runs on
	 * the joining thread after the scope closed; anything else as it is. Public for
	 * {@link ObservationContextHolder}, which a container may load apart from it.
	 * @param context the context, or {@code null}
	 * @return the context to hand out
	 */
	public static @Nullable ObservationContext handedOut(@Nullable ObservationContext context) {
		return (context instanceof RemoteParent remote) ? remote.handedOut() : context;
	}

	/**
	 * What a handle opened this span over, once it has ended; {@code null} while open or for a
	 * span no handle opened. The end flag is read first: its volatile write, after the details
	 * were set, makes them visible here.
	 */
	private @Nullable ObservationContext openedOverOnceEnded() {
		if (!this.ended) {
			return null;
		}
		SpanDetails details = this.details;
		return (details != null) ? details.openedOver : null;
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

	@Override
	public String observationIdHex() {
		return spanIdHex();
	}

	/**
	 * Record the captured arguments unless an input was set explicitly.
	 * @param arguments the captured arguments
	 */
	public synchronized void captureInput(CapturedArguments arguments) {
		if (!this.ended && !this.inputSet) {
			this.input = arguments.values();
			this.argumentNames = arguments.names();
		}
	}

	/**
	 * Record the captured arguments of an observation just started, which no other thread can
	 * see yet and nothing has written to: as {@link #captureInput}, without taking the monitor.
	 */
	void captureArgumentsUnshared(String[] names, Object[] values) {
		this.input = values;
		this.argumentNames = names;
	}

	/** Set the input, which replaces captured arguments; called under the monitor. */
	private void setInput(@Nullable Object input) {
		this.input = input;
		this.argumentNames = null;
	}

	/**
	 * Record the return value unless an output was set explicitly.
	 * @param returnValue the return value
	 */
	public synchronized void captureOutput(@Nullable Object returnValue) {
		if (!this.ended) {
			captureReturnValue(returnValue, null);
		}
	}

	/**
	 * Record the return value unless an output was set explicitly; a value of exactly the given
	 * class is kept as it is without a lookup. Called under the monitor.
	 */
	private void captureReturnValue(@Nullable Object returnValue, @Nullable Class<?> knownImmutableType) {
		if (!this.outputSet) {
			this.output = this.trace.snapshots().snapshot(returnValue, knownImmutableType);
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
		SpanDetails details = detailsForUpdate();
		details.failed = true;
		if (details.statusMessage == null) {
			String message = messageOf(error);
			details.statusMessage = (message != null) ? error.getClass().getName() + ": " + message
					: error.getClass().getName();
		}
	}

	// The user's exception is theirs to rethrow: a getMessage() that fails (formatting a null
	// field, say) must not stop the observation from ending
	private static @Nullable String messageOf(Throwable error) {
		try {
			return error.getMessage();
		}
		catch (Throwable ex) {
			Failures.rethrowIfFatal(ex);
			return "(its getMessage() threw " + ex.getClass().getName() + ")";
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
		return end();
	}

	/**
	 * Record the return value unless an output was set explicitly, and freeze the observation,
	 * under one acquisition of the monitor.
	 * @param returnValue the return value
	 * @param knownImmutableType from {@link LangfuseTracer#knownImmutableType(Class)} for the
	 * declared return type, or {@code null}
	 * @return {@code false} if it had already ended
	 */
	synchronized boolean markEnded(@Nullable Object returnValue, @Nullable Class<?> knownImmutableType) {
		if (this.ended) {
			return false;
		}
		captureReturnValue(returnValue, knownImmutableType);
		return end();
	}

	private boolean end() {
		this.endEpochNanos = Math.max(this.startEpochNanos, this.trace.nowEpochNanos());
		this.ended = true;
		return true;
	}

	synchronized void markLlmCall() {
		detailsForUpdate().llmCall = true;
	}

	boolean isLlmCall() {
		return details().llmCall;
	}

	/**
	 * Fold a framework call made inside this generation into it. What the user set stays: the
	 * model, parameters and metadata fill only what is missing; usage is added up over the calls;
	 * input and output are those of the latest call, unless set explicitly. The input replaces the
	 * captured arguments, and the output the return value, as they are what the model saw and said.
	 * @param call the call
	 * @return {@code false} if this generation had already ended
	 */
	synchronized boolean absorb(MergedLlmCall call) {
		if (this.ended) {
			return false;
		}
		GenerationFields fields = generationForUpdate();
		if (fields.model() == null && call.model() != null) {
			fields.model(call.model());
		}
		Map<String, Object> parameters = fields.modelParameters();
		call.modelParameters().forEach((key, value) -> {
			if (!parameters.containsKey(key)) {
				fields.putModelParameters(Map.of(key, value), this.trace.snapshots());
			}
		});
		if (!call.usage().isEmpty()) {
			Map<String, Long> sum = new LinkedHashMap<>(fields.usageDetails());
			call.usage().forEach((key, value) -> sum.merge(key, value, Long::sum));
			fields.putUsageDetails(sum);
		}
		Instant completionStart = call.completionStartTime();
		if (completionStart != null
				&& (fields.completionStartTime() == null || completionStart.isBefore(fields.completionStartTime()))) {
			fields.completionStartTime(completionStart);
		}
		if (call.input() != null && !this.inputSet) {
			setInput(this.trace.snapshots().snapshot(call.input()));
		}
		if (call.output() != null && (!this.outputSet || details().outputAbsorbed)) {
			this.output = this.trace.snapshots().snapshot(call.output());
			this.outputSet = true;
			detailsForUpdate().outputAbsorbed = true;
		}
		call.metadata().forEach((key, value) -> {
			if (!metadata().containsKey(key)) {
				putMetadata(key, value);
			}
		});
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

	/**
	 * Apply an update unless its value is {@code null} or the observation has ended: the guard
	 * every setter shares. Setters pass non-capturing lambdas, which are created once, so an
	 * update allocates nothing for the guard.
	 * @param value the value to set
	 * @param update applies the value, under the monitor
	 * @return this span
	 */
	private synchronized <T> LangfuseSpan update(@Nullable T value, BiConsumer<LangfuseSpan, T> update) {
		if (value != null && isWritable()) {
			try {
				update.accept(this, value);
			}
			catch (RuntimeException ex) {
				// a value that breaks as it is read (a map whose iteration throws): the caller's
				// call goes on, with what was applied before
				failedUpdate(ex);
			}
		}
		return this;
	}

	private void failedUpdate(RuntimeException failure) {
		UncheckedUpdates.ignored("an update of observation '" + this.name + "'", "observation", failure);
	}

	/**
	 * As {@link #update(Object, BiConsumer)}, for a value that comes with a second one, such as
	 * a metadata entry's value or a prompt's version; only the first is checked for {@code null}.
	 */
	private synchronized <T, U extends @Nullable Object> LangfuseSpan update(@Nullable T value, U second,
			TwoValueUpdate<T, U> update) {
		if (value != null && isWritable()) {
			try {
				update.apply(this, value, second);
			}
			catch (RuntimeException ex) {
				failedUpdate(ex);
			}
		}
		return this;
	}

	/** Return the details to write, creating them; called under the monitor. */
	private SpanDetails detailsForUpdate() {
		SpanDetails details = this.details;
		if (details == null) {
			details = new SpanDetails();
			this.details = details;
		}
		return details;
	}

	/** Return the details to read, empty ones for an observation that has none. */
	private SpanDetails details() {
		SpanDetails details = this.details;
		return (details != null) ? details : SpanDetails.NONE;
	}

	/** Return the generation fields to write, creating them; called under the monitor. */
	private GenerationFields generationForUpdate() {
		SpanDetails details = detailsForUpdate();
		GenerationFields generation = details.generation;
		if (generation == null) {
			generation = new GenerationFields();
			details.generation = generation;
		}
		return generation;
	}

	/** Return the generation fields to read, empty ones for an observation that has none. */
	private GenerationFields generationFields() {
		GenerationFields generation = details().generation;
		return (generation != null) ? generation : GenerationFields.NONE;
	}

	@Override
	public LangfuseSpan name(@Nullable String name) {
		return update(name, (span, value) -> span.name = value);
	}

	@Override
	public LangfuseSpan input(@Nullable Object input) {
		return update(input, (span, value) -> {
			span.setInput(span.trace.snapshots().snapshot(value));
			span.inputSet = true;
		});
	}

	@Override
	public LangfuseSpan output(@Nullable Object output) {
		return update(output, (span, value) -> {
			span.output = span.trace.snapshots().snapshot(value);
			span.outputSet = true;
			if (span.details != null) {
				span.details.outputAbsorbed = false;
			}
		});
	}

	@Override
	public LangfuseSpan metadata(@Nullable Map<String, ?> metadata) {
		return update(readUnlocked(metadata), LangfuseSpan::putAllMetadata);
	}

	/**
	 * Read a map the caller passed before taking this span's monitor (see
	 * {@link UncheckedUpdates#textKeyed}); a map that breaks as it is read is skipped.
	 */
	private @Nullable Map<String, @Nullable Object> readUnlocked(@Nullable Map<?, ?> map) {
		if (map == null) {
			return null;
		}
		try {
			return UncheckedUpdates.textKeyed(map);
		}
		catch (RuntimeException ex) {
			failedUpdate(ex);
			return null;
		}
	}

	private void putAllMetadata(Map<?, ?> metadata) {
		UncheckedUpdates.forEachTextKey(metadata, this::putMetadata);
	}

	@Override
	public LangfuseSpan metadata(String key, @Nullable Object value) {
		return update(key, value, LangfuseSpan::putMetadata);
	}

	private void putMetadata(@Nullable String key, @Nullable Object value) {
		if (key == null || value == null) {
			return;
		}
		SpanDetails details = detailsForUpdate();
		if (details.metadata == null) {
			details.metadata = new LinkedHashMap<>();
		}
		details.metadata.put(key, this.trace.snapshots().snapshot(value));
	}

	@Override
	public LangfuseSpan level(@Nullable ObservationLevel level) {
		return update(level, (span, value) -> span.detailsForUpdate().level = value);
	}

	@Override
	public LangfuseSpan statusMessage(@Nullable String statusMessage) {
		return update(statusMessage, (span, value) -> span.detailsForUpdate().statusMessage = value);
	}

	@Override
	public LangfuseSpan version(@Nullable String version) {
		return update(version, (span, value) -> span.detailsForUpdate().version = value);
	}

	@Override
	public LangfuseSpan model(@Nullable String model) {
		return update(model, (span, value) -> span.generationForUpdate().model(value));
	}

	@Override
	public LangfuseSpan modelParameters(@Nullable Map<String, ?> parameters) {
		return update(readUnlocked(parameters),
				(span, value) -> span.generationForUpdate().putModelParameters(value, span.trace.snapshots()));
	}

	@Override
	public LangfuseSpan usage(long inputTokens, long outputTokens) {
		// a map of its own, which no caller holds a lock on: no copy needed
		return update(Map.of("input", inputTokens, "output", outputTokens, "total", inputTokens + outputTokens),
				LangfuseSpan::putUsageDetails);
	}

	@Override
	public LangfuseSpan usageDetails(@Nullable Map<String, ? extends Number> usageDetails) {
		return update(readUnlocked(usageDetails), LangfuseSpan::putUsageDetails);
	}

	private void putUsageDetails(Map<String, ?> usageDetails) {
		generationForUpdate().putUsageDetails(usageDetails);
	}

	@Override
	public LangfuseSpan costDetails(@Nullable Map<String, ? extends Number> costDetails) {
		return update(readUnlocked(costDetails), (span, value) -> span.generationForUpdate().putCostDetails(value));
	}

	@Override
	public LangfuseSpan completionStartTime(@Nullable Instant completionStartTime) {
		return update(completionStartTime, (span, value) -> span.generationForUpdate().completionStartTime(value));
	}

	@Override
	public LangfuseSpan prompt(String name, int version) {
		return update(name, version, (span, promptName, promptVersion) -> span.generationForUpdate()
			.prompt(promptName, promptVersion));
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
		return TYPES[this.type];
	}

	@Override
	public @Nullable Object input() {
		String[] names = this.argumentNames;
		Object[] values = capturedValues();
		return (names != null && values != null) ? new CapturedArguments(names, values) : this.input;
	}

	/** The values of captured arguments when the input holds them, else {@code null}. */
	private Object @Nullable [] capturedValues() {
		return (this.argumentNames != null && this.input instanceof Object[] values) ? values : null;
	}

	@Override
	public @Nullable Object output() {
		return this.output;
	}

	@Override
	public Map<String, Object> metadata() {
		Map<String, Object> metadata = details().metadata;
		return (metadata != null) ? metadata : Map.of();
	}

	@Override
	public @Nullable ObservationLevel level() {
		SpanDetails details = details();
		return (details.level == null && details.failed) ? ObservationLevel.ERROR : details.level;
	}

	@Override
	public @Nullable String statusMessage() {
		return details().statusMessage;
	}

	@Override
	public boolean failed() {
		return details().failed;
	}

	@Override
	public @Nullable String version() {
		String version = details().version;
		return (version != null) ? version : this.traceAttributes.version();
	}

	@Override
	public @Nullable String model() {
		return generationFields().model();
	}

	@Override
	public Map<String, Object> modelParameters() {
		return generationFields().modelParameters();
	}

	@Override
	public Map<String, Long> usageDetails() {
		return generationFields().usageDetails();
	}

	@Override
	public Map<String, Double> costDetails() {
		return generationFields().costDetails();
	}

	@Override
	public @Nullable Instant completionStartTime() {
		return generationFields().completionStartTime();
	}

	@Override
	public @Nullable String promptName() {
		return generationFields().promptName();
	}

	@Override
	public @Nullable Integer promptVersion() {
		return generationFields().promptVersion();
	}

	@Override
	public boolean isAppRoot() {
		return this.parentSpanId != 0 && this.trace.isRoot(this);
	}

	@Override
	public TraceAttributes traceAttributes() {
		return this.traceAttributes;
	}

	/**
	 * Return the estimate computed the first time it is asked for after the end (at most
	 * {@link Integer#MAX_VALUE}), the same on every later call, so that the byte budget gets back
	 * exactly what it gave. The first call is made by the thread
	 * that ends the observation, as it holds or queues it, so every later call reads the cached
	 * value; the one input that changes after the end is the version a span inherits from the
	 * trace attributes, given at release, before the queue weighs it.
	 */
	@Override
	public long retainedBytes() {
		int bytes = this.retainedBytes;
		if (bytes == 0) {
			// capped: an observation of 2GB fits in no budget anyway
			Object[] values = capturedValues();
			long estimate = (values != null) ? RetainedSize.withoutInput(this) + RetainedSize.ofArguments(values)
					: RetainedSize.of(this);
			bytes = (int) Math.min(Integer.MAX_VALUE, estimate);
			if (this.ended) {
				this.retainedBytes = bytes;
			}
		}
		return bytes;
	}

	@Override
	public String toString() {
		return "LangfuseSpan[" + type().wireValue() + " '" + this.name + "' " + traceIdHex() + "/" + spanIdHex()
				+ "]";
	}

	/**
	 * An update of two values, applied under the span's monitor.
	 *
	 * @param <T> the type of the first value, never {@code null} when applied
	 * @param <U> the type of the second value
	 */
	@FunctionalInterface
	private interface TwoValueUpdate<T, U extends @Nullable Object> {

		void apply(LangfuseSpan span, T value, U second);

	}

}
