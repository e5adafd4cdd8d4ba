package io.github.observe4j.langfuse.internal.export;

import org.jspecify.annotations.Nullable;

/**
 * Final outcome of sending one request with retries.
 *
 * @param kind what happened
 * @param status the HTTP status of the last response, or 0 if there was none
 * @param message what the server or the network said, without credentials
 * @param attempts how many attempts were made
 * @param possiblyDuplicated whether Langfuse may have stored the request already: an earlier
 * attempt timed out, or (for an abort) the request was sent and no answer came; continued:
 * request twice
 * @param protobufBody the body of a successful protobuf response, whose partial success the
 * OTLP exporter reads, or {@code null}
 */
record SendOutcome(Kind kind, int status, String message, int attempts, boolean possiblyDuplicated,
		byte @Nullable [] protobufBody) {

	SendOutcome(Kind kind, int status, String message, int attempts) {
		this(kind, status, message, attempts, false, null);
	}

	SendOutcome(Kind kind, int status, String message, int attempts, boolean possiblyDuplicated) {
		this(kind, status, message, attempts, possiblyDuplicated, null);
	}

	/** The outcome of a request shutdown stopped before it was ever sent. */
	static final SendOutcome NOT_SENT_AT_SHUTDOWN = new SendOutcome(Kind.ABORTED, 0, "shut down before export", 0);

	static SendOutcome success(HttpResult result, int attempts) {
		return new SendOutcome(Kind.SUCCESS, result.status(), "HTTP " + result.status(), attempts, false,
				result.protobufBody());
	}

	static SendOutcome successAfterTimeout(HttpResult result, int attempts) {
		return new SendOutcome(Kind.SUCCESS, result.status(), "HTTP " + result.status() + " after a timed-out attempt",
				attempts, true, result.protobufBody());
	}

	boolean isAuthRejected() {
		return this.kind == Kind.REJECTED && (this.status == 401 || this.status == 403);
	}

	/**
	 * Return the outcome of every request of the same batch that is not sent after this one,
	 * or {@code null} if later requests are worth sending.
	 */
	@Nullable Kind skipRemainingAs() {
		return switch (this.kind) {
			case SUCCESS -> null;
			// Another request cannot fix wrong keys, an unreachable host or a shutdown
			case REJECTED -> isAuthRejected() ? Kind.REJECTED : null;
			case EXHAUSTED, ABORTED -> this.kind;
		};
	}

	/** What happened to a request. */
	enum Kind {

		/** A 2xx response. */
		SUCCESS,

		/** A response that retrying cannot fix (4xx other than 408 and 429). */
		REJECTED,

		/** Network errors, timeouts, 429 or 5xx until all retries were used. */
		EXHAUSTED,

		/** Shutdown ran out of time or the thread was interrupted. */
		ABORTED

	}

}
