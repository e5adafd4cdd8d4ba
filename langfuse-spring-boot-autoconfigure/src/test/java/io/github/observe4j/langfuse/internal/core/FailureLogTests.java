package io.github.observe4j.langfuse.internal.core;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

/**
 * Tests for {@link FailureLog}.
 */
class FailureLogTests {

	private final Log log = mock(Log.class);

	@Test
	void warnsOnOneLineAndLogsTheStackTraceAtDebug() {
		given(this.log.isDebugEnabled()).willReturn(true);
		IllegalStateException failure = new IllegalStateException("tracer\n  broken");
		FailureLog.warn(this.log, "Langfuse could not end observation 'x'", failure);
		then(this.log).should().warn("Langfuse could not end observation 'x': IllegalStateException: tracer broken");
		then(this.log).should().debug("Langfuse could not end observation 'x'", failure);
		then(this.log).should(never()).warn(any(), any());
	}

	@Test
	void leavesTheStackTraceOutWhenDebugIsOff() {
		FailureLog.warn(this.log, "Langfuse flush failed", new IllegalStateException("boom"));
		then(this.log).should().warn("Langfuse flush failed: IllegalStateException: boom");
		then(this.log).should(never()).debug(any(), any());
	}

	@Test
	void describesAFailureInAtMostAboutTwoHundredCharacters() {
		assertThat(FailureLog.describe(new NoClassDefFoundError())).isEqualTo("NoClassDefFoundError");
		assertThat(FailureLog.describe(new IllegalStateException("x".repeat(1000)))).hasSize(203)
			.startsWith("IllegalStateException: xxx")
			.endsWith("x...");
	}

}
