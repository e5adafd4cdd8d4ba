package io.github.observe4j.langfuse.internal.openai;

import java.util.Spliterator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import org.jspecify.annotations.Nullable;

/**
 * A {@link StreamResponse} that hands the user the SDK's chunks unchanged and records each one
 * as the user's iteration pulls it: nothing is read ahead, and the stream ends when the user's
 * iteration reaches its end, fails, or closes the response.
 */
final class ObservedStreamResponse implements StreamResponse<ChatCompletionChunk> {

	private final StreamResponse<ChatCompletionChunk> target;

	private final StreamRecorder recorder;

	ObservedStreamResponse(StreamResponse<ChatCompletionChunk> target, StreamRecorder recorder) {
		this.target = target;
		this.recorder = recorder;
	}

	@Override
	public Stream<ChatCompletionChunk> stream() {
		Stream<ChatCompletionChunk> chunks = this.target.stream();
		Spliterator<ChatCompletionChunk> observed = HookGuard.get("stream",
				() -> new ObservingSpliterator(chunks.spliterator(), this.recorder));
		if (observed == null) {
			return chunks;
		}
		return StreamSupport.stream(observed, chunks.isParallel()).onClose(chunks::close);
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

	/** Passes each chunk on and tells the recorder; the end of the chunks completes the call. */
	private static final class ObservingSpliterator implements Spliterator<ChatCompletionChunk> {

		private final Spliterator<ChatCompletionChunk> chunks;

		private final StreamRecorder recorder;

		ObservingSpliterator(Spliterator<ChatCompletionChunk> chunks, StreamRecorder recorder) {
			this.chunks = chunks;
			this.recorder = recorder;
		}

		@Override
		public boolean tryAdvance(Consumer<? super ChatCompletionChunk> action) {
			UserAction observed = new UserAction(action, this.recorder);
			boolean advanced;
			try {
				advanced = this.chunks.tryAdvance(observed);
			}
			catch (RuntimeException | Error ex) {
				observed.failed(ex);
				throw ex;
			}
			if (!advanced) {
				this.recorder.completed();
			}
			return advanced;
		}

		@Override
		public void forEachRemaining(Consumer<? super ChatCompletionChunk> action) {
			UserAction observed = new UserAction(action, this.recorder);
			try {
				this.chunks.forEachRemaining(observed);
			}
			catch (RuntimeException | Error ex) {
				observed.failed(ex);
				throw ex;
			}
			this.recorder.completed();
		}

		@Override
		public @Nullable Spliterator<ChatCompletionChunk> trySplit() {
			// chunks arrive in order from one connection: never split
			return null;
		}

		@Override
		public long estimateSize() {
			return this.chunks.estimateSize();
		}

		@Override
		public int characteristics() {
			return this.chunks.characteristics() & ~(Spliterator.SIZED | Spliterator.SUBSIZED);
		}

	}

	/**
	 * The user's code for each chunk. What it throws stops the iteration but is no failure of
	 * the call: the user closing the response then records it as cut short.
	 */
	private static final class UserAction implements Consumer<ChatCompletionChunk> {

		private final Consumer<? super ChatCompletionChunk> action;

		private final StreamRecorder recorder;

		private boolean threw;

		UserAction(Consumer<? super ChatCompletionChunk> action, StreamRecorder recorder) {
			this.action = action;
			this.recorder = recorder;
		}

		@Override
		public void accept(ChatCompletionChunk chunk) {
			this.recorder.chunk(chunk);
			this.threw = true;
			this.action.accept(chunk);
			this.threw = false;
		}

		void failed(Throwable failure) {
			if (!this.threw) {
				this.recorder.failed(failure);
			}
		}

	}

}
