package io.github.observe4j.langfuse.prompt;

import java.util.Objects;

/**
 * One message of a {@link ChatPrompt}.
 *
 * @param role the role, such as {@code system}, {@code user} or {@code assistant}
 * @param content the content, with {@code {{variable}}} placeholders until compiled
 * @since 0.1.0
 */
public record ChatMessage(String role, String content) {

	public ChatMessage {
		Objects.requireNonNull(role, "role must not be null");
		Objects.requireNonNull(content, "content must not be null");
	}

}
