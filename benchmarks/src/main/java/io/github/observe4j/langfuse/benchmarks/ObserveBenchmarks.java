package io.github.observe4j.langfuse.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.internal.export.BatchProcessor;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
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
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The per-call cost of the same bean method as {@link PeerBenchmarks} under {@code @Observe},
 * in a Spring Boot application with the starter's auto-configuration, exporting to a
 * {@link LoopbackSink}. A separate class from the peers so that a failing setup here never
 * stops them from running.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class ObserveBenchmarks {

	private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(60);

	/**
	 * {@code @Observe(captureInput = false, captureOutput = false)}.
	 * @param state the candidate
	 * @param calls this thread's call count
	 * @return the result
	 */
	@Benchmark
	public String observeNoCapture(NoCaptureState state, Calls calls) {
		calls.count++;
		return state.work.work(state.prompt, state.n);
	}

	/**
	 * {@code @Observe}: arguments as input, return value as output.
	 * @param state the candidate
	 * @param calls this thread's call count
	 * @return the result
	 */
	@Benchmark
	public String observeCapture(CaptureState state, Calls calls) {
		calls.count++;
		return state.work.work(state.prompt, state.n);
	}

	/**
	 * {@code @Observe} with {@code langfuse.enabled=false}.
	 * @param state the candidate
	 * @param calls this thread's call count
	 * @return the result
	 */
	@Benchmark
	public String observeDisabled(DisabledState state, Calls calls) {
		calls.count++;
		return state.work.work(state.prompt, state.n);
	}

	/**
	 * {@code @Observe(captureInput = false, captureOutput = false)}, exporting like the peers do
	 * here: batched, then counted and discarded.
	 * @param state the candidate
	 * @param calls this thread's call count
	 * @return the result
	 */
	@Benchmark
	public String observeNoCaptureCounting(NoCaptureCountingState state, Calls calls) {
		calls.count++;
		return state.work.work(state.prompt, state.n);
	}

	/**
	 * {@code @Observe}, exporting like the peers do here: batched, then counted and discarded.
	 * @param state the candidate
	 * @param calls this thread's call count
	 * @return the result
	 */
	@Benchmark
	public String observeCaptureCounting(CaptureCountingState state, Calls calls) {
		calls.count++;
		return state.work.work(state.prompt, state.n);
	}

	/**
	 * A running application and the sink it exports to.
	 */
	public abstract static class ApplicationState extends Inputs {

		LoopbackSink sink;

		ConfigurableApplicationContext context;

		<T> T start(boolean enabled, Class<T> beanType, String candidate, boolean requireProxied,
				Class<?>... configurations) throws IOException {
			try {
				this.sink = LoopbackSink.start();
				this.context = ObserveBenchmarkApplication.start(this.sink.baseUrl(), enabled, configurations);
				T bean = this.context.getBean(beanType);
				return requireProxied ? Candidates.requireProxied(bean, candidate) : bean;
			}
			catch (IOException | RuntimeException ex) {
				stop();
				throw ex;
			}
		}

		/**
		 * Flush, then print the calls made against the spans the sink decoded: every call of an
		 * enabled candidate is one observation, so any difference was dropped.
		 * @param candidate the candidate name to print
		 * @param traced whether each call is expected to produce an observation
		 */
		void report(String candidate, boolean traced) {
			boolean flushed = this.context.getBeanProvider(LangfuseClient.class)
				.getIfAvailable(LangfuseClient::noop)
				.flush(FLUSH_TIMEOUT);
			this.sink.report(candidate);
			ThreadCpu.report(candidate);
			if (!flushed) {
				System.out.printf("[%s] flush did not complete within %s%n", candidate, FLUSH_TIMEOUT);
			}
			long calls = Calls.total();
			long exported = this.sink.traceSpans();
			long expected = traced ? calls : 0;
			long dropped = expected - exported;
			System.out.printf("[%s] calls=%d observations recorded=%d exported (decoded by the sink)=%d "
					+ "dropped=%d (%.3f%%)%n", candidate, calls, expected, exported, dropped,
					(expected > 0) ? 100.0 * dropped / expected : 0.0);
		}

		/**
		 * Flush the counting exporter, then print the calls made against the observations it
		 * counted and the drops the starter counted.
		 * @param candidate the candidate name to print
		 */
		@SuppressWarnings("unchecked")
		void reportCounting(String candidate) {
			BatchProcessor<ObservationRecord> processor = this.context.getBean("countingBatchProcessor",
					BatchProcessor.class);
			boolean flushed = processor.forceFlush(FLUSH_TIMEOUT);
			System.out.println();
			ThreadCpu.report(candidate);
			long calls = Calls.total();
			long exported = this.context.getBean(CountingObservationExporter.class).exported();
			System.out.printf("[%s] calls=%d observations recorded=%d exported (counted)=%d dropped=%d (%.3f%%), "
					+ "of which the starter counted %d%s%n", candidate, calls, calls, exported, calls - exported,
					(calls > 0) ? 100.0 * (calls - exported) / calls : 0.0, processor.stats().droppedTotal(),
					flushed ? "" : "; flush did not complete within " + FLUSH_TIMEOUT);
			processor.shutdown(Duration.ofSeconds(10));
		}

		void stop() {
			if (this.context != null) {
				this.context.close();
			}
			if (this.sink != null) {
				this.sink.close();
			}
		}

	}

	/**
	 * The {@code observeNoCapture} candidate.
	 */
	@State(Scope.Benchmark)
	public static class NoCaptureState extends ApplicationState {

		ObserveNoCaptureWork work;

		/**
		 * Start the application.
		 * @throws IOException if the sink cannot start
		 */
		@Setup(Level.Trial)
		public void setUp() throws IOException {
			this.work = start(true, ObserveNoCaptureWork.class, "observeNoCapture", true);
		}

		/**
		 * Flush, report, stop.
		 */
		@TearDown(Level.Trial)
		public void tearDown() {
			report("observeNoCapture", true);
			stop();
		}

	}

	/**
	 * The {@code observeCapture} candidate.
	 */
	@State(Scope.Benchmark)
	public static class CaptureState extends ApplicationState {

		ObserveCaptureWork work;

		/**
		 * Start the application.
		 * @throws IOException if the sink cannot start
		 */
		@Setup(Level.Trial)
		public void setUp() throws IOException {
			this.work = start(true, ObserveCaptureWork.class, "observeCapture", true);
		}

		/**
		 * Flush, report, stop.
		 */
		@TearDown(Level.Trial)
		public void tearDown() {
			report("observeCapture", true);
			stop();
		}

	}

	/**
	 * The {@code observeDisabled} candidate. Whether the bean is proxied at all when Langfuse is
	 * disabled is up to the starter; either way nothing may reach the sink.
	 */
	@State(Scope.Benchmark)
	public static class DisabledState extends ApplicationState {

		ObserveCaptureWork work;

		/**
		 * Start the application.
		 * @throws IOException if the sink cannot start
		 */
		@Setup(Level.Trial)
		public void setUp() throws IOException {
			this.work = start(false, ObserveCaptureWork.class, "observeDisabled", false);
			System.out.printf("%n[observeDisabled] bean proxied: %s%n", AopUtils.isAopProxy(this.work));
		}

		/**
		 * Report, stop.
		 */
		@TearDown(Level.Trial)
		public void tearDown() {
			report("observeDisabled", false);
			stop();
		}

	}

	/**
	 * The {@code observeNoCaptureCounting} candidate.
	 */
	@State(Scope.Benchmark)
	public static class NoCaptureCountingState extends ApplicationState {

		ObserveNoCaptureWork work;

		/**
		 * Start the application.
		 * @throws IOException if the sink cannot start
		 */
		@Setup(Level.Trial)
		public void setUp() throws IOException {
			this.work = start(true, ObserveNoCaptureWork.class, "observeNoCaptureCounting", true,
					CountingTracerConfiguration.class);
		}

		/**
		 * Flush, report, stop.
		 */
		@TearDown(Level.Trial)
		public void tearDown() {
			reportCounting("observeNoCaptureCounting");
			stop();
		}

	}

	/**
	 * The {@code observeCaptureCounting} candidate.
	 */
	@State(Scope.Benchmark)
	public static class CaptureCountingState extends ApplicationState {

		ObserveCaptureWork work;

		/**
		 * Start the application.
		 * @throws IOException if the sink cannot start
		 */
		@Setup(Level.Trial)
		public void setUp() throws IOException {
			this.work = start(true, ObserveCaptureWork.class, "observeCaptureCounting", true,
					CountingTracerConfiguration.class);
		}

		/**
		 * Flush, report, stop.
		 */
		@TearDown(Level.Trial)
		public void tearDown() {
			reportCounting("observeCaptureCounting");
			stop();
		}

	}

	/**
	 * The calls one benchmark thread made, warmup included, as every call's observation goes to
	 * the sink. A plain field per thread costs the measured call next to nothing; the
	 * application's teardown sums them after all threads have stopped.
	 */
	@State(Scope.Thread)
	public static class Calls {

		private static final List<Calls> ALL = new CopyOnWriteArrayList<>();

		long count;

		/**
		 * Register this thread's counter.
		 */
		@Setup(Level.Trial)
		public void setUp() {
			ALL.add(this);
		}

		static long total() {
			long total = 0;
			for (Calls calls : ALL) {
				total += calls.count;
			}
			return total;
		}

	}

}
