package io.github.observe4j.langfuse.internal.aop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.context.LangfuseContext;
import io.github.observe4j.langfuse.internal.context.GlobalRegistry;
import io.github.observe4j.langfuse.context.LangfuseIds;
import io.github.observe4j.langfuse.context.LangfuseScope;
import io.github.observe4j.langfuse.internal.core.DefaultLangfuseClient;
import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import io.github.observe4j.langfuse.internal.core.TracerSettings;
import io.github.observe4j.langfuse.internal.model.CapturedArguments;
import io.github.observe4j.langfuse.internal.model.JsonText;
import io.github.observe4j.langfuse.model.ObservationLevel;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.model.Score;
import io.github.observe4j.langfuse.internal.model.ScoreRecord;
import io.github.observe4j.langfuse.testsupport.TestExportControl;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.aop.TargetClassAware;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ObserveMethodInterceptor} with the {@link LangfuseTracer} behind it.
 */
@ExtendWith(OutputCaptureExtension.class)
class ObserveMethodInterceptorTests {

	private final List<ObservationRecord> exported = new CopyOnWriteArrayList<>();

	private final List<ScoreRecord> scores = new CopyOnWriteArrayList<>();

	private LangfuseTracer tracer;

	private DefaultLangfuseClient client;

	@BeforeEach
	void setUp() {
		useTracer(TracerSettings.defaults("http://localhost:3000/", (value, max) -> "\"json:" + value + "\""));
	}

	@AfterEach
	void tearDown() {
		GlobalRegistry.of(LangfuseClient.class).unregister(this.client);
	}

	private void useTracer(TracerSettings settings) {
		if (this.client != null) {
			GlobalRegistry.of(LangfuseClient.class).unregister(this.client);
		}
		this.tracer = new LangfuseTracer(settings, this.exported::add);
		this.client = new DefaultLangfuseClient(this.tracer, this.scores::add, TestExportControl.withProject("project-1"));
		GlobalRegistry.of(LangfuseClient.class).register(this.client);
	}

	private <T> T proxy(Object target, Class<T> type, boolean proxyTargetClass) {
		ProxyFactory factory = new ProxyFactory(target);
		factory.setProxyTargetClass(proxyTargetClass);
		if (!proxyTargetClass) {
			factory.addInterface(type);
		}
		factory.addAdvisor(new ObserveAdvisor(new ObserveMethodInterceptor(() -> this.tracer)));
		return type.cast(factory.getProxy());
	}

	private ObservationRecord exportedNamed(String name) {
		return this.exported.stream().filter((record) -> record.name().equals(name)).findFirst().orElseThrow();
	}

	@Test
	void nestedCallsFormOneTraceWithParentLinks() {
		Pipeline pipeline = proxy(new Pipeline(proxy(new Model(), ModelApi.class, false)), Pipeline.class, true);
		String answer = pipeline.answer("why is the sky blue?", 2);
		assertThat(answer).isEqualTo("because:why is the sky blue?");
		assertThat(this.exported).hasSize(2);
		ObservationRecord root = exportedNamed("answer");
		ObservationRecord generation = exportedNamed("llm-call");
		assertThat(root.parentSpanId()).isZero();
		assertThat(generation.parentSpanId()).isEqualTo(root.spanId());
		assertThat(generation.traceIdHigh()).isEqualTo(root.traceIdHigh());
		assertThat(generation.traceIdLow()).isEqualTo(root.traceIdLow());
		assertThat(root.type()).isEqualTo(ObservationType.SPAN);
		assertThat(generation.type()).isEqualTo(ObservationType.GENERATION);
		assertThat(root.startEpochNanos()).isLessThanOrEqualTo(generation.startEpochNanos());
		assertThat(root.endEpochNanos()).isGreaterThanOrEqualTo(generation.endEpochNanos());
		CapturedArguments input = (CapturedArguments) root.input();
		assertThat(input.names()).containsExactly("question", "attempts");
		assertThat(input.values()).containsExactly("why is the sky blue?", 2);
		assertThat(root.output()).isEqualTo("because:why is the sky blue?");
		assertThat(generation.model()).isEqualTo("gpt-4o");
		assertThat(generation.usageDetails()).containsEntry("input", 10L)
			.containsEntry("output", 3L)
			.containsEntry("total", 13L);
		assertThat(generation.costDetails()).containsEntry("input", 0.01);
		assertThat(generation.modelParameters()).containsEntry("temperature", 0.2);
		assertThat(generation.promptName()).isEqualTo("qa");
		assertThat(generation.promptVersion()).isEqualTo(3);
	}

