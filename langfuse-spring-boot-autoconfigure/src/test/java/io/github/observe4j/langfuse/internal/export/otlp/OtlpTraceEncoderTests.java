package io.github.observe4j.langfuse.internal.export.otlp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.model.ValueSerializer;
import io.github.observe4j.langfuse.internal.model.CapturedArguments;
import io.github.observe4j.langfuse.internal.model.JsonText;
import io.github.observe4j.langfuse.model.ObservationLevel;
import io.github.observe4j.langfuse.internal.export.EncodedBatch;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.internal.model.TraceAttributes;
import io.github.observe4j.langfuse.testsupport.OtlpRequests;
import io.github.observe4j.langfuse.testsupport.TestObservationRecord;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.github.observe4j.langfuse.testsupport.OtlpRequests.attributes;
import static io.github.observe4j.langfuse.testsupport.OtlpRequests.hex;
import static io.github.observe4j.langfuse.testsupport.OtlpRequests.string;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OtlpTraceEncoder}.
 */
@ExtendWith(OutputCaptureExtension.class)
class OtlpTraceEncoderTests {

	private static final int MB = 1024 * 1024;

	private static final JsonMapper json = JsonMapper.builder().build();

	/** Serializes anything that is not simple as an object naming its type, so calls are visible. */
	private static final ValueSerializer serializer = (value, maxChars) -> (value != null)
			? "{\"serialized\":\"" + value.getClass().getSimpleName() + "\"}" : "null";

	private static final OtlpResource resource = new OtlpResource("checkout", "staging", "r42",
			"langfuse-spring-boot-starter", "0.1.0");

	private final OtlpTraceEncoder encoder = new OtlpTraceEncoder(resource, serializer, MB);

	@Test
	void encodesResourceAndScopeOncePerRequest() {
		ExportTraceServiceRequest request = encodeOne(TestObservationRecord.span(), TestObservationRecord.span());
		assertThat(request.getResourceSpansCount()).isOne();
		ResourceSpans resourceSpans = request.getResourceSpans(0);
		Map<String, AnyValue> resourceAttributes = attributes(resourceSpans.getResource().getAttributesList());
		assertThat(resourceAttributes).containsOnlyKeys("service.name", "telemetry.sdk.language", "telemetry.sdk.name",
				"telemetry.sdk.version", "langfuse.environment", "langfuse.release");
		assertThat(resourceAttributes.get("service.name").getStringValue()).isEqualTo("checkout");
		assertThat(resourceAttributes.get("telemetry.sdk.language").getStringValue()).isEqualTo("java");
		assertThat(resourceAttributes.get("telemetry.sdk.name").getStringValue())
			.isEqualTo("langfuse-spring-boot-starter");
		assertThat(resourceAttributes.get("telemetry.sdk.version").getStringValue()).isEqualTo("0.1.0");
		assertThat(resourceAttributes.get("langfuse.environment").getStringValue()).isEqualTo("staging");
		assertThat(resourceAttributes.get("langfuse.release").getStringValue()).isEqualTo("r42");
		assertThat(resourceSpans.getScopeSpansCount()).isOne();
		InstrumentationScope scope = resourceSpans.getScopeSpans(0).getScope();
		assertThat(scope.getName()).isEqualTo("langfuse-sdk-spring-boot");
		assertThat(scope.getVersion()).isEqualTo("0.1.0");
		assertThat(resourceSpans.getScopeSpans(0).getSpansCount()).isEqualTo(2);
	}

	@Test
	void leavesOutUnsetResourceAttributes() {
		OtlpTraceEncoder minimal = new OtlpTraceEncoder(new OtlpResource(null, null, null, "sdk", "1"), serializer,
				MB);
		List<byte[]> requests = minimal.encode(List.of(TestObservationRecord.span()), MB);
		Span span = decodeSpans(requests).get(0);
		ResourceSpans resourceSpans = OtlpRequests.parse(requests.get(0)).getResourceSpans(0);
		assertThat(attributes(resourceSpans.getResource().getAttributesList())).containsOnlyKeys(
				"telemetry.sdk.language", "telemetry.sdk.name", "telemetry.sdk.version");
		assertThat(attributes(span)).containsOnlyKeys("langfuse.observation.type");
	}

