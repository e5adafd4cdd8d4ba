package io.github.observe4j.langfuse.internal.json;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.LocalDate;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.observe4j.langfuse.internal.support.TruncationMarker;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the {@link StructureLimits} that {@link JacksonValueSerializer} applies while it
 * writes: the work done (elements read, getters called, bytes allocated) stops at the limit,
 * the output is valid JSON with the marker inside it, and values within the limits are written
 * exactly as Jackson writes them.
 */
class BoundedSerializationTests {

	private static final int MEGABYTE = 1024 * 1024;

	private static final int MAX_CHARS = MEGABYTE;

	private static final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	private static final JsonMapper json = JsonMapper.builder().build();

	private final JacksonValueSerializer serializer = new JacksonValueSerializer();

	@Test
	void writesAByteArrayAsItsSizeWithoutEncodingIt() {
		byte[] bytes = new byte[MEGABYTE];
		assertThat(this.serializer.toJson(bytes, MAX_CHARS)).isEqualTo("\"<byte[1048576]>\"");
		assertThat(this.serializer.toJson(new Attachment("photo.png", bytes), MAX_CHARS))
			.isEqualTo("{\"name\":\"photo.png\",\"data\":\"<byte[1048576]>\"}");
		assertAllocatesAtMostTwiceWhatItKeeps(() -> this.serializer.toJson(bytes, MAX_CHARS));
		// in a bean, Jackson's own cost per call dominates: no more than for a single byte
		Attachment tiny = new Attachment("photo.png", new byte[1]);
		assertThat(allocation(() -> this.serializer.toJson(new Attachment("photo.png", bytes), MAX_CHARS)))
			.isLessThanOrEqualTo(allocation(() -> this.serializer.toJson(tiny, MAX_CHARS)) + 64);
	}

	@Test
	void cutsALongStringWhileWritingIt() {
		Message message = new Message("a".repeat(MEGABYTE));
		String result = this.serializer.toJson(message, MAX_CHARS);
		String content = json.readTree(result).get("content").asString();
		String marker = TruncationMarker.withLength(MEGABYTE);
		assertThat(content).hasSize(StructureLimits.DEFAULTS.maxStringChars() + marker.length())
			.startsWith("aaaa")
			.endsWith("a" + marker);
		assertThat(json.readTree(result).get("role").asString()).isEqualTo("user");
		assertAllocatesAtMostTwiceWhatItKeeps(() -> this.serializer.toJson(message, MAX_CHARS));
	}

	@Test
	void cutsALongStringBuilderWithoutCopyingItWhole() {
		StringBuilder builder = new StringBuilder("b".repeat(MEGABYTE));
		String marker = TruncationMarker.withLength(MEGABYTE);
		String result = this.serializer.toJson(builder, MAX_CHARS);
		assertThat(json.readTree(result).asString()).hasSize(StructureLimits.DEFAULTS.maxStringChars() + marker.length())
			.startsWith("bbbb")
			.endsWith("b" + marker);
		// Jackson's own serializer would copy the megabyte with toString() first
		assertAllocatesAtMostTwiceWhatItKeeps(() -> this.serializer.toJson(builder, MAX_CHARS));
		// short ones, and a StringBuffer inside a map, as plain strings
		assertThat(this.serializer.toJson(Map.of("text", new StringBuffer("short \"quoted\"")), MAX_CHARS))
			.isEqualTo("{\"text\":\"short \\\"quoted\\\"\"}");
		assertThat(this.serializer.toJson(new StringBuilder(), MAX_CHARS)).isEqualTo("\"\"");
	}

	@Test
	void cutsAStringWithoutSplittingASurrogatePairOrAnEscape() {
		JacksonValueSerializer serializer = new JacksonValueSerializer(new StructureLimits(64, 100, 5));
		assertThat(json.readTree(serializer.toJson(List.of("abcd\ud83d\ude80xyz"), MAX_CHARS)).get(0).asString())
			.isEqualTo("abcd" + TruncationMarker.withLength(9));
		assertThat(serializer.toJson(List.of("\"\"\"\"\"\"\""), MAX_CHARS))
			.isEqualTo("[\"\\\"\\\"\\\"\\\"\\\"" + TruncationMarker.withLength(7) + "\"]");
		assertThat(json.readTree(serializer.toJson(new Text(new char[] { 'a', 'b', 'c', 'd', 'e', 'f' }), MAX_CHARS))
			.get("chars")
			.asString()).isEqualTo("abcde" + TruncationMarker.withLength(6));
	}

