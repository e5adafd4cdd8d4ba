package io.github.observe4j.langfuse.internal.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.context.LangfuseIds;
import io.github.observe4j.langfuse.context.LangfuseObservation;
import io.github.observe4j.langfuse.context.LangfuseScope;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.internal.model.ScoreRecord;
import io.github.observe4j.langfuse.model.Score;
import io.github.observe4j.langfuse.testsupport.TestExportControl;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Traces joined from another service: the caller's sampling decision (the traceparent's sampled
 * flag) wins over the local sample rate, and the local root under a remote parent is marked as
 * this application's root.
 */
@ExtendWith(OutputCaptureExtension.class)
class JoinedTraceTests {

	private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

	private static final String PARENT_ID = "b7ad6b7169203331";

	private final List<ObservationRecord> exported = new CopyOnWriteArrayList<>();

	private final List<ScoreRecord> scores = new CopyOnWriteArrayList<>();

	@AfterEach
	void nothingLeftOnTheTestThread() {
		ObservationContextHolder.swap(null);
	}

	private DefaultLangfuseClient client(double sampleRate) {
		LangfuseTracer tracer = new LangfuseTracer(new TracerSettings("http://localhost:3000", null, sampleRate, true,
				true, (value, max) -> "null", 1000, 1024, 1024), this.exported::add);
		return new DefaultLangfuseClient(tracer, this.scores::add, TestExportControl.withoutProject());
	}

	private List<ObservationRecord> outermost() {
		return this.exported.stream().filter((record) -> record.name().equals("joined")).toList();
	}

	private static String traceIdOf(ObservationRecord record) {
		return TraceState.traceIdHex(record.traceIdHigh(), record.traceIdLow());
	}

	private void observeOnce(DefaultLangfuseClient client, String traceparent) {
		try (LangfuseScope scope = client.joinTraceparent(traceparent)) {
			client.observe("joined", ObservationType.SPAN, () -> client.observe("inner", ObservationType.SPAN,
					() -> "done"));
		}
	}

	@Test
	void aSampledCallerIsKeptEvenWhenTheLocalRateDropsEverything() {
		observeOnce(client(0.0), "00-" + TRACE_ID + "-" + PARENT_ID + "-01");
		assertThat(this.exported).extracting(ObservationRecord::name).containsExactlyInAnyOrder("joined", "inner");
	}

	@Test
	void anUnsampledCallerIsDroppedEvenWhenTheLocalRateKeepsEverything() {
		observeOnce(client(1.0), "00-" + TRACE_ID + "-" + PARENT_ID + "-00");
		assertThat(this.exported).isEmpty();
	}

	@Test
	void aScoreSentLaterByTraceIdFollowsTheCallersDecision() {
		DefaultLangfuseClient keepsNothing = client(0.0);
		observeOnce(keepsNothing, "00-" + TRACE_ID + "-" + PARENT_ID + "-01");
		keepsNothing.scoreTrace(TRACE_ID.toUpperCase(), Score.numeric("helpful", 1));
		keepsNothing.scoreObservation(TRACE_ID, PARENT_ID, Score.numeric("accurate", 1));
		assertThat(this.scores).extracting(ScoreRecord::traceId).containsExactly(TRACE_ID, TRACE_ID);
		// and the other way: a caller that dropped the trace drops its scores
		this.scores.clear();
		DefaultLangfuseClient keepsEverything = client(1.0);
		observeOnce(keepsEverything, "00-" + TRACE_ID + "-" + PARENT_ID + "-00");
		keepsEverything.scoreTrace(TRACE_ID, Score.numeric("helpful", 1));
		assertThat(this.scores).isEmpty();
	}

	@Test
	void theCallersDecisionsAreRememberedForTheLatestJoinedTracesOnly() {
		DefaultLangfuseClient client = client(0.0);
		List<String> traceIds = new ArrayList<>();
		for (int i = 0; i <= DefaultLangfuseClient.MAX_OVERRIDDEN_DECISIONS; i++) {
			String traceId = String.format("%032x", i + 1);
			traceIds.add(traceId);
			client.joinTraceparent("00-" + traceId + "-" + PARENT_ID + "-01").close();
		}
		// the oldest decision was forgotten: its score follows the local rate, which keeps nothing
		client.scoreTrace(traceIds.get(0), Score.numeric("helpful", 1));
		client.scoreTrace(traceIds.get(traceIds.size() - 1), Score.numeric("helpful", 1));
		assertThat(this.scores).extracting(ScoreRecord::traceId).containsExactly(traceIds.get(traceIds.size() - 1));
	}

