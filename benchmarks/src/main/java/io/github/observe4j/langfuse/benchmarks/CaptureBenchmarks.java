package io.github.observe4j.langfuse.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import io.github.observe4j.langfuse.internal.core.TracerSettings;
import io.github.observe4j.langfuse.internal.json.JacksonValueSerializer;
import io.github.observe4j.langfuse.internal.model.CapturedArguments;
import io.github.observe4j.langfuse.internal.model.RecordSink;
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

/**
 * What capturing one big argument costs the caller of an {@code @Observe} method: the
 * tracer's {@code captureArguments}, which the interceptor calls on the caller's thread, with
 * the default limits ({@code langfuse.export.max-observation-size} of 1 MB). Run with
 * {@code -prof gc} for the bytes allocated per call. The trial also prints the benchmark
 * thread's CPU time per call (warmup included), which a loaded machine inflates far less than
 * the time per call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
@State(Scope.Thread)
public class CaptureBenchmarks {

	private static final int MEGABYTE = 1024 * 1024;

	private static final String[] NAMES = { "value" };

	/**
	 * {@code bytes}: a 1 MB {@code byte[]}; {@code string}: a 1 MB {@code String} argument;
	 * {@code stringInBean}: the same string as the field of a mutable bean; {@code builder}: the
	 * same text in a {@code StringBuilder}; {@code records}: a list of 10,000 small records;
	 * {@code nested}: a list nested 5,000 deep.
	 */
	@Param({ "bytes", "string", "stringInBean", "builder", "records", "nested" })
	public String value;

	private LangfuseTracer tracer;

	private Object argument;

	private long calls;

	private long cpuAtStart;

	@Setup(Level.Trial)
	public void setUp() {
		this.tracer = new LangfuseTracer(TracerSettings.defaults("http://localhost", new JacksonValueSerializer()),
				RecordSink.discarding());
		this.argument = switch (this.value) {
			case "bytes" -> bytes();
			case "string" -> string();
			case "stringInBean" -> new Message("user", string());
			case "builder" -> new StringBuilder(string());
			case "records" -> records();
			case "nested" -> nested();
			default -> throw new IllegalArgumentException(this.value);
		};
		this.cpuAtStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
	}

	/**
	 * Print the CPU time per call on this thread.
	 */
	@TearDown(Level.Trial)
	public void tearDown() {
		long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - this.cpuAtStart;
		System.out.printf("%n[capture %s] benchmark thread CPU per call: %.0f ns over %d calls%n", this.value,
				(double) cpu / Math.max(1, this.calls), this.calls);
	}

	/**
	 * Capture the argument.
	 * @return the captured arguments
	 */
	@Benchmark
	public CapturedArguments capture() {
		this.calls++;
		return this.tracer.captureArguments(NAMES, new Object[] { this.argument });
	}

	private static byte[] bytes() {
		byte[] bytes = new byte[MEGABYTE];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = (byte) (i * 31);
		}
		return bytes;
	}

	private static String string() {
		char[] chars = new char[MEGABYTE];
		Arrays.fill(chars, 'a');
		return new String(chars);
	}

	private static List<Item> records() {
		List<Item> items = new ArrayList<>(10_000);
		for (int i = 0; i < 10_000; i++) {
			items.add(new Item(i, "item-" + i));
		}
		return items;
	}

	private static List<Object> nested() {
		List<Object> root = new ArrayList<>();
		List<Object> current = root;
		for (int i = 0; i < 5_000; i++) {
			List<Object> child = new ArrayList<>();
			current.add(child);
			current = child;
		}
		return root;
	}

	/**
	 * A small record, as an element of a big list.
	 * @param id the id
	 * @param name the name
	 */
	public record Item(int id, String name) {
	}

	/**
	 * A mutable bean holding a big string, so it is serialized on the caller's thread.
	 */
	public static class Message {

		private String role;

		private String content;

		Message(String role, String content) {
			this.role = role;
			this.content = content;
		}

		public String getRole() {
			return this.role;
		}

		public void setRole(String role) {
			this.role = role;
		}

		public String getContent() {
			return this.content;
		}

		public void setContent(String content) {
			this.content = content;
		}

	}

}
