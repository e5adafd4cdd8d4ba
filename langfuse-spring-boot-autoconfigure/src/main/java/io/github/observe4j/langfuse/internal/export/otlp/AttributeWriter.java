package io.github.observe4j.langfuse.internal.export.otlp;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Writes OTLP {@code KeyValue} attributes with typed {@code AnyValue}s (string, bool, int,
 * double, string array; never kvlist or bytes, which Langfuse would show as raw protobuf JSON).
 * Sizes are computed up front so that nothing has to be moved afterwards. A key may be given as
 * a prefix and a suffix to avoid concatenating strings.
 */
final class AttributeWriter {

	// AnyValue field tags: string_value = 1, bool_value = 2, int_value = 3, double_value = 4,
	// array_value = 5; KeyValue: key = 1, value = 2; ArrayValue: values = 1
	private static final int STRING_VALUE_TAG = (1 << 3) | ProtobufWriter.LENGTH_DELIMITED;

	private static final int BOOL_VALUE_TAG = (2 << 3) | ProtobufWriter.VARINT;

	private static final int INT_VALUE_TAG = (3 << 3) | ProtobufWriter.VARINT;

	private static final int DOUBLE_VALUE_TAG = (4 << 3) | ProtobufWriter.FIXED64;

	private static final int ARRAY_VALUE_TAG = (5 << 3) | ProtobufWriter.LENGTH_DELIMITED;

	private static final int KEY_TAG = (1 << 3) | ProtobufWriter.LENGTH_DELIMITED;

	private static final int VALUE_TAG = (2 << 3) | ProtobufWriter.LENGTH_DELIMITED;

	private static final int ARRAY_VALUES_TAG = (1 << 3) | ProtobufWriter.LENGTH_DELIMITED;

	private static final int STRING_VALUE_FIELD = 1;

	private static final int VALUE_FIELD = 2;

	/** From this length on, a string is written in one pass (see {@link #writeLongString}). */
	static final int ONE_PASS_MIN_CHARS = 64;

	private AttributeWriter() {
	}

	static void writeString(ProtobufWriter out, int field, String key, CharSequence value) {
		writeString(out, field, key, null, value);
	}

	static void writeString(ProtobufWriter out, int field, String keyPrefix, @Nullable String keySuffix,
			CharSequence value) {
		if (value.length() >= ONE_PASS_MIN_CHARS) {
			writeLongString(out, field, keyPrefix, keySuffix, value);
			return;
		}
		int valueLength = ProtobufWriter.utf8Length(value);
		int anyValueLength = 1 + ProtobufWriter.varint32Size(valueLength) + valueLength;
		writeKey(out, field, keyPrefix, keySuffix, anyValueLength);
		out.writeVarint32(STRING_VALUE_TAG);
		out.writeVarint32(valueLength);
		out.writeUtf8(value, valueLength);
	}

	/**
	 * Write a long string attribute in one pass over its chars instead of counting its UTF-8
	 * bytes first: the three lengths in front of it are reserved as if each char took one byte and
	 * corrected after writing, which moves the bytes only when a length needs another varint size.
	 */
	private static void writeLongString(ProtobufWriter out, int field, String keyPrefix, @Nullable String keySuffix,
			CharSequence value) {
		int keyLength = ProtobufWriter.utf8Length(keyPrefix);
		int suffixLength = (keySuffix != null) ? ProtobufWriter.utf8Length(keySuffix) : 0;
		int fullKeyLength = keyLength + suffixLength;
		int stringGuess = value.length();
		int stringReserved = ProtobufWriter.varint32Size(stringGuess);
		int anyValueGuess = 1 + stringReserved + stringGuess;
		int anyValueReserved = ProtobufWriter.varint32Size(anyValueGuess);
		int keyValueReserved = ProtobufWriter.varint32Size(1 + ProtobufWriter.varint32Size(fullKeyLength)
				+ fullKeyLength + 1 + anyValueReserved + anyValueGuess);
		int keyValueMark = out.beginLengthDelimited(field, keyValueReserved);
		writeKeyField(out, keyPrefix, keyLength, keySuffix, suffixLength);
		int anyValueMark = out.beginLengthDelimited(VALUE_FIELD, anyValueReserved);
		int stringMark = out.beginLengthDelimited(STRING_VALUE_FIELD, stringReserved);
		out.writeUtf8(value);
		out.endLengthDelimited(stringMark, stringReserved);
		out.endLengthDelimited(anyValueMark, anyValueReserved);
		out.endLengthDelimited(keyValueMark, keyValueReserved);
	}