	@Test
	void traceAttributesReachObservationsThatEndedBeforeTheUpdate() {
		Pipeline pipeline = proxy(new Pipeline(proxy(new Model(), ModelApi.class, false)), Pipeline.class, true);
		pipeline.answerThenTag("q");
		assertThat(this.exported).hasSize(2);
		assertThat(this.exported).allSatisfy((record) -> {
			assertThat(record.traceAttributes().userId()).isEqualTo("user-7");
			assertThat(record.traceAttributes().sessionId()).isEqualTo("session-1");
			assertThat(record.traceAttributes().tags()).containsExactly("a", "b");
			assertThat(record.traceAttributes().metadata()).containsEntry("tenant", "acme");
		});
		assertThat(this.tracer).extracting("holdBackBudget.held").hasToString("0");
	}

	@Test
	void exceptionIsRethrownUnchangedAndMarksError() {
		Pipeline pipeline = proxy(new Pipeline(proxy(new Model(), ModelApi.class, false)), Pipeline.class, true);
		IllegalStateException failure = new IllegalStateException("model overloaded");
		Throwable thrown = catchThrowable(() -> pipeline.fail(failure));
		assertThat(thrown).isSameAs(failure);
		ObservationRecord root = exportedNamed("fail");
		assertThat(root.failed()).isTrue();
		assertThat(root.level()).isEqualTo(ObservationLevel.ERROR);
		assertThat(root.statusMessage()).isEqualTo("java.lang.IllegalStateException: model overloaded");
		assertThat(root.output()).isNull();
	}

	@Test
	void anExceptionWhoseMessageFailsIsRethrownUnchangedAndItsObservationEnds() {
		Pipeline pipeline = proxy(new Pipeline(proxy(new Model(), ModelApi.class, false)), Pipeline.class, true);
		RuntimeException failure = new BrokenMessage(new IllegalStateException("message of a null field"));
		RuntimeException deep = new BrokenMessage(new StackOverflowError());
		assertThat(catchThrowable(() -> pipeline.failUncaptured(failure))).isSameAs(failure);
		assertThat(catchThrowable(() -> pipeline.failUncaptured(deep))).isSameAs(deep);
		assertThat(this.exported).hasSize(2).allSatisfy((root) -> {
			assertThat(root.failed()).isTrue();
			assertThat(root.endEpochNanos()).isGreaterThanOrEqualTo(root.startEpochNanos());
		});
		assertThat(this.exported.get(0).statusMessage()).isEqualTo(BrokenMessage.class.getName()
				+ ": (its getMessage() threw java.lang.IllegalStateException)");
		assertThat(this.exported.get(1).statusMessage()).isEqualTo(BrokenMessage.class.getName()
				+ ": (its getMessage() threw java.lang.StackOverflowError)");
	}

	@Test
	void classLevelAnnotationObservesPublicMethodsOnly() {
		Tools tools = proxy(new Tools(), Tools.class, true);
		assertThat(tools.search("x")).isEqualTo("found x");
		assertThat(tools.toString()).startsWith("Tools");
		assertThat(this.exported).singleElement().satisfies((record) -> {
			assertThat(record.name()).isEqualTo("search");
			assertThat(record.type()).isEqualTo(ObservationType.TOOL);
		});
	}

	@Test
	void annotationOnInterfaceWorksWithJdkProxy() {
		ModelApi model = proxy(new Model(), ModelApi.class, false);
		model.complete("hello");
		assertThat(exportedNamed("llm-call").type()).isEqualTo(ObservationType.GENERATION);
	}

