package io.github.observe4j.langfuse.internal.langchain4j;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

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

	private final AtomicBoolean firstToken = new AtomicBoolean();

	private final AtomicBoolean cancelled = new AtomicBoolean();

	/**
	 * The listener started the call; called before the request is sent.
	 */
	void started(LlmCall call, @Nullable ObservationContext parent, Runnable cancel) {
		this.parent = parent;
		this.cancel = cancel;
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
		if (current != null && this.cancelled.compareAndSet(false, true)) {
			current.run();
		}
	}

	@Nullable ObservationContext parent() {
		return this.parent;
	}

}
