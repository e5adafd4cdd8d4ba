package io.github.observe4j.langfuse.internal.reactor;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.aop.ObserveAdvisor;
import io.github.observe4j.langfuse.internal.aop.ObserveMethodInterceptor;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.context.LangfuseContext;
import io.github.observe4j.langfuse.context.LangfuseObservation;
import io.github.observe4j.langfuse.context.LangfuseScope;
import io.github.observe4j.langfuse.internal.context.GlobalRegistry;
import io.github.observe4j.langfuse.internal.core.CompletionStageEndStrategy;
import io.github.observe4j.langfuse.internal.core.DefaultLangfuseClient;
import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import io.github.observe4j.langfuse.internal.core.ObservationContextHolder;
import io.github.observe4j.langfuse.internal.core.TracerSettings;
import io.github.observe4j.langfuse.internal.json.JacksonValueSerializer;
import io.github.observe4j.langfuse.internal.model.JsonText;
import io.github.observe4j.langfuse.model.ObservationLevel;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.internal.support.TruncationMarker;
import io.github.observe4j.langfuse.testsupport.TestExportControl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.ConnectableFlux;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.aop.framework.ProxyFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ReactorEndStrategy} through the {@code @Observe} interceptor: when each
 * reactive result ends, what it records, and which observation is current in its operators.
 */
class ReactorEndStrategyTests {

	private final List<ObservationRecord> exported = new CopyOnWriteArrayList<>();

	private LangfuseTracer tracer;

	private static final String JOINED_TRACE = "0af7651916cd43dd8448eb211c80319c";

	private static final String JOINED_PARENT = "b7ad6b7169203331";

	private DefaultLangfuseClient client;

	private Story story;

	@BeforeEach
	void setUp() {
		// what the starter's auto-configuration turns on; the accessor comes from ServiceLoader
		Hooks.enableAutomaticContextPropagation();
		this.tracer = new LangfuseTracer(TracerSettings.defaults("http://localhost:3000", new JacksonValueSerializer()),
				this.exported::add);
		this.client = new DefaultLangfuseClient(this.tracer, (score) -> true, TestExportControl.withoutProject(),
				List.of(new CompletionStageEndStrategy(), new ReactorEndStrategy()));
		GlobalRegistry.of(LangfuseClient.class).register(this.client);
		Words words = proxy(new Words());
		this.story = proxy(new Story(words));
	}

	@AfterEach
	void tearDown() {
		GlobalRegistry.of(LangfuseClient.class).unregister(this.client);
		Hooks.disableAutomaticContextPropagation();
		assertThat(ObservationContextHolder.get()).as("nothing left current on the test thread").isNull();
	}

	private <T> T proxy(T target) {
		ProxyFactory factory = new ProxyFactory(target);
		factory.setProxyTargetClass(true);
		factory.addAdvisor(new ObserveAdvisor(new ObserveMethodInterceptor(() -> this.tracer,
				List.of(new CompletionStageEndStrategy(), new ReactorEndStrategy()))));
		@SuppressWarnings("unchecked")
		T proxy = (T) factory.getProxy();
		return proxy;
	}

	private ObservationRecord named(String name) {
		return this.exported.stream().filter((record) -> record.name().equals(name)).findFirst().orElseThrow();
	}

	private List<ObservationRecord> allNamed(String name) {
		return this.exported.stream().filter((record) -> record.name().equals(name)).toList();
	}

	private static long millis(ObservationRecord record) {
		return TimeUnit.NANOSECONDS.toMillis(record.endEpochNanos() - record.startEpochNanos());
	}

	@Test
	void aMonoEndsWhenItCompletesWithItsValueAsOutput() {
		Mono<String> result = this.story.slowTitle("owls");
		assertThat(this.exported).as("nothing ends when the method returns").isEmpty();
		StepVerifier.create(result).expectNext("The owls").verifyComplete();
		ObservationRecord title = named("slowTitle");
		assertThat(millis(title)).isGreaterThanOrEqualTo(300);
		assertThat(title.output()).isEqualTo("The owls");
		assertThat(title.failed()).isFalse();
		assertThat(this.exported).hasSize(1);
	}