	@Test
	void readsNoMoreElementsOfAListThanItKeeps() {
		CountingList items = new CountingList(10_000);
		String result = this.serializer.toJson(items, MAX_CHARS);
		JsonNode array = json.readTree(result);
		assertThat(array).hasSize(101);
		assertThat(array.get(99).get("id").asInt()).isEqualTo(99);
		assertThat(array.get(100).asString()).isEqualTo(TruncationMarker.moreItems(9_900));
		assertThat(items.reads).isEqualTo(100);
		assertThat(Item.getterCalls).isEqualTo(100);
		List<Item> records = records(10_000);
		assertAllocatesAtMostTwiceWhatItKeeps(() -> this.serializer.toJson(records, MAX_CHARS));
	}

	@Test
	void keepsTheFirstEntriesOfABigMapAndCountsTheRest() {
		Map<String, Integer> map = new LinkedHashMap<>();
		for (int i = 0; i < 10_000; i++) {
			map.put("k" + i, i);
		}
		JsonNode object = json.readTree(this.serializer.toJson(map, MAX_CHARS));
		assertThat(object.properties()).hasSize(101);
		assertThat(object.get("k99").asInt()).isEqualTo(99);
		assertThat(object.has("k100")).isFalse();
		assertThat(object.get(TruncationMarker.moreEntries(9_900)).isNull()).isTrue();
		assertAllocatesAtMostTwiceWhatItKeeps(() -> this.serializer.toJson(map, MAX_CHARS));
	}

	@Test
	void keepsTheFirstElementsOfBigArrays() {
		int[] numbers = new int[10_000];
		Arrays.setAll(numbers, (i) -> i);
		JsonNode ints = json.readTree(this.serializer.toJson(numbers, MAX_CHARS));
		assertThat(ints).hasSize(101);
		assertThat(ints.get(99).asInt()).isEqualTo(99);
		assertThat(ints.get(100).asString()).isEqualTo(TruncationMarker.moreItems(9_900));
		JsonNode embedding = json.readTree(this.serializer.toJson(new float[1536], MAX_CHARS));
		assertThat(embedding.get(100).asString()).isEqualTo(TruncationMarker.moreItems(1436));
		JsonNode names = json.readTree(this.serializer.toJson(new String[500], MAX_CHARS));
		assertThat(names.get(0).isNull()).isTrue();
		assertThat(names.get(100).asString()).isEqualTo(TruncationMarker.moreItems(400));
	}

	@Test
	void stopsAtTheDepthLimitWhateverTheNesting() {
		int depth = StructureLimits.DEFAULTS.maxDepth();
		String marker = "\"" + TruncationMarker.tooDeep(depth) + "\"";
		assertThat(this.serializer.toJson(nestedLists(100_000), MAX_CHARS))
			.isEqualTo("[".repeat(depth) + marker + "]".repeat(depth));
		assertThat(this.serializer.toJson(nestedMaps(100_000), MAX_CHARS))
			.isEqualTo("{\"k\":".repeat(depth) + marker + "}".repeat(depth));
		assertThat(this.serializer.toJson(nestedBeans(100_000), MAX_CHARS))
			.isEqualTo("{\"child\":".repeat(depth) + marker + "}".repeat(depth));
		Object mixed = "leaf";
		for (int i = 0; i < 100_000; i++) {
			mixed = switch (i % 3) {
				case 0 -> List.of(mixed);
				case 1 -> Map.of("k", mixed);
				default -> new Node(mixed);
			};
		}
		assertThat(json.readTree(this.serializer.toJson(mixed, MAX_CHARS)).toString()).contains(TruncationMarker.tooDeep(depth));
	}

	@Test
	void costsNoMoreBeyondTheDepthLimit() {
		int depth = StructureLimits.DEFAULTS.maxDepth();
		List<Object> atLimit = nestedLists(depth + 1);
		List<Object> far = nestedLists(5_000);
		assertThat(this.serializer.toJson(far, MAX_CHARS)).isEqualTo(this.serializer.toJson(atLimit, MAX_CHARS));
		long cost = allocation(() -> this.serializer.toJson(atLimit, MAX_CHARS));
		assertThat(allocation(() -> this.serializer.toJson(far, MAX_CHARS))).isLessThanOrEqualTo(cost);
	}

