package io.github.observe4j.langfuse.internal.logging;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.autoconfigure.LangfuseAutoConfiguration;
import io.github.observe4j.langfuse.autoconfigure.LangfuseObserveAutoConfiguration;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.internal.core.ObservationContextHolder;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Log correlation in a real application context: the ids of the current observation are in the
 * MDC inside observed calls (nested ones and tasks on other threads included) and gone after.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogCorrelationTests {

	private static final String TRACE_ID = MdcLogCorrelation.TRACE_ID;

	private static final String OBSERVATION_ID = MdcLogCorrelation.OBSERVATION_ID;

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(LangfuseAutoConfiguration.class,
				LangfuseObserveAutoConfiguration.class, AopAutoConfiguration.class))
		.withPropertyValues("langfuse.host=" + this.server.url(), "langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
				"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY)
		.withUserConfiguration(CallsConfiguration.class);

	@AfterEach
	void stopServer() {
		MDC.clear();
		this.server.close();
	}

	@Test
	void theIdsAreInTheMdcInsideObservedCallsAndGoneAfter() {
		this.contextRunner.run((context) -> {
			Outer outer = context.getBean(Outer.class);
			Map<String, Map<String, String>> seen = outer.call();
			Map<String, String> inOuter = seen.get("outer");
			Map<String, String> inInner = seen.get("inner");
			Map<String, String> afterInner = seen.get("afterInner");
			assertThat(inOuter.get(TRACE_ID)).hasSize(32).isEqualTo(inOuter.get("clientTraceId"));
			assertThat(inOuter.get(OBSERVATION_ID)).hasSize(16).isEqualTo(inOuter.get("clientObservationId"));
			assertThat(inInner.get(TRACE_ID)).isEqualTo(inOuter.get(TRACE_ID));
			assertThat(inInner.get(OBSERVATION_ID)).isEqualTo(inInner.get("clientObservationId"))
				.isNotEqualTo(inOuter.get(OBSERVATION_ID));
			assertThat(afterInner).containsEntry(OBSERVATION_ID, inOuter.get(OBSERVATION_ID));
			assertThat(seen.get("otherThread")).containsEntry(TRACE_ID, inOuter.get(TRACE_ID))
				.containsEntry(OBSERVATION_ID, inOuter.get(OBSERVATION_ID));
			assertThat(seen.get("otherThreadAfter")).doesNotContainKeys(TRACE_ID, OBSERVATION_ID);
			assertThat(MDC.get(TRACE_ID)).isNull();
			assertThat(MDC.get(OBSERVATION_ID)).isNull();
		});
	}

	@Test
	void theUsersOwnMdcEntriesAreLeftAlone() {
		this.contextRunner.run((context) -> {
			MDC.put("requestId", "r-1");
			context.getBean(Outer.class).call();
			assertThat(MDC.get("requestId")).isEqualTo("r-1");
			assertThat(MDC.get(TRACE_ID)).isNull();
		});
	}

	@Test
	void canBeTurnedOff() {
		this.contextRunner.withPropertyValues("langfuse.observe.log-correlation=false").run((context) -> {
			assertThat(context).doesNotHaveBean("langfuseLogCorrelation");
			assertThat(context.getBean(Outer.class).call().get("outer")).doesNotContainKeys(TRACE_ID, OBSERVATION_ID)
				.containsKey("clientTraceId");
		});
	}

	@Test
	void stopsWithTheContext() {
		this.contextRunner.run((context) -> assertThat(context).hasBean("langfuseLogCorrelation"));
		this.contextRunner.withPropertyValues("langfuse.observe.log-correlation=false")
			.run((context) -> assertThat(context.getBean(Outer.class).call().get("outer")).doesNotContainKey(TRACE_ID));
	}

	@Test
	void aSecondContextClosingLeavesTheFirstOneCorrelated() {
		this.contextRunner.run((first) -> {
			this.contextRunner.run((second) -> assertThat(second).hasBean("langfuseLogCorrelation"));
			assertThat(first.getBean(Outer.class).call().get("outer")).containsKeys(TRACE_ID, OBSERVATION_ID);
		});
	}

	@Test
	void aBrokenListenerIsSwitchedOffWithOneWarningAndTheCallSucceeds(CapturedOutput output) {
		this.contextRunner.withPropertyValues("langfuse.observe.log-correlation=false").run((context) -> {
			ObservationContextHolder.setListener((current) -> {
				throw new IllegalStateException("no MDC here");
			});
			try {
				Outer outer = context.getBean(Outer.class);
				assertThat(outer.call().get("outer")).containsKey("clientTraceId");
				assertThat(outer.call().get("outer")).containsKey("clientTraceId");
			}
			finally {
				ObservationContextHolder.setListener(null);
			}
		});
		assertThat(output).containsOnlyOnce(
				"Langfuse log correlation failed and is switched off: IllegalStateException: no MDC here");
	}

	@Configuration(proxyBeanMethods = false)
	static class CallsConfiguration {

		@Bean
		Inner inner(LangfuseClient langfuse) {
			return new Inner(langfuse);
		}

		@Bean
		Outer outer(Inner inner, LangfuseClient langfuse) {
			return new Outer(inner, langfuse);
		}

	}

	static Map<String, String> snapshot(LangfuseClient langfuse) {
		Map<String, String> seen = new HashMap<>();
		Map<String, String> mdc = MDC.getCopyOfContextMap();
		if (mdc != null) {
			seen.putAll(mdc);
		}
		langfuse.currentTraceId().ifPresent((id) -> seen.put("clientTraceId", id));
		langfuse.currentObservationId().ifPresent((id) -> seen.put("clientObservationId", id));
		return seen;
	}

	public static class Outer {

		private final Inner inner;

		private final LangfuseClient langfuse;

		Outer(Inner inner, LangfuseClient langfuse) {
			this.inner = inner;
			this.langfuse = langfuse;
		}

		@Observe
		public Map<String, Map<String, String>> call() throws Exception {
			Map<String, Map<String, String>> seen = new HashMap<>();
			seen.put("outer", snapshot(this.langfuse));
			seen.put("inner", this.inner.call());
			seen.put("afterInner", snapshot(this.langfuse));
			ExecutorService executor = Executors.newSingleThreadExecutor();
			try {
				executor.submit(this.langfuse.wrap(() -> seen.put("otherThread", snapshot(this.langfuse)))).get();
				executor.submit(() -> seen.put("otherThreadAfter", snapshot(this.langfuse))).get();
			}
			finally {
				executor.shutdown();
				executor.awaitTermination(5, TimeUnit.SECONDS);
			}
			return seen;
		}

	}

	public static class Inner {

		private final LangfuseClient langfuse;

		Inner(LangfuseClient langfuse) {
			this.langfuse = langfuse;
		}

		@Observe
		public Map<String, String> call() {
			return snapshot(this.langfuse);
		}

	}

}
