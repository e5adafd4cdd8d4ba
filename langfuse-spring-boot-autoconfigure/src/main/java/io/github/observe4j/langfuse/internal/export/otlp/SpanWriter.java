package io.github.observe4j.langfuse.internal.export.otlp;

import java.util.List;
import java.util.Map;

import io.github.observe4j.langfuse.internal.model.TraceAttributes;
import org.jspecify.annotations.Nullable;

/**
 * Writes one OTLP {@code Span} with the attributes Langfuse maps to observation fields. The
 * trace-wide attributes go on every span, because Langfuse v4 reads them from each span; they
 * are encoded once per {@link TraceAttributes} instance and copied from then on.
 */
final class SpanWriter {

	// Field numbers from opentelemetry/proto/trace/v1/trace.proto
	private static final int SCOPE_SPANS_SPANS = 2;

	private static final int SPAN_TRACE_ID = 1;

	private static final int SPAN_SPAN_ID = 2;

	private static final int SPAN_PARENT_SPAN_ID = 4;

	private static final int SPAN_NAME = 5;

	private static final int SPAN_KIND = 6;

	private static final int SPAN_START_TIME = 7;

	private static final int SPAN_END_TIME = 8;

	private static final int SPAN_ATTRIBUTES = 9;

	private static final int SPAN_STATUS = 15;

	private static final int STATUS_MESSAGE = 2;

	private static final int STATUS_CODE = 3;

	private static final int SPAN_KIND_INTERNAL = 1;

	private static final int STATUS_CODE_ERROR = 2;

	private static final String OBSERVATION_METADATA_PREFIX = "langfuse.observation.metadata.";

	private static final String TRACE_METADATA_PREFIX = "langfuse.trace.metadata.";

	private final OtlpResource resource;

	private final ValueRenderer renderer;

	private final Masking masking;

	private final int maxChars;

	private final ProtobufWriter traceBlock = new ProtobufWriter(512, 64 * 1024);

	private @Nullable TraceAttributes traceBlockSource;

	/**
	 * Create a writer.
	 * @param resource the resource, for the release and environment fallbacks
	 * @param renderer renders trace metadata values
	 * @param maxChars the length limit for each trace metadata value
	 * @param masking applies the application's masker to trace metadata values
	 */
	SpanWriter(OtlpResource resource, ValueRenderer renderer, int maxChars, Masking masking) {
		this.masking = masking;
		this.resource = resource;
		this.renderer = renderer;
		this.maxChars = maxChars;
	}

	/**
	 * Write a span as a {@code ScopeSpans.spans} field.
	 * @param out the target
	 * @param values the observation's values
	 */
	void write(ProtobufWriter out, ObservationValues values) {
		int mark = out.beginLengthDelimited(SCOPE_SPANS_SPANS, 2);
		out.writeTag(SPAN_TRACE_ID, ProtobufWriter.LENGTH_DELIMITED);
		out.writeVarint32(16);
		out.writeBigEndian64(values.traceIdHigh);
		out.writeBigEndian64(values.traceIdLow);
		out.writeTag(SPAN_SPAN_ID, ProtobufWriter.LENGTH_DELIMITED);
		out.writeVarint32(8);
		out.writeBigEndian64(values.spanId);
		if (values.parentSpanId != 0) {
			out.writeTag(SPAN_PARENT_SPAN_ID, ProtobufWriter.LENGTH_DELIMITED);
			out.writeVarint32(8);
			out.writeBigEndian64(values.parentSpanId);
		}
		out.writeStringField(SPAN_NAME, values.name);
		out.writeTag(SPAN_KIND, ProtobufWriter.VARINT);
		out.writeVarint32(SPAN_KIND_INTERNAL);
		out.writeTag(SPAN_START_TIME, ProtobufWriter.FIXED64);
		out.writeFixed64(values.startEpochNanos);
		out.writeTag(SPAN_END_TIME, ProtobufWriter.FIXED64);
		out.writeFixed64(values.endEpochNanos);
		writeObservationAttributes(out, values);
		writeTraceAttributes(out, values.traceAttributes);
		if (values.failed) {
			int statusMark = out.beginLengthDelimited(SPAN_STATUS, 1);
			if (values.statusMessage != null) {
				out.writeStringField(STATUS_MESSAGE, values.statusMessage);
			}
			out.writeTag(STATUS_CODE, ProtobufWriter.VARINT);
			out.writeVarint32(STATUS_CODE_ERROR);
			out.endLengthDelimited(statusMark, 1);
		}
		out.endLengthDelimited(mark, 2);
	}

