package io.github.observe4j.langfuse.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.internal.health.LangfuseHealthIndicator;
import io.github.observe4j.langfuse.model.Score;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.opentelemetry.proto.trace.v1.Span;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One run of {@link FaultSuiteApplication} against a {@link FakeLangfuseServer}, with the
 * counts a scenario asserts: what it traced, what the server stored (by span id) and what the
 * starter says it exported, dropped and possibly duplicated.
 */
final class TracedApplication implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final FakeLangfuseServer server;

	private TracedApplication(ConfigurableApplicationContext context, FakeLangfuseServer server) {
		this.context = context;
		this.server = server;
	}

	/**
	 * Start the application with fast retries; the extra properties override them.
	 */
	static TracedApplication start(FakeLangfuseServer server, String... properties) {
		List<String> all = new ArrayList<>(List.of("langfuse.host=" + server.url(),
				"langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
				"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY, "langfuse.export.schedule-delay=50ms",
				"langfuse.export.max-batch-size=16", "langfuse.export.initial-backoff=50ms",
				"langfuse.export.max-backoff=200ms", "langfuse.export.timeout=1s",
				"langfuse.export.shutdown-timeout=2s", "spring.main.banner-mode=off"));
		all.addAll(List.of(properties));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(FaultSuiteApplication.class)
			.web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.run();
		return new TracedApplication(context, server);
	}

	/**
	 * Make traces, two spans each.
	 * @return the span ids the application made
	 */
	List<String> trace(int count) {
		return trace(count, "input");
	}

	List<String> trace(int count, String input) {
		FaultSuiteApplication.Handler handler = this.context.getBean(FaultSuiteApplication.Handler.class);
		List<String> ids = new ArrayList<>(count * 2);
		for (int i = 0; i < count; i++) {
			ids.addAll(handler.handle(input));
		}
		return ids;
	}

	List<String> traceAndScore(Score score) {
		return this.context.getBean(FaultSuiteApplication.Handler.class).handleAndScore(score);
	}

	LangfuseClient client() {
		return this.context.getBean(LangfuseClient.class);
	}

	boolean flush() {
		return client().flush(Duration.ofSeconds(30));
	}

	/** Health details of a queue: exported, dropped by reason, possiblyDuplicated, ... */
	@SuppressWarnings("unchecked")
	Map<String, Object> counts(String queue) {
		return (Map<String, Object>) this.context.getBean(LangfuseHealthIndicator.class)
			.health(true)
			.getDetails()
			.get(queue);
	}

	@SuppressWarnings("unchecked")
	long dropped(String queue, String reason) {
		return (Long) ((Map<String, Object>) counts(queue).get("dropped")).get(reason);
	}

	@SuppressWarnings("unchecked")
	long droppedTotal(String queue) {
		return ((Map<String, Long>) counts(queue).get("dropped")).values().stream().mapToLong(Long::longValue).sum();
	}

	@Override
	public void close() {
		this.context.close();
	}

	/** How many times the server stored each span id. */
	static Map<String, Integer> storedCounts(FakeLangfuseServer server) {
		Map<String, Integer> counts = new HashMap<>();
		for (Span span : server.storedSpans()) {
			counts.merge(HexFormat.of().formatHex(span.getSpanId().toByteArray()), 1, Integer::sum);
		}
		return counts;
	}

	/**
	 * Assert that the server stored each of the spans exactly once, and nothing else.
	 */
	static void assertStoredExactlyOnce(FakeLangfuseServer server, Collection<String> spanIds) {
		Map<String, Integer> stored = storedCounts(server);
		Map<String, Integer> twice = stored.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() > 1)
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
		assertThat(twice).as("spans stored more than once").isEmpty();
		// sets, not AssertJ's list comparison: a load test has tens of thousands of ids
		Set<String> expected = new HashSet<>(spanIds);
		assertThat(expected).as("span ids made twice by the application").hasSize(spanIds.size());
		Set<String> missing = new HashSet<>(expected);
		missing.removeAll(stored.keySet());
		Set<String> unexpected = new HashSet<>(stored.keySet());
		unexpected.removeAll(expected);
		assertThat(missing).as("spans never stored (of " + expected.size() + ")").isEmpty();
		assertThat(unexpected).as("stored spans the application did not make").isEmpty();
	}

}