	@Test
	void aFailingMonoIsAnError() {
		StepVerifier.create(this.story.failing()).verifyErrorMessage("model unavailable");
		ObservationRecord failing = named("failing");
		assertThat(failing.failed()).isTrue();
		assertThat(failing.statusMessage()).isEqualTo("java.lang.IllegalStateException: model unavailable");
		assertThat(failing.output()).isNull();
	}

	@Test
	void aStreamedGenerationCollectsItsTextAndGetsTheTimeToFirstToken() {
		StepVerifier.create(this.story.stream("abcde")).expectNext("a", "b", "c", "d", "e").verifyComplete();
		ObservationRecord stream = named("stream");
		assertThat(stream.output()).isEqualTo("abcde");
		assertThat(millis(stream)).isGreaterThanOrEqualTo(200);
		assertThat(stream.completionStartTime()).isNotNull();
		long firstToken = stream.completionStartTime().getEpochSecond() * 1_000_000_000L
				+ stream.completionStartTime().getNano();
		assertThat(firstToken).isBetween(stream.startEpochNanos() + TimeUnit.MILLISECONDS.toNanos(40),
				stream.endEpochNanos() - TimeUnit.MILLISECONDS.toNanos(150));
	}

	@Test
	void aFluxOfObjectsIsRecordedAsAList() {
		StepVerifier.create(this.story.numbers(3)).expectNext(List.of(0), List.of(1), List.of(2)).verifyComplete();
		assertThat(named("numbers").output()).isInstanceOf(JsonText.class)
			.hasToString("[[0],[1],[2]]");
	}

	@Test
	void theOutputOfALongStreamOfBigElementsStaysWithinTheSizeLimit() {
		// each element's text is cut at the serializer's string limit, then the list at the size limit
		StepVerifier.create(this.story.documents(100, 100_000)).expectNextCount(100).verifyComplete();
		String output = named("documents").output().toString();
		assertThat(output.length()).isBetween(900_000, 1_200_000);
		assertThat(output).contains(TruncationMarker.withLength(100_000)).contains("more elements not recorded>");
	}

	@Test
	void anElementThatCannotBeCapturedDoesNotBreakTheStream() {
		StepVerifier.create(this.story.unprintable()).expectNextCount(2).verifyComplete();
		assertThat(named("unprintable").output()).isEqualTo("ok...[1 elements could not be recorded]");
	}

	@Test
	void aCancelledStreamEndsWithWhatItProducedAsAWarning() {
		StepVerifier.create(this.story.stream("abcde").take(2)).expectNext("a", "b").verifyComplete();
		await().until(() -> !this.exported.isEmpty());
		ObservationRecord stream = named("stream");
		assertThat(stream.output()).isEqualTo("ab");
		assertThat(stream.level()).isEqualTo(ObservationLevel.WARNING);
		assertThat(stream.statusMessage()).isEqualTo("cancelled after 2 elements");
		assertThat(millis(stream)).isLessThan(250);
	}

	@Test
	void aMonoCancelledAfterItsValueCountsAsComplete() {
		StepVerifier.create(this.story.slowTitle("bats").flux().take(1)).expectNext("The bats").verifyComplete();
		ObservationRecord title = named("slowTitle");
		assertThat(title.level()).isNull();
		assertThat(title.output()).isEqualTo("The bats");
	}

	@Test
	void endsExactlyOnceWhateverHappens() {
		Mono<String> title = this.story.slowTitle("cats");
		StepVerifier.create(title).expectNext("The cats").verifyComplete();
		assertThat(allNamed("slowTitle")).hasSize(1);
	}