	@Test
	void encodesIdsNameKindAndTimes() {
		TestObservationRecord root = TestObservationRecord.named("handle request")
			.traceId(0x0af7651916cd43ddL, 0x8448eb211c80319cL)
			.spanId(0xb7ad6b7169203331L)
			.times(1_700_000_000_123_456_789L, 1_700_000_001_000_000_001L);
		TestObservationRecord child = TestObservationRecord.named("call model")
			.childOf(root)
			.spanId(0x00f067aa0ba902b7L);
		List<Span> spans = decodeSpans(this.encoder.encode(List.of(child, root), MB));
		Span childSpan = spans.get(0);
		Span rootSpan = spans.get(1);
		assertThat(hex(rootSpan.getTraceId())).isEqualTo("0af7651916cd43dd8448eb211c80319c");
		assertThat(hex(rootSpan.getSpanId())).isEqualTo("b7ad6b7169203331");
		assertThat(rootSpan.getParentSpanId().isEmpty()).isTrue();
		assertThat(rootSpan.getName()).isEqualTo("handle request");
		assertThat(rootSpan.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
		assertThat(rootSpan.getStartTimeUnixNano()).isEqualTo(1_700_000_000_123_456_789L);
		assertThat(rootSpan.getEndTimeUnixNano()).isEqualTo(1_700_000_001_000_000_001L);
		assertThat(rootSpan.hasStatus()).isFalse();
		assertThat(hex(childSpan.getTraceId())).isEqualTo("0af7651916cd43dd8448eb211c80319c");
		assertThat(hex(childSpan.getSpanId())).isEqualTo("00f067aa0ba902b7");
		assertThat(hex(childSpan.getParentSpanId())).isEqualTo("b7ad6b7169203331");
		assertThat(childSpan.getName()).isEqualTo("call model");
	}

	@Test
	void encodesTypeAsLowercaseWireValue() {
		List<Span> spans = decodeSpans(this.encoder.encode(
				List.of(TestObservationRecord.span().type(ObservationType.GENERATION),
						TestObservationRecord.span().type(ObservationType.RETRIEVER), TestObservationRecord.span()),
				MB));
		assertThat(spans).extracting((span) -> string(span, "langfuse.observation.type"))
			.containsExactly("generation", "retriever", "span");
	}

	@Test
	void marksTheAppRootUnderARemoteParent() {
		ObservationRecord appRoot = TestObservationRecord.span().parentSpanId(0x1234L).appRoot(true);
		List<Span> spans = decodeSpans(this.encoder.encode(List.of(appRoot, TestObservationRecord.span()), MB));
		assertThat(attributes(spans.get(0)).get("langfuse.internal.is_app_root").getBoolValue()).isTrue();
		assertThat(attributes(spans.get(1))).doesNotContainKey("langfuse.internal.is_app_root");
	}

	@Test
	void encodesInputAndOutputByKind() {
		Span plain = encodeSpan(TestObservationRecord.span().input("plain text, not JSON").output(42));
		assertThat(string(plain, "langfuse.observation.input")).isEqualTo("plain text, not JSON");
		assertThat(string(plain, "langfuse.observation.output")).isEqualTo("42");
		Span jsonText = encodeSpan(TestObservationRecord.span().input(new JsonText("{\"a\": [1, 2]}")).output(true));
		assertThat(string(jsonText, "langfuse.observation.input")).isEqualTo("{\"a\": [1, 2]}");
		assertThat(string(jsonText, "langfuse.observation.output")).isEqualTo("true");
		Span object = encodeSpan(
				TestObservationRecord.span().input(new Object()).output(new ArrayList<>(List.of("x"))));
		assertThat(string(object, "langfuse.observation.input")).isEqualTo("{\"serialized\":\"Object\"}");
		assertThat(string(object, "langfuse.observation.output")).isEqualTo("{\"serialized\":\"ArrayList\"}");
	}

	@Test
	void encodesCapturedArgumentsAsObjectKeyedByName() {
		CapturedArguments arguments = new CapturedArguments(
				new String[] { "question", "limit", "ratio", "strict", "options", "snapshot", "missing", "letter" },
				new Object[] { "What is \"RAG\"?", 5L, 0.25, true, new Object(),
						new JsonText("{\"k\":[1,{\"x\":null}]}"), null, 'c' });
		Span span = encodeSpan(TestObservationRecord.span().input(arguments));
		assertThat(parse(string(span, "langfuse.observation.input"))).isEqualTo(parse("""
				{"question": "What is \\"RAG\\"?", "limit": 5, "ratio": 0.25, "strict": true,
				 "options": {"serialized": "Object"}, "snapshot": {"k": [1, {"x": null}]}, "missing": null,
				 "letter": "c"}"""));
	}

	@Test
	void encodesNonFiniteNumbersAsStringsInJson() {
		CapturedArguments arguments = new CapturedArguments(new String[] { "nan", "inf" },
				new Object[] { Double.NaN, Float.NEGATIVE_INFINITY });
		Span span = encodeSpan(TestObservationRecord.span().input(arguments));
		assertThat(parse(string(span, "langfuse.observation.input")))
			.isEqualTo(parse("{\"nan\": \"NaN\", \"inf\": \"-Infinity\"}"));
	}

	@Test
	void encodesMetadataPerTopLevelKeyWithTypedValues() {
		Span span = encodeSpan(TestObservationRecord.span()
			.metadata("customer", "acme")
			.metadata("retries", 3)
			.metadata("big", 5_000_000_000L)
			.metadata("score", 0.75)
			.metadata("cached", false)
			.metadata("nested", Map.of("a", 1))
			.metadata("ratio", Double.NaN));
		Map<String, AnyValue> attributes = attributes(span);
		assertThat(attributes.get("langfuse.observation.metadata.customer").getStringValue()).isEqualTo("acme");
		assertThat(attributes.get("langfuse.observation.metadata.retries").getIntValue()).isEqualTo(3);
		assertThat(attributes.get("langfuse.observation.metadata.big").getIntValue()).isEqualTo(5_000_000_000L);
		assertThat(attributes.get("langfuse.observation.metadata.score").getDoubleValue()).isEqualTo(0.75);
		assertThat(attributes.get("langfuse.observation.metadata.cached").hasBoolValue()).isTrue();
		assertThat(attributes.get("langfuse.observation.metadata.cached").getBoolValue()).isFalse();
		assertThat(attributes.get("langfuse.observation.metadata.nested").getStringValue())
			.isEqualTo("{\"serialized\":\"Map1\"}");
		assertThat(attributes.get("langfuse.observation.metadata.ratio").getStringValue()).isEqualTo("\"NaN\"");
		assertThat(attributes.values()).noneMatch((value) -> value.hasKvlistValue() || value.hasBytesValue());
	}

	@Test
	void encodesLevelStatusMessageAndVersion() {
		Span span = encodeSpan(TestObservationRecord.span()
			.level(ObservationLevel.WARNING)
			.statusMessage("slow answer")
			.version("v7"));
		assertThat(string(span, "langfuse.observation.level")).isEqualTo("WARNING");
		assertThat(string(span, "langfuse.observation.status_message")).isEqualTo("slow answer");
		assertThat(string(span, "langfuse.version")).isEqualTo("v7");
		assertThat(span.hasStatus()).isFalse();
	}

	@Test
	void encodesFailureAsErrorStatusWithMessage() {
		Span span = encodeSpan(TestObservationRecord.span()
			.failed(true)
			.level(ObservationLevel.ERROR)
			.statusMessage("IllegalStateException: no stock"));
		assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
		assertThat(span.getStatus().getCodeValue()).isEqualTo(2);
		assertThat(span.getStatus().getMessage()).isEqualTo("IllegalStateException: no stock");
		assertThat(string(span, "langfuse.observation.level")).isEqualTo("ERROR");
		Span withoutMessage = encodeSpan(TestObservationRecord.span().failed(true));
		assertThat(withoutMessage.getStatus().getCodeValue()).isEqualTo(2);
		assertThat(withoutMessage.getStatus().getMessage()).isEmpty();
		assertThat(attributes(withoutMessage)).doesNotContainKeys("langfuse.observation.level",
				"langfuse.observation.status_message");
	}

	@Test
	void encodesGenerationFields() {
		Span span = encodeSpan(TestObservationRecord.span()
			.type(ObservationType.GENERATION)
			.model("gpt-4o")
			.modelParameter("temperature", 0.2)
			.modelParameter("max_tokens", 512)
			.modelParameter("stop", List.of("\n"))
			.usage("input", 120)
			.usage("output", 30)
			.usage("total", 150)
			.cost("input", 0.0012)
			.cost("total", 0.002)
			.completionStartTime(Instant.parse("2026-01-02T03:04:05.678Z"))
			.prompt("support-answer", 3));
		Map<String, AnyValue> attributes = attributes(span);
		assertThat(attributes.get("langfuse.observation.model.name").getStringValue()).isEqualTo("gpt-4o");
		assertThat(parse(attributes.get("langfuse.observation.model.parameters").getStringValue()))
			.isEqualTo(parse("{\"temperature\": 0.2, \"max_tokens\": 512, \"stop\": {\"serialized\": \"List12\"}}"));
		JsonNode usage = parse(attributes.get("langfuse.observation.usage_details").getStringValue());
		assertThat(usage).isEqualTo(parse("{\"input\": 120, \"output\": 30, \"total\": 150}"));
		assertThat(usage.get("input").isIntegralNumber()).isTrue();
		JsonNode cost = parse(attributes.get("langfuse.observation.cost_details").getStringValue());
		assertThat(cost.get("input").asDouble()).isEqualTo(0.0012);
		assertThat(cost.get("total").asDouble()).isEqualTo(0.002);
		assertThat(attributes.get("langfuse.observation.completion_start_time").getStringValue())
			.isEqualTo("2026-01-02T03:04:05.678Z");
		assertThat(attributes.get("langfuse.observation.prompt.name").getStringValue()).isEqualTo("support-answer");
		assertThat(attributes.get("langfuse.observation.prompt.version").hasIntValue()).isTrue();
		assertThat(attributes.get("langfuse.observation.prompt.version").getIntValue()).isEqualTo(3);
	}

	@Test
	void putsTraceAttributesOnEverySpan() {
		TraceAttributes trace = new TraceAttributes("checkout flow", "user-1", "session-9", "v2", "r43",
				Map.of("tenant", "acme", "tier", 2), List.of("beta", "eu"), true);
		TestObservationRecord root = TestObservationRecord.named("root").traceAttributes(trace);
		TestObservationRecord child = TestObservationRecord.named("child").childOf(root).traceAttributes(trace);
		TestObservationRecord other = TestObservationRecord.named("other trace")
			.traceId(1, 2)
			.traceAttributes(new TraceAttributes(null, "user-2", null, null, null, Map.of(), List.of(), null));
		List<Span> spans = decodeSpans(this.encoder.encode(List.of(child, root, other), MB));
		for (Span span : spans.subList(0, 2)) {
			Map<String, AnyValue> attributes = attributes(span);
			assertThat(attributes.get("langfuse.trace.name").getStringValue()).isEqualTo("checkout flow");
			assertThat(attributes.get("user.id").getStringValue()).isEqualTo("user-1");
			assertThat(attributes.get("session.id").getStringValue()).isEqualTo("session-9");
			assertThat(attributes.get("langfuse.trace.tags").getArrayValue().getValuesList())
				.extracting(AnyValue::getStringValue)
				.containsExactly("beta", "eu");
			assertThat(attributes.get("langfuse.trace.public").getBoolValue()).isTrue();
			assertThat(attributes.get("langfuse.trace.metadata.tenant").getStringValue()).isEqualTo("acme");
			assertThat(attributes.get("langfuse.trace.metadata.tier").getStringValue()).isEqualTo("2");
			assertThat(attributes.get("langfuse.release").getStringValue()).isEqualTo("r43");
			assertThat(attributes.get("langfuse.environment").getStringValue()).isEqualTo("staging");
			assertThat(attributes.get("langfuse.version").getStringValue()).isEqualTo("v2");
		}
		Map<String, AnyValue> otherAttributes = attributes(spans.get(2));
		assertThat(otherAttributes.get("user.id").getStringValue()).isEqualTo("user-2");
		assertThat(otherAttributes.get("langfuse.release").getStringValue()).isEqualTo("r42");
		assertThat(otherAttributes).doesNotContainKeys("langfuse.trace.name", "session.id", "langfuse.trace.tags",
				"langfuse.trace.public", "langfuse.version");
	}

	@Test
	void leavesOutUnsetAndEmptyValues() {
		Span span = encodeSpan(TestObservationRecord.span()
			.input("")
			.statusMessage("")
			.model("")
			.version(null)
			.traceAttributes(new TraceAttributes("", "", null, null, null, Map.of(), List.of(), null)));
		assertThat(attributes(span)).containsOnlyKeys("langfuse.observation.type", "langfuse.release",
				"langfuse.environment");
	}

	@Test
	void keepsUnicodeControlCharactersAndQuotesIntact() {
		String[] samples = { "caf\u00e9 \u65e5\u672c\u8a9e \u0394", "emoji \ud83d\ude80\ud83e\udd16 and \u2603",
				"quotes \" ' \\ back\\slash", "controls \u0000\u0001\t\n\r\b\f\u001f\u007f end",
				"separators \u2028\u2029", "" + (char) 0xFEFF + "bom" };
		for (String sample : samples) {
			CapturedArguments arguments = new CapturedArguments(new String[] { "text", sample },
					new Object[] { sample, 1 });
			Span span = encodeSpan(TestObservationRecord.named(sample)
				.input(arguments)
				.output(sample)
				.metadata(sample, sample)
				.statusMessage(sample)
				.failed(true));
			assertThat(span.getName()).isEqualTo(sample);
			assertThat(string(span, "langfuse.observation.output")).isEqualTo(sample);
			assertThat(string(span, "langfuse.observation.metadata." + sample)).isEqualTo(sample);
			assertThat(span.getStatus().getMessage()).isEqualTo(sample);
			JsonNode input = parse(string(span, "langfuse.observation.input"));
			assertThat(input.get("text").asString()).isEqualTo(sample);
			assertThat(input.get(sample).asInt()).isEqualTo(1);
		}
	}

	@Test
	void replacesLoneSurrogatesWithReplacementCharacter() {
		String lone = "high \ud83d alone, low \ude80 alone";
		String replaced = "high \ufffd alone, low \ufffd alone";
		CapturedArguments arguments = new CapturedArguments(new String[] { "text" }, new Object[] { lone });
		Span span = encodeSpan(TestObservationRecord.named(lone).input(arguments).output(lone));
		assertThat(span.getName()).isEqualTo(replaced);
		assertThat(string(span, "langfuse.observation.output")).isEqualTo(replaced);
		assertThat(parse(string(span, "langfuse.observation.input")).get("text").asString()).isEqualTo(replaced);
	}

	@Test
	void splitsBatchIntoRequestsWithinSizeLimit() {
		List<TestObservationRecord> batch = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			batch.add(TestObservationRecord.named("span " + i).input("x".repeat(i * 7 % 1500)));
		}
		int maxRequestBytes = 20_000;
		List<byte[]> requests = this.encoder.encode(batch, maxRequestBytes);
		assertThat(requests).hasSizeGreaterThan(5);
		assertThat(requests).allSatisfy((body) -> assertThat(body.length).isLessThanOrEqualTo(maxRequestBytes));
		List<Span> spans = decodeSpans(requests);
		assertThat(spans).extracting(Span::getName)
			.containsExactlyElementsOf(batch.stream().map(ObservationRecord::name).toList());
		Set<String> spanIds = new HashSet<>();
		spans.forEach((span) -> spanIds.add(hex(span.getSpanId())));
		assertThat(spanIds).hasSize(300);
		assertThat(requests).allSatisfy((body) -> assertThat(OtlpRequests.parse(body).getResourceSpans(0)
			.getResource()
			.getAttributesCount()).isEqualTo(6));
	}

