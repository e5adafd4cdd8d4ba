package io.github.observe4j.langfuse.internal.export.otlp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.github.observe4j.langfuse.internal.export.EncodedBatch;
import io.github.observe4j.langfuse.internal.export.TraceRequestEncoder;
import io.github.observe4j.langfuse.internal.model.ValueSerializer;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.internal.support.ThrottledLog;
import io.github.observe4j.langfuse.model.LangfuseMasker;
import io.github.observe4j.langfuse.internal.support.Failures;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Encodes finished observations as OTLP/HTTP protobuf {@code ExportTraceServiceRequest} bodies
 * following Langfuse's attribute mapping: one resource, one scope, one span per observation.
 * Written by hand to keep protobuf off the application's classpath; allocates little beyond the
 * request bodies themselves. Bad data never fails a batch: an unreadable value becomes a
 * placeholder and an oversized one is cut.
 * <p>
 * Meant for one export thread: calls are serialized, since the encoder reuses its buffers.
 *
 * @since 0.1.0
 */
public final class OtlpTraceEncoder {

	/** The scope name; the {@code langfuse-sdk} prefix hides the raw attribute dump in Langfuse's metadata view. */
	static final String SCOPE_NAME = "langfuse-sdk-spring-boot";

	private static final Log logger = LogFactory.getLog(OtlpTraceEncoder.class);

	private static final HexFormat HEX = HexFormat.of();

	// Field numbers from opentelemetry/proto/{collector/trace,trace,resource,common}/v1
	private static final byte REQUEST_RESOURCE_SPANS_TAG = (1 << 3) | ProtobufWriter.LENGTH_DELIMITED;

	private static final int RESOURCE_SPANS_RESOURCE = 1;

	private static final byte RESOURCE_SPANS_SCOPE_SPANS_TAG = (2 << 3) | ProtobufWriter.LENGTH_DELIMITED;

	private static final int RESOURCE_ATTRIBUTES = 1;

	private static final int SCOPE_SPANS_SCOPE = 1;

	private static final int SCOPE_NAME_FIELD = 1;

	private static final int SCOPE_VERSION_FIELD = 2;

	private static final int INITIAL_BUFFER_SIZE = 64 * 1024;

	private static final int RETAINED_BUFFER_SIZE = 4 * 1024 * 1024;

	private final int maxObservationBytes;

	private final OtlpResource resource;

	private final ValueSerializer serializer;

	private final byte[] resourceField;

	private final byte[] scopeField;

	private final ProtobufWriter spans = new ProtobufWriter(INITIAL_BUFFER_SIZE, RETAINED_BUFFER_SIZE);

	private final ObservationValues values;

	private final SpanWriter spanWriter;

	private final AtomicLong truncatedCount;

	private final AtomicLong unencodableCount;

	private final AtomicLong maskingFailures;

	private final @Nullable LangfuseMasker masker;

	private final ThrottledLog warnings;

	/**
	 * Create an encoder.
	 * @param resource describes the application
	 * @param serializer serializes captured values that are not simple
	 * @param maxObservationBytes the limit for the input, output and metadata of one observation
	 * together, in UTF-8 bytes; larger values are cut, largest first
	 */
	public OtlpTraceEncoder(OtlpResource resource, ValueSerializer serializer, int maxObservationBytes) {
		this(resource, serializer, maxObservationBytes, null);
	}

	/**
	 * Create an encoder that masks what it exports.
	 * @param resource describes the application
	 * @param serializer serializes captured values that are not simple
	 * @param maxObservationBytes the limit for the input, output and metadata of one observation
	 * together, in UTF-8 bytes; larger values are cut, largest first
	 * @param masker changes each exported text before it is sent, or {@code null}
	 */
	public OtlpTraceEncoder(OtlpResource resource, ValueSerializer serializer, int maxObservationBytes,
			@Nullable LangfuseMasker masker) {
		this(resource, serializer, maxObservationBytes, masker, new AtomicLong(), new AtomicLong(), new AtomicLong(),
				new ThrottledLog(logger, Duration.ofMinutes(1)));
	}

