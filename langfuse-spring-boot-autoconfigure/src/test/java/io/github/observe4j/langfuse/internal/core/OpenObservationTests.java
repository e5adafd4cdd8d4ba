package io.github.observe4j.langfuse.internal.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.context.LangfuseObservation;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.testsupport.TestExportControl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for observations opened with {@code startObservation}: closed in order, out of order,
 * or on another thread, nothing ended may stay current.
 */
@ExtendWith(OutputCaptureExtension.class)
class OpenObservationTests {

	private final List<ObservationRecord> exported = new CopyOnWriteArrayList<>();

	private final LangfuseTracer tracer = new LangfuseTracer(
			TracerSettings.defaults("http://localhost:3000", (value, max) -> "null"), this.exported::add);

	private final DefaultLangfuseClient client = new DefaultLangfuseClient(this.tracer, (score) -> true,
			TestExportControl.withoutProject());

	@AfterEach
	void nothingLeftOnTheTestThread() {
		ObservationContextHolder.swap(null);
	}

	@Test
	void nestedHandlesClosedInOrderRestoreEachOther() {
		try (LangfuseObservation outer = this.client.startObservation("outer", ObservationType.SPAN)) {
			try (LangfuseObservation inner = this.client.startObservation("inner", ObservationType.SPAN)) {
				assertThat(ObservationContextHolder.currentSpan().name()).isEqualTo("inner");
			}
			assertThat(ObservationContextHolder.currentSpan().name()).isEqualTo("outer");
		}
		assertThat(ObservationContextHolder.get()).isNull();
		assertThat(this.exported).hasSize(2);
	}

	@Test
	void workHandedOffUnderAHandleOpenedOverNothingRunsInATraceOfItsOwnOnceTheHandleClosed() {
		Runnable task;
		try (LangfuseObservation handle = this.client.startObservation("handle", ObservationType.SPAN)) {
			Runnable observe = () -> this.client.observe("late", ObservationType.SPAN, () -> "late");
			task = ObservationContextHolder.wrap(observe);
		}
		task.run();
		ObservationRecord late = this.exported.stream()
			.filter((record) -> record.name().equals("late"))
			.findFirst()
			.orElseThrow();
		// the handle had ended and was opened over nothing: a root of a new, real trace
		assertThat(late.parentSpanId()).isZero();
		assertThat(late.traceIdHigh() | late.traceIdLow()).isNotZero();
		assertThat(ObservationContextHolder.get()).isNull();
	}

	@Test
	void closingOutOfOrderLeavesNothingEndedCurrent(CapturedOutput output) {
		LangfuseObservation a = this.client.startObservation("a", ObservationType.SPAN);
		LangfuseObservation b = this.client.startObservation("b", ObservationType.SPAN);
		a.close();
		b.close();
		assertThat(ObservationContextHolder.currentSpan()).isNull();
		assertThat(this.client.currentTraceId()).isEmpty();
		// the next request on this thread starts a trace of its own
		this.client.observe("next request", ObservationType.SPAN, () -> "done");
		ObservationRecord next = this.exported.stream()
			.filter((record) -> record.name().equals("next request"))
			.findFirst()
			.orElseThrow();
		assertThat(next.parentSpanId()).isZero();
		assertThat(output).contains("Langfuse observation 'a' was closed while not current");
	}

	@Test
	void closingOnAnotherThreadLeavesNothingUsableOnTheOpeningThread(CapturedOutput output) throws Exception {
		LangfuseObservation handle = this.client.startObservation("handed over", ObservationType.SPAN);
		Thread other = new Thread(handle::close);
		other.start();
		other.join(5000);
		assertThat(this.exported).extracting(ObservationRecord::name).containsExactly("handed over");
		assertThat(this.client.currentTraceId()).isEmpty();
		Runnable task = () -> {
		};
		assertThat(ObservationContextHolder.wrap(task)).as("nothing live to carry").isSameAs(task);
		this.client.observe("later", ObservationType.SPAN, () -> "done");
		assertThat(this.exported.get(1).parentSpanId()).isZero();
		// the call restored what it found as it is now: the ended span is not kept by this thread
		assertThat(ObservationContextHolder.swap(null)).isNull();
		assertThat(output).contains("was closed while not current");
	}

	@Test
	void aGenerationClosedOnAnotherThreadFallsBackToWhatItWasOpenedOverAndKeepsItsFields(CapturedOutput output) {
		String outerName = this.client.observe("outer", ObservationType.SPAN, () -> {
			LangfuseObservation generation = this.client.startObservation("call", ObservationType.GENERATION);
			// the fields share the span's details with what the handle was opened over
			generation.model("gpt-4o").usage(3, 4).metadata("attempt", 1).level(null);
			CompletableFuture.runAsync(generation::close).join();
			return ObservationContextHolder.currentSpan().name();
		});
		assertThat(outerName).as("current after the generation ended elsewhere").isEqualTo("outer");
		assertThat(this.exported).extracting(ObservationRecord::name).containsExactly("call", "outer");
		ObservationRecord call = this.exported.get(0);
		assertThat(call.model()).isEqualTo("gpt-4o");
		assertThat(call.usageDetails()).containsEntry("input", 3L).containsEntry("total", 7L);
		assertThat(call.metadata()).containsEntry("attempt", 1);
		assertThat(call.parentSpanId()).isEqualTo(this.exported.get(1).spanId());
		assertThat(output).contains("Langfuse observation 'call' was closed while not current");
	}

}