	@Test
	void aTraceJoinedAgainIsRememberedAsRecentlyJoined() {
		DefaultLangfuseClient client = client(0.0);
		String first = String.format("%032x", 1);
		client.joinTraceparent("00-" + first + "-" + PARENT_ID + "-01").close();
		for (int i = 1; i < DefaultLangfuseClient.MAX_OVERRIDDEN_DECISIONS; i++) {
			client.joinTraceparent("00-" + String.format("%032x", i + 1) + "-" + PARENT_ID + "-01").close();
		}
		// the first trace is joined again (a second request of the same trace) before the map overflows
		client.joinTraceparent("00-" + first + "-" + PARENT_ID + "-01").close();
		String overflowing = String.format("%032x", DefaultLangfuseClient.MAX_OVERRIDDEN_DECISIONS + 1);
		client.joinTraceparent("00-" + overflowing + "-" + PARENT_ID + "-01").close();
		client.scoreTrace(first, Score.numeric("helpful", 1));
		client.scoreTrace(String.format("%032x", 2), Score.numeric("helpful", 1));
		assertThat(this.scores).extracting(ScoreRecord::traceId).containsExactly(first);
	}

	@Test
	void aTraceJoinedAgainWithTheLocalDecisionFollowsItAgain() {
		DefaultLangfuseClient keepsEverything = client(1.0);
		// the first request of the trace comes unsampled, a later one sampled, as the local rate decides
		keepsEverything.joinTraceparent("00-" + TRACE_ID + "-" + PARENT_ID + "-00").close();
		keepsEverything.joinTraceparent("00-" + TRACE_ID + "-" + PARENT_ID + "-01").close();
		keepsEverything.scoreTrace(TRACE_ID, Score.numeric("helpful", 1));
		assertThat(this.scores).extracting(ScoreRecord::traceId).containsExactly(TRACE_ID);
	}

	@Test
	void joinsClosedOutOfOrderLeaveNothingJoined() {
		DefaultLangfuseClient client = client(1.0);
		String other = "1234567890abcdef1234567890abcdef";
		LangfuseScope first = client.joinTrace(TRACE_ID, PARENT_ID);
		LangfuseScope second = client.joinTrace(other, PARENT_ID);
		first.close();
		assertThat(client.currentTraceId()).contains(other);
		second.close();
		// a pooled thread's next request must not land in either trace
		assertThat(ObservationContextHolder.get()).isNull();
		client.observe("joined", ObservationType.SPAN, () -> "alone");
		assertThat(outermost()).singleElement()
			.satisfies((record) -> assertThat(traceIdOf(record))
				.isNotIn(TRACE_ID, other));
	}

	@Test
	void aJoinClosedOnAnotherThreadLeavesThatThreadsContextAlone() throws Exception {
		DefaultLangfuseClient client = client(1.0);
		String other = "1234567890abcdef1234567890abcdef";
		LangfuseScope joined = client.joinTrace(TRACE_ID, PARENT_ID);
		ExecutorService pool = Executors.newSingleThreadExecutor();
		try {
			String onTheOtherThread = pool.submit(() -> {
				try (LangfuseScope own = client.joinTrace(other, null)) {
					joined.close();
					return client.currentTraceId().orElse("none");
				}
			}).get(10, TimeUnit.SECONDS);
			assertThat(onTheOtherThread).isEqualTo(other);
		}
		finally {
			pool.shutdownNow();
		}
		// the joining thread no longer sees the closed join
		assertThat(ObservationContextHolder.get()).isNull();
		assertThat(client.currentTraceId()).isEmpty();
	}

