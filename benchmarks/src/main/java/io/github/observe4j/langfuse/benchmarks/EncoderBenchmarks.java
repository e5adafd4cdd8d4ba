package io.github.observe4j.langfuse.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.InvalidProtocolBufferException;
import io.github.observe4j.langfuse.internal.core.LangfuseVersion;
import io.github.observe4j.langfuse.internal.export.EncodedBatch;
import io.github.observe4j.langfuse.internal.export.otlp.OtlpResource;
import io.github.observe4j.langfuse.internal.export.otlp.OtlpTraceEncoder;
import io.github.observe4j.langfuse.internal.json.JacksonValueSerializer;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What encoding costs per observation: the starter's hand-written OTLP encoder on a batch of
 * {@value #BATCH} observations (rendering the captured values to JSON included), against
 * protobuf-java's generated classes serializing the very same request, already built
 * ({@code toByteArray()} only, so protobuf-java is not charged for rendering or building). Divide
 * by {@value #BATCH} for the cost of one observation; run with {@code -prof gc} for bytes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class EncoderBenchmarks {

	static final int BATCH = 64;

	/**
	 * {@code realistic}: 2 KB prompt, 1 KB answer, varied text; {@code realistic-rendered}: the
	 * same with its input already JSON text, so that the starter's encoder does only what
	 * protobuf-java does; {@code synthetic}: the short fixed one.
	 */
	@Param({ "realistic", "realistic-rendered", "synthetic" })
	public String payload;

	private OtlpTraceEncoder encoder;

	private List<ObservationRecord> batch;

	private ExportTraceServiceRequest built;

	@Setup(Level.Trial)
	public void setUp() throws InvalidProtocolBufferException {
		this.encoder = new OtlpTraceEncoder(
				new OtlpResource("benchmarks", null, null, LangfuseVersion.SDK_NAME, LangfuseVersion.version()),
				new JacksonValueSerializer(), 1024 * 1024);
		this.batch = new ArrayList<>(BATCH);
		for (int i = 0; i < BATCH; i++) {
			this.batch.add(SyntheticObservation.of(this.payload));
		}
		EncodedBatch encoded = this.encoder.encodeBatch(this.batch, 4 * 1024 * 1024);
		this.built = ExportTraceServiceRequest.parseFrom(encoded.requests().get(0).body());
		if (this.built.getResourceSpans(0).getScopeSpans(0).getSpansCount() != BATCH) {
			throw new IllegalStateException("Expected one request of " + BATCH + " spans");
		}
	}

	/**
	 * Encode the batch with the starter's encoder.
	 * @return the bytes
	 */
	@Benchmark
	public int langfuseEncoder() {
		return this.encoder.encodeBatch(this.batch, 4 * 1024 * 1024).requests().get(0).body().length;
	}

	/**
	 * Serialize the same request, already built, with protobuf-java.
	 * @return the bytes
	 */
	@Benchmark
	public int protobufJavaToByteArray() {
		return this.built.toByteArray().length;
	}

}
