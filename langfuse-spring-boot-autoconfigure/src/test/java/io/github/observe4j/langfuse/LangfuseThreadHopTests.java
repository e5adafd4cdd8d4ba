package io.github.observe4j.langfuse;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.context.LangfuseContext;
import io.github.observe4j.langfuse.context.LangfuseObservation;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.OtlpRequests;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Observations that hop threads in a real application: {@code @Async}, Boot's
 * auto-configured executor, executors made by hand and wrapped with {@code LangfuseContext.wrap},
 * {@code CompletableFuture.supplyAsync}; late children, thread reuse, and the programmatic API.
 * Everything is decoded from what a loopback Langfuse receives.
 */
class LangfuseThreadHopTests {

	private FakeLangfuseServer server;

	private ConfigurableApplicationContext context;

	private LangfuseClient client;

	private Work work;

	@BeforeEach
	void start() {
		this.server = FakeLangfuseServer.start();
		this.context = new SpringApplicationBuilder(HopApplication.class).web(WebApplicationType.NONE)
			.properties("langfuse.host=" + this.server.url(), "langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
					"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY, "langfuse.export.schedule-delay=50ms",
					"spring.task.execution.pool.core-size=2")
			.run();
		this.client = this.context.getBean(LangfuseClient.class);
		this.work = this.context.getBean(Work.class);
	}

	@AfterEach
	void stop() {
		this.context.close();
		this.server.close();
	}

