package io.github.observe4j.langfuse.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import io.github.observe4j.langfuse.annotation.Observe;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the starter adds to an application's startup: one operation per fresh JVM, from nothing to
 * a started context of a small application with one {@code @Observe} bean, with the starter's
 * auto-configurations included ({@code langfuse=on}, keys set, exporting to a {@link LoopbackSink})
 * or excluded ({@code langfuse=off}, with {@code langfuse.enabled=false} as well); the class path
 * is the same, so the difference is the starter's own work: its auto-configurations, proxies,
 * export threads and the classes they load.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1, batchSize = 1)
@Fork(value = 10, jvmArgsAppend = { "-Xms512m", "-Xmx512m" })
public class ApplicationStartupBenchmarks {

	/** The OpenTelemetry starter the peer benchmarks bring is off in both cases. */
	private static final String OTEL_OFF = "--otel.sdk.disabled=true";

	private static final String LANGFUSE_AUTO_CONFIGURATIONS = String.join(",",
			"io.github.observe4j.langfuse.autoconfigure.LangfuseAutoConfiguration",
			"io.github.observe4j.langfuse.autoconfigure.LangfuseObserveAutoConfiguration",
			"io.github.observe4j.langfuse.autoconfigure.LangfuseHealthContributorAutoConfiguration",
			"io.github.observe4j.langfuse.autoconfigure.LangfusePromptsAutoConfiguration",
			"io.github.observe4j.langfuse.autoconfigure.LangfuseOpenAiAutoConfiguration",
			"io.github.observe4j.langfuse.autoconfigure.LangfuseLangChain4jAutoConfiguration",
			"io.github.observe4j.langfuse.autoconfigure.LangfuseSpringAiAutoConfiguration");

	/**
	 * Start the application.
	 * @param state the sink and the choice
	 * @return the started context's bean count
	 */
	@Benchmark
	public int startContext(StartupState state) {
		SpringApplicationBuilder builder = new SpringApplicationBuilder(StartupApplication.class)
			.web(WebApplicationType.NONE)
			.logStartupInfo(false);
		String[] arguments = "on".equals(state.langfuse)
				? new String[] { "--langfuse.host=" + state.sink.baseUrl(), "--langfuse.public-key=pk-lf-bench",
						"--langfuse.secret-key=sk-lf-bench", "--spring.main.banner-mode=off", OTEL_OFF }
				: new String[] { "--spring.autoconfigure.exclude=" + LANGFUSE_AUTO_CONFIGURATIONS,
						"--langfuse.enabled=false", "--spring.main.banner-mode=off", OTEL_OFF };
		state.context = builder.run(arguments);
		return state.context.getBeanDefinitionCount();
	}

	/**
	 * A sink, started before the measurement, and whether the starter is included.
	 */
	@State(Scope.Benchmark)
	public static class StartupState {

		/** {@code on}: the starter's auto-configurations included; {@code off}: excluded. */
		@Param({ "on", "off" })
		public String langfuse;

		LoopbackSink sink;

		@Nullable ConfigurableApplicationContext context;

		/**
		 * Start the sink.
		 * @throws IOException if the sink cannot start
		 */
		@Setup(Level.Trial)
		public void setUp() throws IOException {
			this.sink = LoopbackSink.start();
		}

		/**
		 * Close the context and stop the sink.
		 */
		@TearDown(Level.Trial)
		public void tearDown() {
			if (this.context != null) {
				this.context.close();
			}
			this.sink.close();
		}

	}

	/**
	 * A small application with one observed bean, scanning nothing (the benchmarks' other
	 * configurations live in this package).
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	public static class StartupApplication {

		@Bean
		StoryTeller storyTeller() {
			return new StoryTeller();
		}

	}

	/**
	 * The observed bean.
	 */
	public static class StoryTeller {

		/**
		 * Tell a story.
		 * @param topic the topic
		 * @return the story
		 */
		@Observe
		public String tell(String topic) {
			return "A story about " + topic;
		}

	}

}