	@Test
	void writesValuesWithinTheLimitsExactlyAsJacksonDoes() {
		JsonMapper jackson = JsonMapper.builder()
			.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
			.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
			.disable(DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
			.build();
		Map<Object, Object> keys = new LinkedHashMap<>();
		keys.put(1, "int key");
		keys.put(Level.HIGH, List.of());
		keys.put("text", null);
		EnumMap<Level, Integer> levels = new EnumMap<>(Level.class);
		levels.put(Level.LOW, 1);
		List<Object> values = List.of(List.of(1, 2.5, "three", true), records(100), Map.of("nested", Map.of("a", List.of(1))),
				keys, levels, new TreeSet<>(List.of("b", "a")), new int[] { 1, 2 }, new long[] { 3L }, new double[] { 0.5 },
				new float[] { 1.5f }, new boolean[] { true, false }, new short[] { 7 }, new char[] { 'h', 'i' },
				new String[] { "x", null }, new Object[] { 1, "two", List.of(3) }, Optional.of(List.of("in")),
				new Message("hello \"world\"\n\u2028 \ud83d\ude80"), LocalDate.of(2026, 1, 2), Duration.ofSeconds(90),
				new Node(List.of(new Node(null))), new ArrayList<>(List.of(Map.of()))
				, nestedLists(StructureLimits.DEFAULTS.maxDepth()), "x".repeat(StructureLimits.DEFAULTS.maxStringChars()));
		for (Object value : values) {
			assertThat(this.serializer.toJson(value, MAX_CHARS)).as(value.getClass().getName())
				.isEqualTo(jackson.writeValueAsString(value));
		}
	}

	@Test
	void appliesLimitsGivenToIt() {
		JacksonValueSerializer serializer = new JacksonValueSerializer(new StructureLimits(2, 3, 4));
		assertThat(serializer.toJson(List.of(List.of(List.of(1)), "abcdefg", 3, 4, 5), MAX_CHARS))
			.isEqualTo("[[\"" + TruncationMarker.tooDeep(2) + "\"],\"abcd" + TruncationMarker.withLength(7) + "\",3,\""
					+ TruncationMarker.moreItems(2) + "\"]");
	}

	private static void assertAllocatesAtMostTwiceWhatItKeeps(Supplier<String> capture) {
		String kept = capture.get();
		assertThat(allocation(capture)).as("bytes allocated to keep %d chars", kept.length())
			.isLessThanOrEqualTo(2 * retainedBytes(kept));
	}

	/** The heap a string holds: its object, its array header and its Latin-1 or UTF-16 chars. */
	private static long retainedBytes(String text) {
		boolean latin1 = text.chars().allMatch((c) -> c < 256);
		return 24 + 16 + (latin1 ? text.length() : 2L * text.length());
	}

	/** The fewest bytes one call allocated on this thread, once warmed up, over a few calls. */
	private static long allocation(Supplier<String> capture) {
		for (int i = 0; i < 200; i++) {
			capture.get();
		}
		long overhead = Long.MAX_VALUE;
		long fewest = Long.MAX_VALUE;
		for (int i = 0; i < 10; i++) {
			long start = threads.getCurrentThreadAllocatedBytes();
			long empty = threads.getCurrentThreadAllocatedBytes();
			overhead = Math.min(overhead, empty - start);
			long before = threads.getCurrentThreadAllocatedBytes();
			capture.get();
			fewest = Math.min(fewest, threads.getCurrentThreadAllocatedBytes() - before);
		}
		return Math.max(0, fewest - overhead);
	}

	private static List<Item> records(int count) {
		List<Item> items = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			items.add(new Item(i, "item-" + i));
		}
		return items;
	}

	private static List<Object> nestedLists(int depth) {
		List<Object> root = new ArrayList<>();
		List<Object> current = root;
		for (int i = 1; i < depth; i++) {
			List<Object> child = new ArrayList<>();
			current.add(child);
			current = child;
		}
		return root;
	}

	private static Map<String, Object> nestedMaps(int depth) {
		Map<String, Object> root = new LinkedHashMap<>();
		Map<String, Object> current = root;
		for (int i = 1; i < depth; i++) {
			Map<String, Object> child = new LinkedHashMap<>();
			current.put("k", child);
			current = child;
		}
		return root;
	}

	private static Node nestedBeans(int depth) {
		Node node = new Node(null);
		for (int i = 1; i < depth; i++) {
			node = new Node(node);
		}
		return node;
	}

	enum Level {

		LOW, HIGH

	}

	record Attachment(String name, byte[] data) {
	}

	record Text(char[] chars) {
	}

	static final class Message {

		private final String content;

		Message(String content) {
			this.content = content;
		}

		public String getRole() {
			return "user";
		}

		public String getContent() {
			return this.content;
		}

	}

	static final class Node {

		private final Object child;

		Node(Object child) {
			this.child = child;
		}

		public Object getChild() {
			return this.child;
		}

	}

	static final class Item {

		static int getterCalls;

		private final int id;

		private final String name;

		Item(int id, String name) {
			this.id = id;
			this.name = name;
		}

		public int getId() {
			getterCalls++;
			return this.id;
		}

		public String getName() {
			return this.name;
		}

	}

	/** A list that counts the elements read from it. */
	static final class CountingList extends AbstractList<Item> {

		private final int size;

		int reads;

		CountingList(int size) {
			this.size = size;
			Item.getterCalls = 0;
		}

		@Override
		public Item get(int index) {
			this.reads++;
			return new Item(index, "item-" + index);
		}

		@Override
		public int size() {
			return this.size;
		}

	}

}
