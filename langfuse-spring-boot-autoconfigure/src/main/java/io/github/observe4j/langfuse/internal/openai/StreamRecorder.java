package io.github.observe4j.langfuse.internal.openai;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.openai.models.chat.completions.ChatCompletionChunk;
import io.github.observe4j.langfuse.internal.core.LlmCall;
import io.github.observe4j.langfuse.internal.support.TruncationMarker;
import org.jspecify.annotations.Nullable;

/**
 * Records a streamed chat completion from the chunks the user's iteration pulls through: the
 * time of the first chunk, the answer put back together (text and tool calls per choice), the
 * usage of the final chunk, and how the stream ended. Chunks of an async stream arrive on the
 * SDK's threads and its end may be signalled on another, hence the monitor.
 */
final class StreamRecorder {

	/**
	 * Beyond this many characters of one text, the rest of the stream is not kept: capture cuts
	 * strings inside the recorded answer at 16,384 characters anyway, so more would only take
	 * heap for as long as the stream runs.
	 */
	private static final int MAX_TEXT_LENGTH = 65_536;

	private final LlmCall call;

	private final Map<Long, ChoiceState> choices = new TreeMap<>();

	private @Nullable String id;

	private @Nullable String model;

	private @Nullable String finishReason;

	private @Nullable Map<String, Long> usage;

	private boolean started;

	private boolean ended;

	StreamRecorder(LlmCall call) {
		this.call = call;
	}

	/**
	 * Record one chunk as it passes to the user.
	 * @param chunk the chunk
	 */
	synchronized void chunk(ChatCompletionChunk chunk) {
		if (this.ended) {
			return;
		}
		HookGuard.run("stream chunk", () -> {
			if (!this.started) {
				this.started = true;
				this.call.completionStartTime(Instant.now());
			}
			this.id = chunk.id();
			this.model = chunk.model();
			chunk.usage().ifPresent((usage) -> this.usage = ChatCompletionFields.usage(usage));
			for (ChatCompletionChunk.Choice choice : chunk.choices()) {
				this.choices.computeIfAbsent(choice.index(), (index) -> new ChoiceState()).add(choice.delta());
				choice.finishReason().ifPresent((reason) -> {
					if (choice.index() == 0) {
						this.finishReason = reason.asString();
					}
				});
			}
		});
	}

	/**
	 * Record that the stream reached its end.
	 */
	void completed() {
		end(null, null);
	}

	/**
	 * Record that the stream failed.
	 * @param failure why
	 */
	void failed(Throwable failure) {
		end(failure, null);
	}

	/**
	 * Record that the user closed the stream; a warning unless it had reached its end.
	 */
	void closed() {
		end(null, "The stream was closed before its end");
	}

	private void end(@Nullable Throwable failure, @Nullable String incomplete) {
		synchronized (this) {
			if (this.ended) {
				return;
			}
			this.ended = true;
		}
		HookGuard.run("stream output", () -> {
			if (this.model != null) {
				this.call.model(this.model);
			}
			if (!this.choices.isEmpty()) {
				List<Map<String, Object>> messages = new ArrayList<>();
				this.choices.values().forEach((choice) -> messages.add(choice.message()));
				this.call.output(ChatCompletionFields.oneOrAll(messages));
			}
			if (this.usage != null) {
				this.call.usage(this.usage);
			}
			this.call.metadata("id", this.id);
			this.call.metadata("finish_reason", this.finishReason);
		});
		if (failure != null) {
			HookGuard.run("error", () -> this.call.fail(failure));
		}
		else if (incomplete != null) {
			HookGuard.run("warning", () -> this.call.incomplete(incomplete));
		}
		HookGuard.run("end", this.call::end);
	}

	/** One choice of the answer, put back together from its deltas. */
	private static final class ChoiceState {

		private String role = "assistant";

		private final StringBuilder content = new StringBuilder();

		private final StringBuilder refusal = new StringBuilder();

		private final Map<Long, ToolCallState> toolCalls = new TreeMap<>();

		void add(ChatCompletionChunk.Choice.Delta delta) {
			delta.role().ifPresent((role) -> this.role = role.asString());
			delta.content().ifPresent((text) -> append(this.content, text));
			delta.refusal().ifPresent((text) -> append(this.refusal, text));
			delta.toolCalls().ifPresent((calls) -> calls.forEach((call) -> this.toolCalls
				.computeIfAbsent(call.index(), (index) -> new ToolCallState())
				.add(call)));
		}

		Map<String, Object> message() {
			Map<String, Object> message = new LinkedHashMap<>();
			message.put("role", this.role);
			if (this.content.length() > 0 || (this.toolCalls.isEmpty() && this.refusal.length() == 0)) {
				message.put("content", this.content.toString());
			}
			if (this.refusal.length() > 0) {
				message.put("refusal", this.refusal.toString());
			}
			if (!this.toolCalls.isEmpty()) {
				List<Map<String, Object>> calls = new ArrayList<>();
				this.toolCalls.values().forEach((call) -> calls.add(call.toolCall()));
				message.put("tool_calls", calls);
			}
			return message;
		}

	}

	/** One tool call, its arguments arriving in pieces. */
	private static final class ToolCallState {

		private @Nullable String id;

		private String type = "function";

		private @Nullable String name;

		private final StringBuilder arguments = new StringBuilder();

		void add(ChatCompletionChunk.Choice.Delta.ToolCall delta) {
			delta.id().ifPresent((id) -> this.id = id);
			delta.type().ifPresent((type) -> this.type = type.asString());
			delta.function().ifPresent((function) -> {
				function.name().ifPresent((name) -> this.name = name);
				function.arguments().ifPresent((text) -> append(this.arguments, text));
			});
		}

		Map<String, Object> toolCall() {
			Map<String, Object> function = new LinkedHashMap<>();
			if (this.name != null) {
				function.put("name", this.name);
			}
			function.put("arguments", this.arguments.toString());
			Map<String, Object> call = new LinkedHashMap<>();
			if (this.id != null) {
				call.put("id", this.id);
			}
			call.put("type", this.type);
			call.put("function", function);
			return call;
		}

	}

	private static void append(StringBuilder text, String piece) {
		if (text.length() >= MAX_TEXT_LENGTH) {
			return;
		}
		if (text.length() + piece.length() > MAX_TEXT_LENGTH) {
			text.append(piece, 0, MAX_TEXT_LENGTH - text.length()).append(TruncationMarker.WITHOUT_LENGTH);
			return;
		}
		text.append(piece);
	}

}
