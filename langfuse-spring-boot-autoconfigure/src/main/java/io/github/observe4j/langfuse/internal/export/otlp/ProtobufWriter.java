package io.github.observe4j.langfuse.internal.export.otlp;

import java.util.Arrays;

/**
 * Minimal protobuf writer over a growable byte buffer that is reused from one message to the
 * next. Strings are written as UTF-8 without intermediate arrays; a lone surrogate becomes
 * U+FFFD so that the output is always valid UTF-8, as protobuf requires.
 */
final class ProtobufWriter {

	static final int VARINT = 0;

	static final int FIXED64 = 1;

	static final int LENGTH_DELIMITED = 2;

	private static final int MAX_VARINT32_SIZE = 5;

	private final int initialCapacity;

	private final int retainedCapacity;

	private byte[] buffer;

	private int position;

	/**
	 * Create a writer.
	 * @param initialCapacity the initial buffer size
	 * @param retainedCapacity the largest buffer kept by {@link #reset()}; a larger one is
	 * released so that one huge message does not pin its memory for good
	 */
	ProtobufWriter(int initialCapacity, int retainedCapacity) {
		this.initialCapacity = initialCapacity;
		this.retainedCapacity = retainedCapacity;
		this.buffer = new byte[initialCapacity];
	}

	int position() {
		return this.position;
	}

	byte[] buffer() {
		return this.buffer;
	}

	/**
	 * Drop everything written, releasing an oversized buffer.
	 */
	void reset() {
		this.position = 0;
		if (this.buffer.length > this.retainedCapacity) {
			this.buffer = new byte[this.initialCapacity];
		}
	}

	/**
	 * Drop everything written after the given position.
	 * @param position the new end
	 */
	void truncate(int position) {
		this.position = position;
	}

	/**
	 * Drop the first bytes, moving the rest to the start.
	 * @param length the number of bytes to drop
	 */
	void removePrefix(int length) {
		System.arraycopy(this.buffer, length, this.buffer, 0, this.position - length);
		this.position -= length;
	}

	byte[] toByteArray() {
		return Arrays.copyOf(this.buffer, this.position);
	}

	void writeTag(int field, int wireType) {
		writeVarint32((field << 3) | wireType);
	}

	void writeVarint32(int value) {
		ensureCapacity(MAX_VARINT32_SIZE);
		this.position = putVarint32(this.buffer, this.position, value);
	}

	void writeVarint64(long value) {
		ensureCapacity(10);
		long remaining = value;
		while ((remaining & ~0x7FL) != 0) {
			this.buffer[this.position++] = (byte) ((remaining & 0x7F) | 0x80);
			remaining >>>= 7;
		}
		this.buffer[this.position++] = (byte) remaining;
	}

	void writeFixed64(long value) {
		ensureCapacity(8);
		for (int i = 0; i < 8; i++) {
			this.buffer[this.position++] = (byte) (value >>> (8 * i));
		}
	}

	/**
	 * Write a big-endian 64-bit value as raw bytes, the byte order of OTLP ids.
	 * @param value the value
	 */
	void writeBigEndian64(long value) {
		ensureCapacity(8);
		for (int i = 7; i >= 0; i--) {
			this.buffer[this.position++] = (byte) (value >>> (8 * i));
		}
	}

	void writeRaw(byte[] bytes, int offset, int length) {
		ensureCapacity(length);
		System.arraycopy(bytes, offset, this.buffer, this.position, length);
		this.position += length;
	}

	void writeStringField(int field, CharSequence value) {
		int length = utf8Length(value);
		writeTag(field, LENGTH_DELIMITED);
		writeVarint32(length);
		writeUtf8(value, length);
	}

	/**
	 * Write the UTF-8 bytes of a string.
	 * @param value the string
	 * @param utf8Length its UTF-8 length, as {@link #utf8Length} computed it
	 */
	@SuppressWarnings("deprecation")
	void writeUtf8(CharSequence value, int utf8Length) {
		ensureCapacity(utf8Length);
		byte[] bytes = this.buffer;
		int pos = this.position;
		int length = value.length();
		if (utf8Length == length && value instanceof String string) {
			// All ASCII (one byte per char): the JDK copies the chars' low bytes, for a compact
			// string a plain array copy, without the intermediate array String.getBytes would make
			string.getBytes(0, length, bytes, pos);
			this.position = pos + length;
			return;
		}
		this.position = encodeUtf8(value, bytes, pos);
	}

	/**
	 * Write the UTF-8 bytes of a string without counting them first, in one pass over its chars;
	 * for a string inside a field started with {@link #beginLengthDelimited}.
	 * @param value the string
	 */
	void writeUtf8(CharSequence value) {
		ensureCapacity((int) Math.min(Integer.MAX_VALUE, 3L * value.length()));
		this.position = encodeUtf8(value, this.buffer, this.position);
	}