	private void writeObservationAttributes(ProtobufWriter out, ObservationValues values) {
		AttributeWriter.writeString(out, SPAN_ATTRIBUTES, "langfuse.observation.type", values.type);
		writeIfPresent(out, "langfuse.observation.input", values.input);
		writeIfPresent(out, "langfuse.observation.output", values.output);
		for (int i = 0; i < values.metadataCount; i++) {
			String key = values.metadataKeys[i];
			Object value = values.metadataValues[i];
			if (value instanceof String text) {
				AttributeWriter.writeString(out, SPAN_ATTRIBUTES, OBSERVATION_METADATA_PREFIX, key, text);
			}
			else if (value instanceof Boolean bool) {
				AttributeWriter.writeBool(out, SPAN_ATTRIBUTES, OBSERVATION_METADATA_PREFIX, key, bool);
			}
			else if (value instanceof Long number) {
				AttributeWriter.writeInt(out, SPAN_ATTRIBUTES, OBSERVATION_METADATA_PREFIX, key, number);
			}
			else if (value instanceof Double number) {
				AttributeWriter.writeDouble(out, SPAN_ATTRIBUTES, OBSERVATION_METADATA_PREFIX, key, number);
			}
		}
		if (values.level != null) {
			AttributeWriter.writeString(out, SPAN_ATTRIBUTES, "langfuse.observation.level", values.level.name());
		}
		writeIfPresent(out, "langfuse.observation.status_message", values.statusMessage);
		String version = (values.version != null) ? values.version : values.traceAttributes.version();
		writeIfPresent(out, "langfuse.version", version);
		writeIfPresent(out, "langfuse.observation.model.name", values.model);
		writeIfPresent(out, "langfuse.observation.model.parameters", values.modelParameters);
		writeIfPresent(out, "langfuse.observation.usage_details", values.usageDetails);
		writeIfPresent(out, "langfuse.observation.cost_details", values.costDetails);
		writeIfPresent(out, "langfuse.observation.completion_start_time", values.completionStartTime);
		writeIfPresent(out, "langfuse.observation.prompt.name", values.promptName);
		if (values.promptVersion != null) {
			AttributeWriter.writeInt(out, SPAN_ATTRIBUTES, "langfuse.observation.prompt.version", null,
					values.promptVersion);
		}
		if (values.appRoot) {
			// the parent lives in another service: Langfuse treats the span as a root all the same
			AttributeWriter.writeBool(out, SPAN_ATTRIBUTES, "langfuse.internal.is_app_root", null, true);
		}
	}

	private void writeTraceAttributes(ProtobufWriter out, TraceAttributes attributes) {
		if (attributes != this.traceBlockSource) {
			this.traceBlock.reset();
			this.traceBlockSource = null;
			encodeTraceAttributes(this.traceBlock, attributes);
			this.traceBlockSource = attributes;
		}
		out.writeRaw(this.traceBlock.buffer(), 0, this.traceBlock.position());
	}

	private void encodeTraceAttributes(ProtobufWriter out, TraceAttributes attributes) {
		writeIfPresent(out, "langfuse.trace.name", attributes.name());
		writeIfPresent(out, "user.id", attributes.userId());
		writeIfPresent(out, "session.id", attributes.sessionId());
		List<String> tags = attributes.tags();
		if (!tags.isEmpty()) {
			AttributeWriter.writeStringArray(out, SPAN_ATTRIBUTES, "langfuse.trace.tags", tags);
		}
		if (attributes.publicTrace() != null) {
			AttributeWriter.writeBool(out, SPAN_ATTRIBUTES, "langfuse.trace.public", null, attributes.publicTrace());
		}
		for (Map.Entry<String, Object> entry : attributes.metadata().entrySet()) {
			Object value = entry.getValue();
			String text = this.masking.apply("trace metadata",
					(value instanceof String string) ? string : this.renderer.json(value));
			AttributeWriter.writeString(out, SPAN_ATTRIBUTES, TRACE_METADATA_PREFIX, entry.getKey(),
					Truncation.cutToChars(text, this.maxChars));
		}
		String release = (attributes.release() != null) ? attributes.release() : this.resource.release();
		writeIfPresent(out, "langfuse.release", release);
		writeIfPresent(out, "langfuse.environment", this.resource.environment());
	}

	private static void writeIfPresent(ProtobufWriter out, String key, @Nullable String value) {
		if (value != null && !value.isEmpty()) {
			AttributeWriter.writeString(out, SPAN_ATTRIBUTES, key, value);
		}
	}

}
