package io.github.observe4j.langfuse.internal.openai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.openai.core.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * Turns an SDK model object into plain maps, lists, strings, numbers and booleans, as the SDK
 * would send it on the wire, so that our own serializer can write it. Nulls and missing fields
 * are left out.
 */
final class PlainJson {

	private PlainJson() {
	}

	/**
	 * Return the wire form of an SDK object, keeping only some top-level keys.
	 * @param sdkObject a model object of the SDK
	 * @param keys the keys to keep, in the order given
	 * @return the plain map, empty if the object is not a JSON object
	 */
	static Map<String, Object> object(Object sdkObject, Set<String> keys) {
		Map<String, Object> kept = new LinkedHashMap<>();
		if (plain(JsonValue.from(sdkObject)) instanceof Map<?, ?> all) {
			for (String key : keys) {
				Object value = all.get(key);
				if (value != null) {
					kept.put(key, value);
				}
			}
		}
		return kept;
	}

	static @Nullable Object plain(JsonValue value) {
		return value.accept(new JsonValue.Visitor<@Nullable Object>() {

			@Override
			public @Nullable Object visitNull() {
				return null;
			}

			@Override
			public @Nullable Object visitMissing() {
				return null;
			}

			@Override
			public Object visitBoolean(boolean value) {
				return value;
			}

			@Override
			public Object visitNumber(Number value) {
				return value;
			}

			@Override
			public Object visitString(String value) {
				return value;
			}

			@Override
			public Object visitArray(List<? extends JsonValue> values) {
				List<@Nullable Object> list = new ArrayList<>(values.size());
				values.forEach((element) -> list.add(plain(element)));
				return list;
			}

			@Override
			public Object visitObject(Map<String, ? extends JsonValue> values) {
				Map<String, Object> map = new LinkedHashMap<>();
				values.forEach((key, element) -> {
					Object plain = plain(element);
					if (plain != null) {
						map.put(key, plain);
					}
				});
				return map;
			}

		});
	}

}