	@Test
	void sendsSpanLargerThanRequestLimitAlone() {
		List<TestObservationRecord> batch = List.of(TestObservationRecord.named("small 1"),
				TestObservationRecord.named("huge").input("y".repeat(50_000)), TestObservationRecord.named("small 2"));
		List<byte[]> requests = this.encoder.encode(batch, 10_000);
		assertThat(requests).hasSize(3);
		assertThat(requests).extracting((body) -> decodeSpans(List.of(body)).get(0).getName())
			.containsExactly("small 1", "huge", "small 2");
		assertThat(requests.get(1).length).isGreaterThan(50_000);
	}

	@Test
	void returnsNoRequestForEmptyBatch() {
		assertThat(this.encoder.encode(List.of(), MB)).isEmpty();
	}

	@Test
	void givesSameBytesWhenEncodingTwice() {
		List<TestObservationRecord> batch = List.of(TestObservationRecord.span().input("a".repeat(200_000)),
				TestObservationRecord.span().metadata("k", "v"));
		List<byte[]> first = this.encoder.encode(batch, MB);
		List<byte[]> second = this.encoder.encode(batch, MB);
		assertThat(second).hasSameSizeAs(first);
		for (int i = 0; i < first.size(); i++) {
			assertThat(second.get(i)).isEqualTo(first.get(i));
		}
	}

