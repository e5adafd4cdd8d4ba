package io.github.observe4j.langfuse.internal.prompt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.github.observe4j.langfuse.internal.export.HttpResult;
import io.github.observe4j.langfuse.internal.export.HttpTransport;
import io.github.observe4j.langfuse.internal.metrics.LangfusePromptMetrics;
import io.github.observe4j.langfuse.internal.webclient.WebClientHttpTransport;
import io.github.observe4j.langfuse.prompt.ChatMessage;
import io.github.observe4j.langfuse.prompt.ChatPrompt;
import io.github.observe4j.langfuse.prompt.PromptKey;
import io.github.observe4j.langfuse.prompt.PromptNotFoundException;
import io.github.observe4j.langfuse.prompt.PromptUnavailableException;
import io.github.observe4j.langfuse.prompt.TextPrompt;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer.FakeResponse;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer.RecordedRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link CachingLangfusePrompts} over the real transport against a loopback stand-in
 * serving Langfuse's prompt API, with a clock the tests move.
 */
@ExtendWith(OutputCaptureExtension.class)
class CachingLangfusePromptsTests {

	private static final String GREETING = PromptApi.PATH + "/greeting";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	private final HttpTransport transport = WebClientHttpTransport
		.builder(this.server.url(), FakeLangfuseServer.PUBLIC_KEY, FakeLangfuseServer.SECRET_KEY)
		.timeout(Duration.ofSeconds(5))
		.build();

	private final AtomicLong clock = new AtomicLong();

	private final PromptStats stats = new PromptStats();

	private final CachingLangfusePrompts prompts = prompts(Duration.ofSeconds(60));

	@AfterEach
	void stop() {
		this.transport.close();
		this.server.close();
	}

	private CachingLangfusePrompts prompts(Duration ttl) {
		return prompts(ttl, Duration.ofSeconds(5));
	}

	private CachingLangfusePrompts prompts(Duration ttl, Duration fetchTimeout) {
		PromptApi api = new PromptApi(this.transport, (text) -> JSON.readValue(text, Object.class));
		return new CachingLangfusePrompts(api, ttl, fetchTimeout, this.stats, this.clock::get);
	}

	static FakeResponse textPrompt(String name, int version, String prompt) {
		return FakeResponse.ok("{\"type\":\"text\",\"name\":\"" + name + "\",\"version\":" + version
				+ ",\"prompt\":\"" + prompt + "\",\"labels\":[\"production\",\"latest\"],\"tags\":[],"
				+ "\"config\":{\"model\":\"gpt-4o\",\"temperature\":0.2,\"max_tokens\":256}}");
	}

	private void advance(Duration duration) {
		this.clock.addAndGet(duration.toNanos());
	}

	@Test
	void fetchesATextPromptWithTheKeysAndTheProductionLabel() {
		this.server.enqueue(GREETING, textPrompt("greeting", 3, "Hello {{name}}"));
		TextPrompt prompt = this.prompts.getTextPrompt("greeting");
		assertThat(prompt.name()).isEqualTo("greeting");
		assertThat(prompt.version()).isEqualTo(3);
		assertThat(prompt.labels()).containsExactly("production", "latest");
		assertThat(prompt.config()).containsEntry("model", "gpt-4o")
			.containsEntry("temperature", 0.2)
			.containsEntry("max_tokens", 256);
		assertThat(prompt.isFallback()).isFalse();
		assertThat(prompt.compile(Map.of("name", "Ada"))).isEqualTo("Hello Ada");
		RecordedRequest request = this.server.requests(GREETING).get(0);
		assertThat(request.method()).isEqualTo("GET");
		assertThat(request.query()).isEqualTo("label=production");
		assertThat(request.basicCredentials())
			.isEqualTo(FakeLangfuseServer.PUBLIC_KEY + ":" + FakeLangfuseServer.SECRET_KEY);
	}

