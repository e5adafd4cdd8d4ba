package io.github.observe4j.langfuse.internal.export;

import java.nio.charset.StandardCharsets;

import io.github.observe4j.langfuse.internal.support.LogValues;
import org.jspecify.annotations.Nullable;

/**
 * The spans an OTLP/HTTP server accepted the request of but did not keep: the
 * {@code partial_success} of an {@code ExportTraceServiceResponse}, which a collector or gateway
 * answers with 200 when it drops some spans. The client must not retry them, and must not count
 * them as delivered.
 *
 * @param rejectedSpans how many spans of the request were not kept, positive
 * @param message what the server said, on one line and cut to a readable length, possibly empty
 */
record PartialSuccess(long rejectedSpans, String message) {

	private static final int MAX_MESSAGE_LENGTH = 300;

	/**
	 * Read the partial success of a request's outcome.
	 * @param outcome the outcome
	 * @return the rejected spans of a successful protobuf answer, or {@code null}
	 */
	static @Nullable PartialSuccess of(SendOutcome outcome) {
		byte[] body = outcome.protobufBody();
		return (outcome.kind() == SendOutcome.Kind.SUCCESS && body != null) ? parse(body) : null;
	}

	/**
	 * Return how many of a request's items were not kept.
	 * @param count the items of the request
	 * @return the rejected spans, at most {@code count}
	 */
	int rejectedOf(int count) {
		return (int) Math.min(count, this.rejectedSpans);
	}

	/**
	 * Read the partial success of a protobuf {@code ExportTraceServiceResponse}. The transport
	 * keeps only the start of a long body, so a partial success cut short by the body's end is
	 * read as far as it goes.
	 * @param body the response body, possibly only its start
	 * @return the rejected spans, or {@code null} if none were rejected or the body is not such
	 * a response (it is then read as full success, as before)
	 */
	static @Nullable PartialSuccess parse(byte[] body) {
		PartialSuccess found = null;
		try {
			Reader response = new Reader(body, 0, body.length);
			while (response.hasMore()) {
				int tag = response.varint32();
				if (tag == ((1 << 3) | 2)) {
					found = parsePartialSuccess(response.subUpTo(response.varint32()));
				}
				else {
					response.skip(tag);
				}
			}
			return found;
		}
		catch (IllegalArgumentException ex) {
			// a field after a complete partial success cut short or malformed: what was read stands
			return found;
		}
	}

	private static @Nullable PartialSuccess parsePartialSuccess(Reader reader) {
		long rejected = 0;
		String message = "";
		try {
			while (reader.hasMore()) {
				int tag = reader.varint32();
				if (tag == ((1 << 3) | 0)) {
					rejected = reader.varint64();
				}
				else if (tag == ((2 << 3) | 2)) {
					message = reader.string(reader.varint32());
				}
				else {
					reader.skip(tag);
				}
			}
		}
		catch (IllegalArgumentException ex) {
			if (rejected <= 0 || !reader.cut) {
				throw ex;
			}
			// the body ended inside a field after the count was read: the count stands
		}
		return (rejected > 0) ? new PartialSuccess(rejected, message) : null;
	}

	/** Reads protobuf fields from a slice of an array; anything malformed is an IllegalArgumentException. */
	private static final class Reader {

		private final byte[] bytes;

		private int position;

		private final int end;

		/** Whether the field this reads ran on past the end of the body. */
		private final boolean cut;

		Reader(byte[] bytes, int from, int end) {
			this(bytes, from, end, false);
		}

		private Reader(byte[] bytes, int from, int end, boolean cut) {
			this.bytes = bytes;
			this.position = from;
			this.end = end;
			this.cut = cut;
		}

		boolean hasMore() {
			return this.position < this.end;
		}

		long varint64() {
			long value = 0;
			for (int shift = 0; shift < 64; shift += 7) {
				if (this.position >= this.end) {
					throw new IllegalArgumentException("truncated varint");
				}
				byte b = this.bytes[this.position++];
				value |= (long) (b & 0x7F) << shift;
				if (b >= 0) {
					return value;
				}
			}
			throw new IllegalArgumentException("varint too long");
		}

		int varint32() {
			long value = varint64();
			if (value < 0 || value > Integer.MAX_VALUE) {
				throw new IllegalArgumentException("not a length or tag");
			}
			return (int) value;
		}

		Reader sub(int length) {
			if (length > this.end - this.position) {
				throw new IllegalArgumentException("truncated field");
			}
			Reader sub = new Reader(this.bytes, this.position, this.position + length);
			this.position += length;
			return sub;
		}

		/** A field that may run past the end of the body: what arrived of it. */
		Reader subUpTo(int length) {
			if (length <= this.end - this.position) {
				return sub(length);
			}
			Reader sub = new Reader(this.bytes, this.position, this.end, true);
			this.position = this.end;
			return sub;
		}

		String string(int length) {
			Reader text = this.cut ? subUpTo(length) : sub(length);
			int kept = Math.min(text.end - text.position, MAX_MESSAGE_LENGTH);
			String value = new String(this.bytes, text.position, kept, StandardCharsets.UTF_8);
			return LogValues.oneLine(value, MAX_MESSAGE_LENGTH) + ((kept < length) ? "..." : "");
		}

		/** Skip an unknown field; group wire types (3, 4), which JSON or HTML would start with, are malformed. */
		void skip(int tag) {
			if ((tag >>> 3) == 0) {
				throw new IllegalArgumentException("field number 0");
			}
			switch (tag & 7) {
				case 0 -> varint64();
				case 1 -> sub(8);
				case 2 -> sub(varint32());
				case 5 -> sub(4);
				default -> throw new IllegalArgumentException("unexpected wire type " + (tag & 7));
			}
		}

	}

}