	@Test
	void cutsLargeInputAndKeepsSmallerOutput(CapturedOutput output) {
		String input = "i".repeat(3 * MB);
		String smallOutput = "o".repeat(10_000);
		Span span = encodeSpan(TestObservationRecord.named("big input").input(input).output(smallOutput));
		String encodedInput = string(span, "langfuse.observation.input");
		assertThat(encodedInput).startsWith("iiii")
			.endsWith("...[truncated by langfuse-spring-boot-starter, " + (3 * MB) + " chars in total]");
		assertThat(encodedInput.length() + smallOutput.length()).isLessThanOrEqualTo(MB)
			.isGreaterThan(MB - 100);
		assertThat(string(span, "langfuse.observation.output")).isEqualTo(smallOutput);
		assertThat(this.encoder.truncatedCount()).isOne();
		assertThat(output).contains("Observation 'big input' (trace 0123456789abcdeffedcba9876543210, observation")
			.contains("is larger than " + MB + " bytes; its largest values were cut to fit");
	}

	@Test
	void cutsLargestValueFirstWhenInputAndOutputAreHuge(CapturedOutput output) {
		String input = "i".repeat(3 * MB);
		String hugeOutput = "o".repeat(2 * MB);
		Span span = encodeSpan(TestObservationRecord.span().input(input).output(hugeOutput).metadata("note", "small"));
		String encodedInput = string(span, "langfuse.observation.input");
		String encodedOutput = string(span, "langfuse.observation.output");
		assertThat(encodedInput).endsWith("chars in total]").contains(String.valueOf(3 * MB));
		assertThat(encodedOutput).endsWith("chars in total]").contains(String.valueOf(2 * MB));
		assertThat(encodedInput.length() + encodedOutput.length() + "small".length()).isLessThanOrEqualTo(MB);
		assertThat(string(span, "langfuse.observation.metadata.note")).isEqualTo("small");
		assertThat(this.encoder.truncatedCount()).isOne();
		assertThat(output).contains("Observation 'test' (trace 0123456789abcdeffedcba9876543210")
			.contains("is larger than " + MB + " bytes");
	}

