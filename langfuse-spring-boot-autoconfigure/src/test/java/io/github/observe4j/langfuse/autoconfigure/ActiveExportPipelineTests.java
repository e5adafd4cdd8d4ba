package io.github.observe4j.langfuse.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import io.github.observe4j.langfuse.internal.support.DeferredInterrupt;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ActiveExportPipeline#shutdownBoth}; the pipeline's shutdown as a whole is
 * tested through a context in {@link LangfuseExportLifecycleTests}.
 */
class ActiveExportPipelineTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private final List<String> steps = new CopyOnWriteArrayList<>();

	@Test
	void theSecondQueueShutsDownOnAThreadOfItsOwnAtTheSameTimeWithTheWholeTimeout() {
		Thread caller = Thread.currentThread();
		CountDownLatch bothRunning = new CountDownLatch(2);
		Throwable failure = ActiveExportPipeline.shutdownBoth((timeout) -> {
			record("traces", timeout, caller);
			awaitTheOther(bothRunning);
		}, (timeout) -> {
			record("scores", timeout, caller);
			awaitTheOther(bothRunning);
			throw new IllegalStateException("scores failed");
		}, TIMEOUT, (task) -> new Thread(task, "scores-shutdown"), DeferredInterrupt.clear());
		assertThat(failure).as("a failure on the scores' thread is reported").hasMessage("scores failed");
		assertThat(this.steps).containsExactlyInAnyOrder("traces PT2S on the caller", "scores PT2S on another thread",
				"both running");
	}

	/** Wait for the other queue's shutdown to be running too: they run at the same time. */
	private void awaitTheOther(CountDownLatch bothRunning) {
		bothRunning.countDown();
		try {
			if (bothRunning.await(5, TimeUnit.SECONDS) && Thread.currentThread().getName().startsWith("scores-")) {
				this.steps.add("both running");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void withoutAThreadTheSecondQueueShutsDownAfterTheFirstOnTheCallerInWhatIsLeft() {
		Thread caller = Thread.currentThread();
		// what Thread.start throws when no native thread is left
		ThreadFactory noThreadLeft = (task) -> new Thread(task) {

			@Override
			public synchronized void start() {
				throw new OutOfMemoryError("unable to create native thread: possibly out of memory");
			}

		};
		Throwable failure = ActiveExportPipeline.shutdownBoth((timeout) -> {
			record("traces", timeout, caller);
			throw new IllegalStateException("traces failed");
		}, (timeout) -> {
			assertThat(timeout).isPositive().isLessThan(TIMEOUT);
			record("scores", Duration.ZERO, caller);
		}, TIMEOUT, noThreadLeft, DeferredInterrupt.clear());
		assertThat(failure).hasMessage("traces failed");
		assertThat(this.steps).containsExactly("traces PT2S on the caller", "scores PT0S on the caller");
	}

	@Test
	void anInterruptThatTheFirstRestoresIsHeldBackFromTheSecondAndRestoredAtTheEnd() {
		Thread caller = Thread.currentThread();
		ThreadFactory noThread = (task) -> {
			throw new IllegalStateException("no thread");
		};
		DeferredInterrupt interrupt = DeferredInterrupt.clear();
		boolean interruptedAtTheEnd;
		try {
			ActiveExportPipeline.shutdownBoth((timeout) -> {
				record("traces", timeout, caller);
				// as a nested shutdown does with an interrupt that arrived while it waited
				Thread.currentThread().interrupt();
			}, (timeout) -> this.steps.add("scores interrupted=" + Thread.currentThread().isInterrupted()), TIMEOUT,
					noThread, interrupt);
			assertThat(Thread.currentThread().isInterrupted()).isFalse();
		}
		finally {
			interrupt.restore();
			interruptedAtTheEnd = Thread.interrupted();
		}
		assertThat(interruptedAtTheEnd).isTrue();
		assertThat(this.steps).containsExactly("traces PT2S on the caller", "scores interrupted=false");
	}

	private void record(String queue, Duration timeout, Thread caller) {
		this.steps.add(queue + " " + timeout + ((Thread.currentThread() == caller) ? " on the caller" : " on another thread"));
	}

}
