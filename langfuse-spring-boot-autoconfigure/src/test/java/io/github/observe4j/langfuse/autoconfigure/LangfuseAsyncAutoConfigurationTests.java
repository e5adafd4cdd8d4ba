package io.github.observe4j.langfuse.autoconfigure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.core.LangfuseSpan;
import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import io.github.observe4j.langfuse.internal.core.ObservationContext;
import io.github.observe4j.langfuse.internal.core.ObservationContextHolder;
import io.github.observe4j.langfuse.internal.core.TracerSettings;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.micrometer.context.ContextRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.task.TaskDecorator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the asynchronous parts of the auto-configuration: Reactor's automatic context
 * propagation and the {@link TaskDecorator}, one test per condition branch.
 */
class LangfuseAsyncAutoConfigurationTests {

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(LangfuseAutoConfiguration.class, LangfuseObserveAutoConfiguration.class))
		.withPropertyValues("langfuse.host=" + this.server.url(), "langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
				"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY);

	@BeforeEach
	@AfterEach
	void resetReactorHooks() {
		Hooks.disableAutomaticContextPropagation();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void theObservationAccessorIsRegisteredThroughServiceLoader() {
		assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
			.anySatisfy((accessor) -> assertThat(accessor.key()).isEqualTo(ObservationContextHolder.KEY));
	}

	@Test
	void turnsOnReactorsAutomaticContextPropagation() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(LangfuseReactorContextPropagation.class);
			assertThat(threadLocalSeenOnAnotherThread()).isEqualTo("restored");
		});
	}

	@Test
	void leavesReactorAloneWhenSwitchedOff() {
		this.contextRunner.withPropertyValues("langfuse.observe.reactor-context-propagation=false").run((context) -> {
			assertThat(context).doesNotHaveBean(LangfuseReactorContextPropagation.class);
			assertThat(threadLocalSeenOnAnotherThread()).isEqualTo("none");
		});
	}

	@Test
	void leavesReactorToSpringBootWhenTheApplicationChoseItsMode() {
		this.contextRunner.withPropertyValues("spring.reactor.context-propagation=limited").run((context) -> {
			assertThat(context).hasSingleBean(LangfuseReactorContextPropagation.class);
			assertThat(threadLocalSeenOnAnotherThread()).isEqualTo("none");
		});
	}

	@Test
	void leavesReactorAloneWithoutContextPropagationOnTheClassPath() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ContextRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(LangfuseReactorContextPropagation.class));
	}

	@Test
	void definesATaskDecoratorThatCarriesTheObservation() {
		this.contextRunner.run((context) -> assertThat(context).getBean("langfuseTaskDecorator")
			.isInstanceOf(LangfuseTaskDecorator.class));
	}

	@Test
	void noTaskDecoratorWhenSwitchedOff() {
		this.contextRunner.withPropertyValues("langfuse.observe.propagate-to-executors=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TaskDecorator.class));
	}

	@Test
	void backsOffForAUserTaskDecoratorOfTheSameName() {
		TaskDecorator mine = (runnable) -> runnable;
		this.contextRunner.withBean("langfuseTaskDecorator", TaskDecorator.class, () -> mine)
			.run((context) -> assertThat(context).getBean("langfuseTaskDecorator").isSameAs(mine));
	}

	@Test
	void theTaskDecoratorRunsTasksWithTheSubmittersObservation() {
		this.contextRunner.run((context) -> {
			TaskDecorator decorator = context.getBean("langfuseTaskDecorator", TaskDecorator.class);
			LangfuseTracer tracer = context
				.getBean(LangfuseTracer.class);
			LangfuseSpan span = tracer.startObservation("submitter",
					ObservationType.SPAN);
			AtomicReference<Object> seen = new AtomicReference<>();
			ObservationContext previous = ObservationContextHolder.swap(span);
			Runnable decorated;
			try {
				decorated = decorator.decorate(() -> seen.set(ObservationContextHolder.get()));
			}
			finally {
				ObservationContextHolder.swap(previous);
			}
			Thread thread = new Thread(decorated);
			thread.start();
			thread.join(5000);
			assertThat(thread.isAlive()).isFalse();
			assertThat(seen.get()).isSameAs(span);
			tracer.endObservation(span);
		});
	}

	// What a ThreadLocal-reading operator sees on another thread when the key is in the Context
	private static String threadLocalSeenOnAnotherThread() {
		ObservationContext marker = new LangfuseTracer(
				TracerSettings.defaults("http://localhost", (value, max) -> "null"),
				(record) -> true)
			.startObservation("marker", ObservationType.SPAN);
		String seen = Mono.delay(Duration.ofMillis(5))
			.publishOn(Schedulers.boundedElastic())
			.map((tick) -> (ObservationContextHolder.get() == marker) ? "restored" : "none")
			.contextWrite(Context.of(ObservationContextHolder.KEY, marker))
			.block(Duration.ofSeconds(5));
		return seen;
	}

}
