package io.github.observe4j.langfuse.internal.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.observe4j.langfuse.context.TraceUpdate;
import io.github.observe4j.langfuse.internal.model.TraceAttributes;
import org.jspecify.annotations.Nullable;

/**
 * What the observations of one trace in this application share: the trace id, the sampling
 * decision, a clock anchor and the trace attributes. Observations that end before the trace's
 * local root are held here (within a bound) and released when the root ends, so that each one is
 * exported with the final trace attributes, as Langfuse v4 reads them from every span.
 * <p>
 * A trace state is given what it needs by the tracer that creates it, the shared state, and the
 * hold-back budget each time an observation ends, and never calls back into the tracer. Every
 * trace has one, so its fields are few: 48 bytes with compressed references. What traces can
 * share lives in a {@link SharedTraceState}, and whether the root has ended is the root's own flag.
 */
final class TraceState implements TraceUpdate {

	private final long traceIdHigh;

	private final long traceIdLow;

	private @Nullable String traceIdHex;

	// shared with the traces started around the same time with the same sampling decision
	private final SharedTraceState shared;

	// set once, before the trace is shared; volatile so readers on the export thread need no lock
	private volatile @Nullable LangfuseSpan root;

	private @Nullable List<LangfuseSpan> held;

	/** What the application set on the trace; created by the first update, most traces have none. */
	private @Nullable Updates updates;

	TraceState(long traceIdHigh, long traceIdLow, SharedTraceState shared) {
		this.traceIdHigh = traceIdHigh;
		this.traceIdLow = traceIdLow;
		this.shared = shared;
	}

	void setRoot(LangfuseSpan root) {
		this.root = root;
	}

	boolean isRoot(LangfuseSpan span) {
		return this.root == span;
	}

	long traceIdHigh() {
		return this.traceIdHigh;
	}

	long traceIdLow() {
		return this.traceIdLow;
	}

	boolean isSampled() {
		return this.shared.sampled();
	}

	String traceIdHex() {
		// made once per trace, for log correlation and trace URLs; a racing second copy is harmless
		String hex = this.traceIdHex;
		if (hex == null) {
			hex = traceIdHex(this.traceIdHigh, this.traceIdLow);
			this.traceIdHex = hex;
		}
		return hex;
	}

	/**
	 * Return a trace id as 32 lowercase hex digits. Formatted from its 16 bytes in one go: two
	 * 16-digit strings joined allocate 136 bytes, this 104 (measured).
	 */
	static String traceIdHex(long high, long low) {
		byte[] bytes = new byte[16];
		for (int i = 0; i < 8; i++) {
			bytes[i] = (byte) (high >>> (56 - 8 * i));
			bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
		}
		return HexFormat.of().formatHex(bytes);
	}

	/**
	 * Epoch time from the trace's wall-clock anchor plus the monotonic clock, as OTel does: the
	 * times within a trace never go backwards, whatever the wall clock does.
	 */
	long nowEpochNanos() {
		return epochNanos(System.nanoTime());
	}

	long epochNanos(long nanoTime) {
		return this.shared.epochNanos(nanoTime);
	}

	ValueSnapshots snapshots() {
		return this.shared.snapshots();
	}

	/**
	 * Called once per observation after it has ended (its {@code markEnded} returned
	 * {@code true}): the root's own end flag is what stops later observations from being held, so
	 * calling this for a root still open would hold them with nobody left to release them. Holds
	 * the observation or says what to release now, each released observation given the trace
	 * attributes as they are now, under the same lock.
	 * @param span the observation that ended
	 * @param holdBackBudget the budget a held observation counts against
	 * @return the observations to release, empty when held; {@code null} when the one that
	 * ended is released alone, the usual case, which needs no list
	 */
	synchronized @Nullable List<LangfuseSpan> onEnd(LangfuseSpan span, HoldBackBudget holdBackBudget) {
		LangfuseSpan root = this.root;
		if (span == root) {
			TraceAttributes attributes = currentAttributes();
			List<LangfuseSpan> held = this.held;
			if (held == null) {
				span.releaseWith(attributes);
				return null;
			}
			// given back before the tracer offers them: the export queue reserves them anew. Added
			// up here from each span's cached estimate, rather than kept in a field every trace has
			long heldBytes = 0;
			for (int i = 0; i < held.size(); i++) {
				heldBytes += held.get(i).retainedBytes();
			}
			holdBackBudget.release(held.size(), heldBytes);
			this.held = null;
			held.add(span);
			for (LangfuseSpan released : held) {
				released.releaseWith(attributes);
			}
			return held;
		}
		// the root has ended once its flag is set, even before its own call here
		if (root != null && !root.isEnded() && holdBackBudget.tryHold(heldCount(), span.retainedBytes())) {
			if (this.held == null) {
				this.held = new ArrayList<>();
			}
			this.held.add(span);
			return List.of();
		}
		span.releaseWith(currentAttributes());
		return null;
	}

	private int heldCount() {
		return (this.held != null) ? this.held.size() : 0;
	}

