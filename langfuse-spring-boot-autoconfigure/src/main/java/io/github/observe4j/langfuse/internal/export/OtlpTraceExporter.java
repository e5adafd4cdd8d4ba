package io.github.observe4j.langfuse.internal.export;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.observe4j.langfuse.internal.export.ExporterStats.DropReason;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.internal.support.Failures;
import io.github.observe4j.langfuse.internal.support.ThrottledLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Exports observations to Langfuse's OTLP endpoint, {@value #PATH}, as protobuf with the
 * ingestion version 4 header, so they show up in real time. A 2xx means delivered, except for
 * the spans its OTLP partial success says were not kept, which count as rejected. 401 and
 * 403 mark the keys as rejected and log one WARN per status that says how to fix them; other
 * 4xx drop the batch without retry; network errors, 429 and 5xx are retried as the
 * {@link RetryPolicy} says.
 * <p>
 * With debug on, each request is logged at DEBUG: how many observations, how many bytes, and
 * their names and ids. Credentials are never logged.
 *
 * @since 0.1.0
 */
public final class OtlpTraceExporter implements BatchExporter<ObservationRecord> {

	/** Path of Langfuse's OTLP/HTTP trace endpoint. */
	public static final String PATH = "/api/public/otel/v1/traces";

	/** Ingestion version that selects Langfuse's real-time path. */
	public static final String INGESTION_VERSION = "4";

	private static final Log logger = LogFactory.getLog(OtlpTraceExporter.class);

	private static final int MAX_NAMES_IN_DEBUG_LOG = 20;

	/** Halving a batch that is too large 16 times leaves single observations from 65,536. */
	private static final int MAX_SPLIT_DEPTH = 16;

	/** Smallest value budget a refused observation is cut to. */
	private static final int MIN_CUT_BYTES = 1024;

	/** What trace requests are called in the {@link RequestSpool}. */
	static final String SPOOL_KIND = "traces";

	private final RetryingSender sender;

	private final RetryingSender replaySender;

	private final String endpoint;

	private final TraceRequestEncoder encoder;

	private final OutcomeReporter reporter;

	private final Map<String, String> headers;

	private final boolean gzip;

	private final boolean debug;

	private final @Nullable SpoolReplay replay;

	private final SpoolGate spoolGate;

	private final ThrottledLog cutWarnings = new ThrottledLog(logger, Duration.ofMinutes(1));

	/**
	 * Create an exporter.
	 * @param transport sends the requests
	 * @param encoder encodes batches as OTLP protobuf requests
	 * @param retryPolicy when to retry
	 * @param stats where to record the authentication state
	 * @param gzip whether to compress request bodies
	 * @param debug whether to log each exported batch at DEBUG
	 */
	public OtlpTraceExporter(HttpTransport transport, TraceRequestEncoder encoder, RetryPolicy retryPolicy,
			ExporterStats stats, boolean gzip, boolean debug) {
		this(transport, PATH, Map.of(), encoder, retryPolicy, stats, gzip, debug, null);
	}

	/**
	 * Create an exporter that sends to another endpoint, such as an OpenTelemetry Collector.
	 * @param transport sends the requests
	 * @param endpoint a path relative to the Langfuse host, or a full {@code http(s)://} URL
	 * @param extraHeaders headers to send with every trace request, for example a collector's
	 * credentials
	 * @param encoder encodes batches as OTLP protobuf requests
	 * @param retryPolicy when to retry
	 * @param stats where to record the authentication state
	 * @param gzip whether to compress request bodies
	 * @param debug whether to log each exported batch at DEBUG
	 * @param spool where shutdown keeps what it could not deliver, sent at the next start; or
	 * {@code null}
	 */
	public OtlpTraceExporter(HttpTransport transport, String endpoint, Map<String, String> extraHeaders,
			TraceRequestEncoder encoder, RetryPolicy retryPolicy, ExporterStats stats, boolean gzip, boolean debug,
			@Nullable RequestSpool spool) {
		Objects.requireNonNull(transport, "transport must not be null");
		Objects.requireNonNull(endpoint, "endpoint must not be null");
		Objects.requireNonNull(encoder, "encoder must not be null");
		Objects.requireNonNull(retryPolicy, "retryPolicy must not be null");
		Objects.requireNonNull(stats, "stats must not be null");
		this.sender = new RetryingSender(transport, retryPolicy);
		this.replaySender = new RetryingSender(transport, SpoolReplay.retryPolicy(retryPolicy));
		this.endpoint = endpoint;
		this.encoder = encoder;
		this.reporter = new OutcomeReporter(stats, logger, "observation", transport.sendsKeysTo(endpoint));
		this.gzip = gzip;
		this.debug = debug;
		this.spoolGate = new SpoolGate(spool, SPOOL_KIND);
		this.replay = (spool != null) ? new SpoolReplay(spool, SPOOL_KIND, "observation", stats, logger,
				transport.sendsKeysTo(endpoint)) : null;
		Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
		headers.put("Content-Type", "application/x-protobuf");
		headers.put("x-langfuse-ingestion-version", INGESTION_VERSION);
		if (gzip) {
			headers.put("Content-Encoding", "gzip");
		}
		this.headers = Map.copyOf(headers);
	}