	@Test
	void fetchesAChatPromptLeavingOutPlaceholders() {
		this.server.enqueue(PromptApi.PATH + "/support", FakeResponse.ok("{\"type\":\"chat\",\"name\":\"support\","
				+ "\"version\":1,\"labels\":[\"production\"],\"tags\":[],\"config\":{},\"prompt\":["
				+ "{\"role\":\"system\",\"content\":\"You help with {{product}}.\",\"type\":\"chatmessage\"},"
				+ "{\"name\":\"history\",\"type\":\"placeholder\"},"
				+ "{\"role\":\"user\",\"content\":\"{{question}}\"}]}"));
		ChatPrompt prompt = this.prompts.getChatPrompt("support");
		assertThat(prompt.version()).isOne();
		assertThat(prompt.variables()).containsExactly("product", "question");
		assertThat(prompt.compile(Map.of("product", "Observe4j", "question", "Why?"))).containsExactly(
				new ChatMessage("system", "You help with Observe4j."), new ChatMessage("user", "Why?"));
	}

	@Test
	void aLargePromptIsReadWhole() {
		String big = "x".repeat(100_000);
		this.server.enqueue(GREETING, textPrompt("greeting", 1, big));
		assertThat(this.prompts.getTextPrompt("greeting").prompt()).isEqualTo(big);
	}

	@Test
	void folderNamesAreOneEncodedPathSegment() {
		this.server.enqueue(PromptApi.PATH + "/support/greeting", textPrompt("support/greeting", 1, "Hi"));
		assertThat(this.prompts.getTextPrompt(PromptKey.label("support/greeting", "my label")).prompt())
			.isEqualTo("Hi");
		assertThat(PromptApi.path(PromptKey.label("support/greeting", "my label")))
			.isEqualTo(PromptApi.PATH + "/support%2Fgreeting?label=my%20label");
		assertThat(this.server.requests().get(0).query()).isEqualTo("label=my%20label");
	}

	@Test
	void theSecondCallIsServedFromTheCache() {
		this.server.enqueue(GREETING, textPrompt("greeting", 3, "Hello"));
		TextPrompt first = this.prompts.getTextPrompt("greeting");
		advance(Duration.ofSeconds(59));
		assertThat(this.prompts.getTextPrompt(PromptKey.label("greeting", "production"))).isSameAs(first);
		assertThat(this.server.requests(GREETING)).hasSize(1);
		assertThat(this.stats.misses()).isOne();
		assertThat(this.stats.hits()).isOne();
	}

	@Test
	void versionsAndLabelsAreCachedApart() {
		this.server.respondWith(GREETING, (request) -> switch (String.valueOf(request.query())) {
			case "version=2" -> textPrompt("greeting", 2, "Version two");
			case "label=staging" -> textPrompt("greeting", 5, "Staging");
			default -> FakeResponse.status(404);
		});
		assertThat(this.prompts.getTextPrompt(PromptKey.version("greeting", 2)).prompt()).isEqualTo("Version two");
		assertThat(this.prompts.getTextPrompt(PromptKey.label("greeting", "staging")).prompt()).isEqualTo("Staging");
		assertThat(this.prompts.getTextPrompt(PromptKey.version("greeting", 2)).version()).isEqualTo(2);
		assertThat(this.server.requests(GREETING)).extracting(RecordedRequest::query)
			.containsExactly("version=2", "label=staging");
	}

