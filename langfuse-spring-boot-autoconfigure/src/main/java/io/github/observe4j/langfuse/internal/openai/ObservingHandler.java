package io.github.observe4j.langfuse.internal.openai;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.StructuredChatCompletionCreateParams;
import com.openai.services.async.ChatServiceAsync;
import com.openai.services.async.chat.ChatCompletionServiceAsync;
import com.openai.services.blocking.ChatService;
import com.openai.services.blocking.chat.ChatCompletionService;
import org.jspecify.annotations.Nullable;

/**
 * One level of the SDK's chain of services ({@code client.chat().completions()}, and the async
 * chain behind {@code client.async()}) as a JDK proxy of its interface. Every method is the
 * target's own; a method that leads down the chain returns the next level wrapped too, and the
 * chat completion methods are recorded. A proxy rather than delegating classes, so that methods
 * the SDK adds in later versions keep working.
 */
final class ObservingHandler implements InvocationHandler {

	private final Object target;

	private final Level level;

	private final ChatCompletionObserver observer;

	private ObservingHandler(Object target, Level level, ChatCompletionObserver observer) {
		this.target = target;
		this.level = level;
		this.observer = observer;
	}

	/**
	 * Return a target wrapped as the given level.
	 * @param <T> the level's interface
	 * @param type the level's interface
	 * @param target what to wrap
	 * @param observer what records the calls
	 * @return the proxy
	 */
	static <T> T wrap(Class<T> type, T target, ChatCompletionObserver observer) {
		Level level = Level.of(type);
		return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
				new ObservingHandler(target, level, observer)));
	}

	/**
	 * Return whether an object is one of our proxies.
	 * @param candidate the object
	 * @return whether it is
	 */
	static boolean isWrapped(Object candidate) {
		return Proxy.isProxyClass(candidate.getClass())
				&& Proxy.getInvocationHandler(candidate) instanceof ObservingHandler;
	}

	@Override
	public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
		if (method.getDeclaringClass() == Object.class) {
			return objectMethod(proxy, method, args);
		}
		String name = method.getName();
		Object first = (args != null && args.length > 0) ? args[0] : null;
		if (this.level.creates && first instanceof ChatCompletionCreateParams params) {
			if (name.equals("create")) {
				return this.level.async ? this.observer.createAsync(() -> call(method, args), params)
						: this.observer.create(() -> call(method, args), params);
			}
			if (name.equals("createStreaming")) {
				return this.level.async ? this.observer.createStreamingAsync(() -> call(method, args), params)
						: this.observer.createStreaming(() -> call(method, args), params);
			}
		}
		if (this.level.creates && first instanceof StructuredChatCompletionCreateParams<?>
				&& (name.equals("create") || name.equals("createStreaming")) && isDefaultOnTarget(method)) {
			// the SDK's default turns structured params into plain ones and calls the plain method:
			// through this proxy, so that it is recorded
			return InvocationHandler.invokeDefault(proxy, method, args);
		}
		Object result = call(method, args);
		Class<?> next = this.level.next(name);
		if (next != null && next.isInstance(result)) {
			Object wrapped = HookGuard.get("client", () -> wrapAs(next, result));
			return (wrapped != null) ? wrapped : result;
		}
		return result;
	}

	private <T> T wrapAs(Class<T> type, Object result) {
		return wrap(type, type.cast(result), this.observer);
	}

	private @Nullable Object call(Method method, @Nullable Object[] args) throws Throwable {
		try {
			return method.invoke(this.target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

	private boolean isDefaultOnTarget(Method method) {
		try {
			return this.target.getClass().getMethod(method.getName(), method.getParameterTypes()).isDefault();
		}
		catch (NoSuchMethodException | RuntimeException ex) {
			return false;
		}
	}

	private Object objectMethod(Object proxy, Method method, @Nullable Object[] args) {
		return switch (method.getName()) {
			case "equals" -> {
				Object other = args[0];
				if (other != null && isWrapped(other)) {
					other = ((ObservingHandler) Proxy.getInvocationHandler(other)).target;
				}
				yield this.target.equals(other);
			}
			case "hashCode" -> this.target.hashCode();
			default -> this.target.toString();
		};
	}

	/** The levels of the chain: which methods lead where, and which create completions. */
	private enum Level {

		CLIENT(OpenAIClient.class, false, false),

		CLIENT_ASYNC(OpenAIClientAsync.class, false, true),

		CHAT(ChatService.class, false, false),

		CHAT_ASYNC(ChatServiceAsync.class, false, true),

		COMPLETIONS(ChatCompletionService.class, true, false),

		COMPLETIONS_ASYNC(ChatCompletionServiceAsync.class, true, true);

		private final Class<?> type;

		private final boolean creates;

		private final boolean async;

		Level(Class<?> type, boolean creates, boolean async) {
			this.type = type;
			this.creates = creates;
			this.async = async;
		}

		static Level of(Class<?> type) {
			for (Level level : values()) {
				if (level.type == type) {
					return level;
				}
			}
			throw new IllegalArgumentException("Not a level of the OpenAI client: " + type);
		}

		@Nullable Class<?> next(String method) {
			if (method.equals("withOptions")) {
				return this.type;
			}
			return switch (this) {
				case CLIENT -> switch (method) {
					case "chat" -> ChatService.class;
					case "async" -> OpenAIClientAsync.class;
					default -> null;
				};
				case CLIENT_ASYNC -> switch (method) {
					case "chat" -> ChatServiceAsync.class;
					case "sync" -> OpenAIClient.class;
					default -> null;
				};
				case CHAT -> method.equals("completions") ? ChatCompletionService.class : null;
				case CHAT_ASYNC -> method.equals("completions") ? ChatCompletionServiceAsync.class : null;
				default -> null;
			};
		}

	}

}
