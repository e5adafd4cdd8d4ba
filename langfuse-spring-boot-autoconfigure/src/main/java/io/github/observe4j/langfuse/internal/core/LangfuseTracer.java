package io.github.observe4j.langfuse.internal.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.model.ByteBudget;
import io.github.observe4j.langfuse.internal.model.RecordSink;
import io.github.observe4j.langfuse.internal.model.CapturedArguments;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import org.jspecify.annotations.Nullable;

/**
 * Starts and ends observations. An observation started while another is current on the thread
 * becomes its child; otherwise it is the root of a new trace, or joins the trace given by
 * {@code LangfuseClient#joinTrace}. Ended observations of sampled traces go to the sink.
 * <pre class="code">
 * LangfuseSpan span = tracer.startObservation("retrieve", ObservationType.RETRIEVER);
 * ObservationContext previous = ObservationContextHolder.swap(span);
 * try {
 *     ...
 * }
 * finally {
 *     ObservationContextHolder.swap(previous);
 *     tracer.endObservation(span);
 * }
 * </pre>
 *
 * @since 0.1.0
 */
public final class LangfuseTracer {

	/** How long one wall-clock reading anchors the timestamps of new traces. */
	private static final long CLOCK_ANCHOR_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final TracerSettings settings;

	private final RecordSink<ObservationRecord> sink;

	private final TraceSampler sampler;

	private final ValueSnapshots snapshots;

	private final HoldBackBudget holdBackBudget;

	// one per sampling decision, each replaced when its wall-clock reading grows old
	private volatile SharedTraceState sampledTraces;

	private volatile SharedTraceState unsampledTraces;

	private final @Nullable RecentTraces recentTraces;

	/**
	 * Create a tracer.
	 * @param settings the settings
	 * @param sink where ended observations of sampled traces go
	 */
	public LangfuseTracer(TracerSettings settings, RecordSink<ObservationRecord> sink) {
		this(settings, sink, ByteBudget.unlimited(), null);
	}

	/**
	 * Create a tracer whose held-back observations count against the given byte budget, the
	 * one the sink's queue counts against, so that the two together stay within it.
	 * @param settings the settings
	 * @param sink where ended observations of sampled traces go
	 * @param byteBudget the budget shared with the sink
	 */
	public LangfuseTracer(TracerSettings settings, RecordSink<ObservationRecord> sink, ByteBudget byteBudget) {
		this(settings, sink, byteBudget, null);
	}

	/**
	 * Create a tracer that also remembers the traces it sent.
	 * @param settings the settings
	 * @param sink where ended observations of sampled traces go
	 * @param byteBudget the budget shared with the sink
	 * @param recentTraces where sent traces are remembered, or {@code null}
	 */
	public LangfuseTracer(TracerSettings settings, RecordSink<ObservationRecord> sink, ByteBudget byteBudget,
			@Nullable RecentTraces recentTraces) {
		Objects.requireNonNull(byteBudget, "byteBudget must not be null");
		this.recentTraces = recentTraces;
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.sink = Objects.requireNonNull(sink, "sink must not be null");
		this.sampler = new TraceSampler(settings.sampleRate());
		this.snapshots = new ValueSnapshots(settings.serializer(), settings.maxFieldChars());
		this.sampledTraces = SharedTraceState.now(this.snapshots, true);
		this.unsampledTraces = SharedTraceState.now(this.snapshots, false);
		this.holdBackBudget = new HoldBackBudget(settings.maxHeldPerTrace(), settings.maxHeldTotal(), byteBudget);
	}

	/**
	 * Return the settings.
	 * @return the settings
	 */
	public TracerSettings settings() {
		return this.settings;
	}

	/**
	 * Start an observation as a child of the current one, or as a root. It does not become
	 * current; see {@link ObservationContextHolder#swap(ObservationContext)}.
	 * @param name the observation name
	 * @param type the observation type
	 * @return the started observation
	 */
	public LangfuseSpan startObservation(String name, ObservationType type) {
		return startObservation(name, type, ObservationContextHolder.get());
	}

