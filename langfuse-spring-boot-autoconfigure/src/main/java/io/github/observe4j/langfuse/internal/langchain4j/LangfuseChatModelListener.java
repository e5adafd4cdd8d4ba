package io.github.observe4j.langfuse.internal.langchain4j;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.core.LlmCall;
import io.github.observe4j.langfuse.internal.core.LlmCalls;
import io.github.observe4j.langfuse.internal.core.ObservationContext;
import io.github.observe4j.langfuse.internal.core.ObservationContextHolder;
import io.github.observe4j.langfuse.internal.support.Failures;
import io.github.observe4j.langfuse.internal.support.ThrottledLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Records every chat call of a LangChain4j model as a Langfuse generation: a child of the
 * observation current when the request is sent, such as an {@code @Observe} method, or the root
 * of a new trace; a call made inside an {@code @Observe(type = GENERATION)} method is folded into
 * it (see {@link LlmCalls}). The call travels in the request's {@code attributes()}, as a
 * streamed answer arrives on another thread.
 * <p>
 * Spring Boot starters of LangChain4j give every {@code ChatModelListener} bean to the models
 * they create; a model built by hand needs {@code .listeners(...)}. Nothing here throws: a
 * failure is logged (at most once a minute) and costs the observation, never the call.
 *
 * @since 0.1.0
 */
public final class LangfuseChatModelListener implements ChatModelListener {

	/** How long a call may stay open before it is taken for cancelled. */
	public static final Duration DEFAULT_MAX_OPEN = Duration.ofMinutes(10);

	private static final Log logger = LogFactory.getLog(LangfuseChatModelListener.class);

	/** Key of the call in a request's attributes; one generation per call, however often registered. */
	private static final Object CALL = LangfuseChatModelListener.class;

	private static final int MAX_TRACKED = 10_000;

	private static final StackWalker STACK = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

	private final Supplier<@Nullable LlmCalls> calls;

	private final OpenChatCalls openCalls;

	private final ThrottledLog log = new ThrottledLog(logger, Duration.ofMinutes(1));

	/**
	 * Create a listener.
	 * @param calls supplies the calls factory, or {@code null} while tracing is not available
	 */
	public LangfuseChatModelListener(Supplier<@Nullable LlmCalls> calls) {
		this(calls, DEFAULT_MAX_OPEN);
	}

	/**
	 * Create a listener.
	 * @param calls supplies the calls factory, or {@code null} while tracing is not available
	 * @param maxOpen how long a call may stay open before it is ended as incomplete
	 */
	public LangfuseChatModelListener(Supplier<@Nullable LlmCalls> calls, Duration maxOpen) {
		this.calls = Objects.requireNonNull(calls, "calls must not be null");
		this.openCalls = new OpenChatCalls(maxOpen, MAX_TRACKED, System::nanoTime);
	}

	@Override
	public void onRequest(ChatModelRequestContext requestContext) {
		try {
			Map<Object, Object> attributes = requestContext.attributes();
			ObservationContext handedOn = StreamingChains.take();
			LlmCalls factory = this.calls.get();
			if (factory == null || attributes.containsKey(CALL)) {
				return;
			}
			ChatRequest request = requestContext.chatRequest();
			ChatRequestParameters parameters = request.parameters();
			String model = (parameters != null) ? parameters.modelName() : null;
			ObservationContext parent = (handedOn != null) ? handedOn : ObservationContextHolder.get();
			LlmCall call = factory.start((model != null) ? "chat " + model : "chat", ObservationType.GENERATION,
					parent, LangfuseChatModelListener::calledByStreamingModel);
			StreamedChat streamed = (attributes.get(StreamedChat.KEY) instanceof StreamedChat chat) ? chat : null;
			attributes.put(CALL, new ChatCall(call, parent, Thread.currentThread(), streamed != null));
			this.openCalls.opened(call);
			if (streamed != null) {
				streamed.started(call, parent, () -> cancelled(call), (error) -> refused(call, error));
			}
			call.model(model);
			call.modelParameters(ChatMessages.parameters(parameters));
			if (requestContext.modelProvider() != null) {
				call.metadata("provider", requestContext.modelProvider().name());
			}
			call.metadata("tools", ChatMessages.toolNames(parameters));
			call.input(ChatMessages.messages(request.messages()));
		}
		catch (Throwable ex) {
			failed("a LangChain4j chat request", ex);
		}
	}

