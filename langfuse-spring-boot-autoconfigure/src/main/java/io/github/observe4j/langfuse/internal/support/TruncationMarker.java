package io.github.observe4j.langfuse.internal.support;

/**
 * The one marker users see where the starter cut a value, so that a reader of the trace knows
 * something is missing. Every form begins with {@link #PREFIX}:
 * <ul>
 * <li>{@code ...[truncated by langfuse-spring-boot-starter, 20971532 chars in total]} ends a
 * string that was cut;</li>
 * <li>{@code ...[truncated by langfuse-spring-boot-starter]} ends a value cut where reading
 * stopped early, its full length unknown;</li>
 * <li>{@code ...[truncated by langfuse-spring-boot-starter, 9900 more items]} is the last
 * element of a cut array, and the same with {@code more entries} the last key of a cut
 * object;</li>
 * <li>{@code ...[truncated by langfuse-spring-boot-starter, nested deeper than 64 levels]} and
 * {@code ...[truncated by langfuse-spring-boot-starter, reference cycle]} stand in place of an
 * object or array left out.</li>
 * </ul>
 */
public final class TruncationMarker {

	/** How every marker begins. */
	public static final String PREFIX = "...[truncated by langfuse-spring-boot-starter";

	/** The marker of a value whose full length is not known. */
	public static final String WITHOUT_LENGTH = PREFIX + "]";

	/** Stands in place of a value that contains itself, where it appears again. */
	public static final String CYCLE = PREFIX + ", reference cycle]";

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

	/**
	 * Return the marker that ends an array cut short.
	 * @param leftOut how many items were left out
	 * @return the marker
	 */
	public static String moreItems(int leftOut) {
		return PREFIX + ", " + leftOut + " more items]";
	}

	/**
	 * Return the marker that ends an object cut short, as its last key.
	 * @param leftOut how many entries were left out
	 * @return the marker
	 */
	public static String moreEntries(int leftOut) {
		return PREFIX + ", " + leftOut + " more entries]";
	}

	/**
	 * Return the marker that stands in place of an object or array nested too deep.
	 * @param maxDepth the nesting limit
	 * @return the marker
	 */
	public static String tooDeep(int maxDepth) {
		return PREFIX + ", nested deeper than " + maxDepth + " levels]";
	}

}
