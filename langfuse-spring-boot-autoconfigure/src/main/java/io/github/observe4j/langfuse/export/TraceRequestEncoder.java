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
	 * Encode a batch of observations.
	 * @param batch the observations, never empty
	 * @return complete {@code ExportTraceServiceRequest} messages that together carry every
	 * observation of the batch, each small enough to send in one request
	 */
	List<byte[]> encode(List<? extends ObservationRecord> batch);

}
