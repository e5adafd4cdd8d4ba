package io.github.observe4j.langfuse.internal.core;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trace id as text: 32 lowercase hex digits, high half first, zero-padded, for any bits.
 */
class TraceIdHexTests {

	@Test
	void formatsBothHalvesZeroPaddedHighFirst() {
		assertThat(TraceState.traceIdHex(0x0af7651916cd43ddL, 0x8448eb211c80319cL))
			.isEqualTo("0af7651916cd43dd8448eb211c80319c");
		assertThat(TraceState.traceIdHex(0, 1)).isEqualTo("00000000000000000000000000000001");
		assertThat(TraceState.traceIdHex(-1, Long.MIN_VALUE)).isEqualTo("ffffffffffffffff8000000000000000");
	}

	@Test
	void matchesTheDigitsOfEachHalf() {
		HexFormat hex = HexFormat.of();
		long value = 0x9E3779B97F4A7C15L;
		for (int i = 0; i < 64; i++) {
			long high = value * (i + 1);
			long low = Long.rotateLeft(value, i);
			assertThat(TraceState.traceIdHex(high, low)).isEqualTo(hex.toHexDigits(high) + hex.toHexDigits(low));
		}
	}

	@Test
	void aJoinedTraceGivesTheSameText() {
		RemoteParent parent = new RemoteParent(0x0af7651916cd43ddL, 0x8448eb211c80319cL, 0, null);
		assertThat(parent.traceIdHex()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
	}

}
