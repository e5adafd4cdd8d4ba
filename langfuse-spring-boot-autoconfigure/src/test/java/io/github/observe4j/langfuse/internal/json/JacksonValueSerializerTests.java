package io.github.observe4j.langfuse.internal.json;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.observe4j.langfuse.internal.model.JsonText;
import io.github.observe4j.langfuse.internal.support.TruncationMarker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JacksonValueSerializer}.
 */
@ExtendWith(OutputCaptureExtension.class)
class JacksonValueSerializerTests {

	private static final int LIMIT = 100_000;

	private static final JsonMapper json = JsonMapper.builder().build();

	private final JacksonValueSerializer serializer = new JacksonValueSerializer();

	@Test
	void buildsItsMapperOnFirstUseOrWhenPreparedNotWhenCreated() {
		JacksonValueSerializer fresh = new JacksonValueSerializer();
		assertThat(fresh.mapperBuilt()).isFalse();
		// binary values and nulls need no mapper
		assertThat(fresh.toJson(new byte[3], LIMIT)).isEqualTo("\"<byte[3]>\"");
		assertThat(fresh.toJson(null, LIMIT)).isEqualTo("null");
		assertThat(fresh.mapperBuilt()).isFalse();
		fresh.prepare();
		assertThat(fresh.mapperBuilt()).isTrue();
		JacksonValueSerializer used = new JacksonValueSerializer();
		assertThat(used.toJson(List.of(1, 2), LIMIT)).isEqualTo("[1,2]");
		assertThat(used.mapperBuilt()).isTrue();
	}