	@Test
	void eachResubscriptionIsARunOfItsOwnWithTheSameParent() {
		AtomicInteger attempts = new AtomicInteger();
		Mono<String> result = this.client.observe("request", ObservationType.SPAN,
				() -> this.story.flaky(attempts).retry(2));
		StepVerifier.create(result).expectNext("ok after 3").verifyComplete();
		List<ObservationRecord> runs = allNamed("flaky");
		ObservationRecord request = named("request");
		assertThat(runs).hasSize(3).allSatisfy((run) -> {
			assertThat(run.parentSpanId()).isEqualTo(request.spanId());
			assertThat(run.traceIdLow()).isEqualTo(request.traceIdLow());
		});
		assertThat(runs.stream().filter(ObservationRecord::failed)).hasSize(2);
		assertThat(runs.stream().map(ObservationRecord::spanId).distinct()).hasSize(3);
	}

	@Test
	void observedCallsInsideOperatorsAttachToTheirParentAcrossThreadHops() {
		StepVerifier.create(this.story.tell("foxes")).expectNext("The foxes: once, twice").verifyComplete();
		ObservationRecord tell = named("tell");
		ObservationRecord title = named("slowTitle");
		List<ObservationRecord> words = allNamed("word");
		assertThat(title.parentSpanId()).isEqualTo(tell.spanId());
		assertThat(words).hasSize(2).allSatisfy((word) -> assertThat(word.parentSpanId()).isEqualTo(tell.spanId()));
		assertThat(this.exported).allSatisfy((record) -> assertThat(record.traceIdLow()).isEqualTo(tell.traceIdLow()));
		assertThat(tell.output()).isEqualTo("The foxes: once, twice");
	}

	@Test
	void theContextApiWorksInsideOperators() {
		StepVerifier.create(this.story.tagged()).expectNext("tagged").verifyComplete();
		assertThat(named("tagged").traceAttributes().tags()).containsExactly("from-operator");
	}

	@Test
	void codeDownstreamOfAnObservedStreamRunsWithTheCallersContext() {
		Mono<String> result = this.client.observe("caller", ObservationType.SPAN,
				() -> this.story.slowTitle("moths").flatMap((title) -> this.story.sibling(title)));
		StepVerifier.create(result).expectNext("The moths!").verifyComplete();
		ObservationRecord caller = named("caller");
		assertThat(named("slowTitle").parentSpanId()).isEqualTo(caller.spanId());
		assertThat(named("sibling").parentSpanId()).isEqualTo(caller.spanId());
	}

	@Test
	void aPublisherResultIsObservedAsAFlux() {
		StepVerifier.create(this.story.publisher()).expectNext("x", "y").verifyComplete();
		assertThat(named("publisher").output()).isEqualTo("xy");
	}

	@Test
	void aConnectableFluxFromTheProgrammaticApiIsReturnedAsItIs() {
		ConnectableFlux<Integer> source = Flux.just(1, 2).publish();
		ConnectableFlux<Integer> result = this.client.observe("connectable", ObservationType.SPAN, () -> source);
		assertThat(result).isSameAs(source);
		assertThat(named("connectable").output()).isInstanceOf(JsonText.class)
			.hasToString("\"<not captured: " + source.getClass().getName() + " can be read only once>\"");
	}

	@Test
	void aMonoOfTheApplicationsOwnTypeFromTheProgrammaticApiIsReturnedAsItIs() {
		// the caller holds it as its own type: a plain Mono in its place would fail its cast
		CustomMono custom = this.client.observe("custom", ObservationType.SPAN, CustomMono::new);
		assertThat(custom).isInstanceOf(CustomMono.class);
		StepVerifier.create(custom).expectNext("custom").verifyComplete();
		assertThat(named("custom").output()).isInstanceOf(JsonText.class)
			.hasToString("\"<not captured: " + CustomMono.class.getName() + " can be read only once>\"");
	}

