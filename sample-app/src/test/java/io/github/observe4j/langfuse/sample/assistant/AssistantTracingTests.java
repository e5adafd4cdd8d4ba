package io.github.observe4j.langfuse.sample.assistant;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.test.AutoConfigureLangfuseRecorder;
import io.github.observe4j.langfuse.test.LangfuseAssertions;
import io.github.observe4j.langfuse.test.LangfuseRecorder;
import io.github.observe4j.langfuse.test.RecordedObservation;
import io.github.observe4j.langfuse.test.RecordedTrace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The assistant over real HTTP, with Spring AI's OpenAI model talking to the loopback stub: the
 * starter must record the {@code ChatClient} tool loop and the stream under the observed service
 * methods, with no tracing code in the application.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureLangfuseRecorder
class AssistantTracingTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String GENERATION = "chat gpt-4o-mini";

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private LangfuseRecorder recorder;

	@BeforeEach
	void forgetEarlierCalls() {
		this.recorder.clear();
	}

	@Test
	void aQuestionIsOneTraceWithAGenerationTheToolAndASecondGeneration() throws Exception {
		HttpResponse<String> response = get("/api/assistant?question=" + encode("a fable about a fox"));
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = JSON.readTree(response.body());
		String answer = body.path("answer").asString();
		// the stub called the tool with the question, then answered with what the tool found
		assertThat(answer).startsWith("Here is what I found: The Fox and the Grapes: It is easy to despise");
		assertThat(body.path("traceId").asString()).hasSize(32);
		// root, chat_client, two generations, the tool and the retriever it calls
		assertThat(this.recorder.awaitObservations(6, Duration.ofSeconds(10))).isTrue();
		LangfuseAssertions.assertThat(this.recorder)
			.singleTrace()
			.hasRootNamed("askAssistant")
			.hasObservationCount(6)
			.observation("chat_client")
			.isOfType(ObservationType.CHAIN)
			.hasParent("askAssistant")
			.hasOutputContaining(answer);
		RecordedTrace trace = this.recorder.trace("askAssistant").orElseThrow();
		assertThat(trace.id()).isEqualTo(body.path("traceId").asString());
		List<RecordedObservation> generations = generations(trace);
		assertThat(generations).hasSize(2);
		RecordedObservation first = generations.get(0);
		RecordedObservation second = generations.get(1);
		RecordedObservation tool = trace.observation("findFable").orElseThrow();
		LangfuseAssertions.assertThat(trace)
			.observation("findFable")
			.isOfType(ObservationType.TOOL)
			.hasParent("chat_client")
			.hasInputContaining("a fable about a fox")
			.hasOutputContaining("The Fox and the Grapes");
		LangfuseAssertions.assertThat(trace)
			.observation("findInspiration")
			.isOfType(ObservationType.RETRIEVER)
			.hasParent("findFable");
		assertThat(generations).allSatisfy((generation) -> {
			assertThat(generation.type()).isEqualTo(ObservationType.GENERATION);
			assertThat(trace.parentOf(generation).orElseThrow().name()).isEqualTo("chat_client");
			assertThat(generation.model()).isEqualTo("gpt-4o-mini");
			assertUsage(generation);
		});
		assertThat(first.output()).contains("findFable").contains("a fable about a fox");
		assertThat(first.endTime()).isBeforeOrEqualTo(tool.startTime());
		assertThat(tool.endTime()).isBeforeOrEqualTo(second.startTime());
		assertThat(second.input()).contains("The Fox and the Grapes");
		assertThat(second.output()).contains(answer);
		// the stub counts the answer's words as its completion tokens
		assertThat(second.usage()).containsEntry("output", (long) answer.split(" ").length);
	}

	@Test
	void aStreamedAnswerIsAGenerationWithTheWholeAnswer() throws Exception {
		HttpResponse<String> response = get("/api/assistant/stream?question=" + encode("why be patient"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		List<String> pieces = response.body()
			.lines()
			.filter((line) -> line.startsWith("data:"))
			.map((line) -> line.substring("data:".length()))
			.toList();
		assertThat(pieces).hasSizeGreaterThan(1);
		String answer = String.join("", pieces);
		assertThat(answer).startsWith("For why be patient the fable to read is");
		// root, chat_client and the generation
		assertThat(this.recorder.awaitObservations(3, Duration.ofSeconds(10))).isTrue();
		LangfuseAssertions.assertThat(this.recorder)
			.singleTrace()
			.hasRootNamed("streamAssistant")
			.hasObservationCount(3)
			.observation(GENERATION)
			.isGeneration()
			.hasParent("chat_client")
			.hasModel("gpt-4o-mini")
			.hasInputContaining("why be patient")
			.hasOutputContaining(answer);
		RecordedObservation generation = generations(this.recorder.trace("streamAssistant").orElseThrow()).get(0);
		assertThat(generation.modelParameters()).containsEntry("stream", "true");
		assertUsage(generation);
		assertThat(generation.usage()).containsEntry("output", (long) answer.split(" ").length);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

	private static List<RecordedObservation> generations(RecordedTrace trace) {
		return trace.observations()
			.stream()
			.filter((observation) -> observation.name().equals(GENERATION))
			.sorted(Comparator.comparing(RecordedObservation::startTime))
			.toList();
	}

	private static void assertUsage(RecordedObservation generation) {
		Map<String, Long> usage = generation.usage();
		assertThat(usage.get("input")).as("input tokens of %s", generation.name()).isPositive();
		assertThat(usage.get("output")).as("output tokens of %s", generation.name()).isPositive();
		assertThat(usage).containsEntry("total", usage.get("input") + usage.get("output"));
	}

}