	/**
	 * Start an observation as a child of the given context, or as a root when it is {@code null}.
	 * @param name the observation name
	 * @param type the observation type
	 * @param current the context to start in, such as one a framework carried across threads
	 * @return the started observation
	 */
	public LangfuseSpan startObservation(String name, ObservationType type, @Nullable ObservationContext current) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		if (current instanceof LangfuseSpan parent) {
			TraceState trace = parent.trace();
			return new LangfuseSpan(trace, nonZero(random), parent.spanId(), name, type, trace.nowEpochNanos());
		}
		long nanoTime = System.nanoTime();
		TraceState trace;
		long parentSpanId = 0;
		if (current instanceof RemoteParent remote) {
			boolean sampled = (remote.sampled() != null) ? remote.sampled() : this.sampler.isSampled(remote.traceIdLow());
			trace = new TraceState(remote.traceIdHigh(), remote.traceIdLow(), sharedTraceState(nanoTime, sampled));
			parentSpanId = remote.parentSpanId();
		}
		else {
			long traceIdHigh = random.nextLong();
			long traceIdLow = nonZero(random);
			trace = new TraceState(traceIdHigh, traceIdLow,
					sharedTraceState(nanoTime, this.sampler.isSampled(traceIdLow)));
		}
		LangfuseSpan root = new LangfuseSpan(trace, nonZero(random), parentSpanId, name, type,
				trace.epochNanos(nanoTime));
		trace.setRoot(root);
		return root;
	}

	/**
	 * End an observation; ending it again does nothing.
	 * @param span the observation
	 */
	public void endObservation(LangfuseSpan span) {
		if (span.markEnded()) {
			release(span);
		}
	}

	/**
	 * Capture the return value as the output, unless one was set explicitly, and end the
	 * observation; ending it again does nothing. One lock of the observation where
	 * {@link LangfuseSpan#captureOutput(Object)} and {@link #endObservation(LangfuseSpan)}
	 * take two.
	 * @param span the observation
	 * @param returnValue the return value
	 * @param knownImmutableType from {@link #knownImmutableType(Class)} for the declared return
	 * type, or {@code null}
	 */
	public void endObservation(LangfuseSpan span, @Nullable Object returnValue,
			@Nullable Class<?> knownImmutableType) {
		if (span.markEnded(returnValue, knownImmutableType)) {
			release(span);
		}
	}

	private void release(LangfuseSpan span) {
		TraceState trace = span.trace();
		if (!trace.isSampled()) {
			return;
		}
		List<LangfuseSpan> release = trace.onEnd(span, this.holdBackBudget);
		if (release == null) {
			this.sink.offer(span);
		}
		else {
			for (int i = 0; i < release.size(); i++) {
				this.sink.offer(release.get(i));
			}
		}
		RecentTraces recent = this.recentTraces;
		if (recent != null && trace.isRoot(span)) {
			String traceName = span.traceAttributes().name();
			recent.record(new RecentTraces.Entry(span.traceIdHex(), (traceName != null) ? traceName : span.name(),
					(release != null) ? release.size() : 1, Instant.ofEpochSecond(0, span.endEpochNanos())));
		}
	}

	/**
	 * Return whether a trace id is sampled.
	 * @param traceIdLow the low 64 bits of the trace id
	 * @return whether the trace is exported
	 */
	public boolean isSampled(long traceIdLow) {
		return this.sampler.isSampled(traceIdLow);
	}

	/**
	 * Capture arguments for an observation input: immutable values are kept as they are,
	 * anything else is snapshotted as JSON now.
	 * @param names the parameter names
	 * @param arguments the arguments
	 * @return the captured arguments
	 */
	public CapturedArguments captureArguments(String[] names, Object[] arguments) {
		return this.snapshots.capture(names, arguments, null);
	}

	/**
	 * Capture the arguments of a call as the input of the observation it just started, which no
	 * other thread can see yet, for a method whose parameter types were looked at once with
	 * {@link #knownImmutableType(Class)}: as {@link #captureArguments(String[], Object[])} without
	 * the {@link CapturedArguments} object, which the span makes when the exporter reads it.
	 * @param span the observation, just started
	 * @param names the parameter names
	 * @param arguments the arguments
	 * @param knownImmutableTypes per parameter, the class whose instances are kept without a
	 * lookup, or {@code null}
	 */
	public void captureArgumentsUnshared(LangfuseSpan span, String[] names, Object[] arguments,
			@Nullable Class<?>[] knownImmutableTypes) {
		span.captureArgumentsUnshared(names, this.snapshots.captureValues(arguments, knownImmutableTypes));
	}

	/**
	 * Return the one class every value of a declared parameter or return type has, when that
	 * class is immutable (the wrapper of a primitive, a final immutable class such as
	 * {@code String}), so that a value of exactly that class is captured as it is without a
	 * lookup. Values of other types are still captured by their runtime class.
	 * @param declaredType the declared type
	 * @return the class, or {@code null} for none
	 */
	public static @Nullable Class<?> knownImmutableType(Class<?> declaredType) {
		return ValueSnapshots.knownImmutableType(declaredType);
	}

	ValueSnapshots snapshots() {
		return this.snapshots;
	}

	// Visible for testing
	int heldTotal() {
		return this.holdBackBudget.held();
	}

	/**
	 * Return the recent shared state for a new trace with the given sampling decision, reading
	 * the wall clock again once its reading is older than {@link #CLOCK_ANCHOR_NANOS}. Sharing it
	 * spares each trace a wall-clock read and an {@link Instant}; racing refreshes are harmless,
	 * as each one is valid.
	 */
	private SharedTraceState sharedTraceState(long nanoTime, boolean sampled) {
		SharedTraceState shared = sampled ? this.sampledTraces : this.unsampledTraces;
		if (nanoTime - shared.nanoTime() >= CLOCK_ANCHOR_NANOS) {
			shared = SharedTraceState.now(this.snapshots, sampled);
			if (sampled) {
				this.sampledTraces = shared;
			}
			else {
				this.unsampledTraces = shared;
			}
		}
		return shared;
	}

	private static long nonZero(ThreadLocalRandom random) {
		long id;
		do {
			id = random.nextLong();
		}
		while (id == 0);
		return id;
	}

	/**
	 * Return the current observation of this thread.
	 * @return the observation, or {@code null}
	 */
	public static @Nullable LangfuseSpan currentSpan() {
		return ObservationContextHolder.currentSpan();
	}

}