	@Override
	public ExportResult export(List<ObservationRecord> batch) {
		PreparedExport export = prepareExport(batch);
		export.send();
		return export.finish();
	}

	/**
	 * Encode the batch and compress its first request body, the export's CPU work, without
	 * sending anything.
	 */
	@Override
	public PreparedExport prepareExport(List<ObservationRecord> batch) {
		EncodedBatch encoded;
		try {
			encoded = this.encoder.encode(batch);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not encode " + batch.size() + " observation(s) for Langfuse, dropping them: "
					+ Failures.describe(ex));
			if (logger.isDebugEnabled()) {
				logger.debug("Could not encode " + batch.size() + " observation(s) for Langfuse", ex);
			}
			return new PreparedTraceExport(ExportResult.dropped(DropReason.EXPORTER_ERROR, batch.size(),
					"encoding failed: " + Failures.describe(ex)), List.of(), new byte[0]);
		}
		ExportResult result = ExportResult.success(0);
		if (!encoded.leftOut().isEmpty()) {
			result = result.plus(ExportResult.dropped(DropReason.EXPORTER_ERROR, encoded.leftOut().size(),
					"could not be encoded"));
		}
		// an encoder that loses track of records must not make them vanish from the counts
		int unaccounted = batch.size() - encoded.recordCount();
		if (unaccounted > 0) {
			result = result.plus(ExportResult.dropped(DropReason.EXPORTER_ERROR, unaccounted,
					"the encoder produced no request for them"));
		}
		List<EncodedBatch.Request> requests = encoded.requests();
		byte[] firstPayload = requests.isEmpty() ? new byte[0] : payload(requests.get(0).body());
		return new PreparedTraceExport(result, requests, firstPayload);
	}

	/**
	 * A batch encoded, its first body compressed: {@link #send()} sends that body, {@link #finish()}
	 * waits for the answer and sends the rest.
	 */
	private final class PreparedTraceExport implements PreparedExport {

		private final ExportResult encodingResult;

		private final List<EncodedBatch.Request> requests;

		private final byte[] firstPayload;

		private @Nullable Sending first;

		PreparedTraceExport(ExportResult encodingResult, List<EncodedBatch.Request> requests, byte[] firstPayload) {
			this.encodingResult = encodingResult;
			this.requests = requests;
			this.firstPayload = firstPayload;
		}

		@Override
		public void send() {
			if (!this.requests.isEmpty() && this.first == null) {
				EncodedBatch.Request request = this.requests.get(0);
				this.first = startSend(request.records(), request.body().length, this.firstPayload,
						OtlpTraceExporter.this.sender);
			}
		}

		@Override
		public ExportResult finish() {
			return this.encodingResult.plus(sendAll(this.requests, 0, this.first).result());
		}

	}

	/** What sending some requests gave, and the outcome that stops the batch's later ones. */
	private record Sent(ExportResult result, @Nullable SendOutcome stop) {

	}

	/**
	 * Send requests one after the other.
	 * @param first the first request's send, if it was started already
	 */
	private Sent sendAll(List<EncodedBatch.Request> requests, int splitDepth, @Nullable Sending first) {
		ExportResult result = ExportResult.success(0);
		SendOutcome stop = null;
		for (int i = 0; i < requests.size(); i++) {
			EncodedBatch.Request request = requests.get(i);
			int count = request.records().size();
			if (stop != null) {
				result = result.plus(keepOrSkip(request.body(), count, stop, false));
				continue;
			}
			SendOutcome outcome = (i == 0 && first != null) ? finishSend(first)
					: send(request.records(), request.body());
			if (isTooLarge(outcome) && count == 1) {
				// one observation too large for a proxy in front of Langfuse: cut its values further
				outcome = sendSmaller(request.records().get(0), request.body().length, outcome);
			}
			if (isTooLarge(outcome) && count > 1 && splitDepth < MAX_SPLIT_DEPTH) {
				// Langfuse (or a proxy in front of it) takes less than max-request-size: send halves
				Sent halves = sendHalves(request.records(), splitDepth + 1);
				result = result.plus(halves.result());
				stop = halves.stop();
				continue;
			}
			result = result.plus((outcome.kind() == SendOutcome.Kind.ABORTED) ? keepOrSkip(request.body(), count, outcome, true)
					: report(outcome, count));
			stop = (outcome.skipRemainingAs() != null) ? outcome : null;
		}
		return new Sent(result, stop);
	}

	/**
	 * Report a request's outcome; a 2xx whose OTLP answer says some spans were not kept counts
	 * those as rejected, not as delivered.
	 */
	private ExportResult report(SendOutcome outcome, int count) {
		PartialSuccess partial = PartialSuccess.of(outcome);
		if (partial == null) {
			return this.reporter.report(outcome, count, this.endpoint);
		}
		return this.reporter.partlyRejected(outcome, count, partial.rejectedOf(count), partial.message(),
				this.endpoint);
	}

	/**
	 * Keep a request that shutdown stopped in the spool, or report it as the outcome says.
	 */
	private ExportResult keepOrSkip(byte[] body, int count, SendOutcome cause, boolean sent) {
		return keepOrSkip(body, count, cause, sent, true);
	}

	private ExportResult keepOrSkip(byte[] body, int count, SendOutcome cause, boolean sent, boolean inExport) {
		if (cause.kind() == SendOutcome.Kind.ABORTED
				&& this.spoolGate.save(body, count, sent && cause.possiblyDuplicated(), inExport)) {
			return ExportResult.spooled(count, cause.message());
		}
		return this.reporter.skipped(cause, count);
	}

	@Override
	public ExportResult spool(List<ObservationRecord> items) {
		return spool(items, false);
	}

	private ExportResult spool(List<ObservationRecord> items, boolean inExport) {
		if (!this.spoolGate.isOpen()) {
			return BatchExporter.super.spool(items);
		}
		EncodedBatch encoded;
		try {
			encoded = this.encoder.encode(items);
		}
		catch (RuntimeException ex) {
			return ExportResult.dropped(DropReason.EXPORTER_ERROR, items.size(),
					"encoding failed: " + Failures.describe(ex));
		}
		ExportResult result = ExportResult.success(0);
		if (!encoded.leftOut().isEmpty()) {
			result = result.plus(ExportResult.dropped(DropReason.EXPORTER_ERROR, encoded.leftOut().size(),
					"could not be encoded"));
		}
		for (EncodedBatch.Request request : encoded.requests()) {
			result = result.plus(keepOrSkip(request.body(), request.records().size(), SendOutcome.NOT_SENT_AT_SHUTDOWN,
					false, inExport));
		}
		return result;
	}

	@Override
	public void beforeExport() {
		this.spoolGate.exportStarted();
		this.reporter.exportStarted();
	}

	@Override
	public int deliveredInExport() {
		return this.reporter.deliveredInExport();
	}

	@Override
	public int stopSpooling() {
		return this.spoolGate.stop();
	}

	@Override
	public void prepare() {
		this.encoder.prepare();
	}

	@Override
	public void replaySpooled() {
		if (this.replay != null) {
			this.replay.run((body) -> send(List.of(), body, this.replaySender));
		}
	}

	private Sent sendHalves(List<ObservationRecord> records, int splitDepth) {
		int middle = records.size() / 2;
		ExportResult result = ExportResult.success(0);
		SendOutcome stop = null;
		for (List<ObservationRecord> half : List.of(records.subList(0, middle), records.subList(middle, records.size()))) {
			if (stop != null) {
				result = result.plus((stop.kind() == SendOutcome.Kind.ABORTED) ? spool(half, true)
						: this.reporter.skipped(stop, half.size()));
				continue;
			}
			EncodedBatch encoded;
			try {
				encoded = this.encoder.encode(half);
			}
			catch (RuntimeException ex) {
				result = result.plus(ExportResult.dropped(DropReason.EXPORTER_ERROR, half.size(),
						"encoding failed: " + Failures.describe(ex)));
				continue;
			}
			if (!encoded.leftOut().isEmpty()) {
				result = result.plus(ExportResult.dropped(DropReason.EXPORTER_ERROR, encoded.leftOut().size(),
						"could not be encoded"));
			}
			Sent sent = sendAll(encoded.requests(), splitDepth, null);
			result = result.plus(sent.result());
			stop = sent.stop();
		}
		return new Sent(result, stop);
	}

	/**
	 * Send one observation again, its values cut to a quarter of the refused body's size, then
	 * to a quarter of that, down to {@value #MIN_CUT_BYTES} bytes.
	 */
	private SendOutcome sendSmaller(ObservationRecord record, int refusedBytes, SendOutcome refused) {
		SendOutcome outcome = refused;
		for (int limit = refusedBytes / 4; limit >= MIN_CUT_BYTES && isTooLarge(outcome); limit /= 4) {
			EncodedBatch smaller;
			try {
				smaller = this.encoder.encodeWithin(record, limit);
			}
			catch (RuntimeException ex) {
				return outcome;
			}
			if (smaller == null || smaller.requests().size() != 1) {
				return outcome;
			}
			outcome = send(List.of(record), smaller.requests().get(0).body());
		}
		if (outcome.kind() == SendOutcome.Kind.SUCCESS) {
			this.cutWarnings.warn("cut", () -> "Langfuse (or a proxy in front of it) refused observation '" + record.name() + "' as too large ("
					+ refusedBytes + " bytes); sent it with its values cut further. Lower"
					+ " langfuse.export.max-observation-size or raise the proxy's limit.");
		}
		return outcome;
	}

	private static boolean isTooLarge(SendOutcome outcome) {
		return outcome.kind() == SendOutcome.Kind.REJECTED && outcome.status() == 413;
	}

	@Override
	public void abortRetriesAfter(Duration timeLeft) {
		this.sender.abortRetriesAfter(timeLeft);
		this.replaySender.abortRetriesAfter(timeLeft);
	}

	private SendOutcome send(List<ObservationRecord> records, byte[] body) {
		return send(records, body, this.sender);
	}

	private SendOutcome send(List<ObservationRecord> records, byte[] body, RetryingSender sender) {
		return finishSend(startSend(records, body.length, payload(body), sender));
	}

	private byte[] payload(byte[] body) {
		return this.gzip ? Gzip.compress(body) : body;
	}

	/** A request whose first attempt is out, and the sender that retries it. */
	private record Sending(RetryingSender sender, RetryingSender.Started started) {

	}

	private Sending startSend(List<ObservationRecord> records, int bodyBytes, byte[] payload, RetryingSender sender) {
		if (this.debug && logger.isDebugEnabled()) {
			logger.debug(describe(records, bodyBytes, payload.length));
		}
		return new Sending(sender, sender.start(HttpRequest.post(this.endpoint, this.headers, payload)));
	}

	private SendOutcome finishSend(Sending sending) {
		SendOutcome outcome = sending.sender().finish(sending.started());
		if (this.debug && logger.isDebugEnabled()) {
			logger.debug("Langfuse answered " + outcome.message() + " after " + outcome.attempts()
					+ " attempt(s) in " + Duration.ofNanos(System.nanoTime() - sending.started().nanos()).toMillis()
					+ " ms");
		}
		return outcome;
	}

	private String describe(List<ObservationRecord> records, int bytes, int sentBytes) {
		StringBuilder message = new StringBuilder("Exporting ").append(records.size())
			.append(" observation(s) to ")
			.append(this.endpoint)
			.append(" (")
			.append(bytes)
			.append(" bytes");
		if (this.gzip) {
			message.append(", ").append(sentBytes).append(" gzipped");
		}
		message.append("):");
		int shown = Math.min(records.size(), MAX_NAMES_IN_DEBUG_LOG);
		for (int i = 0; i < shown; i++) {
			ObservationRecord record = records.get(i);
			message.append(i == 0 ? " " : ", ")
				.append(record.type().wireValue())
				.append(" '")
				.append(record.name())
				.append("' trace=")
				.append(hex(record.traceIdHigh()))
				.append(hex(record.traceIdLow()))
				.append(" span=")
				.append(hex(record.spanId()));
		}
		if (records.size() > shown) {
			message.append(", and ").append(records.size() - shown).append(" more");
		}
		return message.toString();
	}

	private static String hex(long value) {
		String digits = Long.toHexString(value);
		return "0".repeat(16 - digits.length()) + digits;
	}

}
