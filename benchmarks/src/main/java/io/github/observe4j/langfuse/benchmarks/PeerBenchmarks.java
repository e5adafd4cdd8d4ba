package io.github.observe4j.langfuse.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.aop.support.AopUtils;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * The per-call cost of the same bean method {@code String work(String prompt, int n)} without
 * tracing, behind an empty advice, and traced by the peers: OpenTelemetry {@code @WithSpan}
 * and Micrometer {@code @Observed}. Each candidate has its own application context, built once
 * per trial. Traced candidates export to a counting exporter and print at teardown how many
 * spans ended, were exported and were dropped, so that none looks fast by dropping work.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class PeerBenchmarks {

	/**
	 * The bean method without any proxy.
	 * @param state the candidate
	 * @return the result
	 */
	@Benchmark
	public String plain(PlainState state) {
		return state.work.work(state.prompt, state.n);
	}

	/**
	 * Behind an advice that only proceeds.
	 * @param state the candidate
	 * @return the result
	 */
	@Benchmark
	public String emptyAdvice(EmptyAdviceState state) {
		return state.work.work(state.prompt, state.n);
	}

	/**
	 * OpenTelemetry {@code @WithSpan} with both arguments as span attributes.
	 * @param state the candidate
	 * @return the result
	 */
	@Benchmark
	public String otelWithSpan(OtelWithSpanState state) {
		return state.work.work(state.prompt, state.n);
	}

	/**
	 * Like {@link #otelWithSpan}, and the return value as a span attribute.
	 * @param state the candidate
	 * @return the result
	 */
	@Benchmark
	public String otelWithSpanReturn(OtelWithSpanReturnState state) {
		return state.work.work(state.prompt, state.n);
	}

	/**
	 * Micrometer {@code @Observed}: a timer and a span through the OpenTelemetry bridge.
	 * @param state the candidate
	 * @return the result
	 */
	@Benchmark
	public String micrometerObserved(MicrometerObservedState state) {
		return state.work.work(state.prompt, state.n);
	}

	/**
	 * The {@code plain} candidate.
	 */
	@State(Scope.Benchmark)
	public static class PlainState extends Inputs {

		AnnotationConfigApplicationContext context;

		PlainWork work;

		/**
		 * Start the context.
		 */
		@Setup(Level.Trial)
		public void setUp() {
			this.context = new AnnotationConfigApplicationContext(PlainWork.class);
			this.work = this.context.getBean(PlainWork.class);
			if (AopUtils.isAopProxy(this.work)) {
				throw new IllegalStateException("[plain] the bean must not be proxied");
			}
		}

		/**
		 * Close the context.
		 */
		@TearDown(Level.Trial)
		public void tearDown() {
			this.context.close();
		}

	}

	/**
	 * The {@code emptyAdvice} candidate.
	 */
	@State(Scope.Benchmark)
	public static class EmptyAdviceState extends Inputs {

		AnnotationConfigApplicationContext context;

		PlainWork work;

		/**
		 * Start the context.
		 */
		@Setup(Level.Trial)
		public void setUp() {
			this.context = new AnnotationConfigApplicationContext(EmptyAdviceConfiguration.class);
			this.work = Candidates.requireProxied(this.context.getBean(PlainWork.class), "emptyAdvice");
		}

		/**
		 * Close the context.
		 */
		@TearDown(Level.Trial)
		public void tearDown() {
			this.context.close();
		}

	}

	/**
	 * The {@code otelWithSpan} candidate.
	 */
	@State(Scope.Benchmark)
	public static class OtelWithSpanState extends Inputs {

		AnnotationConfigApplicationContext context;

		OtelWork work;

		/**
		 * Start the context.
		 */
		@Setup(Level.Trial)
		public void setUp() {
			this.context = new AnnotationConfigApplicationContext(OtelWithSpanConfiguration.class);
			this.work = Candidates.requireProxied(this.context.getBean(OtelWork.class), "otelWithSpan");
		}

		/**
		 * Report exported and dropped spans, then close the context.
		 */
		@TearDown(Level.Trial)
		public void tearDown() {
			this.context.getBean(OtelPipeline.class).report("otelWithSpan");
			this.context.close();
		}

	}

	/**
	 * The {@code otelWithSpanReturn} candidate.
	 */
	@State(Scope.Benchmark)
	public static class OtelWithSpanReturnState extends Inputs {

		AnnotationConfigApplicationContext context;

		OtelReturnWork work;

		/**
		 * Start the context.
		 */
		@Setup(Level.Trial)
		public void setUp() {
			this.context = new AnnotationConfigApplicationContext(OtelWithSpanConfiguration.class);
			this.work = Candidates.requireProxied(this.context.getBean(OtelReturnWork.class), "otelWithSpanReturn");
		}

		/**
		 * Report exported and dropped spans, then close the context.
		 */
		@TearDown(Level.Trial)
		public void tearDown() {
			this.context.getBean(OtelPipeline.class).report("otelWithSpanReturn");
			this.context.close();
		}

	}

	/**
	 * The {@code micrometerObserved} candidate.
	 */
	@State(Scope.Benchmark)
	public static class MicrometerObservedState extends Inputs {

		AnnotationConfigApplicationContext context;

		ObservedWork work;

		/**
		 * Start the context.
		 */
		@Setup(Level.Trial)
		public void setUp() {
			this.context = new AnnotationConfigApplicationContext(MicrometerObservedConfiguration.class);
			this.work = Candidates.requireProxied(this.context.getBean(ObservedWork.class), "micrometerObserved");
		}

		/**
		 * Report exported and dropped spans, then close the context.
		 */
		@TearDown(Level.Trial)
		public void tearDown() {
			this.context.getBean(OtelPipeline.class).report("micrometerObserved");
			this.context.close();
		}

	}

}
