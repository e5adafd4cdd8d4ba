package io.github.observe4j.langfuse.autoconfigure;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ActiveExportPipeline}'s shutdown helpers; its shutdown as a whole is tested
 * through a context in {@link LangfuseExportLifecycleTests}.
 */
class ActiveExportPipelineTests {

	@Test
	void aThreadThatStartsIsReportedStarted() throws InterruptedException {
		CountDownLatch ran = new CountDownLatch(1);
		Thread thread = new Thread(ran::countDown, "starts");
		assertThat(ActiveExportPipeline.startThread(thread)).isTrue();
		assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void aThreadTheJvmCannotStartIsReportedInsteadOfFailingTheShutdown() {
		// what Thread.start throws when no native thread is left
		Thread thread = new Thread(() -> {
		}, "cannot start") {

			@Override
			public synchronized void start() {
				throw new OutOfMemoryError("unable to create native thread: possibly out of memory");
			}

		};
		assertThat(ActiveExportPipeline.startThread(thread)).isFalse();
	}

}