	private static int encodeUtf8(CharSequence value, byte[] bytes, int start) {
		int pos = start;
		int length = value.length();
		int i = 0;
		while (i < length) {
			// a tight loop over runs of ASCII, the common case
			char c = value.charAt(i);
			while (c < 0x80) {
				bytes[pos++] = (byte) c;
				if (++i == length) {
					return pos;
				}
				c = value.charAt(i);
			}
			if (c < 0x800) {
				bytes[pos++] = (byte) (0xC0 | (c >>> 6));
				bytes[pos++] = (byte) (0x80 | (c & 0x3F));
			}
			else if (Character.isSurrogate(c)) {
				if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
					int codePoint = Character.toCodePoint(c, value.charAt(++i));
					bytes[pos++] = (byte) (0xF0 | (codePoint >>> 18));
					bytes[pos++] = (byte) (0x80 | ((codePoint >>> 12) & 0x3F));
					bytes[pos++] = (byte) (0x80 | ((codePoint >>> 6) & 0x3F));
					bytes[pos++] = (byte) (0x80 | (codePoint & 0x3F));
				}
				else {
					// Lone surrogate: U+FFFD keeps the string valid UTF-8
					bytes[pos++] = (byte) 0xEF;
					bytes[pos++] = (byte) 0xBF;
					bytes[pos++] = (byte) 0xBD;
				}
			}
			else {
				bytes[pos++] = (byte) (0xE0 | (c >>> 12));
				bytes[pos++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
				bytes[pos++] = (byte) (0x80 | (c & 0x3F));
			}
			i++;
		}
		return pos;
	}

	/**
	 * Start a length-delimited field whose length is not known yet: write its tag and reserve
	 * room for the length, to be filled in by {@link #endLengthDelimited}.
	 * @param field the field number
	 * @param reservedLengthBytes how many bytes to reserve for the length (a good guess saves
	 * moving the content later)
	 * @return the mark to pass to {@link #endLengthDelimited}
	 */
	int beginLengthDelimited(int field, int reservedLengthBytes) {
		writeTag(field, LENGTH_DELIMITED);
		ensureCapacity(reservedLengthBytes);
		int mark = this.position;
		this.position += reservedLengthBytes;
		return mark;
	}

	/**
	 * Finish a length-delimited field started with {@link #beginLengthDelimited}, moving its
	 * content if the length needs more or fewer bytes than were reserved.
	 * @param mark the mark returned when the field was started
	 * @param reservedLengthBytes the number of bytes reserved when the field was started
	 */
	void endLengthDelimited(int mark, int reservedLengthBytes) {
		int lengthPosition = mark;
		int reserved = reservedLengthBytes;
		int contentStart = lengthPosition + reserved;
		int length = this.position - contentStart;
		int needed = varint32Size(length);
		if (needed != reserved) {
			ensureCapacity(needed - reserved);
			System.arraycopy(this.buffer, contentStart, this.buffer, lengthPosition + needed, length);
			this.position += needed - reserved;
		}
		putVarint32(this.buffer, lengthPosition, length);
	}

	private void ensureCapacity(int extra) {
		int required = this.position + extra;
		if (required > this.buffer.length) {
			if (required < 0) {
				throw new IllegalStateException("Protobuf message exceeds 2 GB");
			}
			int grown = Math.max(required, (int) Math.min(Integer.MAX_VALUE - 8, this.buffer.length * 2L));
			this.buffer = Arrays.copyOf(this.buffer, grown);
		}
	}

	/**
	 * Write a varint into an array.
	 * @param bytes the target
	 * @param offset where to write
	 * @param value the value, treated as unsigned
	 * @return the offset after the varint
	 */
	static int putVarint32(byte[] bytes, int offset, int value) {
		int pos = offset;
		int remaining = value;
		while ((remaining & ~0x7F) != 0) {
			bytes[pos++] = (byte) ((remaining & 0x7F) | 0x80);
			remaining >>>= 7;
		}
		bytes[pos++] = (byte) remaining;
		return pos;
	}

	static int varint32Size(int value) {
		if ((value & (~0 << 7)) == 0) {
			return 1;
		}
		if ((value & (~0 << 14)) == 0) {
			return 2;
		}
		if ((value & (~0 << 21)) == 0) {
			return 3;
		}
		if ((value & (~0 << 28)) == 0) {
			return 4;
		}
		return 5;
	}

	static int varint64Size(long value) {
		int size = 1;
		long remaining = value;
		while ((remaining & ~0x7FL) != 0) {
			remaining >>>= 7;
			size++;
		}
		return size;
	}

	/**
	 * Return the number of bytes {@link #writeUtf8} writes for a string.
	 * @param value the string
	 * @return its UTF-8 length
	 */
	static int utf8Length(CharSequence value) {
		if (value instanceof String string && isAscii(string)) {
			return string.length();
		}
		int length = value.length();
		int bytes = length;
		for (int i = 0; i < length; i++) {
			char c = value.charAt(i);
			if (c >= 0x80) {
				if (c < 0x800) {
					bytes += 1;
				}
				else if (Character.isHighSurrogate(c) && i + 1 < length
						&& Character.isLowSurrogate(value.charAt(i + 1))) {
					// A pair is 2 chars and 4 bytes
					bytes += 2;
					i++;
				}
				else {
					bytes += 2;
				}
			}
		}
		return bytes;
	}

	/**
	 * Return whether a string is all ASCII: one pass without branches, which the JIT turns into
	 * wide loads, so that the common case costs a fraction of the char-by-char count.
	 */
	static boolean isAscii(String value) {
		int bits = 0;
		for (int i = 0; i < value.length(); i++) {
			bits |= value.charAt(i);
		}
		return bits < 0x80;
	}

}
