package io.github.observe4j.langfuse.prompt;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A chat prompt: messages whose contents have {@code {{variable}}} placeholders.
 * <pre class="code">
 * ChatPrompt prompt = prompts.getChatPrompt("support-agent");
 * List&lt;ChatMessage&gt; messages = prompt.compile(Map.of("product", "Observe4j"));
 * </pre>
 *
 * @since 0.1.0
 */
public final class ChatPrompt extends LangfusePrompt {

	private final List<ChatMessage> messages;

	/**
	 * Create a chat prompt as stored in Langfuse.
	 * @param name the prompt name
	 * @param version the version
	 * @param labels the labels of this version
	 * @param config the config of this version
	 * @param messages the messages
	 */
	public ChatPrompt(String name, int version, List<String> labels, Map<String, ?> config,
			List<ChatMessage> messages) {
		this(name, version, labels, config, messages, false);
	}

	private ChatPrompt(String name, int version, List<String> labels, Map<String, ?> config,
			List<ChatMessage> messages, boolean fallback) {
		super(name, version, labels, config, fallback);
		this.messages = List.copyOf(messages);
	}

	/**
	 * Create a fallback: version 0, no labels, no config, never linked to observations.
	 * @param name the prompt name
	 * @param messages the messages
	 * @return the fallback
	 */
	public static ChatPrompt fallback(String name, List<ChatMessage> messages) {
		return new ChatPrompt(name, 0, List.of(), Map.of(), messages, true);
	}

	/**
	 * Return the messages, placeholders included.
	 * @return the messages
	 */
	public List<ChatMessage> prompt() {
		return this.messages;
	}

	/**
	 * Return the names of the variables used in any message, in order of first use.
	 * @return the variable names
	 */
	public List<String> variables() {
		Set<String> names = new LinkedHashSet<>();
		this.messages.forEach((message) -> names.addAll(PromptTemplates.variables(message.content())));
		return List.copyOf(names);
	}

	/**
	 * Fill in the placeholders of every message's content, as {@link TextPrompt#compile} does.
	 * @param variables the values by variable name
	 * @return the messages, in order, with the same roles
	 */
	public List<ChatMessage> compile(Map<String, ?> variables) {
		return this.messages.stream()
			.map((message) -> new ChatMessage(message.role(), PromptTemplates.compile(message.content(), variables)))
			.toList();
	}

	@Override
	public String toString() {
		return "ChatPrompt[" + describe() + ", messages=" + this.messages.size() + "]";
	}

}
