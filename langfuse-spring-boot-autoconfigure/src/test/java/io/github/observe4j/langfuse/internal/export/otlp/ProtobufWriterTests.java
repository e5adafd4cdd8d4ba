package io.github.observe4j.langfuse.internal.export.otlp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ProtobufWriter}, checked against protobuf-java.
 */
class ProtobufWriterTests {

	private static final long[] NUMBERS = { 0, 1, 127, 128, 255, 300, 16_383, 16_384, 2_097_151, 2_097_152,
			268_435_455, 268_435_456, Integer.MAX_VALUE, 1L << 35, Long.MAX_VALUE, -1, -300, Integer.MIN_VALUE,
			Long.MIN_VALUE };

	private final ProtobufWriter writer = new ProtobufWriter(4, 64);

	@Test
	void writesVarintsLikeProtobuf() throws IOException {
		for (long number : NUMBERS) {
			this.writer.reset();
			this.writer.writeVarint64(number);
			assertThat(this.writer.toByteArray()).as("varint64 %d", number)
				.isEqualTo(protobuf((out) -> out.writeUInt64NoTag(number)));
			assertThat(ProtobufWriter.varint64Size(number)).isEqualTo(CodedOutputStream.computeUInt64SizeNoTag(number));
			int number32 = (int) number;
			this.writer.reset();
			this.writer.writeVarint32(number32);
			assertThat(this.writer.toByteArray()).as("varint32 %d", number32)
				.isEqualTo(protobuf((out) -> out.writeUInt32NoTag(number32)));
			assertThat(ProtobufWriter.varint32Size(number32))
				.isEqualTo(CodedOutputStream.computeUInt32SizeNoTag(number32));
		}
	}

	@Test
	void writesFixed64AndTagsLikeProtobuf() throws IOException {
		for (long number : NUMBERS) {
			this.writer.reset();
			this.writer.writeTag(7, ProtobufWriter.FIXED64);
			this.writer.writeFixed64(number);
			assertThat(this.writer.toByteArray()).isEqualTo(protobuf((out) -> out.writeFixed64(7, number)));
		}
	}

	@Test
	void writesStringsAsUtf8LikeProtobuf() throws IOException {
		String[] samples = { "", "ascii", "caf\u00e9", "\u65e5\u672c", "\ud83d\ude80 rocket",
				"mixed \u0000\u007f\u0080\u07ff\u0800\uffff",
				"x".repeat(20_000) + "\u00e9", "x".repeat(20_000), "\u007f".repeat(64) + "\u0080",
				"ascii then " + "\u65e5".repeat(3), new StringBuilder("a builder, not a String").toString() };
		for (String sample : samples) {
			this.writer.reset();
			this.writer.writeStringField(5, sample);
			assertThat(this.writer.toByteArray()).isEqualTo(protobuf((out) -> out.writeString(5, sample)));
			assertThat(ProtobufWriter.utf8Length(sample)).isEqualTo(sample.getBytes(StandardCharsets.UTF_8).length);
			assertThat(ProtobufWriter.isAscii(sample)).isEqualTo(sample.chars().allMatch((c) -> c < 0x80));
		}
		// the slow path for a CharSequence that is not a String gives the same bytes
		this.writer.reset();
		this.writer.writeStringField(5, new StringBuilder("caf\u00e9 and ascii"));
		assertThat(this.writer.toByteArray()).isEqualTo(protobuf((out) -> out.writeString(5, "caf\u00e9 and ascii")));
	}

	@Test
	void writesLoneSurrogatesAsReplacementCharacter() throws IOException {
		String lone = "a\ud800b\udc00c\ud83d";
		this.writer.writeStringField(1, lone);
		CodedInputStream input = CodedInputStream.newInstance(this.writer.toByteArray());
		input.readTag();
		assertThat(input.readStringRequireUtf8()).isEqualTo("a\ufffdb\ufffdc\ufffd");
		assertThat(ProtobufWriter.utf8Length(lone)).isEqualTo(3 + 9);
	}

	@Test
	void fillsInLengthOfNestedMessagesOfAnySize() throws IOException {
		int[] lengths = { 0, 1, 126, 127, 128, 300, 16_383, 16_384, 2_100_000 };
		for (int reserved = 1; reserved <= 3; reserved++) {
			for (int length : lengths) {
				this.writer.reset();
				this.writer.writeTag(1, ProtobufWriter.VARINT);
				this.writer.writeVarint32(42);
				int mark = this.writer.beginLengthDelimited(2, reserved);
				byte[] content = new byte[length];
				for (int i = 0; i < length; i++) {
					content[i] = (byte) i;
				}
				this.writer.writeRaw(content, 0, length);
				this.writer.endLengthDelimited(mark, reserved);
				this.writer.writeTag(3, ProtobufWriter.VARINT);
				this.writer.writeVarint32(7);
				int expectedReserved = reserved;
				byte[] expected = protobuf((out) -> {
					out.writeUInt32(1, 42);
					out.writeByteArray(2, content);
					out.writeUInt32(3, 7);
				});
				assertThat(this.writer.toByteArray()).as("length %d, reserved %d", length, expectedReserved)
					.isEqualTo(expected);
			}
		}
	}

	@Test
	void removesPrefix() {
		this.writer.writeRaw(new byte[] { 1, 2, 3, 4, 5 }, 0, 5);
		this.writer.removePrefix(3);
		assertThat(this.writer.toByteArray()).containsExactly(4, 5);
		assertThat(this.writer.position()).isEqualTo(2);
	}

	@Test
	void releasesOversizedBufferOnReset() {
		this.writer.writeRaw(new byte[1000], 0, 1000);
		assertThat(this.writer.buffer().length).isGreaterThanOrEqualTo(1000);
		this.writer.reset();
		assertThat(this.writer.buffer()).hasSize(4);
		assertThat(this.writer.position()).isZero();
	}

	private static byte[] protobuf(ProtobufAction action) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		CodedOutputStream out = CodedOutputStream.newInstance(bytes);
		action.write(out);
		out.flush();
		return bytes.toByteArray();
	}

	@FunctionalInterface
	private interface ProtobufAction {

		void write(CodedOutputStream out) throws IOException;

	}

}
