package io.github.observe4j.langfuse.internal.export;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;

import io.github.observe4j.langfuse.internal.export.SendOutcome.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RetryingSender}.
 */
class RetryingSenderTests {

	private static final HttpRequest REQUEST = HttpRequest.get("/test");

	private static final RetryPolicy FAST_RETRIES = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), 2);

	@Test
	void retriesNetworkErrorsUntilSuccess() {
		ScriptedTransport transport = new ScriptedTransport().fail(new ConnectException("Connection refused"))
			.fail(new IOException("reset"))
			.answer(new HttpResult(204, null, ""));
		SendOutcome outcome = new RetryingSender(transport, FAST_RETRIES).send(REQUEST);
		assertThat(outcome.kind()).isEqualTo(Kind.SUCCESS);
		assertThat(outcome.attempts()).isEqualTo(3);
	}

	@Test
	void reportsTheLastNetworkErrorWhenRetriesAreExhausted() {
		ScriptedTransport transport = new ScriptedTransport();
		for (int i = 0; i < 4; i++) {
			transport.fail(new ConnectException("Connection refused: /127.0.0.1:9"));
		}
		SendOutcome outcome = new RetryingSender(transport, FAST_RETRIES).send(REQUEST);
		assertThat(outcome.kind()).isEqualTo(Kind.EXHAUSTED);
		assertThat(outcome.message())
			.isEqualTo("ConnectException: Connection refused: /127.0.0.1:9 (after 4 attempts)");
		assertThat(transport.calls.get()).isEqualTo(4);
	}

	@Test
	@Timeout(10)
	void retriesWithoutACountLimitUntilTheRetryDurationRunsOut() {
		ScriptedTransport transport = new ScriptedTransport();
		for (int i = 0; i < 1000; i++) {
			transport.fail(new ConnectException("Connection refused"));
		}
		RetryPolicy byTime = new RetryPolicy(RetryPolicy.DEFAULT_MAX_RETRIES, Duration.ofMillis(5),
				Duration.ofMillis(20), 2, Duration.ofMillis(300));
		long start = System.nanoTime();
		SendOutcome outcome = new RetryingSender(transport, byTime).send(REQUEST);
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(outcome.kind()).isEqualTo(Kind.EXHAUSTED);
		assertThat(outcome.message()).contains("langfuse.export.max-retry-duration is PT0.3S");
		assertThat(took).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
		assertThat(transport.calls.get()).isGreaterThan(10);
	}

	@Test
	void aShortOutageWithinTheRetryDurationIsRiddenOut() {
		ScriptedTransport transport = new ScriptedTransport();
		for (int i = 0; i < 30; i++) {
			transport.fail(new ConnectException("Connection refused"));
		}
		transport.answer(new HttpResult(200, null, ""));
		SendOutcome outcome = new RetryingSender(transport, RetryPolicy.defaults()
			.withBackoff(Duration.ofMillis(1), Duration.ofMillis(2))).send(REQUEST);
		assertThat(outcome.kind()).isEqualTo(Kind.SUCCESS);
		assertThat(outcome.attempts()).isEqualTo(31);
	}

	@Test
	void givesUpWhenRetryAfterIsLongerThanWorthWaiting() {
		ScriptedTransport transport = new ScriptedTransport().answer(new HttpResult(429, "3600", ""));
		SendOutcome outcome = new RetryingSender(transport, FAST_RETRIES).send(REQUEST);
		assertThat(outcome.kind()).isEqualTo(Kind.EXHAUSTED);
		assertThat(outcome.message()).isEqualTo("HTTP 429 (server asked to retry after 3600s)");
		assertThat(transport.calls.get()).isOne();
	}

	@Test
	void doesNotRetryClientErrors() {
		ScriptedTransport transport = new ScriptedTransport()
			.answer(new HttpResult(422, null, "{\"message\":\"Unprocessable\"}"));
		SendOutcome outcome = new RetryingSender(transport, FAST_RETRIES).send(REQUEST);
		assertThat(outcome.kind()).isEqualTo(Kind.REJECTED);
		assertThat(outcome.status()).isEqualTo(422);
		assertThat(outcome.message()).isEqualTo("HTTP 422: Unprocessable");
	}

	@Test
	@Timeout(5)
	void abortingWakesABackoffThatWouldOutlastTheDeadline() throws Exception {
		ScriptedTransport transport = new ScriptedTransport().answer(new HttpResult(503, null, ""))
			.answer(new HttpResult(200, null, ""));
		RetryingSender sender = new RetryingSender(transport,
				new RetryPolicy(3, Duration.ofMinutes(1), Duration.ofMinutes(1), 2),
				Clock.systemUTC(), fixedRandom());
		AtomicReference<SendOutcome> outcome = new AtomicReference<>();
		Thread thread = new Thread(() -> outcome.set(sender.send(REQUEST)));
		thread.start();
		await().atMost(Duration.ofSeconds(2)).until(() -> transport.calls.get() == 1);
		sender.abortRetriesAfter(Duration.ofMillis(100));
		thread.join(2000);
		assertThat(outcome.get().kind()).isEqualTo(Kind.ABORTED);
		assertThat(outcome.get().message()).contains("HTTP 503").contains("shutdown cut retries short");
	}

	@Test
	void anInterruptedThreadDoesNotSend() {
		ScriptedTransport transport = new ScriptedTransport().answer(new HttpResult(200, null, ""));
		Thread.currentThread().interrupt();
		try {
			SendOutcome outcome = new RetryingSender(transport, FAST_RETRIES).send(REQUEST);
			assertThat(outcome.kind()).isEqualTo(Kind.ABORTED);
			assertThat(transport.calls.get()).isZero();
		}
		finally {
			assertThat(Thread.interrupted()).isTrue();
		}
	}

	/** Always the longest backoff. */
	private static RandomGenerator fixedRandom() {
		return new RandomGenerator() {

			@Override
			public long nextLong() {
				return 0;
			}

			@Override
			public double nextDouble() {
				return 0.999;
			}

		};
	}

	/** Answers each request with the next scripted result or failure. */
	@Test
	void aRequestStartedPastTheShutdownDeadlineIsNotSentAndIsAborted() {
		ScriptedTransport transport = new ScriptedTransport().answer(new HttpResult(200, null, ""));
		RetryingSender sender = new RetryingSender(transport, FAST_RETRIES);
		sender.abortRetriesAfter(Duration.ZERO);
		RetryingSender.Started started = sender.start(REQUEST);
		SendOutcome outcome = sender.finish(started);
		assertThat(transport.calls.get()).isZero();
		assertThat(outcome.kind()).isEqualTo(Kind.ABORTED);
		assertThat(outcome.attempts()).isZero();
		assertThat(outcome.possiblyDuplicated()).isFalse();
		assertThat(outcome.message()).isEqualTo("shutdown timeout elapsed before the request was sent");
	}

	@Test
	@Timeout(10)
	void aStartedRequestWhoseAnswerHasNotComeByTheDeadlineIsAbortedAsPossiblyStored() {
		CompletableFuture<HttpResult> never = new CompletableFuture<>();
		HttpTransport transport = (request) -> never;
		RetryingSender sender = new RetryingSender(transport, FAST_RETRIES);
		RetryingSender.Started started = sender.start(REQUEST);
		// shutdown sets its deadline between the send and the wait for the answer
		sender.abortRetriesAfter(Duration.ofMillis(50));
		SendOutcome outcome = sender.finish(started);
		assertThat(outcome.kind()).isEqualTo(Kind.ABORTED);
		assertThat(outcome.attempts()).isOne();
		assertThat(outcome.possiblyDuplicated()).isTrue();
		assertThat(never).isCancelled();
	}

	@Test
	void theAnswerToAStartedRequestIsKeptUntilItIsFinished() {
		ScriptedTransport transport = new ScriptedTransport().fail(new ConnectException("Connection refused"))
			.answer(new HttpResult(204, null, ""));
		RetryingSender sender = new RetryingSender(transport, FAST_RETRIES);
		RetryingSender.Started started = sender.start(REQUEST);
		assertThat(transport.calls.get()).isOne();
		SendOutcome outcome = sender.finish(started);
		assertThat(outcome.kind()).isEqualTo(Kind.SUCCESS);
		assertThat(outcome.attempts()).isEqualTo(2);
		assertThat(transport.calls.get()).isEqualTo(2);
	}

	private static final class ScriptedTransport implements HttpTransport {

		private final Deque<CompletableFuture<HttpResult>> responses = new ArrayDeque<>();

		private final AtomicInteger calls = new AtomicInteger();

		ScriptedTransport answer(HttpResult result) {
			this.responses.add(CompletableFuture.completedFuture(result));
			return this;
		}

		ScriptedTransport fail(Throwable failure) {
			this.responses.add(CompletableFuture.failedFuture(failure));
			return this;
		}

		@Override
		public synchronized CompletableFuture<HttpResult> send(HttpRequest request) {
			this.calls.incrementAndGet();
			CompletableFuture<HttpResult> next = this.responses.poll();
			return (next != null) ? next : CompletableFuture.failedFuture(new IllegalStateException("unscripted"));
		}

	}

}
