package io.github.observe4j.langfuse.internal.openai;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.core.LlmCall;
import io.github.observe4j.langfuse.internal.core.LlmCalls;
import org.jspecify.annotations.Nullable;

/**
 * Records the four ways to create a chat completion (plain or streamed, sync or async) around the
 * SDK's own call, which runs exactly as it would unwrapped: its arguments, result and exception
 * pass through untouched, and recording never throws.
 */
final class ChatCompletionObserver {

	private final CallStarter starter;

	ChatCompletionObserver(CallStarter starter) {
		this.starter = starter;
	}

	/**
	 * Return an observer that starts its calls with the given factory.
	 * @param calls the factory, asked on each call; while it gives {@code null} nothing is recorded
	 * @return the observer
	 */
	static ChatCompletionObserver of(Supplier<@Nullable LlmCalls> calls) {
		return new ChatCompletionObserver((streaming) -> {
			LlmCalls factory = calls.get();
			return (factory != null)
					? factory.start(ChatCompletionFields.NAME, ObservationType.GENERATION, null, streaming) : null;
		});
	}

	Object create(SdkCall sdkCall, ChatCompletionCreateParams params) throws Throwable {
		LlmCall call = start(params, false);
		if (call == null) {
			return sdkCall.proceed();
		}
		Object result = proceed(sdkCall, call);
		if (result instanceof ChatCompletion completion) {
			ChatCompletionFields.response(call, completion);
		}
		HookGuard.run("end", call::end);
		return result;
	}

	@SuppressWarnings("unchecked")
	Object createStreaming(SdkCall sdkCall, ChatCompletionCreateParams params) throws Throwable {
		LlmCall call = start(params, true);
		if (call == null) {
			return sdkCall.proceed();
		}
		Object result = proceed(sdkCall, call);
		Object observed = (result instanceof StreamResponse<?> response) ? HookGuard.get("stream",
				() -> new ObservedStreamResponse((StreamResponse<ChatCompletionChunk>) response, new StreamRecorder(call)))
				: null;
		if (observed == null) {
			HookGuard.run("end", call::end);
			return result;
		}
		return observed;
	}

	Object createAsync(SdkCall sdkCall, ChatCompletionCreateParams params) throws Throwable {
		// the answer may come after the enclosing method has returned: never folded into it
		LlmCall call = start(params, true);
		if (call == null) {
			return sdkCall.proceed();
		}
		Object result = proceed(sdkCall, call);
		if (!(result instanceof CompletableFuture<?> future)) {
			HookGuard.run("end", call::end);
			return result;
		}
		// a dependent stage only: the user's future is returned, unchanged
		HookGuard.run("async completion", () -> future.whenComplete((value, failure) -> {
			if (failure != null) {
				failed(call, (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
						: failure);
				return;
			}
			if (value instanceof ChatCompletion completion) {
				ChatCompletionFields.response(call, completion);
			}
			HookGuard.run("end", call::end);
		}));
		return result;
	}

	@SuppressWarnings("unchecked")
	Object createStreamingAsync(SdkCall sdkCall, ChatCompletionCreateParams params) throws Throwable {
		LlmCall call = start(params, true);
		if (call == null) {
			return sdkCall.proceed();
		}
		Object result = proceed(sdkCall, call);
		Object observed = (result instanceof AsyncStreamResponse<?> response)
				? HookGuard.get("stream", () -> new ObservedAsyncStreamResponse(
						(AsyncStreamResponse<ChatCompletionChunk>) response, new StreamRecorder(call)))
				: null;
		if (observed == null) {
			HookGuard.run("end", call::end);
			return result;
		}
		return observed;
	}

	private @Nullable LlmCall start(ChatCompletionCreateParams params, boolean streaming) {
		return HookGuard.get("start", () -> {
			LlmCall call = this.starter.start(streaming);
			if (call != null) {
				ChatCompletionFields.request(call, params);
			}
			return call;
		});
	}

	private static Object proceed(SdkCall sdkCall, LlmCall call) throws Throwable {
		try {
			return sdkCall.proceed();
		}
		catch (Throwable ex) {
			failed(call, ex);
			throw ex;
		}
	}

	private static void failed(LlmCall call, Throwable failure) {
		HookGuard.run("error", () -> call.fail(failure));
		HookGuard.run("end", call::end);
	}

	/**
	 * Starts the call of one chat completion, a child of the thread's current observation.
	 */
	@FunctionalInterface
	interface CallStarter {

		/**
		 * Start a call.
		 * @param streaming whether the answer may come after the caller has returned
		 * @return the call, or {@code null} to record nothing
		 */
		@Nullable LlmCall start(boolean streaming);

	}

	/**
	 * The SDK's own call, made once.
	 */
	@FunctionalInterface
	interface SdkCall {

		Object proceed() throws Throwable;

	}

}
