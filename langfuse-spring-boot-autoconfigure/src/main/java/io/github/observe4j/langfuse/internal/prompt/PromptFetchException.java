package io.github.observe4j.langfuse.internal.prompt;

/**
 * Why a prompt could not be fetched; stays inside this package. The message never holds
 * credentials.
 */
final class PromptFetchException extends RuntimeException {

	/** Low-cardinality kinds, also the keys of the throttled warnings. */
	enum Kind {

		UNREACHABLE, NOT_FOUND, REJECTED, STATUS, INVALID, WRONG_TYPE

	}

	private final Kind kind;

	PromptFetchException(Kind kind, String message) {
		super(message, null, false, false);
		this.kind = kind;
	}

	Kind kind() {
		return this.kind;
	}

}
