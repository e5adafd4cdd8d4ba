package io.github.observe4j.langfuse.internal.export;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PartialSuccess}, against bodies made by the official protobuf classes.
 */
class PartialSuccessTests {

	@Test
	void readsTheRejectedSpansAndTheMessage() {
		byte[] body = response(12, "quota exceeded for 12 spans");
		assertThat(PartialSuccess.parse(body)).isEqualTo(new PartialSuccess(12, "quota exceeded for 12 spans"));
	}

	@Test
	void aResponseWithoutRejectedSpansIsAFullSuccess() {
		assertThat(PartialSuccess.parse(new byte[0])).isNull();
		assertThat(PartialSuccess.parse(ExportTraceServiceResponse.getDefaultInstance().toByteArray())).isNull();
		// a warning without rejected spans: the spec calls that a success too
		assertThat(PartialSuccess.parse(response(0, "some attributes were dropped"))).isNull();
	}

	@Test
	void aBodyThatIsNotSuchAResponseIsAFullSuccess() {
		assertThat(PartialSuccess.parse("{}".getBytes(StandardCharsets.UTF_8))).isNull();
		assertThat(PartialSuccess.parse("<html>ok</html>".getBytes(StandardCharsets.UTF_8))).isNull();
		assertThat(PartialSuccess.parse(new byte[] { (byte) 0xFF, (byte) 0xFF, (byte) 0xFF })).isNull();
	}

	@Test
	void aLongMessageIsCut() {
		PartialSuccess partial = PartialSuccess.parse(response(1, "x".repeat(10_000)));
		assertThat(partial).isNotNull();
		assertThat(partial.message()).hasSize(303).endsWith("...");
	}

	@Test
	void aPartialSuccessCutShortByTheEndOfTheBodyKeepsItsCount() {
		// the transport keeps the first 4096 bytes of a body: a long message runs past them
		byte[] body = Arrays.copyOf(response(7, "y".repeat(10_000)), 4096);
		PartialSuccess partial = PartialSuccess.parse(body);
		assertThat(partial).isNotNull();
		assertThat(partial.rejectedSpans()).isEqualTo(7);
		assertThat(partial.message()).hasSize(303).startsWith("yyy").endsWith("...");
		byte[] shortMessage = response(3, "three");
		assertThat(PartialSuccess.parse(Arrays.copyOf(shortMessage, shortMessage.length - 2)))
			.isEqualTo(new PartialSuccess(3, "thr..."));
	}

	@Test
	void aFieldAfterACompletePartialSuccessCutShortKeepsThePartialSuccess() {
		// a gateway's own extension field after the partial success, run past the 4096 bytes kept
		ExportTraceServiceResponse extended = ExportTraceServiceResponse.newBuilder()
			.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(5).setErrorMessage("quota"))
			.setUnknownFields(UnknownFieldSet.newBuilder()
				.addField(9, UnknownFieldSet.Field.newBuilder()
					.addLengthDelimited(ByteString.copyFromUtf8("z".repeat(10_000)))
					.build())
				.build())
			.build();
		byte[] body = Arrays.copyOf(extended.toByteArray(), 4096);
		assertThat(PartialSuccess.parse(body)).isEqualTo(new PartialSuccess(5, "quota"));
	}

	@Test
	void aBodyCutBeforeTheCountIsAFullSuccess() {
		byte[] body = response(300, "three hundred");
		// the field's tag and length, and the count's tag: no count yet
		assertThat(PartialSuccess.parse(Arrays.copyOf(body, 3))).isNull();
	}

	@Test
	void theMessageIsOneLine() {
		PartialSuccess partial = PartialSuccess.parse(response(2, "two\nFAKE LOG LINE\u001b[31m"));
		assertThat(partial).isNotNull();
		assertThat(partial.message()).isEqualTo("two?FAKE LOG LINE?[31m");
	}

	private static byte[] response(long rejected, String message) {
		return ExportTraceServiceResponse.newBuilder()
			.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(rejected).setErrorMessage(message))
			.build()
			.toByteArray();
	}

}
