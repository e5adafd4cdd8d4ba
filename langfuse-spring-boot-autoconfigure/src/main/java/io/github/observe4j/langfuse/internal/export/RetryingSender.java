package io.github.observe4j.langfuse.internal.export;

import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

import io.github.observe4j.langfuse.internal.export.SendOutcome.Kind;
import io.github.observe4j.langfuse.internal.support.Failures;
import org.jspecify.annotations.Nullable;

/**
 * Sends one request through an {@link HttpTransport}, retrying as a {@link RetryPolicy} says.
 * Waits are interruptible and end early once {@link #abortRetriesAfter(Duration)} has set a
 * deadline that the next attempt would miss. Safe for concurrent sends.
 */
final class RetryingSender {

	/**
	 * Backstop for a transport that never completes its future; the transport applies its own,
	 * much shorter request timeout.
	 */
	private static final Duration RESPONSE_BACKSTOP = Duration.ofMinutes(2);

	/** Jitter from the calling thread's own generator: the score exporter sends from several threads. */
	private static final RandomGenerator CURRENT_THREAD_RANDOM = () -> ThreadLocalRandom.current().nextLong();

	private final HttpTransport transport;

	private final RetryPolicy retryPolicy;

	private final Clock clock;

	private final RandomGenerator random;

	private final Object lock = new Object();

	private volatile boolean deadlineSet;

	/** Completed when shutdown sets the deadline, to wake a wait for a response. */
	private final CompletableFuture<Void> deadlineSignal = new CompletableFuture<>();

	private volatile long deadlineNanos;

	RetryingSender(HttpTransport transport, RetryPolicy retryPolicy) {
		this(transport, retryPolicy, Clock.systemUTC(), CURRENT_THREAD_RANDOM);
	}

	RetryingSender(HttpTransport transport, RetryPolicy retryPolicy, Clock clock, RandomGenerator random) {
		this.transport = transport;
		this.retryPolicy = retryPolicy;
		this.clock = clock;
		this.random = random;
	}

	void abortRetriesAfter(Duration timeLeft) {
		synchronized (this.lock) {
			this.deadlineNanos = System.nanoTime() + timeLeft.toNanos();
			this.deadlineSet = true;
			this.lock.notifyAll();
		}
		this.deadlineSignal.complete(null);
	}

	SendOutcome send(HttpRequest request) {
		return finish(start(request));
	}

	/**
	 * Send a request's first attempt without waiting for its answer; {@link #finish} waits and
	 * retries. Never throws.
	 * @param request the request
	 * @return the request with its first attempt, which is not sent past the shutdown deadline
	 */
	Started start(HttpRequest request) {
		long now = System.nanoTime();
		return new Started(request, isPastDeadline(now) ? null : transportSend(request), now);
	}

	/**
	 * Wait for the answer to a request's first attempt, and retry as the policy says.
	 * @param started the request, from {@link #start}
	 * @return what became of it
	 */
	SendOutcome finish(Started started) {
		HttpRequest request = started.request();
		long firstAttemptNanos = started.nanos();
		boolean timedOutBefore = false;
		int attempt = 0;
		while (true) {
			attempt++;
			CompletableFuture<HttpResult> future = (attempt == 1) ? started.firstAttempt()
					: isPastDeadline(System.nanoTime()) ? null : transportSend(request);
			if (future == null) {
				return aborted(attempt - 1, "shutdown timeout elapsed before the request was sent", timedOutBefore);
			}
			Response response = awaitResponse(future);
			if (response.aborted()) {
				// sent, but no answer: Langfuse may have stored it
				return aborted(attempt, "interrupted or shutdown timeout elapsed while waiting for a response", true);
			}
			HttpResult result = response.result();
			if (result != null && result.isSuccess()) {
				return timedOutBefore ? SendOutcome.successAfterTimeout(result, attempt)
						: SendOutcome.success(result, attempt);
			}
			timedOutBefore |= response.timedOut();
			if (result != null && !RetryPolicy.isRetryable(result.status())) {
				return new SendOutcome(Kind.REJECTED, result.status(), ServerMessages.describe(result), attempt);
			}
			String failure = (result != null) ? ServerMessages.describe(result) : response.error();
			int status = (result != null) ? result.status() : 0;
			if (attempt > this.retryPolicy.maxRetries()) {
				return new SendOutcome(Kind.EXHAUSTED, status, failure + " (after " + attempt + " attempts)", attempt);
			}
			Duration wait = this.retryPolicy.backoff(attempt, this.random);
			Duration retryAfter = (result != null) ? RetryPolicy.parseRetryAfter(result.retryAfter(), this.clock)
					: null;
			if (retryAfter != null) {
				if (retryAfter.compareTo(RetryPolicy.MAX_RETRY_AFTER) > 0) {
					return new SendOutcome(Kind.EXHAUSTED, status,
							failure + " (server asked to retry after " + retryAfter.toSeconds() + "s)", attempt);
				}
				wait = (retryAfter.compareTo(wait) > 0) ? retryAfter : wait;
			}
			long retryAtNanos = System.nanoTime() + wait.toNanos();
			if (retryAtNanos - firstAttemptNanos > this.retryPolicy.maxRetryDuration().toNanos()) {
				return new SendOutcome(Kind.EXHAUSTED, status,
						failure + " (after " + attempt + " attempts over "
								+ Duration.ofNanos(System.nanoTime() - firstAttemptNanos).toSeconds()
								+ "s; langfuse.export.max-retry-duration is " + this.retryPolicy.maxRetryDuration() + ")",
						attempt);
			}
			if (!sleep(wait)) {
				return aborted(attempt, failure + " (shutdown cut retries short)", timedOutBefore);
			}
		}
	}

