package io.github.observe4j.langfuse.internal.json;

import java.io.InputStream;
import java.nio.CharBuffer;
import java.util.Arrays;

import io.github.observe4j.langfuse.internal.support.TruncationMarker;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.Base64Variant;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.util.JsonGeneratorDelegate;

/**
 * A generator that applies the {@link StructureLimits} to what reaches it, for one value: a
 * string longer than the limit is written cut, with its marker, straight from the original;
 * binary content becomes a size placeholder such as {@code "<byte[1048576]>"}, never base64. It
 * also keeps the path of objects and arrays being written, for the bounded serializers to stop
 * at the depth limit and at cycles.
 */
final class BoundedGenerator extends JsonGeneratorDelegate {

	private final StructureLimits limits;

	private Object[] path;

	private int depth;

	BoundedGenerator(JsonGenerator delegate, StructureLimits limits) {
		super(delegate, false);
		this.limits = limits;
		this.path = new Object[Math.min(8, limits.maxDepth())];
	}

	/**
	 * Return the placeholder written for binary content, a JSON string's text.
	 * @param length the number of bytes
	 * @return the placeholder, such as {@code <byte[1048576]>}
	 */
	static String binaryPlaceholder(long length) {
		return "<byte[" + length + "]>";
	}

	/**
	 * Return the same placeholder as a JSON string, quotes included, built at once: the
	 * serializer answers a {@code byte[]} value with it without a generator.
	 * @param length the number of bytes
	 * @return the JSON string, such as {@code "<byte[1048576]>"}
	 */
	static String binaryPlaceholderJson(long length) {
		return "\"<byte[" + length + "]>\"";
	}

	/**
	 * Enter a value about to be written as an object or array, through the bounded generator of
	 * the value being serialized. Any other generator (Jackson may buffer into one of its own) is
	 * bounded by its nesting depth alone.
	 * @param generator the generator
	 * @param value the value
	 * @return {@code null} if it may be written, then {@link #exit(JsonGenerator)} must follow;
	 * otherwise the marker to write in its place
	 */
	static @Nullable String enter(JsonGenerator generator, Object value) {
		if (generator instanceof BoundedGenerator bounded) {
			return bounded.enter(value);
		}
		int maxDepth = StructureLimits.DEFAULTS.maxDepth();
		return (generator.streamWriteContext().getNestingDepth() >= maxDepth) ? TruncationMarker.tooDeep(maxDepth)
				: null;
	}

	/**
	 * Write a marker as a string value, never cut by the string limit.
	 * @param generator the generator
	 * @param marker the marker
	 */
	static void writeMarker(JsonGenerator generator, String marker) {
		JsonGenerator target = (generator instanceof BoundedGenerator bounded) ? bounded.delegate() : generator;
		target.writeString(marker);
	}

	/**
	 * Leave the value last entered.
	 * @param generator the generator
	 */
	static void exit(JsonGenerator generator) {
		if (generator instanceof BoundedGenerator bounded) {
			bounded.exit();
		}
	}

	/**
	 * Start writing an object or array for a value, unless it is nested too deep or already
	 * being written further up (a cycle); then {@link #exit()} must follow.
	 * @param value the value about to be written as an object or array
	 * @return {@code null} if it may be written, otherwise the marker to write in its place
	 */
	@Nullable String enter(Object value) {
		int maxDepth = this.limits.maxDepth();
		if (this.depth >= maxDepth) {
			return TruncationMarker.tooDeep(maxDepth);
		}
		for (int i = 0; i < this.depth; i++) {
			if (this.path[i] == value) {
				return TruncationMarker.CYCLE;
			}
		}
		if (this.depth == this.path.length) {
			// most values are shallow: the path grows only for those that are not
			this.path = Arrays.copyOf(this.path, Math.min(maxDepth, this.depth * 2));
		}
		this.path[this.depth++] = value;
		return null;
	}

	/**
	 * Finish writing the value last {@linkplain #enter(Object) entered}.
	 */
	void exit() {
		this.path[--this.depth] = null;
	}

	@Override
	public JsonGenerator writeString(@Nullable String text) {
		if (text != null && text.length() > this.limits.maxStringChars()) {
			return writeCut(text);
		}
		return super.writeString(text);
	}

	@Override
	public JsonGenerator writeString(char[] text, int offset, int length) {
		if (length > this.limits.maxStringChars()) {
			return writeCut(CharBuffer.wrap(text, offset, length));
		}
		return super.writeString(text, offset, length);
	}

	/**
	 * Write a text that is not a {@link String}, such as a {@link StringBuilder}, copying only
	 * what the string limit keeps.
	 * @param text the text
	 */
	void writeText(CharSequence text) {
		if (text.length() > this.limits.maxStringChars()) {
			writeCut(text);
		}
		else {
			super.writeString(text.toString());
		}
	}

	private JsonGenerator writeCut(CharSequence text) {
		int keep = CutStringReader.keep(text, this.limits.maxStringChars());
		CutStringReader reader = new CutStringReader(text, keep, TruncationMarker.withLength(text.length()));
		return super.writeString(reader, reader.length());
	}

	@Override
	public JsonGenerator writeBinary(Base64Variant variant, byte[] data, int offset, int length) {
		return super.writeString(binaryPlaceholder(length));
	}

	@Override
	public int writeBinary(Base64Variant variant, InputStream data, int length) {
		// Never read: the stream may be the caller's only copy
		super.writeString((length >= 0) ? binaryPlaceholder(length) : "<binary stream>");
		return 0;
	}

}
