package io.github.observe4j.langfuse.internal.support;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.observe4j.langfuse.testsupport.InterruptThenEnd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DeferredInterrupt}: waits that an interrupt does not cut short, and the
 * interrupt set again at the end.
 */
class DeferredInterruptTests {

	@AfterEach
	void clearInterrupt() {
		Thread.interrupted();
	}

	@Test
	void anInterruptSetBeforeIsClearedForTheShutdownAndRestoredAfterIt() {
		Thread.currentThread().interrupt();
		DeferredInterrupt interrupt = DeferredInterrupt.clear();
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
		interrupt.restore();
		assertThat(Thread.currentThread().isInterrupted()).isTrue();
	}

	@Test
	void aWaitThatIsInterruptedGoesOnUntilTheFutureCompletes() {
		DeferredInterrupt interrupt = DeferredInterrupt.clear();
		CompletableFuture<Void> future = new CompletableFuture<>();
		InterruptThenEnd.schedule(Thread.currentThread(), () -> future.complete(null));
		assertThat(interrupt.await(future, Duration.ofSeconds(10))).isTrue();
		assertThat(Thread.currentThread().isInterrupted()).as("held back until restored").isFalse();
		interrupt.restore();
		assertThat(Thread.currentThread().isInterrupted()).isTrue();
	}

	@Test
	void aWaitEndsAtItsTimeout() {
		DeferredInterrupt interrupt = DeferredInterrupt.clear();
		assertThat(interrupt.await(new CompletableFuture<>(), Duration.ofMillis(50))).isFalse();
		interrupt.restore();
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
	}

	@Test
	void aJoinThatIsInterruptedGoesOnUntilTheThreadEnds() throws InterruptedException {
		DeferredInterrupt interrupt = DeferredInterrupt.clear();
		CountDownLatch release = new CountDownLatch(1);
		Thread thread = new Thread(() -> {
			try {
				release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		thread.start();
		InterruptThenEnd.schedule(Thread.currentThread(), release::countDown);
		interrupt.join(thread, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
		assertThat(thread.isAlive()).isFalse();
		interrupt.restore();
		assertThat(Thread.currentThread().isInterrupted()).isTrue();
	}

	@Test
	void anInterruptRestoredByAStepIsAbsorbedAndRestoredAtTheEnd() {
		DeferredInterrupt interrupt = DeferredInterrupt.clear();
		Thread.currentThread().interrupt();
		interrupt.absorb();
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
		interrupt.restore();
		assertThat(Thread.currentThread().isInterrupted()).isTrue();
	}

}
