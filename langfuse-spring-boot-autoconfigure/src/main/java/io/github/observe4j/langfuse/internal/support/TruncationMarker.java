package io.github.observe4j.langfuse.internal.support;

/**
 * The one marker users see at the end of a value the starter cut, so that a reader of the trace
 * knows something is missing: {@code ...[truncated by langfuse-spring-boot-starter, 20971532
 * chars in total]}, or without the length where the cut stopped reading early.
 */
public final class TruncationMarker {

	/** How every marker begins. */
	public static final String PREFIX = "...[truncated by langfuse-spring-boot-starter";

	/** The marker of a value whose full length is not known. */
	public static final String WITHOUT_LENGTH = PREFIX + "]";

	private TruncationMarker() {
	}

	/**
	 * Return the marker of a value of known length.
	 * @param originalLength the length of the value before it was cut, in chars
	 * @return the marker
	 */
	public static String withLength(int originalLength) {
		return PREFIX + ", " + originalLength + " chars in total]";
	}

}
