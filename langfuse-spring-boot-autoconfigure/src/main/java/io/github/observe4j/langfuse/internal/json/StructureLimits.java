package io.github.observe4j.langfuse.internal.json;

/**
 * Limits the {@link JacksonValueSerializer} applies while it writes a value, so that the work
 * stops at the limit instead of serializing everything and cutting afterwards: a caller that
 * passes a huge value pays for what Langfuse receives, not for the whole value.
 *
 * @param maxDepth most objects and arrays nested in one another; deeper ones become the
 * {@code nested deeper than} marker
 * @param maxItems most elements of an array or collection and most entries of a map; the rest
 * are counted in a {@code more items} or {@code more entries} marker
 * @param maxStringChars longest string value kept; a longer one is cut and ends with the
 * {@code chars in total} marker
 * @since 0.1.0
 */
public record StructureLimits(int maxDepth, int maxItems, int maxStringChars) {

	/**
	 * The defaults: 64 levels, 100 items and 16,384 chars per string. A 10,000-element list, a
	 * 1 MB string in a bean or a 5,000-deep structure then costs the caller tens of
	 * microseconds at most; writing a string costs about 2 ns a char on a slow machine, so the
	 * string limit is what bounds the cost of a bean holding a long text.
	 */
	public static final StructureLimits DEFAULTS = new StructureLimits(64, 100, 16_384);

	public StructureLimits {
		if (maxDepth < 1 || maxItems < 1 || maxStringChars < 1) {
			throw new IllegalArgumentException("structure limits must be positive");
		}
	}

}
