package io.github.observe4j.langfuse.internal.export;

import io.github.observe4j.langfuse.internal.support.JsonStrings;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link SimpleJson}.
 */
class SimpleJsonTests {

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	@Test
	void escapedStringsReadBackUnchanged() {
		String tricky = "quote \" backslash \\ slash / newline \n tab \t nul \u0000 bell \u0007 emoji \uD83D\uDE00"
				+ " separators \u2028\u2029 accents é";
		StringBuilder json = new StringBuilder();
		JsonStrings.appendQuoted(json, tricky);
		assertThat(this.jsonMapper.readValue(json.toString(), String.class)).isEqualTo(tricky);
		assertThat(SimpleJson.parse(json.toString())).isEqualTo(tricky);
	}

	@Test
	@SuppressWarnings("unchecked")
	void parsesObjectsArraysAndScalars() {
		Object parsed = SimpleJson
			.parse(" {\"a\": [1, -2.5e3, true, false, null, \"x\\u0041\"], \"b\": {}, \"c\": []} ");
		assertThat(parsed).isInstanceOf(Map.class);
		Map<?, ?> map = (Map<?, ?>) parsed;
		assertThat((List<Object>) map.get("a")).containsExactly(1.0, -2500.0, true, false, null, "xA");
		assertThat(map.get("b")).isEqualTo(Map.of());
		assertThat(map.get("c")).isEqualTo(List.of());
	}

	@Test
	void rejectsMalformedJson() {
		assertThatIllegalArgumentException().isThrownBy(() -> SimpleJson.parse("{\"a\":}"));
		assertThatIllegalArgumentException().isThrownBy(() -> SimpleJson.parse("[1,2"));
		assertThatIllegalArgumentException().isThrownBy(() -> SimpleJson.parse("{} x"));
		assertThatIllegalArgumentException().isThrownBy(() -> SimpleJson.parse("\"\\q\""));
		assertThatIllegalArgumentException().isThrownBy(() -> SimpleJson.parse("[".repeat(100)));
		assertThat(SimpleJson.parseOrNull("<html>")).isNull();
		assertThat(SimpleJson.parseOrNull("")).isNull();
	}

}