	@Test
	void observeAroundAnObservedMethodsMonoEndsWhenTheStreamDoes() {
		// the inner @Observe method hands back the starter's own observed Mono: the outer
		// observation follows it too, instead of ending before anyone subscribed
		Mono<String> result = this.client.observe("outer", ObservationType.SPAN, () -> this.story.slowTitle("owls"));
		assertThat(this.exported).as("nothing ends before the stream does").isEmpty();
		StepVerifier.create(result).expectNext("The owls").verifyComplete();
		ObservationRecord outer = named("outer");
		ObservationRecord inner = named("slowTitle");
		assertThat(outer.output()).isEqualTo("The owls");
		assertThat(millis(outer)).isGreaterThanOrEqualTo(300);
		assertThat(inner.parentSpanId()).isEqualTo(outer.spanId());
	}

	@Test
	void nestedObserveCallsOnAFluxEndWhenTheStreamDoes() {
		Flux<String> result = this.client.observe("outer", ObservationType.SPAN,
				() -> this.client.observe("inner", ObservationType.SPAN, () -> Flux.just("a", "b")));
		assertThat(this.exported).isEmpty();
		StepVerifier.create(result).expectNext("a", "b").verifyComplete();
		assertThat(named("outer").output()).isEqualTo("ab");
		assertThat(named("inner").output()).isEqualTo("ab");
		assertThat(named("inner").parentSpanId()).isEqualTo(named("outer").spanId());
	}

	@Test
	void aRetrySubscribedAfterTheJoinClosedStaysInTheJoinedTrace() {
		String traceId = JOINED_TRACE;
		String parentId = JOINED_PARENT;
		AtomicInteger attempts = new AtomicInteger();
		Mono<String> call;
		try (LangfuseScope scope = this.client.joinTrace(traceId, parentId)) {
			call = this.client.observe("call", ObservationType.SPAN, () -> Mono.fromCallable(() -> {
				if (attempts.incrementAndGet() == 1) {
					throw new IllegalStateException("first attempt");
				}
				return "second attempt";
			}));
		}
		// subscribed, and retried, once the request that joined the trace has returned
		StepVerifier.create(call.retry(1)).expectNext("second attempt").verifyComplete();
		assertThat(allNamed("call")).hasSize(2).allSatisfy((run) -> {
			assertThat(traceIdHex(run)).isEqualTo(traceId);
			assertThat(run.parentSpanId()).isEqualTo(Long.parseUnsignedLong(parentId, 16));
		});
	}

	@Test
	void aJoinClosedInsideAPipelineUnderContextPropagationLeavesNothingJoined() {
		LangfuseScope scope = this.client.joinTrace(JOINED_TRACE, JOINED_PARENT);
		Mono.just(1).doFinally((signal) -> scope.close()).contextWrite((context) -> context.put("k", "v")).block();
		assertThat(ObservationContextHolder.get()).isNull();
		LangfuseScope again = this.client.joinTrace(JOINED_TRACE, JOINED_PARENT);
		Mono.just(1).handle((value, sink) -> {
			again.close();
			sink.next(value);
		}).contextCapture().block();
		assertThat(ObservationContextHolder.get()).isNull();
	}

	@Test
	void aRequestAfterAJoinClosedElsewhereRunsItsDownstreamWorkInItsOwnTrace() throws Exception {
		// without Reactor's propagation the stream's own swaps are all that set the context
		Hooks.disableAutomaticContextPropagation();
		LangfuseScope scope = this.client.joinTrace(JOINED_TRACE, JOINED_PARENT);
		ExecutorService closer = Executors.newSingleThreadExecutor();
		try {
			closer.submit(scope::close).get(10, TimeUnit.SECONDS);
		}
		finally {
			closer.shutdownNow();
		}
		// the next request on this pooled thread joins nothing
		String result = this.client.observe("request", ObservationType.SPAN, () -> Mono.fromCallable(() -> "v"))
			.flatMap((value) -> this.client.observe("downstream", ObservationType.SPAN, () -> Mono.just(value + "!")))
			.block();
		assertThat(result).isEqualTo("v!");
		assertThat(this.exported).extracting((record) -> traceIdHex(record)).doesNotContain(JOINED_TRACE);
		assertThat(named("downstream").parentSpanId()).isZero();
	}

