package io.github.observe4j.langfuse.internal.langchain4j;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.github.observe4j.langfuse.internal.core.LlmCall;
import io.github.observe4j.langfuse.internal.core.ObservationContext;
import org.jspecify.annotations.Nullable;

/**
 * What the {@link StreamingChatModelDecorator}'s handler and the listener share about one
 * streamed call, through the request's listener attributes: the listener says which call it
 * started; the handler says when the first token came and whether the stream was cancelled,
 * which LangChain4j tells no listener.
 */
final class StreamedChat {

	/** Key in the listener attributes. */
	static final Object KEY = StreamedChat.class;

	private volatile @Nullable LlmCall call;

	private volatile @Nullable ObservationContext parent;

	private volatile @Nullable Runnable cancel;

	private volatile @Nullable Consumer<Throwable> refuse;

	private final AtomicBoolean firstToken = new AtomicBoolean();

	private final AtomicBoolean ended = new AtomicBoolean();

	/**
	 * The listener started the call; called before the request is sent.
	 * @param cancel ends the call as cancelled
	 * @param refuse ends the call as failed, for a model that throws instead of telling the
	 * listeners (LangChain4j's {@code chat} calls no {@code onError} when {@code doChat} throws)
	 */
	void started(LlmCall call, @Nullable ObservationContext parent, Runnable cancel, Consumer<Throwable> refuse) {
		this.parent = parent;
		this.cancel = cancel;
		this.refuse = refuse;
		this.call = call;
	}

	void tokenArrived() {
		LlmCall current = this.call;
		if (current != null && this.firstToken.compareAndSet(false, true)) {
			current.completionStartTime(Instant.now());
		}
	}

	void cancelled() {
		Runnable current = this.cancel;
		if (current != null && this.ended.compareAndSet(false, true)) {
			current.run();
		}
	}

	/** The model's streaming chat threw on the calling thread, before any answer. */
	void refused(Throwable error) {
		Consumer<Throwable> current = this.refuse;
		if (current != null && this.ended.compareAndSet(false, true)) {
			current.accept(error);
		}
	}

	@Nullable ObservationContext parent() {
		return this.parent;
	}

}
