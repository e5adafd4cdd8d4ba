package io.github.observe4j.langfuse.internal.export;

import java.util.List;

import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import org.jspecify.annotations.Nullable;

/**
 * Encodes observations as OTLP/HTTP protobuf request bodies, for {@link OtlpTraceExporter}.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface TraceRequestEncoder {

	/**
	 * Encode a batch of observations in one pass.
	 * @param batch the observations, never empty
	 * @return complete {@code ExportTraceServiceRequest} messages, each small enough to send in
	 * one request, with the observations each carries; every observation of the batch is in
	 * exactly one of them or among those left out
	 */
	EncodedBatch encode(List<? extends ObservationRecord> batch);

	/**
	 * Encode one observation with its input, output and metadata cut to fit the given size, for
	 * a server that refused it as too large.
	 * @param record the observation
	 * @param maxObservationBytes the limit for its input, output and metadata together
	 * @return the request, or {@code null} if this encoder cannot cut further
	 */
	default @Nullable EncodedBatch encodeWithin(ObservationRecord record, int maxObservationBytes) {
		return null;
	}

	/**
	 * Get ready for the first batch (the serializer of captured values, for one), called once on
	 * the export thread when it starts. Never throws.
	 */
	default void prepare() {
	}

}