	@Test
	void aMonoUnderAHandleInsideAJoinRetriedOnThisThreadAfterBothClosedStaysInTheTrace() {
		AtomicInteger attempts = new AtomicInteger();
		Mono<String> call;
		try (LangfuseScope scope = this.client.joinTrace(JOINED_TRACE, JOINED_PARENT)) {
			try (LangfuseObservation handle = this.client.startObservation("handle", ObservationType.SPAN)) {
				call = this.client.observe("call", ObservationType.SPAN, () -> Mono.fromCallable(() -> {
					if (attempts.incrementAndGet() == 1) {
						throw new IllegalStateException("first attempt");
					}
					return "second attempt";
				}));
			}
		}
		StepVerifier.create(call.retry(1)).expectNext("second attempt").verifyComplete();
		assertThat(allNamed("call")).hasSize(2)
			.allSatisfy((run) -> assertThat(traceIdHex(run)).isEqualTo(JOINED_TRACE));
	}

	private static String traceIdHex(ObservationRecord record) {
		return String.format("%016x%016x", record.traceIdHigh(), record.traceIdLow());
	}

	/** A Mono of the application's own, public type. */
	public static final class CustomMono extends Mono<String> {

		@Override
		public void subscribe(CoreSubscriber<? super String> actual) {
			Mono.just("custom").subscribe(actual);
		}

	}

	@Test
	void aConnectableFluxBehindADeclaredFluxIsReturnedAsItIs() {
		Flux<Integer> result = this.story.connectable();
		assertThat(result).isInstanceOf(ConnectableFlux.class);
		StepVerifier.create(result).then(((ConnectableFlux<Integer>) result)::connect).expectNext(1, 2).verifyComplete();
		assertThat(named("connectable").output()).isInstanceOf(JsonText.class)
			.hasToString("\"<not captured: " + result.getClass().getName() + " can be read only once>\"");
	}

	@Test
	void completableFuturesStillEndWhenTheyComplete() {
		CompletableFuture<String> future = this.story.future();
		assertThat(future.join()).isEqualTo("done");
		await().until(() -> !allNamed("future").isEmpty());
		assertThat(millis(named("future"))).isGreaterThanOrEqualTo(100);
	}

	@Test
	void theProgrammaticApiFollowsAMono() {
		Mono<String> result = this.client.observe("programmatic", ObservationType.CHAIN,
				() -> Mono.delay(Duration.ofMillis(100)).map((tick) -> "late"));
		assertThat(this.exported).isEmpty();
		StepVerifier.create(result).expectNext("late").verifyComplete();
		ObservationRecord programmatic = named("programmatic");
		assertThat(programmatic.type()).isEqualTo(ObservationType.CHAIN);
		assertThat(programmatic.output()).isEqualTo("late");
		assertThat(millis(programmatic)).isGreaterThanOrEqualTo(100);
	}

	/** Observed reactive methods of every shape. */
	public static class Story {

		private final Words words;

		Story(Words words) {
			this.words = words;
		}

		Story() {
			this(null);
		}

		/**
		 * A title after 300 ms, on the parallel scheduler.
		 * @param topic the topic
		 * @return the title
		 */
		@Observe
		public Mono<String> slowTitle(String topic) {
			return Mono.delay(Duration.ofMillis(300)).map((tick) -> "The " + topic);
		}

		/**
		 * Publish two numbers to subscribers that connect.
		 * @return a connectable flux
		 */
		@Observe
		public Flux<Integer> connectable() {
			return Flux.just(1, 2).publish();
		}

		/**
		 * A failure.
		 * @return a failing Mono
		 */
		@Observe
		public Mono<String> failing() {
			return Mono.error(new IllegalStateException("model unavailable"));
		}

