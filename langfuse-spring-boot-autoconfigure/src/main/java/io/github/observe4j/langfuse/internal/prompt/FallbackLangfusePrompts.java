package io.github.observe4j.langfuse.internal.prompt;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.github.observe4j.langfuse.internal.prompt.PromptFetchException.Kind;
import io.github.observe4j.langfuse.prompt.ChatMessage;
import io.github.observe4j.langfuse.prompt.ChatPrompt;
import io.github.observe4j.langfuse.prompt.LangfusePrompts;
import io.github.observe4j.langfuse.prompt.PromptKey;
import io.github.observe4j.langfuse.prompt.TextPrompt;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * {@link LangfusePrompts} when nothing can be fetched, such as without keys: it serves the
 * callers' fallbacks, throws {@link io.github.observe4j.langfuse.prompt.PromptUnavailableException}
 * without one, and says why once, at the first request.
 *
 * @since 0.1.0
 */
public final class FallbackLangfusePrompts implements LangfusePrompts {

	private static final Log logger = LogFactory.getLog(FallbackLangfusePrompts.class);

	private final String reason;

	private final PromptStats stats;

	private final AtomicBoolean told = new AtomicBoolean();

	/**
	 * Create the fallback-only prompts.
	 * @param reason why no prompt is fetched, naming what to fix
	 * @param stats where to count the fallbacks served
	 */
	public FallbackLangfusePrompts(String reason, PromptStats stats) {
		this.reason = Objects.requireNonNull(reason, "reason must not be null");
		this.stats = Objects.requireNonNull(stats, "stats must not be null");
	}

	@Override
	public TextPrompt getTextPrompt(PromptKey key) {
		return serve(key, null);
	}

	@Override
	public TextPrompt getTextPrompt(PromptKey key, String fallback) {
		Objects.requireNonNull(fallback, "fallback must not be null");
		return serve(key, () -> TextPrompt.fallback(key.name(), fallback));
	}

	@Override
	public ChatPrompt getChatPrompt(PromptKey key) {
		return serve(key, null);
	}

	@Override
	public ChatPrompt getChatPrompt(PromptKey key, List<ChatMessage> fallback) {
		Objects.requireNonNull(fallback, "fallback must not be null");
		return serve(key, () -> ChatPrompt.fallback(key.name(), fallback));
	}

	private <P> P serve(PromptKey key, @Nullable Supplier<P> fallback) {
		Objects.requireNonNull(key, "key must not be null");
		if (this.told.compareAndSet(false, true)) {
			logger.warn("Langfuse prompts are not fetched: " + this.reason
					+ ". Calls with a fallback get it; calls without one throw PromptUnavailableException.");
		}
		return PromptFallbacks.orThrow(key, fallback, new PromptFetchException(Kind.UNREACHABLE, this.reason),
				this.stats);
	}

	@Override
	public String toString() {
		return "FallbackLangfusePrompts[" + this.reason + "]";
	}

}