	private CompletableFuture<HttpResult> transportSend(HttpRequest request) {
		try {
			return this.transport.send(request);
		}
		catch (RuntimeException | LinkageError ex) {
			// The transport contract says it never throws, but a broken one must not stop retries
			return CompletableFuture.failedFuture(ex);
		}
	}

	private Response awaitResponse(CompletableFuture<HttpResult> future) {
		long backstop = System.nanoTime() + RESPONSE_BACKSTOP.toNanos();
		try {
			if (!this.deadlineSet) {
				// wakes when the response comes or when shutdown sets a deadline, without polling
				CompletableFuture.anyOf(future, this.deadlineSignal)
					.get(Math.max(0, backstop - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			if (future.isDone()) {
				return Response.of(future.get());
			}
			if (!this.deadlineSet) {
				future.cancel(true);
				return new Response(null, "no response within " + RESPONSE_BACKSTOP.toSeconds() + "s", false, true);
			}
			long limit = Math.min(this.deadlineNanos, backstop);
			return Response.of(future.get(Math.max(0, limit - System.nanoTime()), TimeUnit.NANOSECONDS));
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			return this.deadlineSet ? Response.ABORTED
					: new Response(null, "no response within " + RESPONSE_BACKSTOP.toSeconds() + "s", false, true);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			future.cancel(true);
			return Response.ABORTED;
		}
		catch (ExecutionException ex) {
			if (!future.isDone()) {
				// anyOf failed through the deadline signal, which never fails; be safe anyway
				return Response.error(ex);
			}
			return Response.error((ex.getCause() != null) ? ex.getCause() : ex);
		}
		catch (CancellationException ex) {
			return Response.error("request cancelled");
		}
	}

	/**
	 * Wait before the next attempt.
	 * @return {@code false} if the wait was interrupted or would end after the deadline
	 */
	private boolean sleep(Duration wait) {
		long wakeAt = System.nanoTime() + wait.toNanos();
		synchronized (this.lock) {
			while (true) {
				// No point waiting for a retry that the shutdown deadline will not allow
				if (this.deadlineSet && wakeAt - this.deadlineNanos > 0) {
					return false;
				}
				long remaining = wakeAt - System.nanoTime();
				if (remaining <= 0) {
					return true;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.lock, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
		}
	}

	private boolean isPastDeadline(long now) {
		return Thread.currentThread().isInterrupted() || (this.deadlineSet && now - this.deadlineNanos >= 0);
	}

	private static SendOutcome aborted(int attempts, String message, boolean possiblyStored) {
		return new SendOutcome(Kind.ABORTED, 0, message, attempts, possiblyStored);
	}

	// A request that timed out may still have been stored: a retry can then store it twice
	private static boolean isTimeout(Throwable failure) {
		// a connect timeout never reached the server: nothing can have been stored
		return !Failures.anyCause(failure, HttpConnectTimeoutException.class::isInstance) && Failures.anyCause(failure,
				(cause) -> cause instanceof TimeoutException || cause instanceof HttpTimeoutException);
	}

	/**
	 * A request whose first attempt is out.
	 * @param request the request
	 * @param firstAttempt its answer, or {@code null} if it was not sent because the shutdown
	 * deadline had passed
	 * @param nanos when it was sent, by {@link System#nanoTime()}
	 */
	record Started(HttpRequest request, @Nullable CompletableFuture<HttpResult> firstAttempt, long nanos) {

	}

	/** The result of one attempt: a response, a network error, or an abort. */
	private record Response(@Nullable HttpResult result, String error, boolean aborted, boolean timedOut) {

		static final Response ABORTED = new Response(null, "aborted", true, false);

		static Response of(HttpResult result) {
			return new Response(result, "", false, false);
		}

		static Response error(String error) {
			return new Response(null, error, false, false);
		}

		static Response error(Throwable failure) {
			return new Response(null, Failures.describe(failure), false, isTimeout(failure));
		}

	}

}
