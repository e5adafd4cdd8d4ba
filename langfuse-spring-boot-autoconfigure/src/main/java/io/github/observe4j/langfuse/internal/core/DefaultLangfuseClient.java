package io.github.observe4j.langfuse.internal.core;

import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import io.github.observe4j.langfuse.annotation.ObservationType;

import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.context.LangfuseIds;
import io.github.observe4j.langfuse.context.LangfuseObservation;
import io.github.observe4j.langfuse.context.LangfuseScope;
import io.github.observe4j.langfuse.context.ObservationUpdate;
import io.github.observe4j.langfuse.context.TraceUpdate;
import io.github.observe4j.langfuse.internal.model.RecordSink;
import io.github.observe4j.langfuse.model.Score;
import io.github.observe4j.langfuse.internal.model.ScoreRecord;
import io.github.observe4j.langfuse.internal.support.Durations;
import io.github.observe4j.langfuse.internal.support.Failures;
import io.github.observe4j.langfuse.internal.context.HexDigits;
import io.github.observe4j.langfuse.internal.support.LogValues;
import io.github.observe4j.langfuse.internal.support.ThrottledLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The {@link LangfuseClient} backed by a {@link LangfuseTracer}. Never throws into the caller:
 * invalid ids and calls outside an observation are logged and ignored.
 * <p>
 * Why about 350 lines: it implements each method of the client API with its guard (never throw into
 * the caller), one short method each.
 *
 * @since 0.1.0
 */
public final class DefaultLangfuseClient implements LangfuseClient {

	private static final Log logger = LogFactory.getLog(DefaultLangfuseClient.class);

	/** How many joined traces' sampling decisions scores by id can still follow. */
	static final int MAX_OVERRIDDEN_DECISIONS = 4096;

	/** Ids and headers come from callers, often from requests: one WARN per kind a minute. */
	private final ThrottledLog invalidInput = new ThrottledLog(logger, Duration.ofMinutes(1));

	private final LangfuseTracer tracer;

	private final RecordSink<ScoreRecord> scoreSink;

	private final ExportControl exportControl;

	private final List<AsyncEndStrategy> asyncEndStrategies;

