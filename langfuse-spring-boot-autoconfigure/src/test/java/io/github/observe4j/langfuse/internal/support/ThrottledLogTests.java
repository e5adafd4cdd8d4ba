package io.github.observe4j.langfuse.internal.support;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

/**
 * Tests for {@link ThrottledLog}.
 */
class ThrottledLogTests {

	private final Log log = mock(Log.class);

	private final AtomicLong nanoTime = new AtomicLong();

	private final ThrottledLog throttledLog = new ThrottledLog(this.log, Duration.ofMinutes(1), this.nanoTime::get);

	@Test
	void logsOncePerIntervalPerKeyAndReportsSuppressedCount() {
		given(this.log.isWarnEnabled()).willReturn(true);
		assertThat(this.throttledLog.warn("down", () -> "Langfuse is down")).isTrue();
		assertThat(this.throttledLog.warn("down", () -> "Langfuse is down")).isFalse();
		assertThat(this.throttledLog.warn("down", () -> "Langfuse is down")).isFalse();
		assertThat(this.throttledLog.warn("other", () -> "Something else")).isTrue();
		assertThat(this.throttledLog.suppressedCount("down")).isEqualTo(2);
		this.nanoTime.addAndGet(Duration.ofMinutes(1).toNanos());
		assertThat(this.throttledLog.warn("down", () -> "Langfuse is still down")).isTrue();
		then(this.log).should().warn("Langfuse is down");
		then(this.log).should().warn("Something else");
		then(this.log).should().warn("Langfuse is still down (2 similar messages suppressed)");
		assertThat(this.throttledLog.suppressedCount("down")).isZero();
	}

	@Test
	void describesTheCauseOnOneLineAndLogsItsStackTraceAtDebug() {
		given(this.log.isWarnEnabled()).willReturn(true);
		given(this.log.isDebugEnabled()).willReturn(true);
		IllegalStateException cause = new IllegalStateException("boom");
		this.throttledLog.warn("failed", () -> "Export failed", cause);
		then(this.log).should().warn("Export failed: IllegalStateException: boom");
		then(this.log).should().debug("Export failed", cause);
		then(this.log).should(never()).warn(any(), any());
	}

	@Test
	void leavesTheStackTraceOutWhenDebugIsOff() {
		given(this.log.isWarnEnabled()).willReturn(true);
		this.throttledLog.warn("failed", () -> "Export failed", new IllegalStateException("boom"));
		then(this.log).should().warn("Export failed: IllegalStateException: boom");
		then(this.log).should(never()).debug(any(), any());
	}

	@Test
	void doesNotBuildMessagesWhenWarnIsDisabled() {
		given(this.log.isWarnEnabled()).willReturn(false);
		assertThat(this.throttledLog.warn("down", () -> {
			throw new AssertionError("message built");
		})).isFalse();
		then(this.log).should(never()).warn(any());
	}

}