	private List<Span> spans(int expected) {
		// a caller returning a future ends in a callback on it, which may run just after get()
		// returns in the test: flush until that end has been queued too, rather than race it
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(this.client.flush(Duration.ofSeconds(5))).isTrue();
			assertThat(this.server.receivedSpans()).hasSize(expected);
		});
		return this.server.receivedSpans();
	}

	private static Span named(List<Span> spans, String name) {
		return spans.stream().filter((span) -> span.getName().equals(name)).findFirst().orElseThrow();
	}

	private static void assertChildOf(Span child, Span parent) {
		assertThat(OtlpRequests.hex(child.getTraceId())).isEqualTo(OtlpRequests.hex(parent.getTraceId()));
		assertThat(child.getParentSpanId()).isEqualTo(parent.getSpanId());
	}

	@Test
	void asyncMethodsAreChildrenOfTheCaller() throws Exception {
		String asyncThread = this.work.callAsync().get(5, TimeUnit.SECONDS);
		assertThat(asyncThread).startsWith("task-");
		List<Span> spans = spans(2);
		assertChildOf(named(spans, "asyncChild"), named(spans, "callAsync"));
	}

	@Test
	void tasksOnTheAutoConfiguredExecutorAreChildrenAndALateChildKeepsTheTraceAttributes() throws Exception {
		assertThat(this.work.submitLate()).isEqualTo("submitted");
		// the caller has returned and its root has ended before the child ends
		assertThat(this.work.late().get(5, TimeUnit.SECONDS)).isEqualTo("late");
		List<Span> spans = spans(2);
		Span root = named(spans, "submitLate");
		Span child = named(spans, "lateChild");
		assertChildOf(child, root);
		assertThat(child.getEndTimeUnixNano()).isGreaterThan(root.getEndTimeUnixNano());
		assertThat(OtlpRequests.string(child, "user.id")).isEqualTo("ada");
		assertThat(OtlpRequests.string(child, "session.id")).isEqualTo("s-1");
	}

	@Test
	void aHandMadeExecutorWrappedWithTheHelperCarriesTheObservation() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(1);
		try {
			String result = this.work.onHandMadePool(LangfuseContext.wrap(pool));
			assertThat(result).isEqualTo("supplied");
			List<Span> spans = spans(2);
			assertChildOf(named(spans, "supplied"), named(spans, "onHandMadePool"));
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void anUnwrappedHandMadeExecutorDoesNotCarryIt() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(1);
		try {
			this.work.onHandMadePool(pool);
			List<Span> spans = spans(2);
			assertThat(named(spans, "supplied").getParentSpanId().isEmpty()).isTrue();
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aPoolThreadCarriesNothingIntoItsNextTask() throws Exception {
		AsyncTaskExecutor executor = this.context.getBean("applicationTaskExecutor", AsyncTaskExecutor.class);
		this.work.callAsync().get(5, TimeUnit.SECONDS);
		// both pool threads run a task submitted outside any observation
		for (int i = 0; i < 4; i++) {
			Optional<String> traceId = executor.submit(() -> LangfuseContext.currentTraceId()).get(5,
					TimeUnit.SECONDS);
			assertThat(traceId).isEmpty();
		}
	}

	@Test
	void theProgrammaticApiNestsLikeTheAnnotation() {
		String answer;
		try (LangfuseObservation request = this.client.startObservation("request", ObservationType.AGENT)) {
			request.input("question");
			answer = this.client.observe("think", ObservationType.CHAIN, () -> this.work.leaf("thought"));
			request.output(answer);
		}
		assertThat(answer).isEqualTo("thought");
		assertThat(LangfuseContext.currentTraceId()).isEmpty();
		List<Span> spans = spans(3);
		Span request = named(spans, "request");
		Span think = named(spans, "think");
		assertChildOf(think, request);
		assertChildOf(named(spans, "leaf"), think);
		assertThat(OtlpRequests.string(request, "langfuse.observation.type")).isEqualTo("agent");
		assertThat(OtlpRequests.string(request, "langfuse.observation.output")).isEqualTo("thought");
		assertThat(OtlpRequests.string(think, "langfuse.observation.output")).isEqualTo("thought");
	}

	@Test
	void theProgrammaticApiRecordsAndRethrowsErrors() {
		IllegalStateException failure = new IllegalStateException("no");
		IllegalStateException thrown = org.assertj.core.api.Assertions.catchThrowableOfType(IllegalStateException.class,
				() -> this.client.observe("failing", ObservationType.SPAN, () -> {
					throw failure;
				}));
		assertThat(thrown).isSameAs(failure);
		Span failing = named(spans(1), "failing");
		assertThat(OtlpRequests.string(failing, "langfuse.observation.level")).isEqualTo("ERROR");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableAsync
	static class HopApplication {

		@Bean
		Work work(@Qualifier("applicationTaskExecutor") AsyncTaskExecutor executor) {
			return new Work(executor);
		}

		@Bean
		Worker worker() {
			return new Worker();
		}

	}

	/** Observed callers. */
	public static class Work {

		private final AsyncTaskExecutor executor;

		private Worker worker;

		Work(AsyncTaskExecutor executor) {
			this.executor = executor;
		}

		@org.springframework.beans.factory.annotation.Autowired
		void setWorker(Worker worker) {
			this.worker = worker;
		}

		/**
		 * Call an {@code @Async} method and wait.
		 * @return the async thread's name
		 */
		@Observe
		public CompletableFuture<String> callAsync() {
			return this.worker.asyncChild();
		}

		private volatile CompletableFuture<String> late;

		/**
		 * Return what {@link #submitLate()} submitted (a proxy has no fields of its own).
		 * @return the submitted work
		 */
		public CompletableFuture<String> late() {
			return this.late;
		}

		/**
		 * Submit work that ends after this call returns.
		 * @return a constant
		 */
		@Observe
		public String submitLate() {
			this.late = this.executor.submitCompletable(() -> {
				Thread.sleep(200);
				return this.worker.lateChild();
			});
			// set after the task was submitted: it still reaches the late child
			LangfuseContext.currentTrace().userId("ada").sessionId("s-1");
			return "submitted";
		}

		/**
		 * Supply on a given executor.
		 * @param executor the executor
		 * @return the supplied value
		 * @throws Exception if the task fails
		 */
		@Observe
		public String onHandMadePool(Executor executor) throws Exception {
			return CompletableFuture.supplyAsync(() -> this.worker.supplied(), executor).get(5, TimeUnit.SECONDS);
		}

		/**
		 * A leaf call.
		 * @param value the value
		 * @return the value
		 */
		@Observe
		public String leaf(String value) {
			return value;
		}

	}

	/** Observed callees on other threads. */
	public static class Worker {

		/**
		 * Runs on the application task executor.
		 * @return the thread name
		 */
		@Async
		@Observe
		public CompletableFuture<String> asyncChild() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		/**
		 * Ends after its caller.
		 * @return a constant
		 */
		@Observe
		public String lateChild() {
			return "late";
		}

		/**
		 * Supplied on a hand-made pool.
		 * @return a constant
		 */
		@Observe
		public String supplied() {
			return "supplied";
		}

	}

}