	/**
	 * The traces joined with a caller's sampling decision that differs from the local rate's,
	 * so that a score sent later by trace id follows its trace. Bounded: the oldest decisions
	 * are forgotten first, and such a trace's later scores then follow the local rate.
	 */
	private final Map<String, Boolean> overriddenDecisions = Collections
		.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
				return size() > MAX_OVERRIDDEN_DECISIONS;
			}

		});

	/**
	 * Create a client whose {@link #observe} follows {@code CompletionStage} results.
	 * @param tracer the tracer
	 * @param scoreSink where scores go
	 * @param exportControl flushing, auth check and project id
	 */
	public DefaultLangfuseClient(LangfuseTracer tracer, RecordSink<ScoreRecord> scoreSink,
			ExportControl exportControl) {
		this(tracer, scoreSink, exportControl, List.of(new CompletionStageEndStrategy()));
	}

	/**
	 * Create a client.
	 * @param tracer the tracer
	 * @param scoreSink where scores go
	 * @param exportControl flushing, auth check and project id
	 * @param asyncEndStrategies how {@link #observe} ends observations of asynchronous results
	 */
	public DefaultLangfuseClient(LangfuseTracer tracer, RecordSink<ScoreRecord> scoreSink,
			ExportControl exportControl, List<AsyncEndStrategy> asyncEndStrategies) {
		this.tracer = Objects.requireNonNull(tracer, "tracer must not be null");
		this.scoreSink = Objects.requireNonNull(scoreSink, "scoreSink must not be null");
		this.exportControl = Objects.requireNonNull(exportControl, "exportControl must not be null");
		this.asyncEndStrategies = List.copyOf(asyncEndStrategies);
	}

	@Override
	public <T> T observe(String name, ObservationType type, Supplier<T> work) {
		LangfuseSpan span;
		ObservationContext previous;
		try {
			span = this.tracer.startObservation(name, type);
			previous = ObservationContextHolder.swap(span);
		}
		catch (RuntimeException | LinkageError ex) {
			Failures.warn(logger, "Langfuse could not start observation '" + name + "'", ex);
			return work.get();
		}
		T result;
		try {
			result = work.get();
		}
		catch (RuntimeException | Error ex) {
			ObservationContextHolder.swap(previous);
			endQuietly(span, null, ex);
			throw ex;
		}
		ObservationContextHolder.swap(previous);
		AsyncEndStrategy asyncEnd = (result != null) ? asyncEndFor(result) : null;
		if (asyncEnd != null) {
			try {
				@SuppressWarnings("unchecked")
				T followed = (T) asyncEnd.endWhenDone(new AsyncObservation(this.tracer, span, previous, null,
						this.tracer.settings().captureOutput()), result);
				return followed;
			}
			catch (RuntimeException | LinkageError ex) {
				Failures.warn(logger, "Langfuse could not follow the result of observation '" + name + "'", ex);
			}
		}
		endQuietly(span, result, null);
		return result;
	}

	private @Nullable AsyncEndStrategy asyncEndFor(Object result) {
		for (AsyncEndStrategy strategy : this.asyncEndStrategies) {
			if (strategy.supportsValue(result)) {
				return strategy;
			}
		}
		return null;
	}

	private void endQuietly(LangfuseSpan span, @Nullable Object output, @Nullable Throwable error) {
		try {
			if (error != null) {
				span.recordError(error);
			}
			else if (output != null && this.tracer.settings().captureOutput()) {
				span.captureOutput(output);
			}
			this.tracer.endObservation(span);
		}
		catch (RuntimeException | LinkageError ex) {
			Failures.warn(logger, "Langfuse could not end observation '" + span.name() + "'", ex);
		}
	}

	@Override
	public LangfuseObservation startObservation(String name, ObservationType type) {
		try {
			LangfuseSpan span = this.tracer.startObservation(name, type);
			return new OpenObservation(this.tracer, span, ObservationContextHolder.swap(span));
		}
		catch (RuntimeException | LinkageError ex) {
			Failures.warn(logger, "Langfuse could not start observation '" + name + "'", ex);
			return LangfuseClient.noop().startObservation(name, type);
		}
	}

	@Override
	public Runnable wrap(Runnable task) {
		return ObservationContextHolder.wrap(task);
	}

	@Override
	public <T> Callable<T> wrap(Callable<T> task) {
		return ObservationContextHolder.wrap(task);
	}

	@Override
	public ObservationUpdate currentObservation() {
		LangfuseSpan span = currentSpan("currentObservation()");
		return (span != null) ? span : LangfuseClient.noop().currentObservation();
	}

	@Override
	public TraceUpdate currentTrace() {
		LangfuseSpan span = currentSpan("currentTrace()");
		return (span != null) ? span.trace() : LangfuseClient.noop().currentTrace();
	}

	@Override
	public Optional<String> currentTraceId() {
		ObservationContext current = ObservationContextHolder.get();
		if (current instanceof LangfuseSpan span) {
			return Optional.of(span.traceIdHex());
		}
		if (current instanceof RemoteParent remote) {
			HexFormat hex = HexFormat.of();
			return Optional.of(hex.toHexDigits(remote.traceIdHigh()) + hex.toHexDigits(remote.traceIdLow()));
		}
		return Optional.empty();
	}

	@Override
	public Optional<String> currentObservationId() {
		LangfuseSpan span = ObservationContextHolder.currentSpan();
		return (span != null) ? Optional.of(span.spanIdHex()) : Optional.empty();
	}

	@Override
	public Optional<String> currentTraceUrl() {
		return currentTraceId().flatMap(this::traceUrl);
	}

	@Override
	public Optional<String> traceUrl(String traceId) {
		if (!LangfuseIds.isValidTraceId(traceId) || !this.exportControl.isExporting()) {
			return Optional.empty();
		}
		String host = this.tracer.settings().host();
		String id = LangfuseIds.normalize(traceId);
		// Until the project id is known, Langfuse's /trace/{id} page redirects to the project's trace page.
		return Optional.of(this.exportControl.projectId()
			.map((projectId) -> host + "/project/" + projectId + "/traces/" + id)
			.orElse(host + "/trace/" + id));
	}

	@Override
	public void scoreCurrentObservation(Score score) {
		LangfuseSpan span = currentSpan("scoreCurrentObservation()");
		if (span != null && score != null) {
			enqueue(span.trace().isSampled(), new ScoreRecord(score, span.traceIdHex(), span.spanIdHex(),
					this.tracer.settings().environment()));
		}
	}

	@Override
	public void scoreCurrentTrace(Score score) {
		LangfuseSpan span = currentSpan("scoreCurrentTrace()");
		if (span != null && score != null) {
			enqueue(span.trace().isSampled(),
					new ScoreRecord(score, span.traceIdHex(), null, this.tracer.settings().environment()));
		}
	}

	@Override
	public void scoreTrace(String traceId, Score score) {
		scoreById(traceId, null, score);
	}

	@Override
	public void scoreObservation(String traceId, String observationId, Score score) {
		if (!LangfuseIds.isValidObservationId(observationId)) {
			this.invalidInput.warn("score-observation-id", () -> "Ignoring score for invalid observation id "
					+ LogValues.quoted(observationId) + ": expected 16 hex characters");
			return;
		}
		scoreById(traceId, LangfuseIds.normalize(observationId), score);
	}

	private void scoreById(String traceId, @Nullable String observationId, Score score) {
		if (!LangfuseIds.isValidTraceId(traceId)) {
			this.invalidInput.warn("score-trace-id", () -> "Ignoring score for invalid trace id " + LogValues.quoted(traceId)
					+ ": expected 32 hex characters");
			return;
		}
		if (score == null) {
			return;
		}
		String normalized = LangfuseIds.normalize(traceId);
		Boolean joined = this.overriddenDecisions.isEmpty() ? null : this.overriddenDecisions.get(normalized);
		boolean sampled = (joined != null) ? joined
				: this.tracer.isSampled(Long.parseUnsignedLong(normalized.substring(16), 16));
		enqueue(sampled, new ScoreRecord(score, normalized, observationId, this.tracer.settings().environment()));
	}

	private void enqueue(boolean sampled, ScoreRecord record) {
		if (sampled) {
			this.scoreSink.offer(record);
		}
	}

	@Override
	public LangfuseScope joinTrace(String traceId, @Nullable String parentObservationId) {
		return join(traceId, parentObservationId, null);
	}

	private LangfuseScope join(String traceId, @Nullable String parentObservationId, @Nullable Boolean sampled) {
		if (!LangfuseIds.isValidTraceId(traceId)) {
			this.invalidInput.warn("join-trace-id", () -> "Ignoring joinTrace: trace id " + LogValues.quoted(traceId)
					+ " is not 32 hex characters");
			return LangfuseScope.NOOP;
		}
		if (parentObservationId != null && !LangfuseIds.isValidObservationId(parentObservationId)) {
			this.invalidInput.warn("join-parent-id", () -> "Ignoring joinTrace: parent observation id "
					+ LogValues.quoted(parentObservationId) + " is not 16 hex characters");
			return LangfuseScope.NOOP;
		}
		if (ObservationContextHolder.currentSpan() != null) {
			this.invalidInput.warn("join-inside",
					() -> "Ignoring joinTrace inside an observed call: only the outermost call can join a trace");
			return LangfuseScope.NOOP;
		}
		String normalized = LangfuseIds.normalize(traceId);
		long traceIdLow = Long.parseUnsignedLong(normalized.substring(16), 16);
		if (sampled != null) {
			rememberDecision(normalized, sampled, this.tracer.isSampled(traceIdLow));
		}
		RemoteParent remote = new RemoteParent(Long.parseUnsignedLong(normalized.substring(0, 16), 16), traceIdLow,
				(parentObservationId != null) ? Long.parseUnsignedLong(parentObservationId, 16) : 0, sampled);
		// as it is now: an earlier join closed elsewhere is not kept reachable behind this one
		ObservationContext previous = LangfuseSpan.live(ObservationContextHolder.swap(remote));
		remote.joinedOver(previous);
		return new RestoringScope(remote);
	}

	/**
	 * The caller's decision wins for the trace: remember one that differs from the local rate's
	 * for scores sent by id later, as the most recent entry even when the trace was joined before;
	 * forget an earlier one when the trace is joined again with the local rate's decision.
	 */
	private void rememberDecision(String traceId, boolean sampled, boolean sampledLocally) {
		if (sampled == sampledLocally) {
			if (!this.overriddenDecisions.isEmpty()) {
				this.overriddenDecisions.remove(traceId);
			}
			return;
		}
		synchronized (this.overriddenDecisions) {
			this.overriddenDecisions.remove(traceId);
			this.overriddenDecisions.put(traceId, sampled);
		}
	}

	@Override
	public LangfuseScope joinTraceparent(@Nullable String traceparent) {
		if (traceparent == null || traceparent.isBlank()) {
			// a request without the header: the call starts a trace of its own, as it should
			return LangfuseScope.NOOP;
		}
		String[] parts = traceparent.trim().split("-", -1);
		// W3C: version ff is invalid, and version 00 has exactly four fields
		if (parts.length < 4 || !HexDigits.isHex(parts[0], 2) || parts[0].equalsIgnoreCase("ff")
				|| (parts[0].equals("00") && parts.length != 4)) {
			this.invalidInput.warn("traceparent", () -> "Ignoring joinTraceparent: " + LogValues.quoted(traceparent)
					+ " is not a W3C traceparent value");
			return LangfuseScope.NOOP;
		}
		// the caller's sampling decision wins (parent-based sampling), so a trace is kept or dropped whole
		Boolean sampled = null;
		if (HexDigits.isHex(parts[3], 2)) {
			sampled = (Integer.parseInt(parts[3], 16) & 0x01) != 0;
		}
		else {
			this.invalidInput.warn("traceparent-flags", () -> "Ignoring the flags of traceparent "
					+ LogValues.quoted(traceparent) + ": expected 2 hex characters");
		}
		return join(parts[1], parts[2], sampled);
	}

	@Override
	public boolean flush(Duration timeout) {
		try {
			// a caller's "forever" (ChronoUnit.FOREVER) is a century, within nanosecond arithmetic
			return this.exportControl.flush(Durations.asWait(timeout));
		}
		catch (RuntimeException ex) {
			Failures.warn(logger, "Langfuse flush failed", ex);
			return false;
		}
	}

	@Override
	public boolean authCheck() {
		try {
			return this.exportControl.authCheck();
		}
		catch (RuntimeException ex) {
			Failures.warn(logger, "Langfuse auth check failed", ex);
			return false;
		}
	}

	private @Nullable LangfuseSpan currentSpan(String operation) {
		LangfuseSpan span = ObservationContextHolder.currentSpan();
		if (span == null && logger.isDebugEnabled()) {
			logger.debug("No current Langfuse observation: " + operation + " does nothing outside an @Observe call");
		}
		return span;
	}

	/**
	 * Ends a join, once: puts back what the joined trace was installed over when it is still current
	 * on the closing thread; closed out of order or on another thread, it only marks the join
	 * closed, which readers of the joining thread's context then skip.
	 */
	private static final class RestoringScope implements LangfuseScope {

		private final RemoteParent joined;

		RestoringScope(RemoteParent joined) {
			this.joined = joined;
		}

		@Override
		public void close() {
			if (!this.joined.isClosed()) {
				this.joined.close();
				// only the joining thread goes back to what it had: a thread the trace was handed
				// to (a scheduler's, closing the scope in doFinally) keeps its own until its own
				// restore, and its work stays in the trace meanwhile
				if (this.joined.isJoiningThread()) {
					ObservationContextHolder.restoreIfCurrent(this.joined, this.joined.joinedOver());
				}
			}
		}

	}

}
