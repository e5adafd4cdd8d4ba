package io.github.observe4j.langfuse.testsupport;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.jspecify.annotations.Nullable;

/**
 * Decodes OTLP request bodies with the official protobuf classes, for assertions.
 */
public final class OtlpRequests {

	private static final HexFormat HEX = HexFormat.of();

	private OtlpRequests() {
	}

	/**
	 * Parse a request body.
	 * @param body the body
	 * @return the request
	 */
	public static ExportTraceServiceRequest parse(byte[] body) {
		try {
			return ExportTraceServiceRequest.parseFrom(body);
		}
		catch (InvalidProtocolBufferException ex) {
			throw new AssertionError("Not a valid ExportTraceServiceRequest", ex);
		}
	}

	/**
	 * Return all spans of some request bodies, in order.
	 * @param bodies the bodies
	 * @return the spans
	 */
	public static List<Span> spans(List<byte[]> bodies) {
		List<Span> spans = new ArrayList<>();
		for (byte[] body : bodies) {
			for (ResourceSpans resourceSpans : parse(body).getResourceSpansList()) {
				for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
					spans.addAll(scopeSpans.getSpansList());
				}
			}
		}
		return spans;
	}

	/**
	 * Return attributes by key, failing on duplicate keys.
	 * @param attributes the attributes
	 * @return the values by key, in order
	 */
	public static Map<String, AnyValue> attributes(List<KeyValue> attributes) {
		Map<String, AnyValue> byKey = new LinkedHashMap<>();
		for (KeyValue attribute : attributes) {
			if (byKey.put(attribute.getKey(), attribute.getValue()) != null) {
				throw new AssertionError("Duplicate attribute " + attribute.getKey());
			}
		}
		return byKey;
	}

	/**
	 * Return the span's attributes by key.
	 * @param span the span
	 * @return the values by key
	 */
	public static Map<String, AnyValue> attributes(Span span) {
		return attributes(span.getAttributesList());
	}

	/**
	 * Return the string value of a span attribute.
	 * @param span the span
	 * @param key the key
	 * @return the value, or {@code null} if absent
	 */
	public static @Nullable String string(Span span, String key) {
		AnyValue value = attributes(span).get(key);
		return (value != null) ? value.getStringValue() : null;
	}

	/**
	 * Return bytes as lowercase hex, as Langfuse stores ids.
	 * @param bytes the bytes
	 * @return the hex text
	 */
	public static String hex(ByteString bytes) {
		return HEX.formatHex(bytes.toByteArray());
	}

}
