package io.github.observe4j.langfuse.internal.support;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JsonStrings}: what it writes, Jackson reads back as the same text.
 */
class JsonStringsTests {

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	@Test
	void escapedStringsReadBackUnchanged() {
		String tricky = "quote \" backslash \\ slash / newline \n tab \t nul \u0000 bell \u0007 del \u007f"
				+ " emoji \uD83D\uDE00 separators \u2028\u2029 accents é, CJK 漢字";
		assertThat(this.jsonMapper.readValue(quoted(tricky), String.class)).isEqualTo(tricky);
	}

	@Test
	void escapesControlCharactersAndLineSeparatorsAndLeavesTheRest() {
		assertThat(quoted("a\u0001b\u2028c\u2029d\u202ae/")).isEqualTo("\"a\\u0001b\\u2028c\\u2029d\u202ae/\"");
		assertThat(quoted("plain text")).isEqualTo("\"plain text\"");
	}

	@Test
	void aLoneSurrogateBecomesTheReplacementCharacter() {
		assertThat(quoted("x\uD83Dy")).isEqualTo("\"x\\ufffdy\"");
		assertThat(quoted("\uDE00")).isEqualTo("\"\\ufffd\"");
		assertThat(quoted("end\uD83D")).isEqualTo("\"end\\ufffd\"");
		assertThat(this.jsonMapper.readValue(quoted("x\uD83Dy"), String.class)).isEqualTo("x\ufffdy");
	}

	@Test
	void escapesPartOfAString() {
		StringBuilder json = new StringBuilder();
		JsonStrings.appendEscaped(json, "ab\"cd\"ef", 1, 5);
		assertThat(json).hasToString("b\\\"cd");
	}

	@Test
	void fittingPrefixCountsEscapedLengthAndNeverSplitsAPair() {
		String text = "ab\"c\u0001\uD83D\uDE00z";
		StringBuilder whole = new StringBuilder();
		JsonStrings.appendEscaped(whole, text);
		for (int budget = 0; budget <= whole.length(); budget++) {
			int keep = JsonStrings.fittingPrefix(text, budget);
			StringBuilder kept = new StringBuilder();
			JsonStrings.appendEscaped(kept, text, 0, keep);
			assertThat(kept.length()).as("budget %d", budget).isLessThanOrEqualTo(budget);
			assertThat(keep == 0 || !Character.isHighSurrogate(text.charAt(keep - 1))).as("budget %d", budget).isTrue();
			if (keep < text.length()) {
				// the next char (or pair) would not have fitted
				int next = keep + (Character.isHighSurrogate(text.charAt(keep)) ? 2 : 1);
				StringBuilder more = new StringBuilder();
				JsonStrings.appendEscaped(more, text, 0, next);
				assertThat(more.length()).as("budget %d", budget).isGreaterThan(budget);
			}
		}
		assertThat(JsonStrings.fittingPrefix(text, whole.length())).isEqualTo(text.length());
	}

	@Test
	void escapedContentGoesWithoutQuotes() {
		StringBuilder json = new StringBuilder("\"<");
		JsonStrings.appendEscaped(json, "com.acme.\"Odd\"");
		assertThat(json.append(">\"")).hasToString("\"<com.acme.\\\"Odd\\\">\"");
	}

	private static String quoted(String value) {
		StringBuilder json = new StringBuilder();
		JsonStrings.appendQuoted(json, value);
		return json.toString();
	}

}
