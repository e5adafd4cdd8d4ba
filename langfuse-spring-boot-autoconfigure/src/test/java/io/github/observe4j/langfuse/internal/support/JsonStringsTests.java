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
