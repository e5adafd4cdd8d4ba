package io.github.observe4j.langfuse.internal.langchain4j;

import java.time.Duration;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import io.github.observe4j.langfuse.internal.core.ObservationContext;
import io.github.observe4j.langfuse.internal.core.ObservationContextHolder;
import io.github.observe4j.langfuse.internal.support.Failures;
import io.github.observe4j.langfuse.internal.support.ThrottledLog;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Wraps the application's handler of a streamed chat: notes the first token, ends the call as
 * cancelled once the application cancels the stream, and runs the final handler (where an AI
 * Service runs tools and sends its next request) with the call's parent current, putting back
 * what was current afterwards. Every event is passed on unchanged.
 */
final class ObservingStreamingHandler implements StreamingChatResponseHandler {

	private static final ThrottledLog log = new ThrottledLog(LogFactory.getLog(ObservingStreamingHandler.class),
			Duration.ofMinutes(1));

	private final StreamingChatResponseHandler delegate;

	private final StreamedChat chat;

	ObservingStreamingHandler(StreamingChatResponseHandler delegate, StreamedChat chat) {
		this.delegate = delegate;
		this.chat = chat;
	}

	@Override
	public void onPartialResponse(String partialResponse) {
		tokenArrived();
		this.delegate.onPartialResponse(partialResponse);
	}

	@Override
	public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
		tokenArrived();
		this.delegate.onPartialResponse(partialResponse, context);
		checkCancelled((context != null) ? context.streamingHandle() : null);
	}

	@Override
	public void onPartialThinking(PartialThinking partialThinking) {
		tokenArrived();
		this.delegate.onPartialThinking(partialThinking);
	}

	@Override
	public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
		tokenArrived();
		this.delegate.onPartialThinking(partialThinking, context);
		checkCancelled((context != null) ? context.streamingHandle() : null);
	}

	@Override
	public void onPartialToolCall(PartialToolCall partialToolCall) {
		tokenArrived();
		this.delegate.onPartialToolCall(partialToolCall);
	}

	@Override
	public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
		tokenArrived();
		this.delegate.onPartialToolCall(partialToolCall, context);
		checkCancelled((context != null) ? context.streamingHandle() : null);
	}

	@Override
	public void onCompleteToolCall(CompleteToolCall completeToolCall) {
		this.delegate.onCompleteToolCall(completeToolCall);
	}

	@Override
	public void onUnmappedRawEvent(Object event) {
		this.delegate.onUnmappedRawEvent(event);
	}

	@Override
	public void onCompleteResponse(ChatResponse completeResponse) {
		ObservationContext parent = this.chat.parent();
		// compared with the context as it is: a joined trace is current as the join, handed on as its copy
		boolean swap = parent != null && ObservationContextHolder.current() != parent;
		ObservationContext previous = swap ? ObservationContextHolder.install(parent) : null;
		try {
			this.delegate.onCompleteResponse(completeResponse);
		}
		finally {
			if (swap) {
				ObservationContextHolder.swap(previous);
			}
		}
	}

	@Override
	public void onError(Throwable error) {
		this.delegate.onError(error);
	}

	private void tokenArrived() {
		try {
			this.chat.tokenArrived();
		}
		catch (Throwable ex) {
			failed(ex);
		}
	}

	private void checkCancelled(@Nullable StreamingHandle handle) {
		try {
			if (handle != null && handle.isCancelled()) {
				this.chat.cancelled();
			}
		}
		catch (Throwable ex) {
			failed(ex);
		}
	}

	private static void failed(Throwable ex) {
		Failures.rethrowIfFatal(ex);
		log.warn("langchain4j-stream", () -> "Langfuse could not follow a LangChain4j stream", ex);
	}

}