	/** An encoder that counts and warns together with another one. */
	private OtlpTraceEncoder(OtlpResource resource, ValueSerializer serializer, int maxObservationBytes,
			@Nullable LangfuseMasker masker, AtomicLong truncatedCount, AtomicLong unencodableCount,
			AtomicLong maskingFailures, ThrottledLog warnings) {
		this.truncatedCount = truncatedCount;
		this.unencodableCount = unencodableCount;
		this.maskingFailures = maskingFailures;
		this.masker = masker;
		this.warnings = warnings;
		if (maxObservationBytes <= 0) {
			throw new IllegalArgumentException("maxObservationBytes must be positive");
		}
		this.maxObservationBytes = maxObservationBytes;
		this.resource = resource;
		this.serializer = serializer;
		this.resourceField = encodeResource(resource);
		this.scopeField = encodeScope(resource);
		// with a masker, render past the limit first, so that a secret cut in half is still masked;
		// the values are cut to the limit after masking
		ValueRenderer renderer = new ValueRenderer(serializer,
				(masker != null) ? (int) Math.min(Integer.MAX_VALUE, 2L * maxObservationBytes + 1024) : maxObservationBytes);
		Masking masking = new Masking(masker, maskingFailures, warnings);
		this.values = new ObservationValues(renderer, maxObservationBytes, masking);
		this.spanWriter = new SpanWriter(resource, renderer, maxObservationBytes, masking);
	}

	private static byte[] encodeResource(OtlpResource resource) {
		ProtobufWriter out = new ProtobufWriter(256, 256);
		int mark = out.beginLengthDelimited(RESOURCE_SPANS_RESOURCE, 1);
		if (resource.serviceName() != null && !resource.serviceName().isEmpty()) {
			AttributeWriter.writeString(out, RESOURCE_ATTRIBUTES, "service.name", resource.serviceName());
		}
		AttributeWriter.writeString(out, RESOURCE_ATTRIBUTES, "telemetry.sdk.language", "java");
		AttributeWriter.writeString(out, RESOURCE_ATTRIBUTES, "telemetry.sdk.name", resource.sdkName());
		AttributeWriter.writeString(out, RESOURCE_ATTRIBUTES, "telemetry.sdk.version", resource.sdkVersion());
		if (resource.environment() != null && !resource.environment().isEmpty()) {
			AttributeWriter.writeString(out, RESOURCE_ATTRIBUTES, "langfuse.environment", resource.environment());
		}
		if (resource.release() != null && !resource.release().isEmpty()) {
			AttributeWriter.writeString(out, RESOURCE_ATTRIBUTES, "langfuse.release", resource.release());
		}
		out.endLengthDelimited(mark, 1);
		return out.toByteArray();
	}

	private static byte[] encodeScope(OtlpResource resource) {
		ProtobufWriter out = new ProtobufWriter(128, 128);
		int mark = out.beginLengthDelimited(SCOPE_SPANS_SCOPE, 1);
		out.writeStringField(SCOPE_NAME_FIELD, SCOPE_NAME);
		out.writeStringField(SCOPE_VERSION_FIELD, resource.sdkVersion());
		out.endLengthDelimited(mark, 1);
		return out.toByteArray();
	}

	/**
	 * Return this encoder as the exporter's {@link TraceRequestEncoder}, with requests of at
	 * most the given size, and observations a server refused as too large cut further.
	 * @param maxRequestBytes the size limit for one request body
	 * @return the request encoder
	 */
	public TraceRequestEncoder requestEncoder(int maxRequestBytes) {
		return new TraceRequestEncoder() {

			@Override
			public EncodedBatch encode(List<? extends ObservationRecord> batch) {
				return encodeBatch(batch, maxRequestBytes);
			}

			@Override
			public EncodedBatch encodeWithin(ObservationRecord record, int maxObservationBytes) {
				// rare: a fresh encoder with the smaller budget rather than a second code path
				OtlpTraceEncoder outer = OtlpTraceEncoder.this;
				return new OtlpTraceEncoder(outer.resource, outer.serializer,
						Math.min(maxObservationBytes, outer.maxObservationBytes), outer.masker, outer.truncatedCount,
						outer.unencodableCount, outer.maskingFailures, outer.warnings)
					.encodeBatch(List.of(record), maxRequestBytes);
			}

			@Override
			public void prepare() {
				OtlpTraceEncoder.this.serializer.prepare();
			}

		};
	}

	/**
	 * Encode a batch into one or more {@code ExportTraceServiceRequest} bodies, each at most
	 * {@code maxRequestBytes} long (a single span larger than that still goes alone).
	 * @param batch the observations
	 * @param maxRequestBytes the size limit for one request body
	 * @return the request bodies, empty for an empty batch
	 * @see #encodeBatch(List, int)
	 */
	public List<byte[]> encode(List<? extends ObservationRecord> batch, int maxRequestBytes) {
		List<byte[]> bodies = new ArrayList<>();
		for (EncodedBatch.Request request : encodeBatch(batch, maxRequestBytes).requests()) {
			bodies.add(request.body());
		}
		return bodies;
	}