	@Test
	void captureCanBeTurnedOffPerMethodAndGlobally() {
		Pipeline pipeline = proxy(new Pipeline(proxy(new Model(), ModelApi.class, false)), Pipeline.class, true);
		pipeline.secret("sk-123");
		ObservationRecord secret = exportedNamed("secret");
		assertThat(secret.input()).isEqualTo("{masked}");
		assertThat(secret.output()).isEqualTo("ok");
		this.exported.clear();
		useTracer(new TracerSettings("http://h", null, 1.0, false, false, (v, m) -> "x", 1000, 10, 10));
		pipeline = proxy(new Pipeline(proxy(new Model(), ModelApi.class, false)), Pipeline.class, true);
		pipeline.answer("q", 1);
		assertThat(exportedNamed("answer").input()).isNull();
		assertThat(exportedNamed("answer").output()).isNull();
	}

	@Test
	void mutableArgumentsAreSnapshottedAtCallTime() {
		Pipeline pipeline = proxy(new Pipeline(proxy(new Model(), ModelApi.class, false)), Pipeline.class, true);
		List<String> documents = new ArrayList<>(List.of("d1"));
		pipeline.summarize(documents);
		documents.add("d2");
		CapturedArguments input = (CapturedArguments) exportedNamed("summarize").input();
		assertThat(input.values()[0]).isEqualTo(new JsonText("\"json:[d1]\""));
	}

	@Test
	void contextApiOutsideAnObservationDoesNothing() {
		LangfuseContext.currentObservation().output("x").model("m").usage(1, 2);
		LangfuseContext.currentTrace().userId("u").tags("t");
		LangfuseContext.scoreCurrentTrace(Score.numeric("s", 1));
		assertThat(LangfuseContext.currentTraceId()).isEmpty();
		assertThat(LangfuseContext.currentTraceUrl()).isEmpty();
		assertThat(this.exported).isEmpty();
		assertThat(this.scores).isEmpty();
	}

	@Test
	void idsAndTraceUrlInsideAnObservation() {
		Pipeline pipeline = proxy(new Pipeline(proxy(new Model(), ModelApi.class, false)), Pipeline.class, true);
		Map<String, String> ids = pipeline.ids();
		ObservationRecord root = exportedNamed("ids");
		String traceId = String.format("%016x%016x", root.traceIdHigh(), root.traceIdLow());
		assertThat(ids).containsEntry("traceId", traceId)
			.containsEntry("observationId", String.format("%016x", root.spanId()))
			.containsEntry("url", "http://localhost:3000/project/project-1/traces/" + traceId);
	}

	@Test
	void scoresTargetTheCurrentObservationAndTrace(CapturedOutput output) {
		Pipeline pipeline = proxy(new Pipeline(proxy(new Model(), ModelApi.class, false)), Pipeline.class, true);
		pipeline.answer("q", 1);
		ObservationRecord generation = exportedNamed("llm-call");
		String traceId = String.format("%016x%016x", generation.traceIdHigh(), generation.traceIdLow());
		assertThat(this.scores).hasSize(2);
		assertThat(this.scores.get(0).traceId()).isEqualTo(traceId);
		assertThat(this.scores.get(0).observationId()).isEqualTo(String.format("%016x", generation.spanId()));
		assertThat(this.scores.get(0).score().name()).isEqualTo("confidence");
		assertThat(this.scores.get(1).observationId()).isNull();
		assertThat(this.scores.get(1).score().stringValue()).isEqualTo("good");
		this.client.scoreTrace(traceId.toUpperCase(), Score.bool("thumbs-up", true).withId("fb-1"));
		assertThat(this.scores.get(2).traceId()).isEqualTo(traceId);
		assertThat(this.scores.get(2).score().numericValue()).isEqualTo(1.0);
		this.client.scoreTrace("not-an-id", Score.bool("thumbs-up", true));
		assertThat(this.scores).hasSize(3);
		assertThat(output).contains("Ignoring score for invalid trace id 'not-an-id': expected 32 hex characters");
	}

	@Test
	void outermostCallJoinsAGivenTraceAndParent() {
		Pipeline pipeline = proxy(new Pipeline(proxy(new Model(), ModelApi.class, false)), Pipeline.class, true);
		String traceId = LangfuseIds.traceIdFromSeed("message-42");
		try (LangfuseScope scope = LangfuseContext.joinTrace(traceId, "00f067aa0ba902b7")) {
			assertThat(LangfuseContext.currentTraceId()).contains(traceId);
			pipeline.answer("q", 1);
		}
		assertThat(LangfuseContext.currentTraceId()).isEmpty();
		ObservationRecord root = exportedNamed("answer");
		assertThat(String.format("%016x%016x", root.traceIdHigh(), root.traceIdLow())).isEqualTo(traceId);
		assertThat(root.parentSpanId()).isEqualTo(0x00f067aa0ba902b7L);
		assertThat(exportedNamed("llm-call").parentSpanId()).isEqualTo(root.spanId());
	}