	/** The trace attributes as they are now; called under the lock. */
	private TraceAttributes currentAttributes() {
		Updates updates = this.updates;
		if (updates == null) {
			return TraceAttributes.EMPTY;
		}
		TraceAttributes attributes = updates.snapshot;
		if (attributes == null) {
			attributes = updates.toAttributes();
			updates.snapshot = attributes;
		}
		return attributes;
	}

	/** Return the updates to write, creating them, and forget the snapshot; called under the lock. */
	private Updates updateAttributes() {
		Updates updates = updates();
		updates.snapshot = null;
		return updates;
	}

	private Updates updates() {
		Updates updates = this.updates;
		if (updates == null) {
			updates = new Updates();
			this.updates = updates;
		}
		return updates;
	}

	@Override
	public synchronized TraceState name(@Nullable String name) {
		if (name != null) {
			updateAttributes().name = name;
		}
		return this;
	}

	@Override
	public synchronized TraceState userId(@Nullable String userId) {
		if (userId != null) {
			updateAttributes().userId = userId;
		}
		return this;
	}

	@Override
	public synchronized TraceState sessionId(@Nullable String sessionId) {
		if (sessionId != null) {
			updateAttributes().sessionId = sessionId;
		}
		return this;
	}

	@Override
	public synchronized TraceState version(@Nullable String version) {
		if (version != null) {
			updateAttributes().version = version;
		}
		return this;
	}

	@Override
	public synchronized TraceState release(@Nullable String release) {
		if (release != null) {
			updateAttributes().release = release;
		}
		return this;
	}

	@Override
	public TraceState metadata(@Nullable Map<String, ?> metadata) {
		if (metadata == null) {
			return this;
		}
		Map<String, @Nullable Object> entries;
		try {
			// read before this trace's monitor is taken (see UncheckedUpdates.textKeyed)
			entries = UncheckedUpdates.textKeyed(metadata);
		}
		catch (RuntimeException ex) {
			failedUpdate(ex);
			return this;
		}
		try {
			synchronized (this) {
				entries.forEach(this::putMetadata);
			}
		}
		catch (RuntimeException ex) {
			// a serializer of the application's own that fails on a value
			failedUpdate(ex);
		}
		return this;
	}

	@Override
	public synchronized TraceState metadata(String key, @Nullable Object value) {
		putMetadata(key, value);
		return this;
	}

	private void putMetadata(@Nullable String key, @Nullable Object value) {
		if (key != null && value != null) {
			Updates updates = updateAttributes();
			if (updates.metadata == null) {
				updates.metadata = new LinkedHashMap<>();
			}
			updates.metadata.put(key, snapshots().snapshot(value));
		}
	}

	@Override
	public TraceState tags(String... tags) {
		// Arrays.asList, not List.of: a null tag (a missing header, say) is skipped, not thrown
		return (tags != null) ? tags(Arrays.asList(tags)) : this;
	}

	@Override
	public synchronized TraceState tags(@Nullable Collection<String> tags) {
		try {
			if (tags != null && !tags.isEmpty()) {
				Updates updates = updateAttributes();
				if (updates.tags == null) {
					updates.tags = new LinkedHashSet<>();
				}
				for (Object tag : tags) {
					if (tag instanceof String text && !text.isBlank()) {
						updates.tags.add(text);
					}
				}
			}
		}
		catch (RuntimeException ex) {
			failedUpdate(ex);
		}
		return this;
	}

	private void failedUpdate(RuntimeException failure) {
		UncheckedUpdates.ignored("a trace update", "trace", failure);
	}

	@Override
	public synchronized TraceState publicTrace(boolean publicTrace) {
		updateAttributes().publicTrace = publicTrace;
		return this;
	}

	@Override
	public TraceState input(@Nullable Object input) {
		LangfuseSpan root = rootSpan();
		if (root != null && input != null) {
			root.input(input);
		}
		return this;
	}

	@Override
	public TraceState output(@Nullable Object output) {
		LangfuseSpan root = rootSpan();
		if (root != null && output != null) {
			root.output(output);
		}
		return this;
	}

	private synchronized @Nullable LangfuseSpan rootSpan() {
		return this.root;
	}

	/**
	 * The trace attributes the application set, read and written under the trace's lock. Kept
	 * apart so that a trace nobody updates, the usual case, does not carry eight empty fields.
	 */
	private static final class Updates {

		private @Nullable String name;

		private @Nullable String userId;

		private @Nullable String sessionId;

		private @Nullable String version;

		private @Nullable String release;

		private @Nullable Map<String, Object> metadata;

		private @Nullable Set<String> tags;

		private @Nullable Boolean publicTrace;

		/** The attributes as of the last update, made when an observation first needs them. */
		private @Nullable TraceAttributes snapshot;

		TraceAttributes toAttributes() {
			return new TraceAttributes(this.name, this.userId, this.sessionId, this.version, this.release,
					(this.metadata != null) ? this.metadata : Map.of(),
					(this.tags != null) ? List.copyOf(this.tags) : List.of(), this.publicTrace);
		}

	}

}
