package io.github.observe4j.langfuse.internal.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.model.JsonText;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.model.ObservationLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LlmCalls}: where a framework call lands (child, root, folded into the
 * enclosing generation) and what folding keeps of what the user set.
 */
class LlmCallsTests {

	private final List<ObservationRecord> exported = new CopyOnWriteArrayList<>();

	private final LangfuseTracer tracer = new LangfuseTracer(
			TracerSettings.defaults("http://localhost:3000", (value, max) -> "\"" + value + "\""), this.exported::add);

	private final LlmCalls calls = new LlmCalls(this.tracer, true);

	@AfterEach
	void nothingLeftOnTheTestThread() {
		ObservationContextHolder.swap(null);
	}

	@Test
	void callOutsideAnyObservationIsTheRootOfANewTrace() {
		LlmCall call = this.calls.start("chat gpt-4o", ObservationType.GENERATION, null, false);
		call.model("gpt-4o");
		call.usage(Map.of("input", 11, "output", 7, "total", 18));
		call.end();
		assertThat(this.exported).singleElement().satisfies((record) -> {
			assertThat(record.parentSpanId()).isZero();
			assertThat(record.type()).isEqualTo(ObservationType.GENERATION);
			assertThat(record.model()).isEqualTo("gpt-4o");
			assertThat(record.usageDetails()).containsEntry("input", 11L).containsEntry("total", 18L);
		});
	}

	@Test
	void callInsideASpanIsItsChildAndDoesNotBecomeCurrent() {
		LangfuseSpan outer = this.tracer.startObservation("outer", ObservationType.SPAN);
		ObservationContextHolder.swap(outer);
		LlmCall call = this.calls.start("chat", ObservationType.GENERATION, null, false);
		assertThat(ObservationContextHolder.get()).isSameAs(outer);
		call.end();
		this.tracer.endObservation(outer);
		ObservationRecord chat = record("chat");
		assertThat(chat.parentSpanId()).isEqualTo(outer.spanId());
		assertThat(chat.traceIdLow()).isEqualTo(outer.traceIdLow());
	}

	@Test
	void callEndedOnAnotherThreadStaysInTheParentGivenAtStart() throws Exception {
		LangfuseSpan outer = this.tracer.startObservation("outer", ObservationType.SPAN);
		LlmCall call = this.calls.start("stream", ObservationType.GENERATION, outer, true);
		this.tracer.endObservation(outer);
		Thread other = new Thread(() -> {
			call.output("late answer");
			call.end();
		});
		other.start();
		other.join(5000);
		ObservationRecord stream = record("stream");
		assertThat(stream.parentSpanId()).isEqualTo(outer.spanId());
		assertThat(stream.output()).isEqualTo("late answer");
	}

	@Test
	void chatInsideAGenerationIsFoldedIntoItWithUsageAddedUp() {
		LangfuseSpan generation = this.tracer.startObservation("tellStory", ObservationType.GENERATION);
		generation.captureInput(this.tracer.captureArguments(new String[] { "topic" }, new Object[] { "cats" }));
		ObservationContextHolder.swap(generation);
		for (int round = 1; round <= 2; round++) {
			LlmCall call = this.calls.start("chat", ObservationType.GENERATION, null, false);
			call.model("gpt-4o");
			call.modelParameters(Map.of("temperature", 0.5));
			call.input(List.of(Map.of("role", "user", "content", "round " + round)));
			call.output("answer " + round);
			call.usage(Map.of("input", 10, "output", 5));
			call.completionStartTime(Instant.ofEpochSecond(100 - round));
			assertThat(call.context()).isSameAs(generation);
			call.end();
		}
		generation.captureOutput("the method's return value");
		this.tracer.endObservation(generation);
		assertThat(this.exported).singleElement().satisfies((record) -> {
			assertThat(record.model()).isEqualTo("gpt-4o");
			assertThat(record.modelParameters()).containsEntry("temperature", 0.5);
			assertThat(record.usageDetails()).containsEntry("input", 20L).containsEntry("output", 10L);
			assertThat(record.completionStartTime()).isEqualTo(Instant.ofEpochSecond(98));
			assertThat(((JsonText) record.input()).json()).contains("round 2");
			assertThat(record.output()).isEqualTo("answer 2");
		});
	}

