package io.github.observe4j.langfuse.internal.support;

import java.io.IOException;
import java.net.http.HttpConnectTimeoutException;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

/**
 * Tests for {@link Failures}.
 */
class FailuresTests {

	private final Log log = mock(Log.class);

	@Test
	void warnsOnOneLineAndLogsTheStackTraceAtDebug() {
		given(this.log.isDebugEnabled()).willReturn(true);
		IllegalStateException failure = new IllegalStateException("tracer\n  broken");
		Failures.warn(this.log, "Langfuse could not end observation 'x'", failure);
		then(this.log).should().warn("Langfuse could not end observation 'x': IllegalStateException: tracer broken");
		then(this.log).should().debug("Langfuse could not end observation 'x'", failure);
		then(this.log).should(never()).warn(any(), any());
	}

	@Test
	void leavesTheStackTraceOutWhenDebugIsOff() {
		Failures.warn(this.log, "Langfuse flush failed", new IllegalStateException("boom"));
		then(this.log).should().warn("Langfuse flush failed: IllegalStateException: boom");
		then(this.log).should(never()).debug(any(), any());
	}

	@Test
	void describesAFailureAndItsCauseOnOneLineInAtMostThreeHundredCharacters() {
		assertThat(Failures.describe(new NoClassDefFoundError())).isEqualTo("NoClassDefFoundError");
		assertThat(Failures.describe(new IllegalStateException("wrapped", new IOException("reset by peer"))))
			.isEqualTo("IllegalStateException: wrapped (IOException: reset by peer)");
		// a message that already says its cause's is not repeated
		IOException cause = new IOException("reset by peer");
		assertThat(Failures.describe(new IllegalStateException(cause.toString(), cause)))
			.isEqualTo("IllegalStateException: java.io.IOException: reset by peer");
		assertThat(Failures.describe(new IllegalStateException("x".repeat(1000)))).hasSize(303)
			.startsWith("IllegalStateException: xxx")
			.endsWith("x...");
	}

	@Test
	void rethrowsVirtualMachineErrorsButAStackOverflow() {
		assertThatExceptionOfType(OutOfMemoryError.class)
			.isThrownBy(() -> Failures.rethrowIfFatal(new OutOfMemoryError("heap")));
		assertThatNoException().isThrownBy(() -> Failures.rethrowIfFatal(new StackOverflowError()));
		assertThatNoException().isThrownBy(() -> Failures.rethrowIfFatal(new LinkageError("conflict")));
	}

	@Test
	void walksTheCauseChainEvenWhenItLoops() {
		LoopingException looping = new LoopingException();
		Exception failure = new RuntimeException(new TimeoutException("slow"));
		assertThat(Failures.anyCause(failure, TimeoutException.class::isInstance)).isTrue();
		assertThat(Failures.anyCause(failure, HttpConnectTimeoutException.class::isInstance)).isFalse();
		assertThat(Failures.rootCause(failure)).isInstanceOf(TimeoutException.class);
		assertThat(Failures.anyCause(looping, IOException.class::isInstance)).isFalse();
		assertThat(Failures.rootCause(looping)).isInstanceOf(LoopingException.class);
	}

	/** An exception whose cause chain never ends. */
	private static final class LoopingException extends RuntimeException {

		@Override
		public synchronized Throwable getCause() {
			return new LoopingException();
		}

	}

}