	/**
	 * Encode a batch in one pass into request bodies of at most {@code maxRequestBytes} each (a
	 * single span larger than that still goes alone), saying which observations each carries.
	 * Never throws for bad data in a record: a record whose ids cannot even be read is left out,
	 * logged, counted and returned as left out.
	 * @param batch the observations
	 * @param maxRequestBytes the size limit for one request body
	 * @return the requests and the observations left out
	 */
	public synchronized EncodedBatch encodeBatch(List<? extends ObservationRecord> batch, int maxRequestBytes) {
		List<EncodedBatch.Request> requests = new ArrayList<>();
		List<ObservationRecord> leftOut = new ArrayList<>();
		List<ObservationRecord> current = new ArrayList<>();
		try {
			for (ObservationRecord record : batch) {
				int spanStart = this.spans.position();
				if (!encodeSpan(record)) {
					this.spans.truncate(spanStart);
					if (record != null) {
						leftOut.add(record);
					}
					continue;
				}
				if (spanStart > 0 && requestSize(this.spans.position()) > maxRequestBytes) {
					// The new span does not fit: send what came before it and start over with it
					requests.add(new EncodedBatch.Request(request(spanStart), current));
					current = new ArrayList<>();
					this.spans.removePrefix(spanStart);
				}
				current.add(record);
			}
			if (this.spans.position() > 0) {
				requests.add(new EncodedBatch.Request(request(this.spans.position()), current));
			}
		}
		finally {
			this.spans.reset();
			this.values.clear();
		}
		return new EncodedBatch(requests, leftOut);
	}

	private boolean encodeSpan(@Nullable ObservationRecord record) {
		if (record == null) {
			return false;
		}
		try {
			if (!this.values.read(record)) {
				this.unencodableCount.incrementAndGet();
				return false;
			}
			if (this.values.truncated) {
				long count = this.truncatedCount.incrementAndGet();
				if (this.warnings.tryAcquire("truncated")) {
					logger.warn("Observation '" + this.values.name + "' (trace " + traceId() + ", observation "
							+ HEX.toHexDigits(this.values.spanId) + ") is larger than " + this.maxObservationBytes
							+ " bytes; its largest values were cut to fit. " + count
							+ " observations truncated so far (logged at most once a minute)");
				}
			}
			this.spanWriter.write(this.spans, this.values);
			return true;
		}
		catch (Throwable ex) {
			Failures.rethrowIfFatal(ex);
			this.unencodableCount.incrementAndGet();
			if (this.warnings.tryAcquire("unencodable")) {
				logger.warn("Could not encode an observation for Langfuse (" + Failures.describe(ex)
						+ "); it is left out (logged at most once a minute; stack traces at debug level)");
			}
			if (logger.isDebugEnabled()) {
				logger.debug("Could not encode an observation for Langfuse", ex);
			}
			return false;
		}
	}

	private String traceId() {
		return HEX.toHexDigits(this.values.traceIdHigh) + HEX.toHexDigits(this.values.traceIdLow);
	}

	private long requestSize(int spansLength) {
		long scopeSpansLength = this.scopeField.length + (long) spansLength;
		long resourceSpansLength = this.resourceField.length + 1
				+ ProtobufWriter.varint32Size((int) scopeSpansLength) + scopeSpansLength;
		return 1 + ProtobufWriter.varint32Size((int) resourceSpansLength) + resourceSpansLength;
	}

	private byte[] request(int spansLength) {
		int scopeSpansLength = this.scopeField.length + spansLength;
		int resourceSpansLength = this.resourceField.length + 1 + ProtobufWriter.varint32Size(scopeSpansLength)
				+ scopeSpansLength;
		byte[] body = new byte[Math.toIntExact(requestSize(spansLength))];
		int position = 0;
		body[position++] = REQUEST_RESOURCE_SPANS_TAG;
		position = ProtobufWriter.putVarint32(body, position, resourceSpansLength);
		System.arraycopy(this.resourceField, 0, body, position, this.resourceField.length);
		position += this.resourceField.length;
		body[position++] = RESOURCE_SPANS_SCOPE_SPANS_TAG;
		position = ProtobufWriter.putVarint32(body, position, scopeSpansLength);
		System.arraycopy(this.scopeField, 0, body, position, this.scopeField.length);
		position += this.scopeField.length;
		System.arraycopy(this.spans.buffer(), 0, body, position, spansLength);
		return body;
	}

	/**
	 * Return how many observations had a value cut to fit the size limit so far.
	 * @return the number of truncated observations
	 */
	public long truncatedCount() {
		return this.truncatedCount.get();
	}

	/**
	 * Return how many observations could not be encoded at all (for example because their
	 * ids could not be read) and were left out of the request bodies so far.
	 * @return the number of observations left out
	 */
	public long unencodableCount() {
		return this.unencodableCount.get();
	}

	/**
	 * Return how many exported texts the masker failed on, each sent as a placeholder.
	 * @return the count
	 */
	public long maskingFailureCount() {
		return this.maskingFailures.get();
	}

}