	@Override
	public void onResponse(ChatModelResponseContext responseContext) {
		try {
			StreamingChains.release();
			if (!(responseContext.attributes().get(CALL) instanceof ChatCall chat)) {
				return;
			}
			LlmCall call = chat.call();
			ChatResponse response = responseContext.chatResponse();
			AiMessage answer = (response != null) ? response.aiMessage() : null;
			try {
				if (response != null) {
					call.model(response.modelName());
					call.output((answer != null) ? ChatMessages.assistant(answer) : null);
					call.usage(ChatMessages.usage(response.tokenUsage()));
					call.metadata("finishReason",
							(response.finishReason() != null) ? response.finishReason().name() : null);
					call.metadata("responseId", response.id());
				}
			}
			finally {
				this.openCalls.closed(call);
				call.end();
			}
			if (answer != null && answer.hasToolExecutionRequests()) {
				continueChain(chat);
			}
		}
		catch (Throwable ex) {
			failed("a LangChain4j chat response", ex);
		}
	}

	@Override
	public void onError(ChatModelErrorContext errorContext) {
		try {
			StreamingChains.release();
			if (!(errorContext.attributes().get(CALL) instanceof ChatCall chat)) {
				return;
			}
			LlmCall call = chat.call();
			try {
				if (errorContext.error() != null) {
					call.fail(errorContext.error());
				}
			}
			finally {
				this.openCalls.closed(call);
				call.end();
			}
		}
		catch (Throwable ex) {
			failed("a LangChain4j chat error", ex);
		}
	}

	/**
	 * End every call still open as incomplete, such as streams cancelled before their answer;
	 * called at shutdown, before the last export.
	 * @param reason the status message
	 * @return how many calls were ended
	 */
	public int endOpenCalls(String reason) {
		try {
			return this.openCalls.endAll(reason);
		}
		catch (Throwable ex) {
			failed("open LangChain4j chat calls", ex);
			return 0;
		}
	}

	private void cancelled(LlmCall call) {
		this.openCalls.closed(call);
		call.incomplete("cancelled");
		call.end();
	}

	private void refused(LlmCall call, Throwable error) {
		this.openCalls.closed(call);
		call.fail(error);
		call.end();
	}

	/**
	 * A streamed answer that asks for tools arrives on another thread, where the tools and the
	 * next request of an AI Service run: the parent goes with them, unless context propagation
	 * already brought it, or the decorated handler brings it.
	 */
	private static void continueChain(ChatCall chat) {
		ObservationContext parent = chat.parent();
		if (parent != null && !chat.decorated() && chat.requestThread() != Thread.currentThread()
				&& ObservationContextHolder.current() != parent) {
			StreamingChains.handOn(parent);
		}
	}

	/**
	 * Whether the model nearest up the stack is a streaming one. The listener SPI does not say,
	 * and only a call whose answer arrives before the enclosing method returns can be folded into
	 * that method's generation; asked only when folding is possible. A provider whose model
	 * implements both interfaces, or none up the stack, counts as streaming: nesting loses
	 * nothing, folding a late answer would.
	 */
	static boolean calledByStreamingModel() {
		return STACK.walk((frames) -> frames.map(StackWalker.StackFrame::getDeclaringClass)
			.filter((type) -> StreamingChatModel.class.isAssignableFrom(type) || ChatModel.class.isAssignableFrom(type))
			.findFirst()
			.map((type) -> StreamingChatModel.class.isAssignableFrom(type))
			.orElse(true));
	}

	private void failed(String what, Throwable ex) {
		Failures.rethrowIfFatal(ex);
		this.log.warn("langchain4j-listener", () -> "Langfuse could not record " + what, ex);
	}

	/** One chat call and what its answer needs to know of its request. */
	private record ChatCall(LlmCall call, @Nullable ObservationContext parent, Thread requestThread,
			boolean decorated) {
	}

}