	@Test
	void workHandedOffInsideAJoinStaysInTheTraceAfterTheScopeCloses() throws Exception {
		DefaultLangfuseClient client = client(1.0);
		Runnable task;
		try (LangfuseScope scope = client.joinTrace(TRACE_ID, PARENT_ID)) {
			Runnable observe = () -> client.observe("joined", ObservationType.SPAN, () -> "late");
			task = ObservationContextHolder.wrap(observe);
		}
		// the task runs after the request that joined the trace has ended, as @Async work does
		ExecutorService pool = Executors.newSingleThreadExecutor();
		try {
			pool.submit(task).get(10, TimeUnit.SECONDS);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(outermost()).singleElement().satisfies((record) -> {
			assertThat(traceIdOf(record)).isEqualTo(TRACE_ID);
			assertThat(record.parentSpanId()).isEqualTo(Long.parseUnsignedLong(PARENT_ID, 16));
		});
	}

	@Test
	void aContextSnapshotRunOnTheJoiningThreadLeavesNothingJoinedOnceTheScopeCloses() {
		DefaultLangfuseClient client = client(1.0);
		try (LangfuseScope scope = client.joinTrace(TRACE_ID, PARENT_ID)) {
			// captured and run on this same thread, as a caller-runs executor or Reactor's propagation
			// around block() do: the snapshot puts back what it read, the trace as handed out
			ContextSnapshotFactory.builder()
				.build()
				.captureAll()
				.wrap((Runnable) () -> client.observe("joined", ObservationType.SPAN, () -> "inline"))
				.run();
			assertThat(client.currentTraceId()).contains(TRACE_ID);
		}
		assertThat(ObservationContextHolder.get()).isNull();
		assertThat(client.currentTraceId()).isEmpty();
		assertThat(outermost()).singleElement()
			.satisfies((record) -> assertThat(traceIdOf(record))
				.isEqualTo(TRACE_ID));
	}

	/** A task that observes "late", wrapped under a handle opened inside a join; both closed. */
	private static Runnable taskWrappedUnderAHandleInsideAJoin(DefaultLangfuseClient client) {
		try (LangfuseScope scope = client.joinTrace(TRACE_ID, PARENT_ID)) {
			try (LangfuseObservation handle = client.startObservation("handle", ObservationType.SPAN)) {
				Runnable observe = () -> client.observe("late", ObservationType.SPAN, () -> "late");
				return ObservationContextHolder.wrap(observe);
			}
		}
	}

	@Test
	void workHandedOffUnderAHandleInsideAJoinStaysInTheTraceAfterBothClose() throws Exception {
		DefaultLangfuseClient client = client(1.0);
		Runnable task = taskWrappedUnderAHandleInsideAJoin(client);
		ExecutorService pool = Executors.newSingleThreadExecutor();
		try {
			pool.submit(task).get(10, TimeUnit.SECONDS);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.exported).filteredOn((record) -> record.name().equals("late"))
			.singleElement()
			.satisfies((record) -> {
				// the handle had ended: the work goes under what it was opened over, in the trace
				assertThat(traceIdOf(record)).isEqualTo(TRACE_ID);
				assertThat(record.parentSpanId()).isEqualTo(Long.parseUnsignedLong(PARENT_ID, 16));
			});
		assertThat(client.currentTraceId()).isEmpty();
	}

	@Test
	void aJoinClosedInsideAContextSnapshotsScopeStaysClosedAfterTheScopeRestores() {
		DefaultLangfuseClient client = client(1.0);
		ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();
		for (int request = 1; request <= 3; request++) {
			LangfuseScope scope = client.joinTrace(TRACE_ID, PARENT_ID);
			// as a reactive pipeline's doFinally does under automatic context propagation
			try (ContextSnapshot.Scope restoring = snapshots.captureAll().setThreadLocals()) {
				scope.close();
			}
			assertThat(ObservationContextHolder.get()).as("after request %d", request).isNull();
		}
		client.observe("joined", ObservationType.SPAN, () -> "next request");
		assertThat(outermost()).singleElement()
			.satisfies((record) -> assertThat(traceIdOf(record))
				.isNotEqualTo(TRACE_ID));
	}

	@Test
	void workHandedOffUnderAHandleInsideAJoinStaysInTheTraceWhenItRunsOnTheJoiningThreadLater() {
		DefaultLangfuseClient client = client(1.0);
		Runnable task = taskWrappedUnderAHandleInsideAJoin(client);
		// an event loop runs it on the same thread once the request has returned
		task.run();
		assertThat(this.exported).filteredOn((record) -> record.name().equals("late"))
			.singleElement()
			.satisfies((record) -> assertThat(traceIdOf(record))
				.isEqualTo(TRACE_ID));
		assertThat(client.currentTraceId()).isEmpty();
	}

	@Test
	void aJoinClosedOnAThreadItWasHandedToKeepsThatThreadsWorkInTheTrace() throws Exception {
		DefaultLangfuseClient client = client(1.0);
		LangfuseScope scope = client.joinTrace(TRACE_ID, PARENT_ID);
		ContextSnapshot captured = ContextSnapshotFactory.builder().build().captureAll();
		ExecutorService scheduler = Executors.newSingleThreadExecutor();
		try {
			String onTheScheduler = scheduler.submit(() -> {
				try (ContextSnapshot.Scope propagated = captured.setThreadLocals()) {
					// a pipeline's doFinally on the scheduler's thread, then more of its work there
					scope.close();
					client.observe("joined", ObservationType.SPAN, () -> "after the close");
					return client.currentTraceId().orElse("none");
				}
			}).get(10, TimeUnit.SECONDS);
			assertThat(onTheScheduler).isEqualTo(TRACE_ID);
			assertThat(scheduler.submit(() -> client.currentTraceId().orElse("none")).get(10, TimeUnit.SECONDS))
				.as("the scheduler's thread once the snapshot's scope restored it")
				.isEqualTo("none");
		}
		finally {
			scheduler.shutdownNow();
		}
		assertThat(outermost()).singleElement()
			.satisfies((record) -> assertThat(traceIdOf(record))
				.isEqualTo(TRACE_ID));
		// the joining thread skips the join closed elsewhere
		assertThat(ObservationContextHolder.get()).isNull();
	}

	@Test
	void workHandedOffOnTheJoiningThreadStaysInTheTraceWhenTheScopeClosesElsewhereWhileItRuns() throws Exception {
		DefaultLangfuseClient client = client(1.0);
		LangfuseScope scope = client.joinTrace(TRACE_ID, PARENT_ID);
		ExecutorService closer = Executors.newSingleThreadExecutor();
		try {
			Runnable observe = () -> {
				client.observe("joined", ObservationType.SPAN, () -> "before the close");
				try {
					// the request's pipeline ends on another thread while this callback runs here
					closer.submit(scope::close).get(10, TimeUnit.SECONDS);
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
				client.observe("joined", ObservationType.SPAN, () -> "after the close");
			};
			// an event loop runs the callback on the thread that joined, the scope still open
			ObservationContextHolder.wrap(observe).run();
		}
		finally {
			closer.shutdownNow();
		}
		assertThat(outermost()).hasSize(2)
			.allSatisfy((record) -> assertThat(traceIdOf(record))
				.isEqualTo(TRACE_ID));
		assertThat(ObservationContextHolder.get()).isNull();
	}

	@Test
	void joinsClosedElsewhereRequestAfterRequestLeaveNothingBehindOnThePooledThread() throws Exception {
		DefaultLangfuseClient client = client(1.0);
		ExecutorService closer = Executors.newSingleThreadExecutor();
		try {
			for (int i = 1; i <= 100; i++) {
				// each request's scope is closed on another thread, as a reactive pipeline's doFinally does
				LangfuseScope scope = client.joinTrace(String.format("%032x", i), null);
				closer.submit(scope::close).get(10, TimeUnit.SECONDS);
				assertThat(client.currentTraceId()).as("after request %d", i).isEmpty();
			}
		}
		finally {
			closer.shutdownNow();
		}
	}

	@Test
	void withoutFlagsTheLocalRateDecides() {
		DefaultLangfuseClient client = client(0.0);
		try (LangfuseScope scope = client.joinTrace(TRACE_ID, PARENT_ID)) {
			client.observe("joined", ObservationType.SPAN, () -> "done");
		}
		assertThat(this.exported).isEmpty();
	}

	@Test
	void malformedFlagsAreIgnoredWithAWarning(CapturedOutput output) {
		observeOnce(client(1.0), "00-" + TRACE_ID + "-" + PARENT_ID + "-zz");
		assertThat(this.exported).hasSize(2);
		assertThat(output).contains("Ignoring the flags of traceparent");
	}

	@Test
	void aRequestWithoutTheHeaderStartsItsOwnTraceAndLogsNothing(CapturedOutput output) {
		DefaultLangfuseClient client = client(1.0);
		assertThat(client.joinTraceparent(null)).isSameAs(LangfuseScope.NOOP);
		assertThat(client.joinTraceparent("  ")).isSameAs(LangfuseScope.NOOP);
		client.observe("own", ObservationType.SPAN, () -> "done");
		assertThat(this.exported).singleElement().satisfies((record) -> assertThat(record.parentSpanId()).isZero());
		assertThat(output).doesNotContain("WARN");
	}

	@Test
	void invalidValuesFromRequestsAreWarnedAboutOnceAMinuteOnOneShortLine(CapturedOutput output) {
		DefaultLangfuseClient client = client(1.0);
		String hostile = "junk\n2026-12-03 WARN forged line " + "x".repeat(10_000);
		for (int i = 0; i < 100; i++) {
			assertThat(client.joinTraceparent(hostile)).isSameAs(LangfuseScope.NOOP);
			client.joinTraceparent("00-" + TRACE_ID + "-" + PARENT_ID + "-zz").close();
		}
		List<String> warnings = output.getOut().lines().filter((line) -> line.contains("WARN")).toList();
		assertThat(warnings).hasSize(2);
		assertThat(warnings.get(0)).contains("Ignoring joinTraceparent: 'junk?2026-12-03 WARN forged line xxx")
			.contains("xxx...' is not a W3C traceparent value")
			.hasSizeLessThan(300);
		assertThat(warnings.get(1)).contains("Ignoring the flags of traceparent");
		assertThat(output.getOut().lines().filter((line) -> line.startsWith("2026-12-03 WARN forged"))).isEmpty();
	}

	@Test
	void valuesThatW3cCallsInvalidAreIgnored(CapturedOutput output) {
		DefaultLangfuseClient client = client(1.0);
		String ids = TRACE_ID + "-" + PARENT_ID + "-01";
		// version ff is forbidden; version 00 has exactly four fields; the version is two hex digits
		for (String invalid : List.of("ff-" + ids, "00-" + ids + "-extra", "0g-" + ids, "000-" + ids, "00-" + ids + "-")) {
			observeOnce(client, invalid);
		}
		assertThat(outermost()).hasSize(5).extracting(ObservationRecord::parentSpanId).containsOnly(0L);
		assertThat(output).contains("is not a W3C traceparent value");
		// a later version may add fields after the four it shares with version 00
		this.exported.clear();
		observeOnce(client, "01-" + ids + "-what-comes-later");
		assertThat(outermost()).extracting(ObservationRecord::parentSpanId)
			.containsExactly(Long.parseUnsignedLong(PARENT_ID, 16));
	}

	@Test
	void digitsOfOtherScriptsAreNotHexDigits(CapturedOutput output) {
		DefaultLangfuseClient client = client(1.0);
		// Character.digit reads these as 0 and 1: they would make the all-zero trace id of W3C
		String arabicIndicZeros = "\u0660".repeat(32);
		String fullwidthOnes = "\uFF11".repeat(16);
		assertThat(LangfuseIds.isValidTraceId(arabicIndicZeros)).isFalse();
		assertThat(LangfuseIds.isValidObservationId(fullwidthOnes)).isFalse();
		assertThat(LangfuseIds.isValidTraceId("\uFF21".repeat(32))).isFalse();
		assertThat(client.joinTrace(arabicIndicZeros, null)).isSameAs(LangfuseScope.NOOP);
		observeOnce(client, "00-" + arabicIndicZeros + "-" + PARENT_ID + "-01");
		assertThat(this.exported).hasSize(2)
			.allSatisfy((record) -> assertThat(record.traceIdHigh() | record.traceIdLow()).isNotZero());
		assertThat(outermost()).singleElement().satisfies((record) -> assertThat(record.parentSpanId()).isZero());
		assertThat(output).contains("is not 32 hex characters");
	}

	@Test
	void theLocalRootUnderARemoteParentIsTheApplicationsRoot() {
		observeOnce(client(1.0), "00-" + TRACE_ID + "-" + PARENT_ID + "-01");
		ObservationRecord joined = this.exported.stream()
			.filter((record) -> record.name().equals("joined"))
			.findFirst()
			.orElseThrow();
		ObservationRecord inner = this.exported.stream()
			.filter((record) -> record.name().equals("inner"))
			.findFirst()
			.orElseThrow();
		assertThat(joined.parentSpanId()).isEqualTo(Long.parseUnsignedLong(PARENT_ID, 16));
		assertThat(joined.isAppRoot()).isTrue();
		assertThat(inner.isAppRoot()).isFalse();
	}

	@Test
	void aRootWithoutARemoteParentIsNotMarked() {
		DefaultLangfuseClient client = client(1.0);
		client.observe("plain", ObservationType.SPAN, () -> "done");
		try (LangfuseScope scope = client.joinTrace(TRACE_ID, null)) {
			client.observe("seeded", ObservationType.SPAN, () -> "done");
		}
		assertThat(this.exported).hasSize(2).allSatisfy((record) -> {
			assertThat(record.parentSpanId()).isZero();
			assertThat(record.isAppRoot()).isFalse();
		});
	}

}
