package io.github.observe4j.langfuse.internal.langchain4j;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.github.observe4j.langfuse.internal.support.Failures;
import io.github.observe4j.langfuse.internal.support.ThrottledLog;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.AbstractAdvisingBeanPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Proxies {@code StreamingChatModel} beans (as subclasses, so they still inject by their class)
 * to see what the listener cannot: the first token, recorded as the completion start time, and a
 * cancelled stream, ended at once as incomplete (WARNING). It hands its own handler and a
 * {@link StreamedChat} in the listener attributes to the model; the events and the answer reach
 * the application's handler unchanged. Models that are not beans, and final classes, are left
 * alone; their calls are still recorded by the listener.
 *
 * @since 0.1.0
 */
public final class StreamingChatModelDecorator extends AbstractAdvisingBeanPostProcessor {

	private static final Log logger = LogFactory.getLog(StreamingChatModelDecorator.class);

	/**
	 * Create a decorator.
	 */
	public StreamingChatModelDecorator() {
		this.advisor = new DefaultPointcutAdvisor(new StreamingChatPointcut(), new StreamingChatInterceptor());
		// innermost in a proxy that already exists: the call goes to the model itself, so advice
		// the application put on the model (retries, rate limits, @Observe) must run before it
		this.beforeExistingAdvisors = false;
		setProxyTargetClass(true);
	}

	@Override
	protected boolean isEligible(Class<?> targetClass) {
		return StreamingChatModel.class.isAssignableFrom(targetClass) && !Modifier.isFinal(targetClass.getModifiers())
				&& !hasFinalMethods(targetClass);
	}

	/**
	 * A subclass proxy cannot override a final method, which would then run on the proxy's
	 * own, empty fields: such a model is left alone.
	 */
	private static boolean hasFinalMethods(Class<?> type) {
		for (Method method : type.getMethods()) {
			int modifiers = method.getModifiers();
			if (Modifier.isFinal(modifiers) && !Modifier.isStatic(modifiers) && method.getDeclaringClass() != Object.class) {
				return true;
			}
		}
		return false;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		try {
			return super.postProcessAfterInitialization(bean, beanName);
		}
		catch (RuntimeException | LinkageError ex) {
			Failures.warn(logger, "Langfuse could not decorate streaming chat model '" + beanName
					+ "' (its calls are still recorded, without time to first token or cancel)", ex);
			return bean;
		}
	}

	/**
	 * The streaming {@code chat} methods, whose last parameter is the handler.
	 */
	private static final class StreamingChatPointcut extends StaticMethodMatcherPointcut {

		@Override
		public boolean matches(Method method, @Nullable Class<?> targetClass) {
			Class<?>[] types = method.getParameterTypes();
			return method.getName().equals("chat") && types.length >= 2
					&& types[types.length - 1] == StreamingChatResponseHandler.class;
		}

	}

	/**
	 * Sends every streaming chat as {@code chat(request, options, handler)} with the observing
	 * handler, as the interface's own methods do with theirs.
	 */
	private static final class StreamingChatInterceptor implements MethodInterceptor {

		private final ThrottledLog log = new ThrottledLog(logger, Duration.ofMinutes(1));

		@Override
		public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
			Decorated call = decorate(invocation);
			if (call == null) {
				return invocation.proceed();
			}
			try {
				call.model().chat(call.request(), call.options(), call.handler());
			}
			catch (Throwable ex) {
				refused(call.chat(), ex);
				throw ex;
			}
			return null;
		}

		private void refused(StreamedChat chat, Throwable error) {
			try {
				chat.refused(error);
			}
			catch (Throwable ex) {
				Failures.rethrowIfFatal(ex);
				this.log.warn("langchain4j-refused", () -> "Langfuse could not end a refused LangChain4j stream", ex);
			}
		}

		private @Nullable Decorated decorate(MethodInvocation invocation) {
			try {
				if (!(invocation.getThis() instanceof StreamingChatModel model)) {
					return null;
				}
				// a model that implements this chat method itself (a delegating, routing or
				// retrying wrapper) must get its own call: only the interface's default methods,
				// which end in the listeners and doChat, are redirected
				Method specific = AopUtils.getMostSpecificMethod(invocation.getMethod(), model.getClass());
				if (!specific.getDeclaringClass().isInterface()) {
					return null;
				}
				Object[] arguments = invocation.getArguments();
				ChatRequest request = request(arguments[0]);
				ChatRequestOptions options = (arguments.length == 3 && arguments[1] instanceof ChatRequestOptions given)
						? given : (arguments.length == 2) ? ChatRequestOptions.EMPTY : null;
				if (request == null || options == null
						|| !(arguments[arguments.length - 1] instanceof StreamingChatResponseHandler handler)
						|| handler instanceof ObservingStreamingHandler) {
					return null;
				}
				StreamedChat chat = new StreamedChat();
				Map<Object, Object> attributes = new HashMap<>(options.listenerAttributes());
				attributes.put(StreamedChat.KEY, chat);
				return new Decorated(model, request, ChatRequestOptions.builder().listenerAttributes(attributes).build(),
						new ObservingStreamingHandler(handler, chat), chat);
			}
			catch (Throwable ex) {
				Failures.rethrowIfFatal(ex);
				this.log.warn("langchain4j-decorator", () -> "Langfuse could not follow a LangChain4j stream", ex);
				return null;
			}
		}

		/** The request, built as the interface's default methods build it from text or messages. */
		@SuppressWarnings("unchecked")
		private static @Nullable ChatRequest request(@Nullable Object argument) {
			if (argument instanceof ChatRequest request) {
				return request;
			}
			if (argument instanceof String text) {
				return ChatRequest.builder().messages(UserMessage.from(text)).build();
			}
			if (argument instanceof List<?> messages && messages.stream().allMatch(ChatMessage.class::isInstance)) {
				return ChatRequest.builder().messages((List<ChatMessage>) messages).build();
			}
			return null;
		}

	}

	private record Decorated(StreamingChatModel model, ChatRequest request, ChatRequestOptions options,
			StreamingChatResponseHandler handler, StreamedChat chat) {
	}

}
