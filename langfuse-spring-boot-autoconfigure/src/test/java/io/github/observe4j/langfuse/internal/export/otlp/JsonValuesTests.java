package io.github.observe4j.langfuse.internal.export.otlp;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

import io.github.observe4j.langfuse.internal.model.JsonText;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JsonValues}.
 */
class JsonValuesTests {

	private static final JsonMapper jackson = JsonMapper.builder().build();

	@Test
	void escapesEveryBmpCharacterSoThatItParsesBack() {
		StringBuilder all = new StringBuilder();
		for (char c = 0; c < Character.MIN_SURROGATE; c++) {
			all.append(c);
		}
		for (int c = Character.MAX_SURROGATE + 1; c <= Character.MAX_VALUE; c++) {
			all.append((char) c);
		}
		all.append("\ud83d\ude80\ud83e\udd16");
		String json = string(all.toString());
		assertThat(json.chars().filter((c) -> c < 0x20)).isEmpty();
		assertThat(jackson.readValue(json, String.class)).isEqualTo(all.toString());
	}

	@Test
	void usesShortEscapes() {
		assertThat(string("\"\\\n\r\t\b\f\u0001/")).isEqualTo("\"\\\"\\\\\\n\\r\\t\\b\\f\\u0001/\"");
	}

	@Test
	void replacesLoneSurrogates() {
		String json = string("a\ud800b\udc00c\ud83d");
		assertThat(json).isEqualTo("\"a\\ufffdb\\ufffdc\\ufffd\"");
		assertThat(string("\ude80\ud83d")).isEqualTo("\"\\ufffd\\ufffd\"");
	}

	@Test
	void writesSimpleValuesLikeJackson() {
		List<Object> values = List.of("text", true, false, 0, -7, Long.MAX_VALUE, (short) 3, (byte) -2, 0.1, -2.5e-7,
				1e21, 123456789.125, Double.MAX_VALUE, Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY, 1.5f,
				Float.NaN, new BigDecimal("1234.5600"), new BigInteger("123456789012345678901234567890"), 'q');
		for (Object value : values) {
			StringBuilder json = new StringBuilder();
			assertThat(JsonValues.appendSimple(json, value)).isTrue();
			assertThat(jackson.readTree(json.toString())).as("%s", value)
				.isEqualTo(jackson.readTree(jackson.writeValueAsString(value)));
		}
	}

	@Test
	void writesNullAndJsonTextVerbatim() {
		StringBuilder json = new StringBuilder();
		JsonValues.appendSimple(json, null);
		json.append(',');
		JsonValues.appendSimple(json, new JsonText("{\"a\":1}"));
		assertThat(json).hasToString("null,{\"a\":1}");
	}

	@Test
	void rejectsValuesThatAreNotSimple() {
		StringBuilder json = new StringBuilder("x");
		assertThat(JsonValues.appendSimple(json, List.of(1))).isFalse();
		assertThat(JsonValues.appendSimple(json, Thread.State.NEW)).isFalse();
		assertThat(json).hasToString("x");
	}

	private static String string(String value) {
		StringBuilder json = new StringBuilder();
		JsonValues.appendString(json, value);
		return json.toString();
	}

}