	@Test
	void foldingKeepsWhatTheUserSet() {
		LangfuseSpan generation = this.tracer.startObservation("tellStory", ObservationType.GENERATION);
		generation.model("user-model").input("user input").output("user output");
		generation.modelParameters(Map.of("temperature", 0.1));
		ObservationContextHolder.swap(generation);
		LlmCall call = this.calls.start("chat", ObservationType.GENERATION, null, false);
		call.model("gpt-4o");
		call.modelParameters(Map.of("temperature", 0.9, "maxTokens", 100));
		call.input("framework input");
		call.output("framework output");
		call.end();
		generation.usageDetails(Map.of("input", 3));
		this.tracer.endObservation(generation);
		assertThat(this.exported).singleElement().satisfies((record) -> {
			assertThat(record.model()).isEqualTo("user-model");
			assertThat(record.modelParameters()).containsEntry("temperature", 0.1).containsEntry("maxTokens", 100);
			assertThat(record.input()).isEqualTo("user input");
			assertThat(record.output()).isEqualTo("user output");
			assertThat(record.usageDetails()).as("usage the user copied by hand replaces, never doubles")
				.containsEntry("input", 3L);
		});
	}

	@Test
	void streamInsideAGenerationIsNestedAsItOutlivesTheMethod() {
		LangfuseSpan generation = this.tracer.startObservation("tellStory", ObservationType.GENERATION);
		ObservationContextHolder.swap(generation);
		LlmCall call = this.calls.start("chat", ObservationType.GENERATION, null, true);
		assertThat(call.context()).isNotSameAs(generation);
		ObservationContextHolder.swap(null);
		this.tracer.endObservation(generation);
		call.incomplete("cancelled");
		call.end();
		ObservationRecord stream = this.exported.stream()
			.filter((record) -> record.parentSpanId() == generation.spanId())
			.findFirst()
			.orElseThrow();
		assertThat(stream.level()).isEqualTo(ObservationLevel.WARNING);
		assertThat(stream.statusMessage()).isEqualTo("cancelled");
	}

	@Test
	void nestingModeNeverFolds() {
		LlmCalls nesting = new LlmCalls(this.tracer, false);
		LangfuseSpan generation = this.tracer.startObservation("tellStory", ObservationType.GENERATION);
		ObservationContextHolder.swap(generation);
		LlmCall call = nesting.start("chat", ObservationType.GENERATION, null, false);
		call.fail(new IllegalStateException("quota"));
		call.end();
		ObservationContextHolder.swap(null);
		this.tracer.endObservation(generation);
		ObservationRecord chat = record("chat");
		assertThat(chat.parentSpanId()).isEqualTo(generation.spanId());
		assertThat(chat.level()).isEqualTo(ObservationLevel.ERROR);
		assertThat(chat.statusMessage()).contains("quota");
	}

	@Test
	void aModelCallSeenByTwoIntegrationsIsOneGenerationWithItsUsageOnce() {
		LlmCalls nesting = new LlmCalls(this.tracer, false);
		LlmCall outer = nesting.start("chat gpt-4o", ObservationType.GENERATION, null, false);
		ObservationContextHolder.swap(outer.context());
		LlmCall inner = nesting.start("OpenAI-generation", ObservationType.GENERATION, null, true);
		inner.model("gpt-4o-2024-08-06");
		inner.usage(Map.of("input", 11, "output", 7));
		inner.end();
		ObservationContextHolder.swap(null);
		outer.usage(Map.of("input", 11, "output", 7));
		outer.end();
		assertThat(this.exported).singleElement().satisfies((record) -> {
			assertThat(record.name()).isEqualTo("chat gpt-4o");
			assertThat(record.model()).isEqualTo("gpt-4o-2024-08-06");
			assertThat(record.usageDetails()).containsEntry("input", 11L).containsEntry("output", 7L);
		});
	}

	@Test
	void captureSwitchesApplyToFrameworkCalls() {
		LangfuseTracer quiet = new LangfuseTracer(new TracerSettings("http://localhost:3000", null, 1.0, false, false,
				(value, max) -> "null", 1000, 10, 10), this.exported::add);
		LlmCall call = new LlmCalls(quiet, true).start("chat", ObservationType.GENERATION, null, false);
		call.input("secret prompt");
		call.output("secret answer");
		call.model("gpt-4o");
		call.end();
		assertThat(this.exported).singleElement().satisfies((record) -> {
			assertThat(record.input()).isNull();
			assertThat(record.output()).isNull();
			assertThat(record.model()).isEqualTo("gpt-4o");
		});
	}

	private ObservationRecord record(String name) {
		return this.exported.stream().filter((record) -> record.name().equals(name)).findFirst().orElseThrow();
	}

}
