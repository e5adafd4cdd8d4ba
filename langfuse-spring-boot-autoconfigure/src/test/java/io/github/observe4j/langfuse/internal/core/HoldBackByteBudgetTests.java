package io.github.observe4j.langfuse.internal.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.model.ByteBudget;
import io.github.observe4j.langfuse.internal.model.CapturedArguments;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.internal.model.RetainedSize;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the byte budget of the observations a {@link LangfuseTracer} holds back until their
 * trace's root ends.
 */
class HoldBackByteBudgetTests {

	private final List<ObservationRecord> offered = new CopyOnWriteArrayList<>();

	@AfterEach
	void clearContext() {
		ObservationContextHolder.swap(null);
	}

	@Test
	void aHeldBackObservationReservesItsEstimateUntilTheRootEnds() {
		ByteBudget budget = new ByteBudget(10_000_000);
		LangfuseTracer tracer = tracer(budget);
		LangfuseSpan root = tracer.startObservation("root", ObservationType.SPAN);
		LangfuseSpan child = childOf(tracer, root, "x".repeat(100_000));
		tracer.endObservation(child);
		assertThat(this.offered).isEmpty();
		assertThat(tracer.heldTotal()).isEqualTo(1);
		assertThat(budget.reserved()).isEqualTo(child.retainedBytes())
			.isEqualTo(RetainedSize.of(child))
			.isGreaterThan(200_000);
		tracer.endObservation(root);
		assertThat(this.offered).containsExactly(child, root);
		// given back; the queue behind the sink reserves them anew
		assertThat(budget.reserved()).isZero();
		assertThat(tracer.heldTotal()).isZero();
	}

	@Test
	void anObservationThatDoesNotFitIsNotHeldButOfferedAtOnce() {
		ByteBudget budget = new ByteBudget(600_000);
		LangfuseTracer tracer = tracer(budget);
		LangfuseSpan root = tracer.startObservation("root", ObservationType.SPAN);
		LangfuseSpan first = childOf(tracer, root, "x".repeat(100_000));
		LangfuseSpan second = childOf(tracer, root, "y".repeat(100_000));
		tracer.endObservation(first);
		tracer.endObservation(second);
		// beyond half the budget nothing more is held; the sink's queue, sharing the budget,
		// then decides whether it fits
		assertThat(this.offered).containsExactly(second);
		assertThat(budget.reserved()).isEqualTo(first.retainedBytes());
		assertThat(tracer.heldTotal()).isEqualTo(1);
		tracer.endObservation(root);
		assertThat(this.offered).containsExactly(second, first, root);
		assertThat(budget.reserved()).isZero();
	}

	@Test
	void aRootThatNeverEndsHoldsAtMostHalfTheBudgetSoExportKeepsTheRest() {
		ByteBudget budget = new ByteBudget(2_000_000);
		LangfuseTracer tracer = tracer(budget);
		LangfuseSpan root = tracer.startObservation("never ends", ObservationType.SPAN);
		for (int i = 0; i < 20; i++) {
			tracer.endObservation(childOf(tracer, root, "x".repeat(100_000)));
		}
		assertThat(budget.reserved()).isPositive().isLessThanOrEqualTo(1_000_000);
		assertThat(tracer.heldTotal()).isLessThan(20);
		assertThat(this.offered).hasSize(20 - tracer.heldTotal());
		assertThat(budget.tryReserve(1_000_000)).as("the other half stays for the export queues").isTrue();
	}

	@Test
	void theEstimateOfAnEndedObservationNeverChanges() {
		LangfuseTracer tracer = tracer(ByteBudget.unlimited());
		LangfuseSpan root = tracer.startObservation("root", ObservationType.SPAN);
		root.input("x".repeat(1000));
		tracer.endObservation(root);
		long estimate = root.retainedBytes();
		// updates after the end are ignored, so the bytes given back are the bytes reserved
		root.output("y".repeat(1_000_000));
		root.metadata("late", "z".repeat(1000));
		assertThat(root.retainedBytes()).isEqualTo(estimate).isEqualTo(RetainedSize.of(root));
	}

	@Test
	void capturedArgumentsKeptWithoutTheirRecordAreReadAndEstimatedAsTheRecord() {
		LangfuseTracer tracer = tracer(ByteBudget.unlimited());
		LangfuseSpan span = tracer.startObservation("captured", ObservationType.SPAN);
		String[] names = { "question", "limit" };
		Object[] arguments = { "q".repeat(5000), 7 };
		tracer.captureArgumentsUnshared(span, names, arguments, new Class<?>[] { String.class, null });
		tracer.endObservation(span);
		assertThat(span.input()).isInstanceOfSatisfying(CapturedArguments.class, (captured) -> {
			assertThat(captured.names()).isSameAs(names);
			assertThat(captured.values()).isSameAs(arguments);
		});
		// the record's own estimate, as if the span held the record
		assertThat(span.retainedBytes()).isEqualTo(RetainedSize.of(span)).isGreaterThan(10_000);
	}

	@Test
	void anInputSetAfterCapturedArgumentsReplacesThemWhole() {
		LangfuseTracer tracer = tracer(ByteBudget.unlimited());
		LangfuseSpan span = tracer.startObservation("replaced", ObservationType.SPAN);
		tracer.captureArgumentsUnshared(span, new String[] { "question" }, new Object[] { "q".repeat(5000) }, null);
		span.input(new Object[] { "short" });
		tracer.endObservation(span);
		assertThat(span.input()).isNotInstanceOf(CapturedArguments.class).isNotInstanceOf(Object[].class);
		assertThat(span.retainedBytes()).isEqualTo(RetainedSize.of(span)).isLessThan(5000);
	}

	private LangfuseTracer tracer(ByteBudget budget) {
		return new LangfuseTracer(TracerSettings.defaults("http://localhost:3000", (value, max) -> "null"),
				this.offered::add, budget);
	}

	private static LangfuseSpan childOf(LangfuseTracer tracer, LangfuseSpan parent, String input) {
		ObservationContext previous = ObservationContextHolder.swap(parent);
		try {
			LangfuseSpan child = tracer.startObservation("child", ObservationType.SPAN);
			child.input(input);
			return child;
		}
		finally {
			ObservationContextHolder.swap(previous);
		}
	}

}