	@Test
	void cutsOnlyTheLargestWhenThatIsEnough(CapturedOutput output) {
		OtlpTraceEncoder small = new OtlpTraceEncoder(resource, serializer, 1000);
		Span span = decodeSpans(small.encode(List.of(TestObservationRecord.span()
			.input("i".repeat(900))
			.output("o".repeat(300))
			.metadata("m", "m".repeat(200))), MB)).get(0);
		String encodedInput = string(span, "langfuse.observation.input");
		assertThat(encodedInput).startsWith("iii").endsWith("900 chars in total]");
		assertThat(encodedInput.length()).isEqualTo(500);
		assertThat(string(span, "langfuse.observation.output")).hasSize(300);
		assertThat(string(span, "langfuse.observation.metadata.m")).hasSize(200);
		assertThat(small.truncatedCount()).isOne();
		assertThat(output).contains("Observation 'test' (trace 0123456789abcdeffedcba9876543210")
			.contains("is larger than 1000 bytes; its largest values were cut to fit");
	}

	@Test
	void measuresSizeInUtf8Bytes(CapturedOutput output) {
		OtlpTraceEncoder small = new OtlpTraceEncoder(resource, serializer, 1000);
		Span span = decodeSpans(small.encode(List.of(TestObservationRecord.span().input("\u00e9".repeat(600))), MB))
			.get(0);
		String encodedInput = string(span, "langfuse.observation.input");
		assertThat(encodedInput).startsWith("\u00e9\u00e9").endsWith("600 chars in total]");
		assertThat(encodedInput.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1000);
		assertThat(small.truncatedCount()).isOne();
		assertThat(output).contains("is larger than 1000 bytes; its largest values were cut to fit");
	}

