package io.github.observe4j.langfuse.internal.export.otlp;

import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AttributeWriter}: string attributes, short and long (written in one pass, with
 * lengths corrected afterwards), come out byte for byte as protobuf-java writes them.
 */
class AttributeWriterTests {

	private static final int SPAN_ATTRIBUTES = 9;

	@Test
	void writesStringAttributesOfEveryLengthAndKindLikeProtobuf() throws InvalidProtocolBufferException {
		List<String> values = new ArrayList<>();
		for (int length : new int[] { 0, 1, 63, 64, 100, 125, 126, 127, 128, 129, 16_370, 16_383, 16_384, 20_000 }) {
			values.add("a".repeat(length));
			// two-byte chars: the UTF-8 length needs a larger varint than the char count
			values.add("\u00e9".repeat(length));
			values.add("\u65e5".repeat(length));
			values.add("x".repeat(length) + "\ud83d\ude80");
		}
		values.add("\u00e9".repeat(8_192));
		values.add("x".repeat(100) + "\ud800 lone high, lone low \udc00 and a pair \ud83d\ude80 " + "y".repeat(40));
		for (String value : values) {
			ProtobufWriter out = new ProtobufWriter(16, 64);
			AttributeWriter.writeString(out, SPAN_ATTRIBUTES, "langfuse.observation.", "input", value);
			String expected = value.replaceAll("[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]",
					"\ufffd");
			Span written = Span.parseFrom(out.toByteArray());
			assertThat(written.getAttributes(0).getKey()).isEqualTo("langfuse.observation.input");
			assertThat(written.getAttributes(0).getValue().getStringValue()).as("%d chars", value.length())
				.isEqualTo(expected);
			byte[] protobuf = Span.newBuilder()
				.addAttributes(KeyValue.newBuilder()
					.setKey("langfuse.observation.input")
					.setValue(AnyValue.newBuilder().setStringValue(expected)))
				.build()
				.toByteArray();
			assertThat(out.toByteArray()).as("%d chars", value.length()).isEqualTo(protobuf);
		}
	}

}
