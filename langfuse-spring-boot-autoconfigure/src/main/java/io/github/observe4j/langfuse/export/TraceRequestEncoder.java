package io.github.observe4j.langfuse.export;

import java.util.List;

import io.github.observe4j.langfuse.model.ObservationRecord;

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

}
