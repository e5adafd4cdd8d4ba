package io.github.observe4j.langfuse.internal.openai;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.github.observe4j.langfuse.internal.core.LlmCall;
import io.github.observe4j.langfuse.internal.core.ObservationContext;
import io.github.observe4j.langfuse.testsupport.FakeOpenAiServer;
import io.github.observe4j.langfuse.testsupport.FakeOpenAiServer.Reply;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A recording step that throws cannot fail the SDK call nor change what it returns or throws:
 * the failure is logged, throttled, and the call goes on.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailingHookTests {

	private static final ChatCompletionCreateParams PARAMS = ChatCompletionCreateParams.builder()
		.model("gpt-4o-mini")
		.addUserMessage("Hi")
		.build();

	private final FakeOpenAiServer openAi = FakeOpenAiServer.start();

	private final OpenAIClient raw = OpenAIOkHttpClient.builder()
		.baseUrl(this.openAi.baseUrl() + "/v1")
		.apiKey("test")
		.maxRetries(0)
		.build();

	@AfterEach
	void stop() {
		this.raw.close();
		this.openAi.close();
	}

	@Test
	void callWhoseEveryRecordingStepThrowsStillWorksUnchanged(CapturedOutput output) throws Exception {
		OpenAIClient client = ObservingHandler.wrap(OpenAIClient.class, this.raw,
				new ChatCompletionObserver((streaming) -> new ThrowingCall()));

		ChatCompletion completion = client.chat().completions().create(PARAMS);
		assertThat(completion.choices().get(0).message().content()).contains("Hello world");

		this.openAi.enqueue(Reply.text("Streamed answer", 3, 2));
		StringBuilder streamed = new StringBuilder();
		try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(PARAMS)) {
			stream.stream()
				.forEach((chunk) -> chunk.choices()
					.forEach((choice) -> choice.delta().content().ifPresent(streamed::append)));
		}
		assertThat(streamed).hasToString("Streamed answer");

		this.openAi.enqueue(Reply.error(400, "Bad request"));
		assertThat(catchThrowable(() -> client.chat().completions().create(PARAMS)))
			.isInstanceOf(BadRequestException.class)
			.hasMessageContaining("Bad request");

		CompletableFuture<ChatCompletion> future = client.async().chat().completions().create(PARAMS);
		assertThat(future.get(10, TimeUnit.SECONDS).choices().get(0).message().content()).contains("Hello world");

		List<ChatCompletionChunk> chunks = new ArrayList<>();
		CompletableFuture<Optional<Throwable>> done = new CompletableFuture<>();
		client.async().chat().completions().createStreaming(PARAMS).subscribe(new AsyncStreamResponse.Handler<>() {

			@Override
			public void onNext(ChatCompletionChunk chunk) {
				chunks.add(chunk);
			}

			@Override
			public void onComplete(Optional<Throwable> error) {
				done.complete(error);
			}

		});
		assertThat(done.get(10, TimeUnit.SECONDS)).isEmpty();
		assertThat(chunks).hasSize(4);

		assertThat(output).contains("Langfuse could not record the OpenAI call's model: IllegalStateException: hook failure",
				"Langfuse could not record the OpenAI call's input", "Langfuse could not record the OpenAI call's output",
				"Langfuse could not record the OpenAI call's usage", "Langfuse could not record the OpenAI call's error",
				"Langfuse could not record the OpenAI call's stream chunk",
				"Langfuse could not record the OpenAI call's end");
		// throttled: once per step, however many calls failed at it
		assertThat(output.toString().split("call's model:", -1)).hasSize(2);
	}

	@Test
	void starterThatThrowsLeavesTheCallUnrecordedAndUnchanged(CapturedOutput output) {
		OpenAIClient client = ObservingHandler.wrap(OpenAIClient.class, this.raw,
				new ChatCompletionObserver((streaming) -> {
					throw new IllegalStateException("no tracer");
				}));
		ChatCompletion completion = client.chat().completions().create(PARAMS);
		assertThat(completion.choices().get(0).message().content()).contains("Hello world");
		try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(PARAMS)) {
			assertThat(stream).isNotInstanceOf(ObservedStreamResponse.class);
			assertThat(stream.stream().count()).isEqualTo(4);
		}
		assertThat(output).contains("Langfuse could not record the OpenAI call's start: IllegalStateException: no tracer");
	}

	/** A call whose every method throws. */
	private static final class ThrowingCall implements LlmCall {

		private static IllegalStateException failure() {
			return new IllegalStateException("hook failure");
		}

		@Override
		public void input(@Nullable Object input) {
			throw failure();
		}

		@Override
		public void output(@Nullable Object output) {
			throw failure();
		}

		@Override
		public void model(@Nullable String model) {
			throw failure();
		}

		@Override
		public void modelParameters(Map<String, ?> parameters) {
			throw failure();
		}

		@Override
		public void usage(Map<String, ? extends Number> usage) {
			throw failure();
		}

		@Override
		public void metadata(String key, @Nullable Object value) {
			throw failure();
		}

		@Override
		public void completionStartTime(@Nullable Instant time) {
			throw failure();
		}

		@Override
		public void fail(Throwable error) {
			throw failure();
		}

		@Override
		public void incomplete(String message) {
			throw failure();
		}

		@Override
		public void end() {
			throw failure();
		}

		@Override
		public ObservationContext context() {
			throw failure();
		}

	}

}
