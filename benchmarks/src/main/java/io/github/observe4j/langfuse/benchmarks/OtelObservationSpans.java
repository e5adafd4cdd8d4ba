package io.github.observe4j.langfuse.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.observe4j.langfuse.internal.model.CapturedArguments;
import io.github.observe4j.langfuse.internal.model.TraceAttributes;
import io.github.observe4j.langfuse.internal.model.ValueSerializer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;

/**
 * Records a {@link SyntheticObservation} as an OpenTelemetry span carrying what the starter
 * sends for it: name, start and end time, and the Langfuse attributes with the same keys and
 * string values (JSON for the input, model parameters, usage and cost, rendered by the same
 * {@link ValueSerializer}-backed serializer the starter's auto-configuration creates). The
 * rendering happens here, on the caller's thread, as an application instrumenting with the
 * OpenTelemetry API has to do it; the starter does it on its export thread.
 */
final class OtelObservationSpans {

	private static final AttributeKey<String> TYPE = AttributeKey.stringKey("langfuse.observation.type");

	private static final AttributeKey<String> INPUT = AttributeKey.stringKey("langfuse.observation.input");

	private static final AttributeKey<String> OUTPUT = AttributeKey.stringKey("langfuse.observation.output");

	private static final String METADATA_PREFIX = "langfuse.observation.metadata.";

	private static final AttributeKey<String> MODEL = AttributeKey.stringKey("langfuse.observation.model.name");

	private static final AttributeKey<String> MODEL_PARAMETERS = AttributeKey
		.stringKey("langfuse.observation.model.parameters");

	private static final AttributeKey<String> USAGE = AttributeKey.stringKey("langfuse.observation.usage_details");

	private static final AttributeKey<String> COST = AttributeKey.stringKey("langfuse.observation.cost_details");

	private static final AttributeKey<String> TRACE_NAME = AttributeKey.stringKey("langfuse.trace.name");

	private static final AttributeKey<String> USER_ID = AttributeKey.stringKey("user.id");

	private static final AttributeKey<String> SESSION_ID = AttributeKey.stringKey("session.id");

	private static final AttributeKey<List<String>> TAGS = AttributeKey
		.stringArrayKey("langfuse.trace.tags");

	private static final AttributeKey<String> RELEASE = AttributeKey.stringKey("langfuse.release");

	private final Tracer tracer;

	private final ValueSerializer serializer;

	private final int maxChars;

	/**
	 * Create an instance.
	 * @param tracer the tracer that records the spans
	 * @param serializer renders the JSON values
	 * @param maxChars the length limit for each rendered value, as the starter's
	 */
	OtelObservationSpans(Tracer tracer, ValueSerializer serializer, int maxChars) {
		this.tracer = tracer;
		this.serializer = serializer;
		this.maxChars = maxChars;
	}

	/**
	 * Record the observation as a finished root span.
	 * @param observation the observation
	 */
	void record(SyntheticObservation observation) {
		SpanBuilder span = this.tracer.spanBuilder(observation.name())
			.setNoParent()
			.setSpanKind(SpanKind.INTERNAL)
			.setStartTimestamp(observation.startEpochNanos(), TimeUnit.NANOSECONDS)
			.setAttribute(TYPE, observation.type().wireValue())
			.setAttribute(INPUT, json(arguments((CapturedArguments) observation.input())))
			.setAttribute(OUTPUT, (String) observation.output());
		for (Map.Entry<String, Object> entry : observation.metadata().entrySet()) {
			// all metadata here is integers, which the starter sends as int values
			span.setAttribute(AttributeKey.longKey(METADATA_PREFIX + entry.getKey()),
					((Number) entry.getValue()).longValue());
		}
		span.setAttribute(MODEL, observation.model())
			.setAttribute(MODEL_PARAMETERS, json(observation.modelParameters()))
			.setAttribute(USAGE, json(observation.usageDetails()))
			.setAttribute(COST, json(observation.costDetails()));
		TraceAttributes trace = observation.traceAttributes();
		span.setAttribute(TRACE_NAME, trace.name())
			.setAttribute(USER_ID, trace.userId())
			.setAttribute(SESSION_ID, trace.sessionId())
			.setAttribute(TAGS, trace.tags())
			.setAttribute(RELEASE, trace.release());
		span.startSpan().end(observation.endEpochNanos(), TimeUnit.NANOSECONDS);
	}

	/** The arguments as a JSON object keyed by parameter name, as the starter renders them. */
	private static Map<String, Object> arguments(CapturedArguments arguments) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < arguments.names().length; i++) {
			map.put(arguments.names()[i], arguments.values()[i]);
		}
		return map;
	}

	private String json(Object value) {
		return this.serializer.toJson(value, this.maxChars);
	}

}