	@Test
	void warnsAboutTruncationAtMostOnceAMinute(CapturedOutput output) {
		OtlpTraceEncoder small = new OtlpTraceEncoder(resource, serializer, 1000);
		small.encode(List.of(TestObservationRecord.named("first big").input("x".repeat(2000)),
				TestObservationRecord.named("second big").output("y".repeat(2000))), MB);
		small.encode(List.of(TestObservationRecord.named("third big").input("z".repeat(2000))), MB);
		assertThat(small.truncatedCount()).isEqualTo(3);
		assertThat(output.getOut().lines().filter((line) -> line.contains("WARN")))
			.singleElement()
			.asString()
			.contains("'first big'", "0123456789abcdeffedcba9876543210", "1000 bytes");
	}

	@Test
	void doesNotCountObservationsWithinLimit() {
		encodeSpan(TestObservationRecord.span().input("x".repeat(MB - 10)));
		assertThat(this.encoder.truncatedCount()).isZero();
	}

	@Test
	void encodesWhatItCanOfRecordWithFailingGetters(CapturedOutput output) {
		TestObservationRecord good = TestObservationRecord.named("good");
		ObservationRecord broken = new FailingRecord(TestObservationRecord.named("broken").input("fine"), false);
		List<Span> spans = decodeSpans(this.encoder.encode(List.of(good, broken, TestObservationRecord.named("after")),
				MB));
		assertThat(spans).extracting(Span::getName).containsExactly("good", "broken", "after");
		Span brokenSpan = spans.get(1);
		assertThat(string(brokenSpan, "langfuse.observation.input")).isEqualTo("fine");
		assertThat(string(brokenSpan, "langfuse.observation.output"))
			.isEqualTo("<unavailable: IllegalStateException>");
		assertThat(attributes(brokenSpan)).containsKey("langfuse.observation.metadata.before")
			.doesNotContainKey("langfuse.observation.model.name");
		assertThat(this.encoder.unencodableCount()).isZero();
		// Once a minute, on one line; the output, model and metadata failures after it at debug level
		assertThat(output.getOut().lines().filter((line) -> line.contains("WARN"))).singleElement()
			.asString()
			.contains("Could not read output of an observation for Langfuse (IllegalStateException: output"
					+ " exploded); exporting it without that value");
		assertThat(output).doesNotContain("\tat ");
	}