	@Test
	void threadsMeetingTheUnbuiltMapperAllGetTheirJsonFromOneBuild() throws Exception {
		AtomicInteger builds = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		JacksonValueSerializer fresh = new JacksonValueSerializer(StructureLimits.DEFAULTS, 8, (limits) -> {
			builds.incrementAndGet();
			sleep(50);
			return JacksonValueSerializer.createMapper(limits);
		});
		ExecutorService executor = Executors.newFixedThreadPool(8);
		try {
			List<Future<String>> results = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				int n = i;
				results.add(executor.submit(() -> {
					start.await();
					return fresh.toJson(Map.of("n", n), LIMIT);
				}));
			}
			start.countDown();
			for (int i = 0; i < 8; i++) {
				assertThat(results.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("{\"n\":" + i + "}");
			}
			assertThat(builds).hasValue(1);
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void aMapperThatCannotBeBuiltGivesPlaceholdersAndOneWarningAndIsNotTriedAgain(CapturedOutput output) {
		AtomicInteger builds = new AtomicInteger();
		JacksonValueSerializer broken = new JacksonValueSerializer(StructureLimits.DEFAULTS, 8, (limits) -> {
			builds.incrementAndGet();
			throw new NoSuchMethodError("'tools.jackson.databind.cfg.MapperBuilder something()'");
		});
		broken.prepare();
		assertThat(broken.toJson(new Key("a"), LIMIT))
			.isEqualTo("\"<unserializable " + Key.class.getName() + ": serializer unavailable>\"");
		assertThat(broken.toJson(List.of(1), LIMIT)).contains("serializer unavailable");
		assertThat(broken.toJson(new byte[2], LIMIT)).isEqualTo("\"<byte[2]>\"");
		assertThat(builds).hasValue(1);
		assertThat(broken.mapperBuilt()).isFalse();
		assertThat(output).containsOnlyOnce("Langfuse could not build its JSON mapper (NoSuchMethodError")
			.contains("Check that jackson-databind matches your Spring Boot version")
			.doesNotContain("Cannot serialize a value of type");
	}

	@Test
	void aStackOverflowWhileBuildingIsTriedAgainWithTheNextValue(CapturedOutput output) {
		AtomicInteger builds = new AtomicInteger();
		JacksonValueSerializer serializer = new JacksonValueSerializer(StructureLimits.DEFAULTS, 8, (limits) -> {
			if (builds.incrementAndGet() == 1) {
				throw new StackOverflowError();
			}
			return JacksonValueSerializer.createMapper(limits);
		});
		assertThat(serializer.toJson(List.of(1), LIMIT)).contains("serializer unavailable");
		assertThat(serializer.toJson(List.of(1), LIMIT)).isEqualTo("[1]");
		assertThat(builds).hasValue(2);
		assertThat(output).doesNotContain("WARN");
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void serializesNullAsJsonNull() {
		assertThat(this.serializer.toJson(null, LIMIT)).isEqualTo("null");
	}

	@Test
	void quotesStrings() {
		assertThat(this.serializer.toJson("say \"hi\"\n", LIMIT)).isEqualTo("\"say \\\"hi\\\"\\n\"");
	}

	@Test
	void serializesRecordsAndPojos() {
		Order order = new Order("o-1", 3, List.of(new Line("apple", 1.5)));
		assertThat(parse(this.serializer.toJson(order, LIMIT)))
			.isEqualTo(parse("{\"id\":\"o-1\",\"quantity\":3,\"lines\":[{\"sku\":\"apple\",\"price\":1.5}]}"));
		Customer customer = new Customer();
		customer.setName("Ada");
		assertThat(parse(this.serializer.toJson(customer, LIMIT))).isEqualTo(parse("{\"name\":\"Ada\"}"));
	}

	@Test
	void serializesBeanWithoutPropertiesAsEmptyObject() {
		assertThat(this.serializer.toJson(new Object(), LIMIT)).isEqualTo("{}");
	}

	@Test
	void serializesMapsAndListsIncludingNonStringKeys() {
		Map<Object, Object> map = new LinkedHashMap<>();
		map.put(1, "one");
		map.put(LocalDate.of(2026, 1, 2), List.of(1, 2));
		map.put(new Key("k"), Map.of("nested", true));
		assertThat(parse(this.serializer.toJson(map, LIMIT)))
			.isEqualTo(parse("{\"1\":\"one\",\"2026-01-02\":[1,2],\"Key[name=k]\":{\"nested\":true}}"));
	}

	@Test
	void serializesJavaTimeAsIsoStrings() {
		Map<String, Object> times = new LinkedHashMap<>();
		times.put("instant", Instant.parse("2026-01-02T03:04:05.123Z"));
		times.put("local", LocalDateTime.of(2026, 1, 2, 3, 4, 5));
		times.put("offset", OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(2)));
		times.put("date", LocalDate.of(2026, 1, 2));
		times.put("duration", Duration.ofSeconds(90));
		assertThat(parse(this.serializer.toJson(times, LIMIT))).isEqualTo(parse("""
				{"instant":"2026-01-02T03:04:05.123Z","local":"2026-01-02T03:04:05",
				 "offset":"2026-01-02T03:04:05+02:00","date":"2026-01-02","duration":"PT1M30S"}"""));
	}

	@Test
	void embedsJsonTextVerbatim() {
		Map<String, Object> value = new LinkedHashMap<>();
		value.put("snapshot", new JsonText("{\"items\":[1,2]}"));
		value.put("plain", "text");
		assertThat(this.serializer.toJson(value, LIMIT))
			.isEqualTo("{\"snapshot\":{\"items\":[1,2]},\"plain\":\"text\"}");
		assertThat(this.serializer.toJson(new JsonText("[true]"), LIMIT)).isEqualTo("[true]");
	}

	@Test
	void unwrapsOptional() {
		assertThat(this.serializer.toJson(Optional.of("x"), LIMIT)).isEqualTo("\"x\"");
		assertThat(this.serializer.toJson(Optional.empty(), LIMIT)).isEqualTo("null");
		Holder holder = new Holder(Optional.of(UUID.fromString("00000000-0000-0000-0000-000000000001")));
		assertThat(parse(this.serializer.toJson(holder, LIMIT)))
			.isEqualTo(parse("{\"value\":\"00000000-0000-0000-0000-000000000001\"}"));
	}

	@Test
	void marksObjectCycleWhereItCloses(CapturedOutput output) {
		Node first = new Node();
		Node second = new Node();
		first.next = second;
		second.next = first;
		assertThat(this.serializer.toJson(first, LIMIT))
			.isEqualTo("{\"next\":{\"next\":\"" + TruncationMarker.CYCLE + "\"}}");
		assertThat(warnings(output)).isEmpty();
	}

	@Test
	void marksDirectSelfReference(CapturedOutput output) {
		Node node = new Node();
		node.next = node;
		assertThat(this.serializer.toJson(node, LIMIT)).isEqualTo("{\"next\":\"" + TruncationMarker.CYCLE + "\"}");
		assertThat(warnings(output)).isEmpty();
	}

	@Test
	void marksSelfReferencingCollections(CapturedOutput output) {
		List<Object> list = new ArrayList<>();
		list.add("first");
		list.add(list);
		Map<String, Object> map = new HashMap<>();
		map.put("self", map);
		Object[] array = new Object[1];
		array[0] = array;
		assertThat(this.serializer.toJson(list, LIMIT)).isEqualTo("[\"first\",\"" + TruncationMarker.CYCLE + "\"]");
		assertThat(this.serializer.toJson(map, LIMIT)).isEqualTo("{\"self\":\"" + TruncationMarker.CYCLE + "\"}");
		assertThat(this.serializer.toJson(array, LIMIT)).isEqualTo("[\"" + TruncationMarker.CYCLE + "\"]");
		assertThat(warnings(output)).isEmpty();
	}

	@Test
	void writesTheSameValueTwiceWhenItIsNoCycle() {
		List<String> shared = List.of("a");
		assertThat(this.serializer.toJson(List.of(shared, shared), LIMIT)).isEqualTo("[[\"a\"],[\"a\"]]");
	}

	@Test
	void cutsVeryDeepNestingWithMarker(CapturedOutput output) {
		List<Object> root = new ArrayList<>();
		List<Object> current = root;
		for (int i = 0; i < 10_000; i++) {
			List<Object> next = new ArrayList<>();
			current.add(next);
			current = next;
		}
		int depth = StructureLimits.DEFAULTS.maxDepth();
		assertThat(this.serializer.toJson(root, LIMIT))
			.isEqualTo("[".repeat(depth) + "\"" + TruncationMarker.tooDeep(depth) + "\"" + "]".repeat(depth));
		assertThat(warnings(output)).isEmpty();
	}

	@Test
	void keepsModeratelyDeepNesting() {
		Object value = "leaf";
		for (int i = 0; i < 50; i++) {
			value = List.of(value);
		}
		assertThat(this.serializer.toJson(value, LIMIT)).isEqualTo("[".repeat(50) + "\"leaf\"" + "]".repeat(50));
	}

	@Test
	void replacesFailingGetterWithPlaceholder(CapturedOutput output) {
		assertThat(this.serializer.toJson(new Exploding(), LIMIT))
			.isEqualTo("\"<unserializable " + Exploding.class.getName() + ": IllegalStateException>\"");
		assertThat(this.serializer.toJson(List.of("fine", new Exploding()), LIMIT))
			.isEqualTo("\"<unserializable java.util.ImmutableCollections$List12: IllegalStateException>\"");
		assertThat(warnings(output)).satisfiesExactly((line) -> assertThat(line)
			.contains("value of type " + Exploding.class.getName() + " for Langfuse (IllegalStateException;"
					+ " DatabindException: getter failed (through reference chain: " + Exploding.class.getName()
					+ "[\"broken\"]))"),
				(line) -> assertThat(line).contains("value of type java.util.ImmutableCollections$List12 for Langfuse"
						+ " (IllegalStateException; DatabindException: getter failed"));
	}

	@Test
	void keepsTheFirstItemsOfAHugeListAndCountsTheRest() {
		List<Integer> huge = Collections.nCopies(50_000_000, 12345);
		String result = this.serializer.toJson(huge, LIMIT);
		assertThat(result).startsWith("[12345,12345")
			.endsWith(",12345,\"" + TruncationMarker.moreItems(50_000_000 - 100) + "\"]");
		assertThat(parse(result)).hasSize(101);
	}

	@Test
	void boundsHugeListWithMarkerAtTheCharLimit() {
		List<Integer> huge = Collections.nCopies(50_000_000, 12345);
		JacksonValueSerializer serializer = new JacksonValueSerializer(new StructureLimits(64, 10_000_000, 32_768));
		String result = serializer.toJson(huge, 1000);
		// a list cut short becomes a string holding what was kept: still JSON Langfuse can parse
		assertThat(result).hasSize(1000)
			.startsWith("\"[12345,12345")
			.endsWith("...[truncated by langfuse-spring-boot-starter]\"");
		assertThat(json.readValue(result, String.class)).startsWith("[12345,");
	}

	@Test
	void boundsHugeStringWithMarker() {
		String result = this.serializer.toJson("z".repeat(5_000_000), 10_000);
		assertThat(result).hasSize(10_000).startsWith("\"zzz").endsWith(JacksonValueSerializer.TRUNCATION_MARKER + "\"");
		assertThat(json.readValue(result, String.class)).startsWith("zzz").hasSize(10_000 - 2);
	}

	@Test
	void returnsOutputOfExactlyMaxCharsUncut() {
		assertThat(this.serializer.toJson("abc", 5)).isEqualTo("\"abc\"");
		assertThat(this.serializer.toJson("abcd", 5)).isEqualTo("\"...\"");
	}

	@Test
	void doesNotCutSurrogatePairsInTruncatedOutput() {
		String result = this.serializer.toJson("\ud83d\ude80".repeat(1000), 100);
		assertThat(result).hasSizeLessThanOrEqualTo(100).endsWith(JacksonValueSerializer.TRUNCATION_MARKER + "\"");
		String kept = result.substring(0, result.length() - JacksonValueSerializer.TRUNCATION_MARKER.length() - 1);
		assertThat(kept.codePoints().noneMatch((codePoint) -> Character.isSurrogate((char) codePoint)
				&& codePoint <= Character.MAX_VALUE)).isTrue();
	}

	@Test
	void whateverIsCutStaysValidJsonWithinTheLimit() {
		List<Object> values = List.of("quote \" and backslash \\ and \u00e9 and \ud83d\ude80 ".repeat(400),
				Map.of("items", Collections.nCopies(2_000, Map.of("name", "a \"quoted\" \\ name", "n", 1))),
				Collections.nCopies(5_000, "\u0001\u2028"), new char[50_000]);
		for (Object value : values) {
			for (int limit : new int[] { 2, 5, 49, 50, 51, 64, 100, 257, 1000, 4097 }) {
				String result = this.serializer.toJson(value, limit);
				assertThat(result).as("%s cut to %d", value.getClass().getSimpleName(), limit)
					.hasSizeLessThanOrEqualTo(limit);
				assertThat(json.readTree(result)).as("parses: %s", result).isNotNull();
				if (limit >= JacksonValueSerializer.TRUNCATION_MARKER.length() + 2) {
					// cut at the char limit, or within it by a structure limit
					assertThat(result).contains(TruncationMarker.PREFIX);
				}
			}
		}
	}

	@Test
	void warnsOncePerType(CapturedOutput output) {
		this.serializer.toJson(new Exploding(), LIMIT);
		this.serializer.toJson(new Exploding(), LIMIT);
		this.serializer.toJson(new ArrayList<>(List.of(new Exploding())), LIMIT);
		assertThat(output.getOut().lines().filter((line) -> line.contains("WARN")))
			.satisfiesExactly((line) -> assertThat(line).contains(Exploding.class.getName()),
					(line) -> assertThat(line).contains("java.util.ArrayList"));
	}

	@Test
	void remembersBoundedNumberOfReportedTypes(CapturedOutput output) {
		JacksonValueSerializer serializer = new JacksonValueSerializer(StructureLimits.DEFAULTS, 2);
		serializer.toJson(new Exploding(), LIMIT);
		serializer.toJson(new ArrayList<>(List.of(new Exploding())), LIMIT);
		assertThat(serializer.toJson(new HashMap<>(Map.of("key", new Exploding())), LIMIT))
			.isEqualTo("\"<unserializable java.util.HashMap: IllegalStateException>\"");
		assertThat(output.getOut().lines().filter((line) -> line.contains("WARN"))).hasSize(2);
	}

	@Test
	void warnsOnOneShortLineAndLogsTheStackTraceOnlyAtDebug(CapturedOutput output) {
		// a getter failing deep down: Jackson's message names every bean on the way
		Link deep = new Link(new Exploding());
		for (int i = 0; i < 50; i++) {
			deep = new Link(deep);
		}
		this.serializer.toJson(deep, LIMIT);
		String link = Link.class.getName() + "[\"child\"]";
		assertThat(warnings(output)).singleElement()
			.asString()
			.hasSizeLessThan(600)
			.contains("DatabindException: getter failed (through reference chain: " + link + "->")
			.contains("...); sending a placeholder instead");
		assertThat(output).doesNotContain("\tat tools.jackson").doesNotContain(("->" + link).repeat(20));
		ListAppender<ILoggingEvent> events = new ListAppender<>();
		Logger logger = (Logger) LoggerFactory.getLogger(JacksonValueSerializer.class);
		Level previousLevel = logger.getLevel();
		events.start();
		logger.addAppender(events);
		// Collected here rather than printed: the stack trace runs to hundreds of lines
		logger.setAdditive(false);
		logger.setLevel(Level.DEBUG);
		try {
			JacksonValueSerializer serializer = new JacksonValueSerializer();
			serializer.toJson(new Exploding(), LIMIT);
			serializer.toJson(new Exploding(), LIMIT);
		}
		finally {
			logger.detachAppender(events);
			logger.setAdditive(true);
			logger.setLevel(previousLevel);
		}
		assertThat(events.list).satisfiesExactly((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.WARN);
			assertThat(event.getFormattedMessage())
				.contains("(IllegalStateException; DatabindException: getter failed");
			assertThat(event.getThrowableProxy()).isNull();
		}, (event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.DEBUG);
			assertThat(event.getThrowableProxy().getClassName()).isEqualTo("tools.jackson.databind.DatabindException");
		}, (event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.DEBUG);
			assertThat(event.getThrowableProxy()).isNotNull();
		});
	}

	@Test
	void summarizesFailuresInAtMostAboutTwoHundredCharacters() {
		assertThat(JacksonValueSerializer.summary(new IllegalStateException("line one\n  line two")))
			.isEqualTo("IllegalStateException: line one line two");
		assertThat(JacksonValueSerializer.summary(new StackOverflowError())).isEqualTo("StackOverflowError");
		assertThat(JacksonValueSerializer.summary(new IllegalStateException("x".repeat(1000))))
			.hasSize(JacksonValueSerializer.MAX_SUMMARY_LENGTH + 3)
			.endsWith("xxx...");
	}

	@Test
	void usesItsOwnMapperSettings() {
		// Would fail with FAIL_ON_EMPTY_BEANS enabled, as in a default application mapper
		assertThat(this.serializer.toJson(new Empty(), LIMIT)).isEqualTo("{}");
	}

	private static List<String> warnings(CapturedOutput output) {
		return output.getOut().lines().filter((line) -> line.contains("WARN")).toList();
	}

	private static JsonNode parse(String text) {
		return json.readTree(text);
	}

	record Line(String sku, double price) {
	}

	record Order(String id, int quantity, List<Line> lines) {
	}

	record Key(String name) {
	}

	record Holder(Optional<UUID> value) {
	}

	static final class Customer {

		private String name = "";

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

	}

	static final class Node {

		public Node next;

	}

	static final class Link {

		public final Object child;

		Link(Object child) {
			this.child = child;
		}

	}

	static final class Exploding {

		public String getBroken() {
			throw new IllegalStateException("getter failed");
		}

	}

	static final class Empty {

	}

}
