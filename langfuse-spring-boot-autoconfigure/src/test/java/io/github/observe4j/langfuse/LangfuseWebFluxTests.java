package io.github.observe4j.langfuse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.context.LangfuseContext;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.OtlpRequests;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reactive application on a real Reactor Netty server on a random port: 1,000 concurrent
 * requests, each an observed {@code Mono} that calls two observed {@code Mono} methods in
 * operators that hop threads, must arrive as 1,000 traces of three correctly parented spans;
 * and a streamed answer over server-sent events is one generation with its text.
 */
class LangfuseWebFluxTests {

	private static final int REQUESTS = 1000;

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	private ConfigurableApplicationContext context;

	@AfterEach
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
		this.server.close();
		Hooks.disableAutomaticContextPropagation();
	}

	private int start() {
		this.context = new SpringApplicationBuilder(ReactiveApplication.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "langfuse.host=" + this.server.url(),
					"langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
					"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY, "langfuse.export.schedule-delay=50ms")
			.run();
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	@Test
	@Timeout(value = 90, unit = TimeUnit.SECONDS)
	void aThousandConcurrentRequestsAreAThousandTracesOfThreeSpans() throws Exception {
		int port = start();
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < REQUESTS; i++) {
			responses.add(http.sendAsync(
					HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/answer?q=" + i)).build(),
					HttpResponse.BodyHandlers.ofString()));
		}
		Map<String, String> answers = new HashMap<>();
		for (int i = 0; i < REQUESTS; i++) {
			HttpResponse<String> response = responses.get(i).get(60, TimeUnit.SECONDS);
			assertThat(response.statusCode()).isEqualTo(200);
			String[] body = response.body().split(" ");
			assertThat(body[0]).isEqualTo("answer-" + i + "-checked");
			answers.put(body[1], String.valueOf(i));
		}
		assertThat(answers).as("one trace id per request").hasSize(REQUESTS);
		assertThat(this.context.getBean(LangfuseClient.class).flush(Duration.ofSeconds(30))).isTrue();

		List<Span> spans = this.server.receivedSpans();
		assertThat(spans).hasSize(REQUESTS * 3);
		Map<String, List<Span>> byTrace = new HashMap<>();
		spans.forEach((span) -> byTrace.computeIfAbsent(OtlpRequests.hex(span.getTraceId()), (id) -> new ArrayList<>())
			.add(span));
		assertThat(byTrace.keySet()).isEqualTo(answers.keySet());
		byTrace.forEach((traceId, trace) -> {
			Span answer = only(trace, "answer");
			Span draft = only(trace, "draft");
			Span check = only(trace, "check");
			String question = answers.get(traceId);
			assertThat(answer.getParentSpanId().isEmpty()).isTrue();
			assertThat(draft.getParentSpanId()).isEqualTo(answer.getSpanId());
			assertThat(check.getParentSpanId()).isEqualTo(answer.getSpanId());
			assertThat(OtlpRequests.string(draft, "langfuse.observation.output")).isEqualTo("answer-" + question);
			assertThat(OtlpRequests.string(answer, "langfuse.observation.output"))
				.startsWith("answer-" + question + "-checked");
		});
	}

	@Test
	void aStreamedAnswerOverServerSentEventsIsOneGenerationWithItsText() throws Exception {
		int port = start();
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/stream"))
				.header("Accept", MediaType.TEXT_EVENT_STREAM_VALUE)
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("data:Once").contains("data: time");
		assertThat(this.context.getBean(LangfuseClient.class).flush(Duration.ofSeconds(10))).isTrue();
		Span stream = only(this.server.receivedSpans(), "tokens");
		assertThat(OtlpRequests.string(stream, "langfuse.observation.type")).isEqualTo("generation");
		assertThat(OtlpRequests.string(stream, "langfuse.observation.output")).isEqualTo("Once upon a time");
		assertThat(OtlpRequests.string(stream, "langfuse.observation.completion_start_time")).isNotBlank();
	}

	private static Span only(List<Span> spans, String name) {
		List<Span> matching = spans.stream().filter((span) -> span.getName().equals(name)).toList();
		assertThat(matching).as(name).hasSize(1);
		return matching.get(0);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ReactiveApplication {

		@Bean
		Assistant assistant() {
			return new Assistant();
		}

		@Bean
		AnswerController answerController(Assistant assistant) {
			return new AnswerController(assistant);
		}

	}

	/** The endpoints. */
	@RestController
	static class AnswerController {

		private final Assistant assistant;

		AnswerController(Assistant assistant) {
			this.assistant = assistant;
		}

		@GetMapping("/answer")
		Mono<String> answer(@RequestParam String q) {
			return this.assistant.answer(q);
		}

		@GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
		Flux<String> stream() {
			return this.assistant.tokens();
		}

	}

	/** Observed reactive service. */
	public static class Assistant {

		private Assistant self;

		@org.springframework.beans.factory.annotation.Autowired
		void setSelf(@org.springframework.context.annotation.Lazy Assistant self) {
			this.self = self;
		}

		/**
		 * Draft on the parallel scheduler, then check on bounded elastic.
		 * @param question the question
		 * @return the checked answer and the trace id
		 */
		@Observe
		public Mono<String> answer(String question) {
			return this.self.draft(question)
				.publishOn(Schedulers.parallel())
				.flatMap((draft) -> this.self.check(draft))
				.map((checked) -> checked + " " + LangfuseContext.currentTraceId().orElse("none"));
		}

		/**
		 * A draft, later.
		 * @param question the question
		 * @return the draft
		 */
		@Observe(type = ObservationType.GENERATION)
		public Mono<String> draft(String question) {
			return Mono.delay(Duration.ofMillis(5)).map((tick) -> "answer-" + question);
		}

		/**
		 * A check, on another thread.
		 * @param draft the draft
		 * @return the checked draft
		 */
		@Observe(type = ObservationType.GUARDRAIL)
		public Mono<String> check(String draft) {
			return Mono.fromCallable(() -> draft + "-checked").subscribeOn(Schedulers.boundedElastic());
		}

		/**
		 * Tokens, streamed.
		 * @return the tokens
		 */
		@Observe(type = ObservationType.GENERATION)
		public Flux<String> tokens() {
			return Flux.just("Once", " upon", " a", " time").delayElements(Duration.ofMillis(10));
		}

	}

}
