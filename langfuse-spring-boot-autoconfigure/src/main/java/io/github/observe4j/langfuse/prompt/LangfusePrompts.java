package io.github.observe4j.langfuse.prompt;

import java.util.List;

/**
 * Gets prompts managed in Langfuse, cached for {@code langfuse.prompts.cache-ttl}. A cached
 * copy is returned at once; once it is older than the TTL it is still returned while a newer one
 * is fetched in the background, and it keeps being returned while Langfuse is unreachable or
 * answers with an error. Only the first request for a prompt waits for Langfuse, at most
 * {@code langfuse.prompts.fetch-timeout}; concurrent first requests share one fetch.
 * <p>
 * When there is no copy at all (Langfuse down at a cold start, no keys configured), the variants
 * with a fallback return that fallback ({@link LangfusePrompt#isFallback()}); the others throw
 * {@link PromptUnavailableException}, or {@link PromptNotFoundException} if Langfuse has no such
 * prompt. Nothing else is ever thrown.
 * <pre class="code">
 * TextPrompt prompt = prompts.getTextPrompt(PromptKey.of("greeting"), "Say hello to {{name}}.");
 * String text = prompt.compile(Map.of("name", "Ada"));
 * prompt.linkToCurrentObservation();
 * </pre>
 *
 * @since 0.1.0
 */
public interface LangfusePrompts {

	/**
	 * Get the {@value PromptKey#PRODUCTION} version of a text prompt.
	 * @param name the prompt name
	 * @return the prompt
	 * @throws PromptUnavailableException if there is no copy to serve
	 */
	default TextPrompt getTextPrompt(String name) {
		return getTextPrompt(PromptKey.of(name));
	}

	/**
	 * Get a version of a text prompt.
	 * @param key the name and the version or label
	 * @return the prompt
	 * @throws PromptUnavailableException if there is no copy to serve
	 */
	TextPrompt getTextPrompt(PromptKey key);

	/**
	 * Get a version of a text prompt, or the fallback when there is no copy to serve.
	 * @param key the name and the version or label
	 * @param fallback the template to use instead
	 * @return the prompt, never {@code null}
	 */
	TextPrompt getTextPrompt(PromptKey key, String fallback);

	/**
	 * Get the {@value PromptKey#PRODUCTION} version of a chat prompt.
	 * @param name the prompt name
	 * @return the prompt
	 * @throws PromptUnavailableException if there is no copy to serve
	 */
	default ChatPrompt getChatPrompt(String name) {
		return getChatPrompt(PromptKey.of(name));
	}

	/**
	 * Get a version of a chat prompt.
	 * @param key the name and the version or label
	 * @return the prompt
	 * @throws PromptUnavailableException if there is no copy to serve
	 */
	ChatPrompt getChatPrompt(PromptKey key);

	/**
	 * Get a version of a chat prompt, or the fallback when there is no copy to serve.
	 * @param key the name and the version or label
	 * @param fallback the messages to use instead
	 * @return the prompt, never {@code null}
	 */
	ChatPrompt getChatPrompt(PromptKey key, List<ChatMessage> fallback);

}