		/**
		 * One token per character, 50 ms apart.
		 * @param text the text
		 * @return the tokens
		 */
		@Observe(type = ObservationType.GENERATION)
		public Flux<String> stream(String text) {
			return Flux.fromArray(text.split("")).delayElements(Duration.ofMillis(50));
		}

		/**
		 * Big documents.
		 * @param count how many
		 * @param size characters each
		 * @return the documents
		 */
		@Observe
		public Flux<Map<String, String>> documents(int count, int size) {
			return Flux.range(0, count).map((i) -> Map.of("text", "d".repeat(size)));
		}

		/**
		 * Text, then an element whose toString throws.
		 * @return two elements
		 */
		@Observe
		public Flux<CharSequence> unprintable() {
			CharSequence broken = new CharSequence() {

				@Override
				public int length() {
					return 1;
				}

				@Override
				public char charAt(int index) {
					return 'x';
				}

				@Override
				public CharSequence subSequence(int start, int end) {
					return this;
				}

				@Override
				public String toString() {
					throw new IllegalStateException("cannot print");
				}

			};
			return Flux.just("ok", broken);
		}

		/**
		 * Lists.
		 * @param count how many
		 * @return the lists
		 */
		@Observe
		public Flux<List<Integer>> numbers(int count) {
			return Flux.range(0, count).map(List::of);
		}

		/**
		 * Fails twice, then succeeds.
		 * @param attempts counts the subscriptions
		 * @return the result
		 */
		@Observe
		public Mono<String> flaky(AtomicInteger attempts) {
			return Mono.fromCallable(() -> {
				int attempt = attempts.incrementAndGet();
				if (attempt < 3) {
					throw new IllegalStateException("attempt " + attempt);
				}
				return "ok after " + attempt;
			});
		}

		/**
		 * Nested observed calls in operators that hop threads.
		 * @param topic the topic
		 * @return the story
		 */
		@Observe
		public Mono<String> tell(String topic) {
			return slowTitleThroughProxy(topic).publishOn(Schedulers.boundedElastic())
				.flatMap((title) -> Flux.just("once", "twice")
					.flatMap((word) -> this.words.word(word).subscribeOn(Schedulers.parallel()), 2)
					.collectList()
					.map((list) -> title + ": " + String.join(", ", list.stream().sorted().toList())));
		}

		private Mono<String> slowTitleThroughProxy(String topic) {
			return this.words.title(topic);
		}

		/**
		 * Tags the trace from inside an operator on another thread.
		 * @return a constant
		 */
		@Observe
		public Mono<String> tagged() {
			return Mono.delay(Duration.ofMillis(10)).map((tick) -> {
				LangfuseContext.currentTrace().tags("from-operator");
				return "tagged";
			});
		}

		/**
		 * A sibling call made downstream.
		 * @param title the title
		 * @return the title, excited
		 */
		@Observe
		public Mono<String> sibling(String title) {
			return Mono.just(title + "!");
		}

		/**
		 * A plain Publisher.
		 * @return two letters
		 */
		@Observe
		public Publisher<String> publisher() {
			return Flux.just("x", "y");
		}

		/**
		 * A future that completes after 100 ms.
		 * @return the future
		 */
		@Observe
		public CompletableFuture<String> future() {
			return CompletableFuture.supplyAsync(() -> "done",
					CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
		}

	}

	/** Observed leaf calls. */
	public static class Words {

		/**
		 * A word, later.
		 * @param word the word
		 * @return the word
		 */
		@Observe
		public Mono<String> word(String word) {
			return Mono.delay(Duration.ofMillis(20)).map((tick) -> word);
		}

		/**
		 * A title, later.
		 * @param topic the topic
		 * @return the title
		 */
		@Observe(name = "slowTitle")
		public Mono<String> title(String topic) {
			return Mono.delay(Duration.ofMillis(50)).map((tick) -> "The " + topic);
		}

	}

}
