package io.github.observe4j.langfuse.internal.openai;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import com.openai.core.http.AsyncStreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;

/**
 * An {@link AsyncStreamResponse} whose subscriber sees the SDK's chunks unchanged while each one
 * is recorded; the call ends with the subscriber's completion, or when the user closes the
 * response first. The call is ended before the subscriber hears of the end.
 */
final class ObservedAsyncStreamResponse implements AsyncStreamResponse<ChatCompletionChunk> {

	private final AsyncStreamResponse<ChatCompletionChunk> target;

	private final StreamRecorder recorder;

	ObservedAsyncStreamResponse(AsyncStreamResponse<ChatCompletionChunk> target, StreamRecorder recorder) {
		this.target = target;
		this.recorder = recorder;
	}

	@Override
	public AsyncStreamResponse<ChatCompletionChunk> subscribe(Handler<? super ChatCompletionChunk> handler) {
		this.target.subscribe(new ObservingHandler(handler, this.recorder));
		return this;
	}

	@Override
	public AsyncStreamResponse<ChatCompletionChunk> subscribe(Handler<? super ChatCompletionChunk> handler,
			Executor executor) {
		this.target.subscribe(new ObservingHandler(handler, this.recorder), executor);
		return this;
	}

	@Override
	public CompletableFuture<Void> onCompleteFuture() {
		return this.target.onCompleteFuture();
	}

	@Override
	public void close() {
		// recorded first: closing may end the stream on the SDK's side, which is no completion
		try {
			this.recorder.closed();
		}
		finally {
			this.target.close();
		}
	}

	@Override
	public String toString() {
		return this.target.toString();
	}

	/** Records each chunk before the user's handler sees it, and the end after. */
	private static final class ObservingHandler implements Handler<ChatCompletionChunk> {

		private final Handler<? super ChatCompletionChunk> handler;

		private final StreamRecorder recorder;

		ObservingHandler(Handler<? super ChatCompletionChunk> handler, StreamRecorder recorder) {
			this.handler = handler;
			this.recorder = recorder;
		}

		@Override
		public void onNext(ChatCompletionChunk chunk) {
			this.recorder.chunk(chunk);
			this.handler.onNext(chunk);
		}

		@Override
		public void onComplete(Optional<Throwable> error) {
			// recorded first, so that the call has ended when the user learns that the stream has
			if (error.isPresent()) {
				this.recorder.failed(error.get());
			}
			else {
				this.recorder.completed();
			}
			this.handler.onComplete(error);
		}

	}

}