	static void writeBool(ProtobufWriter out, int field, String keyPrefix, @Nullable String keySuffix,
			boolean value) {
		writeKey(out, field, keyPrefix, keySuffix, 2);
		out.writeVarint32(BOOL_VALUE_TAG);
		out.writeVarint32(value ? 1 : 0);
	}

	static void writeInt(ProtobufWriter out, int field, String keyPrefix, @Nullable String keySuffix, long value) {
		writeKey(out, field, keyPrefix, keySuffix, 1 + ProtobufWriter.varint64Size(value));
		out.writeVarint32(INT_VALUE_TAG);
		out.writeVarint64(value);
	}

	static void writeDouble(ProtobufWriter out, int field, String keyPrefix, @Nullable String keySuffix,
			double value) {
		writeKey(out, field, keyPrefix, keySuffix, 9);
		out.writeVarint32(DOUBLE_VALUE_TAG);
		out.writeFixed64(Double.doubleToRawLongBits(value));
	}

	/**
	 * Write a string array attribute.
	 * @param out the target
	 * @param field the field number of the attribute list
	 * @param key the key
	 * @param values the elements, without {@code null}s
	 */
	static void writeStringArray(ProtobufWriter out, int field, String key, List<String> values) {
		int arrayLength = 0;
		for (String value : values) {
			int elementLength = elementLength(value);
			arrayLength += 1 + ProtobufWriter.varint32Size(elementLength) + elementLength;
		}
		int anyValueLength = 1 + ProtobufWriter.varint32Size(arrayLength) + arrayLength;
		writeKey(out, field, key, null, anyValueLength);
		out.writeVarint32(ARRAY_VALUE_TAG);
		out.writeVarint32(arrayLength);
		for (String value : values) {
			int valueLength = ProtobufWriter.utf8Length(value);
			out.writeVarint32(ARRAY_VALUES_TAG);
			out.writeVarint32(1 + ProtobufWriter.varint32Size(valueLength) + valueLength);
			out.writeVarint32(STRING_VALUE_TAG);
			out.writeVarint32(valueLength);
			out.writeUtf8(value, valueLength);
		}
	}

	private static int elementLength(String value) {
		int valueLength = ProtobufWriter.utf8Length(value);
		return 1 + ProtobufWriter.varint32Size(valueLength) + valueLength;
	}

	/**
	 * Write the attribute's tag and length, its key, and the tag and length of its value.
	 */
	private static void writeKey(ProtobufWriter out, int field, String keyPrefix, @Nullable String keySuffix,
			int anyValueLength) {
		int keyLength = ProtobufWriter.utf8Length(keyPrefix);
		int suffixLength = (keySuffix != null) ? ProtobufWriter.utf8Length(keySuffix) : 0;
		int fullKeyLength = keyLength + suffixLength;
		int keyValueLength = 1 + ProtobufWriter.varint32Size(fullKeyLength) + fullKeyLength + 1
				+ ProtobufWriter.varint32Size(anyValueLength) + anyValueLength;
		out.writeTag(field, ProtobufWriter.LENGTH_DELIMITED);
		out.writeVarint32(keyValueLength);
		writeKeyField(out, keyPrefix, keyLength, keySuffix, suffixLength);
		out.writeVarint32(VALUE_TAG);
		out.writeVarint32(anyValueLength);
	}

	/** Write the {@code KeyValue.key} field, a key given as a prefix and an optional suffix. */
	private static void writeKeyField(ProtobufWriter out, String keyPrefix, int keyLength, @Nullable String keySuffix,
			int suffixLength) {
		out.writeVarint32(KEY_TAG);
		out.writeVarint32(keyLength + suffixLength);
		out.writeUtf8(keyPrefix, keyLength);
		if (keySuffix != null) {
			out.writeUtf8(keySuffix, suffixLength);
		}
	}

}
