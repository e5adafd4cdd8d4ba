package io.github.observe4j.langfuse.internal.export;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * Test stand-in for the real OTLP encoder: builds requests with the official proto builders,
 * carrying only names, ids and times, at most {@code maxSpansPerRequest} spans per request.
 */
final class ProtoTraceEncoder implements TraceRequestEncoder {

	private final int maxSpansPerRequest;

	ProtoTraceEncoder() {
		this(Integer.MAX_VALUE);
	}

	ProtoTraceEncoder(int maxSpansPerRequest) {
		this.maxSpansPerRequest = maxSpansPerRequest;
	}

	@Override
	public EncodedBatch encode(List<? extends ObservationRecord> batch) {
		List<EncodedBatch.Request> requests = new ArrayList<>();
		for (int start = 0; start < batch.size(); start += this.maxSpansPerRequest) {
			ScopeSpans.Builder scope = ScopeSpans.newBuilder();
			List<ObservationRecord> records = List.copyOf(batch.subList(start,
					Math.min(batch.size(), start + this.maxSpansPerRequest)));
			for (ObservationRecord record : records) {
				scope.addSpans(Span.newBuilder()
					.setName(record.name())
					.setTraceId(ByteString.copyFrom(
							ByteBuffer.allocate(16).putLong(record.traceIdHigh()).putLong(record.traceIdLow()).array()))
					.setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(record.spanId()).array()))
					.setStartTimeUnixNano(record.startEpochNanos())
					.setEndTimeUnixNano(record.endEpochNanos()));
			}
			requests.add(new EncodedBatch.Request(ExportTraceServiceRequest.newBuilder()
				.addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
				.build()
				.toByteArray(), records));
		}
		return new EncodedBatch(requests, List.of());
	}

}