	@Test
	void leavesOutRecordWhoseIdsCannotBeRead(CapturedOutput output) {
		ObservationRecord broken = new FailingRecord(TestObservationRecord.named("broken"), true);
		List<Span> spans = decodeSpans(
				this.encoder.encode(List.of(TestObservationRecord.named("good"), broken), MB));
		assertThat(spans).extracting(Span::getName).containsExactly("good");
		assertThat(this.encoder.unencodableCount()).isOne();
		assertThat(output).contains("Could not read ids of an observation for Langfuse (IllegalStateException: no id)");
	}

	@Test
	void saysWhichRecordsEachRequestCarriesAndWhichWereLeftOut(CapturedOutput output) {
		ObservationRecord good = TestObservationRecord.named("good");
		ObservationRecord broken = new FailingRecord(TestObservationRecord.named("broken"), true);
		ObservationRecord after = TestObservationRecord.named("after");
		EncodedBatch encoded = this.encoder.encodeBatch(List.of(good, broken, after), MB);
		assertThat(encoded.requests()).singleElement()
			.satisfies((request) -> assertThat(request.records()).containsExactly(good, after));
		assertThat(encoded.leftOut()).containsExactly(broken);
		assertThat(encoded.recordCount()).isEqualTo(3);
		assertThat(output).contains("Could not read ids of an observation for Langfuse");
	}

	@Test
	void splitsInOnePassAndEachRequestNamesItsRecords() {
		List<ObservationRecord> batch = new ArrayList<>();
		for (int i = 0; i < 64; i++) {
			batch.add(TestObservationRecord.named("big-" + i).input("x".repeat(20_000)));
		}
		EncodedBatch encoded = this.encoder.encodeBatch(batch, 64 * 1024);
		assertThat(encoded.requests()).hasSizeGreaterThan(16).allSatisfy((request) -> {
			assertThat(request.body().length).isLessThanOrEqualTo(64 * 1024);
			assertThat(decodeSpans(List.of(request.body()))).extracting(Span::getName)
				.containsExactlyElementsOf(request.records().stream().map(ObservationRecord::name).toList());
		});
		assertThat(encoded.recordCount()).isEqualTo(64);
	}

