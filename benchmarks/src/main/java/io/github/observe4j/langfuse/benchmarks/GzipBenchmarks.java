package io.github.observe4j.langfuse.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import io.github.observe4j.langfuse.internal.core.LangfuseVersion;
import io.github.observe4j.langfuse.internal.export.Gzip;
import io.github.observe4j.langfuse.internal.export.otlp.OtlpResource;
import io.github.observe4j.langfuse.internal.export.otlp.OtlpTraceEncoder;
import io.github.observe4j.langfuse.internal.json.JacksonValueSerializer;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
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
 * What compression alone costs: one OTLP request of {@value #BATCH} realistic observations,
 * encoded once, deflated per operation at a level and strategy ({@code 1} is what the exporter
 * uses). Divide by {@value #BATCH} for the cost per observation; the compressed size is printed
 * at teardown. The floor the rest of the export pipeline is measured against.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class GzipBenchmarks {

	static final int BATCH = 512;

	/** {@code 1}, {@code 6} (zlib's default), or {@code huffman} (level 1, Huffman coding only). */
	@Param({ "1", "6", "huffman" })
	public String level;

	private byte[] body;

	private Deflater deflater;

	private final byte[] out = new byte[64 * 1024];

	private long compressedBytes;

	@Setup(Level.Trial)
	public void setUp() {
		OtlpTraceEncoder encoder = new OtlpTraceEncoder(
				new OtlpResource("benchmarks", null, null, LangfuseVersion.SDK_NAME, LangfuseVersion.version()),
				new JacksonValueSerializer(), 1024 * 1024);
		List<ObservationRecord> batch = new ArrayList<>(BATCH);
		for (int i = 0; i < BATCH; i++) {
			batch.add(SyntheticObservation.realistic());
		}
		this.body = encoder.encodeBatch(batch, 16 * 1024 * 1024).requests().get(0).body();
		this.deflater = new Deflater("6".equals(this.level) ? 6 : 1, true);
		if ("huffman".equals(this.level)) {
			this.deflater.setStrategy(Deflater.HUFFMAN_ONLY);
		}
	}

	/**
	 * Deflate the request body.
	 * @return the compressed size
	 */
	@Benchmark
	public long deflate() {
		this.deflater.reset();
		this.deflater.setInput(this.body);
		this.deflater.finish();
		long size = 0;
		while (!this.deflater.finished()) {
			size += this.deflater.deflate(this.out);
		}
		this.compressedBytes = size;
		return size;
	}

	/**
	 * Gzip the request body the way the exporter does, {@link Gzip#compress}: one deflate call
	 * into one array at level 1 (always level 1: the parameter only repeats the run). Measured
	 * against {@link #deflate}, what the header, the CRC and the copy add to zlib's own work.
	 * @return the compressed size
	 */
	@Benchmark
	public int exporterGzip() {
		return Gzip.compress(this.body).length;
	}

	/**
	 * Gzip the request body the way the exporter did before {@link Gzip}: a new
	 * {@link GZIPOutputStream} at level 1 per request, with its 512-byte buffer, into a byte
	 * array stream (always level 1). Kept to show what the stream's small buffer costs.
	 * @return the compressed size
	 * @throws IOException never, the stream writes to memory
	 */
	@Benchmark
	public int gzipOutputStream() throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, this.body.length / 4));
		try (GZIPOutputStream gzip = new GZIPOutputStream(out) {
			{
				this.def.setLevel(Deflater.BEST_SPEED);
			}
		}) {
			gzip.write(this.body);
		}
		return out.size();
	}

	@TearDown(Level.Trial)
	public void report() {
		System.out.printf("%n[gzip level=%s] %d bytes -> %d bytes (%.1f%%), %.0f bytes per observation%n", this.level,
				this.body.length, this.compressedBytes, 100.0 * this.compressedBytes / this.body.length,
				(double) this.compressedBytes / BATCH);
		this.deflater.end();
	}

}
