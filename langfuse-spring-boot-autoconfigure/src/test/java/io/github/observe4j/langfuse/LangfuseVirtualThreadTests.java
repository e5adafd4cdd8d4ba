package io.github.observe4j.langfuse;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.context.LangfuseContext;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.OtlpRequests;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Observations on virtual threads (Java 21+): Boot's {@code spring.threads.virtual.enabled}
 * executor behind {@code @Async}, and a virtual-thread executor made by hand and wrapped. The
 * project compiles for Java 17, so virtual threads are reached by reflection; on Java 17 these
 * tests are skipped, and the {@code virtual-threads} Maven profile runs them on the JDK 25
 * installed beside it.
 */
@Tag("virtual-threads")
@EnabledForJreRange(min = JRE.JAVA_21)
class LangfuseVirtualThreadTests {

	private FakeLangfuseServer server;

	private ConfigurableApplicationContext context;

	@BeforeEach
	void start() {
		this.server = FakeLangfuseServer.start();
		this.context = new SpringApplicationBuilder(VirtualApplication.class).web(WebApplicationType.NONE)
			.properties("langfuse.host=" + this.server.url(), "langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
					"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY, "langfuse.export.schedule-delay=50ms",
					"spring.threads.virtual.enabled=true")
			.run();
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
			assertThat(this.context.getBean(LangfuseClient.class).flush(Duration.ofSeconds(5))).isTrue();
			assertThat(this.server.receivedSpans()).hasSize(expected);
		});
		return this.server.receivedSpans();
	}

	private static Span named(List<Span> spans, String name) {
		return spans.stream().filter((span) -> span.getName().equals(name)).findFirst().orElseThrow();
	}

	private static boolean isVirtual(Thread thread) throws ReflectiveOperationException {
		return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
	}

	@Test
	void asyncOnBootsVirtualThreadExecutorIsAChildOfTheCaller() throws Exception {
		Boolean virtual = this.context.getBean(Caller.class).callAsync().get(5, TimeUnit.SECONDS);
		assertThat(virtual).as("ran on a virtual thread").isTrue();
		List<Span> spans = spans(2);
		Span caller = named(spans, "callAsync");
		Span child = named(spans, "onVirtualThread");
		assertThat(child.getParentSpanId()).isEqualTo(caller.getSpanId());
		assertThat(OtlpRequests.hex(child.getTraceId())).isEqualTo(OtlpRequests.hex(caller.getTraceId()));
	}

	@Test
	void aHandMadeVirtualThreadExecutorWrappedWithTheHelperCarriesTheObservation() throws Exception {
		Method factory = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
		ExecutorService virtualThreads = (ExecutorService) factory.invoke(null);
		try {
			Boolean virtual = this.context.getBean(Caller.class).onExecutor(virtualThreads).get(5, TimeUnit.SECONDS);
			assertThat(virtual).isTrue();
			List<Span> spans = spans(2);
			assertThat(named(spans, "here").getParentSpanId())
				.isEqualTo(named(spans, "onExecutor").getSpanId());
		}
		finally {
			virtualThreads.shutdownNow();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableAsync
	static class VirtualApplication {

		@Bean
		Caller caller(Callee callee) {
			return new Caller(callee);
		}

		@Bean
		Callee callee() {
			return new Callee();
		}

	}

	/** Observed caller. */
	public static class Caller {

		private final Callee callee;

		Caller(Callee callee) {
			this.callee = callee;
		}

		/**
		 * Call an {@code @Async} method.
		 * @return whether it ran on a virtual thread
		 */
		@Observe
		public CompletableFuture<Boolean> callAsync() {
			return this.callee.onVirtualThread();
		}

		/**
		 * Run the callee on a hand-made executor, wrapped.
		 * @param executor the executor
		 * @return whether it ran on a virtual thread
		 */
		@Observe
		public CompletableFuture<Boolean> onExecutor(ExecutorService executor) {
			return CompletableFuture.supplyAsync(this.callee::here, LangfuseContext.wrap(executor));
		}

	}

	/** Observed callee. */
	public static class Callee {

		/**
		 * Report where it runs, on the caller's executor.
		 * @return whether this is a virtual thread
		 */
		@Observe
		public Boolean here() {
			try {
				return isVirtual(Thread.currentThread());
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException(ex);
			}
		}

		/**
		 * Report where it runs.
		 * @return whether this is a virtual thread
		 */
		@Async
		@Observe
		public CompletableFuture<Boolean> onVirtualThread() {
			try {
				return CompletableFuture.completedFuture(isVirtual(Thread.currentThread()));
			}
			catch (ReflectiveOperationException ex) {
				return CompletableFuture.failedFuture(ex);
			}
		}

	}

}