	@Test
	void traceparentJoinsAndInvalidIdsAreIgnored(CapturedOutput output) {
		Pipeline pipeline = proxy(new Pipeline(proxy(new Model(), ModelApi.class, false)), Pipeline.class, true);
		try (LangfuseScope scope = LangfuseContext
			.joinTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")) {
			pipeline.answer("q", 1);
		}
		assertThat(exportedNamed("answer").traceIdHigh()).isEqualTo(0x4bf92f3577b34da6L);
		try (LangfuseScope scope = LangfuseContext.joinTrace("xyz", null)) {
			assertThat(scope).isSameAs(LangfuseScope.NOOP);
		}
		assertThat(output).contains("Ignoring joinTrace: trace id 'xyz' is not 32 hex characters");
	}

	@Test
	void deterministicTraceIdMatchesLangfuseSdks() {
		// sha256("message-42")[:32], as Langfuse's Python SDK create_trace_id(seed=...) computes it
		assertThat(LangfuseIds.traceIdFromSeed("message-42")).hasSize(32).matches("[0-9a-f]{32}");
		assertThat(LangfuseIds.traceIdFromSeed("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223");
	}

	@Test
	void sampleRateZeroExportsNothingButIdsStillWork() {
		useTracer(new TracerSettings("http://h", null, 0.0, true, true, (v, m) -> "x", 1000, 10, 10));
		Pipeline pipeline = proxy(new Pipeline(proxy(new Model(), ModelApi.class, false)), Pipeline.class, true);
		assertThat(pipeline.ids()).containsKey("traceId");
		pipeline.answer("q", 1);
		assertThat(this.exported).isEmpty();
		assertThat(this.scores).isEmpty();
	}

	@Test
	void heldObservationsAreBoundedPerTrace() {
		useTracer(new TracerSettings("http://h", null, 1.0, true, true, (v, m) -> "x", 1000, 2, 10));
		Pipeline pipeline = proxy(new Pipeline(proxy(new Model(), ModelApi.class, false)), Pipeline.class, true);
		pipeline.manyCalls(5);
		assertThat(this.exported).hasSize(6);
		// the first two were held until the root ended, the other three went out at once
		assertThat(this.exported.get(0).name()).isEqualTo("llm-call");
		assertThat(this.exported.get(this.exported.size() - 1).name()).isEqualTo("manyCalls");
		assertThat(this.tracer).extracting("holdBackBudget.held").hasToString("0");
	}

	@Test
	void completionStageEndsWhenItCompletes() {
		Pipeline pipeline = proxy(new Pipeline(proxy(new Model(), ModelApi.class, false)), Pipeline.class, true);
		CompletableFuture<String> pending = new CompletableFuture<>();
		CompletableFuture<String> returned = pipeline.later(pending);
		assertThat(returned).isSameAs(pending);
		assertThat(this.exported).isEmpty();
		pending.complete("done");
		await().untilAsserted(() -> assertThat(exportedNamed("later").output()).isEqualTo("done"));
	}

	@Test
	void failingTracerNeverBreaksTheCall() {
		Pipeline target = new Pipeline(proxy(new Model(), ModelApi.class, false));
		ProxyFactory factory = new ProxyFactory(target);
		factory.setProxyTargetClass(true);
		factory.addAdvisor(new ObserveAdvisor(new ObserveMethodInterceptor(() -> {
			throw new IllegalStateException("no tracer yet");
		})));
		Pipeline pipeline = (Pipeline) factory.getProxy();
		assertThat(pipeline.answer("q", 1)).isEqualTo("because:q");
	}

	@Test
	void oneMethodOnBeansOfOneClassWithDifferentTargetClassesResolvesPerTargetClass() {
		// the second bean is of the same class as the first, but names another target class: its
		// class alone must not match the first bean's resolution
		ObserveMethodInterceptor interceptor = new ObserveMethodInterceptor(() -> this.tracer);
		Completion routedItself = proxyWith(interceptor, new RoutedCompletion(null));
		Completion routedToFirst = proxyWith(interceptor, new RoutedCompletion(FirstCompletion.class));
		routedItself.complete("a");
		routedToFirst.complete("b");
		routedItself.complete("c");
		assertThat(this.exported).extracting(ObservationRecord::name).containsExactly("routed", "first", "routed");
	}

	private static Completion proxyWith(ObserveMethodInterceptor interceptor, Completion target) {
		ProxyFactory factory = new ProxyFactory(target);
		factory.setInterfaces(Completion.class);
		factory.addAdvisor(new ObserveAdvisor(interceptor));
		return (Completion) factory.getProxy();
	}

	public interface Completion {

		String complete(String prompt);

	}

	/** Reports a target class of its own choosing, as an AOP proxy used as a target does. */
	static class RoutedCompletion implements Completion, TargetClassAware {

		private final @Nullable Class<?> targetClass;

		RoutedCompletion(@Nullable Class<?> targetClass) {
			this.targetClass = targetClass;
		}

		@Override
		@Observe(name = "routed")
		public String complete(String prompt) {
			return prompt;
		}

		@Override
		public @Nullable Class<?> getTargetClass() {
			return this.targetClass;
		}

	}

	static class FirstCompletion implements Completion {

		@Override
		@Observe(name = "first")
		public String complete(String prompt) {
			return prompt;
		}

	}

	public interface ModelApi {

		@Observe(name = "llm-call", type = ObservationType.GENERATION)
		String complete(String prompt);

	}

	static class Model implements ModelApi {

		@Override
		public String complete(String prompt) {
			LangfuseContext.currentObservation()
				.model("gpt-4o")
				.modelParameters(Map.of("temperature", 0.2))
				.usage(10, 3)
				.costDetails(Map.of("input", 0.01))
				.prompt("qa", 3);
			LangfuseContext.scoreCurrentObservation(Score.numeric("confidence", 0.9));
			return "because:" + prompt;
		}

	}

	@Observe(type = ObservationType.TOOL)
	public static class Tools {

		public String search(String query) {
			return "found " + query;
		}

		@Override
		public String toString() {
			return "Tools";
		}

	}

	/** An exception whose message cannot be made. */
	static final class BrokenMessage extends RuntimeException {

		private final Throwable whenAsked;

		BrokenMessage(Throwable whenAsked) {
			this.whenAsked = whenAsked;
		}

		@Override
		public String getMessage() {
			if (this.whenAsked instanceof Error error) {
				throw error;
			}
			throw (RuntimeException) this.whenAsked;
		}

	}

	public static class Pipeline {

		private final ModelApi model;

		public Pipeline(ModelApi model) {
			this.model = model;
		}

		@Observe
		public String answer(String question, int attempts) {
			String answer = this.model.complete(question);
			LangfuseContext.scoreCurrentTrace(Score.categorical("quality", "good"));
			return answer;
		}

		@Observe
		public String answerThenTag(String question) {
			String answer = this.model.complete(question);
			LangfuseContext.currentTrace()
				.userId("user-7")
				.sessionId("session-1")
				.tags("a", "b", "a")
				.metadata("tenant", "acme");
			return answer;
		}

		@Observe
		public String fail(RuntimeException failure) {
			throw failure;
		}

		@Observe(captureInput = false)
		public String failUncaptured(RuntimeException failure) {
			throw failure;
		}

		@Observe(captureInput = false)
		public String secret(String apiKey) {
			LangfuseContext.currentObservation().input("{masked}");
			return "ok";
		}

		@Observe
		public int summarize(List<String> documents) {
			return documents.size();
		}

		@Observe
		public Map<String, String> ids() {
			return Map.of("traceId", LangfuseContext.currentTraceId().orElseThrow(), "observationId",
					LangfuseContext.currentObservationId().orElseThrow(), "url",
					LangfuseContext.currentTraceUrl().orElse(""));
		}

		@Observe
		public int manyCalls(int count) {
			for (int i = 0; i < count; i++) {
				this.model.complete("q" + i);
			}
			return count;
		}

		@Observe
		public CompletableFuture<String> later(CompletableFuture<String> pending) {
			return pending;
		}

	}

}
