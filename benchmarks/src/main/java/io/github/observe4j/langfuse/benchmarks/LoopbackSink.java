package io.github.observe4j.langfuse.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPInputStream;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in for Langfuse on 127.0.0.1: answers 200, counts requests and body bytes per endpoint,
 * and keeps nothing. {@code GET /api/public/projects} returns a project so the auth check and the
 * trace URL work.
 * <p>
 * Trace requests are decoded (gunzipped first if sent with {@code Content-Encoding: gzip}) to
 * count spans exactly: every request is walked along the OTLP schema, using the field numbers of
 * the official {@code io.opentelemetry.proto} classes and skipping the span contents, which is
 * cheap enough not to steal the candidates' CPU; the first request and every
 * {@value #FULL_DECODE_EVERY}th after it are also parsed whole into
 * {@link ExportTraceServiceRequest} and checked (span count, ids, name, times). A request that
 * fails either is answered 400, so the exporter counts it as dropped, and is reported here.
 */
final class LoopbackSink implements AutoCloseable {

	static final String TRACES_PATH = "/api/public/otel/v1/traces";

	static final String SCORES_PATH = "/api/public/scores";

	static final String PROJECTS_PATH = "/api/public/projects";

	/** One trace request in this many is also parsed whole and checked. */
	static final int FULL_DECODE_EVERY = 64;

	private static final byte[] PROJECTS_BODY = "{\"data\":[{\"id\":\"bench-project\",\"name\":\"bench\"}]}"
		.getBytes(StandardCharsets.UTF_8);

	private static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);

	private final AtomicLong traceSequence = new AtomicLong();

	private final LongAdder traceRequests = new LongAdder();

	private final LongAdder traceBytes = new LongAdder();

	private final LongAdder traceSpans = new LongAdder();

	private final LongAdder fullyDecodedRequests = new LongAdder();

	private final LongAdder malformedRequests = new LongAdder();

	private final AtomicReference<@Nullable String> firstProblem = new AtomicReference<>();

	private final LongAdder otherRequests = new LongAdder();

	private final LongAdder otherBytes = new LongAdder();

	private final HttpServer server;

	private final ExecutorService executor;

	private LoopbackSink(HttpServer server, ExecutorService executor) {
		this.server = server;
		this.executor = executor;
	}

	/**
	 * Start a sink on an ephemeral loopback port.
	 * @return the started sink
	 * @throws IOException if the port cannot be bound
	 */
	static LoopbackSink start() throws IOException {
		// Without TCP_NODELAY, delayed ACKs cap a request-response loop at about 25 per second.
		System.setProperty("sun.net.httpserver.nodelay", "true");
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
		ExecutorService executor = Executors.newFixedThreadPool(2, (runnable) -> {
			Thread thread = new Thread(runnable, "loopback-sink");
			thread.setDaemon(true);
			return thread;
		});
		server.setExecutor(executor);
		LoopbackSink sink = new LoopbackSink(server, executor);
		server.createContext("/", sink::handle);
		server.start();
		return sink;
	}

	/**
	 * Return the base URL to configure as the Langfuse host.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	long traceRequests() {
		return this.traceRequests.sum();
	}

	/**
	 * Return the body bytes of all trace requests as sent (compressed, if they were).
	 * @return the bytes on the wire, without HTTP headers
	 */
	long traceBytes() {
		return this.traceBytes.sum();
	}

	/**
	 * Return the spans of all well-formed trace requests.
	 * @return the span count
	 */
	long traceSpans() {
		return this.traceSpans.sum();
	}

	long malformedRequests() {
		return this.malformedRequests.sum();
	}

	long otherRequests() {
		return this.otherRequests.sum();
	}

	/**
	 * Print what the sink received.
	 * @param candidate the candidate name to print
	 */
	void report(String candidate) {
		long requests = traceRequests();
		long bytes = traceBytes();
		long spans = traceSpans();
		System.out.printf("%n[%s] sink received %d trace requests, %d bytes (%d bytes/request), %d spans "
				+ "(%.1f bytes/span; %d requests also fully decoded and checked, %d malformed); %d other requests, "
				+ "%d bytes%n", candidate, requests, bytes, (requests > 0) ? bytes / requests : 0, spans,
				(spans > 0) ? (double) bytes / spans : 0.0, this.fullyDecodedRequests.sum(), malformedRequests(),
				otherRequests(), this.otherBytes.sum());
		String problem = this.firstProblem.get();
		if (problem != null) {
			System.out.printf("[%s] first malformed trace request: %s%n", candidate, problem);
		}
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			byte[] body = readAll(exchange.getRequestBody());
			String path = exchange.getRequestURI().getPath();
			int status = 200;
			if (TRACES_PATH.equals(path)) {
				long sequence = this.traceSequence.getAndIncrement();
				this.traceRequests.increment();
				this.traceBytes.add(body.length);
				boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
				try {
					this.traceSpans.add(countSpans(body, gzip, sequence % FULL_DECODE_EVERY == 0));
				}
				catch (IOException | RuntimeException ex) {
					this.malformedRequests.increment();
					this.firstProblem.compareAndSet(null, ex.toString());
					status = 400;
				}
			}
			else {
				this.otherRequests.increment();
				this.otherBytes.add(body.length);
			}
			byte[] response = path.startsWith(PROJECTS_PATH) ? PROJECTS_BODY : EMPTY_JSON;
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(status, response.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(response);
			}
		}
	}

	private int countSpans(byte[] body, boolean gzip, boolean fullDecode) throws IOException {
		if (!fullDecode) {
			return countSpans(gzip ? CodedInputStream.newInstance(new GZIPInputStream(new ByteArrayInputStream(body)))
					: CodedInputStream.newInstance(body));
		}
		byte[] message = gzip ? readAll(new GZIPInputStream(new ByteArrayInputStream(body))) : body;
		int counted = countSpans(CodedInputStream.newInstance(message));
		int checked = check(ExportTraceServiceRequest.parseFrom(message));
		if (checked != counted) {
			throw new IOException("walked " + counted + " spans but parsed " + checked);
		}
		this.fullyDecodedRequests.increment();
		return counted;
	}

	/** Count spans along ExportTraceServiceRequest.resource_spans[].scope_spans[].spans[]. */
	private static int countSpans(CodedInputStream in) throws IOException {
		int spans = 0;
		for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
			if (isMessage(tag, ExportTraceServiceRequest.RESOURCE_SPANS_FIELD_NUMBER)) {
				int resourceSpans = in.pushLimit(in.readRawVarint32());
				for (int inner = in.readTag(); inner != 0; inner = in.readTag()) {
					if (isMessage(inner, ResourceSpans.SCOPE_SPANS_FIELD_NUMBER)) {
						int scopeSpans = in.pushLimit(in.readRawVarint32());
						for (int field = in.readTag(); field != 0; field = in.readTag()) {
							if (isMessage(field, ScopeSpans.SPANS_FIELD_NUMBER)) {
								spans++;
							}
							in.skipField(field);
						}
						in.popLimit(scopeSpans);
					}
					else {
						in.skipField(inner);
					}
				}
				in.popLimit(resourceSpans);
			}
			else {
				in.skipField(tag);
			}
		}
		return spans;
	}

	private static boolean isMessage(int tag, int fieldNumber) {
		return WireFormat.getTagFieldNumber(tag) == fieldNumber
				&& WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
	}

	/** Check what any backend needs of each span and return the number of spans. */
	private static int check(ExportTraceServiceRequest request) throws IOException {
		int spans = 0;
		for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
			for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
				for (Span span : scopeSpans.getSpansList()) {
					if (span.getTraceId().size() != 16 || span.getSpanId().size() != 8 || span.getName().isEmpty()
							|| span.getStartTimeUnixNano() == 0
							|| span.getEndTimeUnixNano() < span.getStartTimeUnixNano()) {
						throw new IOException("incomplete span: " + span.getName());
					}
					spans++;
				}
			}
		}
		return spans;
	}

	private static byte[] readAll(InputStream in) throws IOException {
		try (in) {
			return in.readAllBytes();
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
