package io.github.observe4j.langfuse.internal.export.otlp;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Truncation}.
 */
class TruncationTests {

	@Test
	void capsOnlyTheLargestWhenThatIsEnough() {
		assertThat(Truncation.sizeCap(new int[] { 900, 300, 200 }, 3, 1000)).isEqualTo(500);
	}

	@Test
	void capsLargestValuesEquallyWhenBothAreHuge() {
		assertThat(Truncation.sizeCap(new int[] { 3000, 2000, 10 }, 3, 1000)).isEqualTo(495);
	}

	@Test
	void doesNotCapValuesThatFit() {
		assertThat(Truncation.sizeCap(new int[] { 300, 200 }, 2, 1000)).isEqualTo(Integer.MAX_VALUE);
	}

	@Test
	void cutsToCharsWithMarker() {
		String cut = Truncation.cutToChars("a".repeat(500), 100);
		assertThat(cut).hasSize(100).endsWith(Truncation.marker(500)).startsWith("aaa");
		assertThat(Truncation.cutToChars("short", 100)).isEqualTo("short");
	}

	@Test
	void cutsToBytesWithoutSplittingCharacters() {
		String value = "\ud83d\ude80\u00e9".repeat(100);
		for (int maxBytes = 100; maxBytes < 120; maxBytes++) {
			String cut = Truncation.cutToBytes(value, maxBytes, value.length());
			assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(maxBytes);
			String kept = cut.substring(0, cut.length() - Truncation.marker(value.length()).length());
			assertThat(value).startsWith(kept);
			assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
		}
	}

	@Test
	void keepsOnlyMarkerWhenNothingElseFits() {
		assertThat(Truncation.cutToBytes("abcdef", 3, 6)).isEqualTo(Truncation.marker(6));
	}

}