	@Test
	void survivesSerializerThatThrows() {
		OtlpTraceEncoder withBrokenSerializer = new OtlpTraceEncoder(resource, (value, maxChars) -> {
			throw new IllegalStateException("broken serializer");
		}, MB);
		List<byte[]> requests = withBrokenSerializer.encode(List.of(TestObservationRecord.span().input(new Object())),
				MB);
		Span span = decodeSpans(requests).get(0);
		assertThat(string(span, "langfuse.observation.input"))
			.isEqualTo("\"<unserializable java.lang.Object: IllegalStateException>\"");
	}

	private Span encodeSpan(ObservationRecord record) {
		List<Span> spans = decodeSpans(this.encoder.encode(List.of(record), 5 * MB));
		assertThat(spans).hasSize(1);
		return spans.get(0);
	}

	private ExportTraceServiceRequest encodeOne(ObservationRecord... records) {
		List<byte[]> requests = this.encoder.encode(List.of(records), 5 * MB);
		assertThat(requests).hasSize(1);
		return OtlpRequests.parse(requests.get(0));
	}

	private static List<Span> decodeSpans(List<byte[]> requests) {
		return OtlpRequests.spans(requests);
	}

	private static JsonNode parse(String text) {
		return json.readTree(text);
	}

	/**
	 * A record whose output, model and metadata iteration fail, and optionally its ids too.
	 */
	private static final class FailingRecord implements ObservationRecord {

		private final TestObservationRecord delegate;

		private final boolean failIds;

		FailingRecord(TestObservationRecord delegate, boolean failIds) {
			this.delegate = delegate;
			this.failIds = failIds;
		}

		@Override
		public long traceIdHigh() {
			return this.delegate.traceIdHigh();
		}

		@Override
		public long traceIdLow() {
			return this.delegate.traceIdLow();
		}

		@Override
		public long spanId() {
			if (this.failIds) {
				throw new IllegalStateException("no id");
			}
			return this.delegate.spanId();
		}

		@Override
		public long parentSpanId() {
			return this.delegate.parentSpanId();
		}

		@Override
		public long startEpochNanos() {
			return this.delegate.startEpochNanos();
		}

		@Override
		public long endEpochNanos() {
			return this.delegate.endEpochNanos();
		}

		@Override
		public String name() {
			return this.delegate.name();
		}

		@Override
		public ObservationType type() {
			return this.delegate.type();
		}

		@Override
		public Object input() {
			return this.delegate.input();
		}

		@Override
		public Object output() {
			throw new IllegalStateException("output exploded");
		}

		@Override
		public Map<String, Object> metadata() {
			// Iteration fails after the first entry
			return new java.util.AbstractMap<>() {

				@Override
				public Set<Entry<String, Object>> entrySet() {
					return new java.util.AbstractSet<>() {

						@Override
						public java.util.Iterator<Entry<String, Object>> iterator() {
							return new java.util.Iterator<>() {

								private boolean first = true;

								@Override
								public boolean hasNext() {
									return true;
								}

								@Override
								public Entry<String, Object> next() {
									if (this.first) {
										this.first = false;
										return Map.entry("before", "ok");
									}
									throw new java.util.ConcurrentModificationException();
								}

							};
						}

						@Override
						public int size() {
							return 2;
						}

					};
				}

			};
		}

		@Override
		public ObservationLevel level() {
			return this.delegate.level();
		}

		@Override
		public String statusMessage() {
			return this.delegate.statusMessage();
		}

		@Override
		public boolean failed() {
			return this.delegate.failed();
		}

		@Override
		public String version() {
			return this.delegate.version();
		}

		@Override
		public String model() {
			throw new UnsupportedOperationException("model exploded");
		}

		@Override
		public Map<String, Object> modelParameters() {
			return this.delegate.modelParameters();
		}

		@Override
		public Map<String, Long> usageDetails() {
			return this.delegate.usageDetails();
		}

		@Override
		public Map<String, Double> costDetails() {
			return this.delegate.costDetails();
		}

		@Override
		public Instant completionStartTime() {
			return this.delegate.completionStartTime();
		}

		@Override
		public String promptName() {
			return this.delegate.promptName();
		}

		@Override
		public Integer promptVersion() {
			return this.delegate.promptVersion();
		}

		@Override
		public TraceAttributes traceAttributes() {
			return this.delegate.traceAttributes();
		}

	}

}