	@Test
	void afterTheTtlTheStaleCopyIsServedAtOnceWhileANewOneIsFetched() {
		this.server.enqueue(GREETING, textPrompt("greeting", 1, "Old"));
		this.prompts.getTextPrompt("greeting");
		CountDownLatch answer = new CountDownLatch(1);
		this.server.enqueue(GREETING, textPrompt("greeting", 2, "New").after(answer));
		advance(Duration.ofSeconds(61));
		assertThat(this.prompts.getTextPrompt("greeting").prompt()).isEqualTo("Old");
		await().until(() -> this.server.requests(GREETING).size() == 2);
		// while the refresh is under way, no second one starts
		assertThat(this.prompts.getTextPrompt("greeting").prompt()).isEqualTo("Old");
		answer.countDown();
		await().untilAsserted(() -> assertThat(this.prompts.getTextPrompt("greeting").version()).isEqualTo(2));
		assertThat(this.server.requests(GREETING)).hasSize(2);
		assertThat(this.stats.stale()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void theStaleCopyIsServedWhileLangfuseAnswersWithErrors(CapturedOutput output) {
		this.server.enqueue(GREETING, textPrompt("greeting", 1, "Cached"));
		this.prompts.getTextPrompt("greeting");
		this.server.setDefaultResponse(GREETING, FakeResponse.status(503));
		advance(Duration.ofSeconds(61));
		assertThat(this.prompts.getTextPrompt("greeting").prompt()).isEqualTo("Cached");
		await().until(() -> this.stats.fetchFailures() == 1);
		assertThat(this.prompts.getTextPrompt("greeting").prompt()).isEqualTo("Cached");
		// a failed refresh is not retried at once
		assertThat(this.server.requests(GREETING)).hasSize(2);
		advance(CachingLangfusePrompts.RETRY_DELAY);
		this.prompts.getTextPrompt("greeting");
		await().until(() -> this.stats.fetchFailures() == 2);
		assertThat(output).containsOnlyOnce("Langfuse prompt 'greeting' label production could not be fetched:"
				+ " Langfuse answered HTTP 503; serving the cached version 1");
		assertThat(output).doesNotContain(FakeLangfuseServer.SECRET_KEY);
	}

	@Test
	void theStaleCopyIsServedWhenLangfuseIsDown(CapturedOutput output) {
		this.server.enqueue(GREETING, textPrompt("greeting", 1, "Cached"));
		this.prompts.getTextPrompt("greeting");
		this.server.stop();
		advance(Duration.ofSeconds(61));
		assertThat(this.prompts.getTextPrompt("greeting").prompt()).isEqualTo("Cached");
		await().until(() -> this.stats.fetchFailures() == 1);
		assertThat(this.prompts.getTextPrompt("greeting").prompt()).isEqualTo("Cached");
		assertThat(output).contains("could not be fetched: cannot reach Langfuse at " + this.server.url());
	}

	@Test
	void aColdStartWithLangfuseDownServesTheFallbackOrThrows(CapturedOutput output) {
		this.server.stop();
		TextPrompt prompt = this.prompts.getTextPrompt(PromptKey.of("greeting"), "Hi {{name}}");
		assertThat(prompt.isFallback()).isTrue();
		assertThat(prompt.version()).isZero();
		assertThat(prompt.labels()).isEmpty();
		assertThat(prompt.compile(Map.of("name", "Ada"))).isEqualTo("Hi Ada");
		assertThatExceptionOfType(PromptUnavailableException.class)
			.isThrownBy(() -> this.prompts.getTextPrompt("greeting"))
			.withMessageContaining("Prompt 'greeting' label production is unavailable and no fallback was given")
			.satisfies((ex) -> assertThat(ex.key()).isEqualTo(PromptKey.of("greeting")));
		// the exception in place of a fallback is counted as one too: every request is counted
		assertThat(this.stats.fallbacks()).isEqualTo(2);
		assertThat(output).contains("serving the fallback");
	}

	@Test
	void afterAFailedColdFetchCallersDoNotWaitAgainUntilTheRetryDelay(CapturedOutput output) {
		this.server.enqueue(GREETING, FakeResponse.status(500));
		assertThat(this.prompts.getTextPrompt(PromptKey.of("greeting"), "Fallback").isFallback()).isTrue();
		this.server.enqueue(GREETING, textPrompt("greeting", 4, "Fetched"));
		assertThat(this.prompts.getTextPrompt(PromptKey.of("greeting"), "Fallback").isFallback()).isTrue();
		assertThat(this.server.requests(GREETING)).hasSize(1);
		advance(CachingLangfusePrompts.RETRY_DELAY);
		assertThat(this.prompts.getTextPrompt(PromptKey.of("greeting"), "Fallback").version()).isEqualTo(4);
	}

	@Test
	void aMissingPromptThrowsNotFoundWithoutAFallback(CapturedOutput output) {
		assertThatExceptionOfType(PromptNotFoundException.class)
			.isThrownBy(() -> this.prompts.getTextPrompt("missing"))
			.withMessage("Prompt 'missing' label production is unavailable and no fallback was given:"
					+ " Langfuse has no prompt 'missing' label production");
		assertThat(this.prompts.getChatPrompt(PromptKey.of("missing"), List.of(new ChatMessage("user", "Hi")))
			.prompt()).containsExactly(new ChatMessage("user", "Hi"));
		assertThat(this.stats.fallbacks()).isEqualTo(2);
	}

	@Test
	void aPromptOfTheOtherTypeIsUnavailable(CapturedOutput output) {
		this.server.enqueue(GREETING, textPrompt("greeting", 1, "Text"));
		assertThatExceptionOfType(PromptUnavailableException.class)
			.isThrownBy(() -> this.prompts.getChatPrompt("greeting"))
			.withMessageEndingWith("is a text prompt: use getTextPrompt");
		assertThat(this.prompts.getTextPrompt("greeting").prompt()).isEqualTo("Text");
	}

	@Test
	void concurrentMissesShareOneFetch() throws Exception {
		CountDownLatch answer = new CountDownLatch(1);
		this.server.enqueue(GREETING, textPrompt("greeting", 7, "Shared").after(answer));
		ExecutorService callers = Executors.newFixedThreadPool(8);
		try {
			List<Future<TextPrompt>> results = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				results.add(callers.submit(() -> this.prompts.getTextPrompt("greeting")));
			}
			await().until(() -> this.server.requests(GREETING).size() == 1);
			answer.countDown();
			for (Future<TextPrompt> result : results) {
				assertThat(result.get(10, TimeUnit.SECONDS).version()).isEqualTo(7);
			}
			assertThat(this.server.requests(GREETING)).hasSize(1);
		}
		finally {
			callers.shutdownNow();
		}
	}

	@Test
	void aColdFetchWaitsAtMostTheFetchTimeoutAndFillsTheCacheLater(CapturedOutput output) {
		CachingLangfusePrompts prompts = prompts(Duration.ofSeconds(60), Duration.ofMillis(200));
		CountDownLatch answer = new CountDownLatch(1);
		this.server.enqueue(GREETING, textPrompt("greeting", 2, "Late").after(answer));
		TextPrompt prompt = prompts.getTextPrompt(PromptKey.of("greeting"), "Fallback");
		assertThat(prompt.isFallback()).isTrue();
		assertThat(output).contains("Langfuse did not answer within langfuse.prompts.fetch-timeout=PT0.2S");
		answer.countDown();
		await().ignoreExceptions()
			.untilAsserted(() -> assertThat(prompts.getTextPrompt("greeting").prompt()).isEqualTo("Late"));
		assertThat(this.server.requests(GREETING)).hasSize(1);
	}

	@Test
	void afterAColdFetchTimesOutCallersDoNotWaitAgainUntilTheRetryDelay(CapturedOutput output) {
		// Langfuse takes the connection and never answers: the fetch outlives the caller's wait
		CachingLangfusePrompts prompts = prompts(Duration.ofSeconds(60), Duration.ofMillis(200));
		CountDownLatch answer = new CountDownLatch(1);
		this.server.enqueue(GREETING, textPrompt("greeting", 3, "Late").after(answer));
		try {
			assertThat(prompts.getTextPrompt(PromptKey.of("greeting"), "Fallback").isFallback()).isTrue();
			assertThat(this.stats.fetchFailures()).isEqualTo(1);
			assertThat(output).contains("Langfuse did not answer within langfuse.prompts.fetch-timeout=PT0.2S");
			// the next callers do not wait out the timeout again on the same fetch: ten of them
			// would take two seconds if each did
			long start = System.nanoTime();
			for (int i = 0; i < 10; i++) {
				assertThat(prompts.getTextPrompt(PromptKey.of("greeting"), "Fallback").isFallback()).isTrue();
			}
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
			// after the retry delay one caller waits again, on the same fetch, which still counts once
			advance(CachingLangfusePrompts.RETRY_DELAY);
			assertThat(prompts.getTextPrompt(PromptKey.of("greeting"), "Fallback").isFallback()).isTrue();
			assertThat(this.stats.fetchFailures()).isEqualTo(1);
			assertThat(this.stats.fallbacks()).isEqualTo(12);
		}
		finally {
			answer.countDown();
		}
		await().ignoreExceptions()
			.untilAsserted(() -> assertThat(prompts.getTextPrompt("greeting").prompt()).isEqualTo("Late"));
		assertThat(this.server.requests(GREETING)).hasSize(1);
		assertThat(this.stats.fetchFailures()).isEqualTo(1);
	}

	@Test
	void aFailureTheFetchReportsJustAsTheCallerGivesUpIsTheOneRemembered(CapturedOutput output) {
		CompletableFuture<HttpResult> answer = new CompletableFuture<>();
		HttpTransport answersWhenTold = (request) -> answer;
		AtomicInteger readings = new AtomicInteger();
		// the clock's second reading is the caller's, right after its wait ran out: Langfuse's 404
		// arrives at that moment, so the fetch stores its failure before the caller stores its own
		LongSupplier clock = () -> {
			if (readings.incrementAndGet() == 2) {
				answer.complete(new HttpResult(404, null, "{}"));
			}
			return this.clock.get();
		};
		PromptApi api = new PromptApi(answersWhenTold, (text) -> JSON.readValue(text, Object.class));
		CachingLangfusePrompts prompts = new CachingLangfusePrompts(api, Duration.ofSeconds(60),
				Duration.ofMillis(50), this.stats, clock);
		assertThat(prompts.getTextPrompt(PromptKey.of("greeting"), "Fallback").isFallback()).isTrue();
		assertThat(output).contains("Langfuse did not answer within langfuse.prompts.fetch-timeout=PT0.05S");
		// within the retry delay a caller learns what the fetch found: there is no such prompt
		assertThatExceptionOfType(PromptNotFoundException.class).isThrownBy(() -> prompts.getTextPrompt("greeting"));
		assertThat(output).contains("Langfuse has no prompt 'greeting'");
		assertThat(this.stats.fetchFailures()).isEqualTo(1);
	}

	@Test
	void durationsTooLongForNanosecondsMeanForever() {
		// built directly, without the properties' validation: Duration.toNanos would overflow
		CachingLangfusePrompts prompts = prompts(Duration.ofDays(300_000), Duration.ofDays(300_000));
		this.server.enqueue(GREETING, textPrompt("greeting", 5, "Hello"));
		assertThat(prompts.getTextPrompt(PromptKey.of("greeting"), "Fallback").version()).isEqualTo(5);
		advance(Duration.ofDays(3650));
		assertThat(prompts.getTextPrompt(PromptKey.of("greeting"), "Fallback").version()).isEqualTo(5);
		assertThat(this.server.requests(GREETING)).hasSize(1);
	}

	@Test
	void aTtlOfZeroFetchesEveryCallAndServesTheLastCopyOnFailure(CapturedOutput output) {
		CachingLangfusePrompts prompts = prompts(Duration.ZERO);
		this.server.enqueue(GREETING, textPrompt("greeting", 1, "One"));
		this.server.enqueue(GREETING, textPrompt("greeting", 2, "Two"));
		this.server.enqueue(GREETING, FakeResponse.status(500));
		assertThat(prompts.getTextPrompt("greeting").version()).isOne();
		assertThat(prompts.getTextPrompt("greeting").version()).isEqualTo(2);
		assertThat(prompts.getTextPrompt("greeting").version()).isEqualTo(2);
		assertThat(this.server.requests(GREETING)).hasSize(3);
		assertThat(output).contains("serving the cached version 2");
	}

	@Test
	void metricsCountHowRequestsWereServed(CapturedOutput output) {
		MeterRegistry registry = new SimpleMeterRegistry();
		new LangfusePromptMetrics(this.stats).bindTo(registry);
		this.server.enqueue(GREETING, textPrompt("greeting", 1, "Hello"));
		this.prompts.getTextPrompt("greeting");
		this.prompts.getTextPrompt("greeting");
		this.server.setDefaultResponse(GREETING, FakeResponse.status(502));
		advance(Duration.ofSeconds(61));
		this.prompts.getTextPrompt("greeting");
		await().until(() -> this.stats.fetchFailures() == 1);
		this.prompts.getTextPrompt(PromptKey.of("other"), "Fallback");
		// a cached text prompt asked for as a chat prompt is served its fallback, counted once
		this.prompts.getChatPrompt(PromptKey.of("greeting"), List.of());
		// each of the five requests is counted once, by how it was served
		assertThat(count(registry, "miss")).isOne();
		assertThat(count(registry, "hit")).isOne();
		assertThat(count(registry, "stale")).isOne();
		assertThat(count(registry, "fallback")).isEqualTo(2);
		// the refresh answered 502, "other" is not found
		assertThat(registry.get("langfuse.prompts.fetch.failures").functionCounter().count()).isEqualTo(2);
	}

	private static double count(MeterRegistry registry, String result) {
		return registry.get("langfuse.prompts.requests").tag("result", result).functionCounter().count();
	}

}
