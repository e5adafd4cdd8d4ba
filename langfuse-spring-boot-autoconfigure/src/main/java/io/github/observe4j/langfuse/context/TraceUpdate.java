package io.github.observe4j.langfuse.context;

import java.util.Collection;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Fluent handle on the trace of the current observation. Trace attributes reach every exported
 * observation of the trace, including the ones that ended before the update. A {@code null}
 * argument is ignored. Outside an observed call the handle does nothing.
 * <pre class="code">
 * LangfuseContext.currentTrace()
 *     .userId(request.getHeader("X-User-Id"))
 *     .sessionId(conversationId)
 *     .tags("story", "beta");
 * </pre>
 *
 * @since 0.1.0
 */
public interface TraceUpdate {

	/**
	 * Set the trace name; by default the trace is named after its root observation.
	 * @param name the trace name
	 * @return this handle
	 */
	TraceUpdate name(@Nullable String name);

	/**
	 * Set the id of the end user.
	 * @param userId the user id
	 * @return this handle
	 */
	TraceUpdate userId(@Nullable String userId);

	/**
	 * Set the session (conversation) id.
	 * @param sessionId the session id
	 * @return this handle
	 */
	TraceUpdate sessionId(@Nullable String sessionId);

	/**
	 * Set the version of the application logic.
	 * @param version the version
	 * @return this handle
	 */
	TraceUpdate version(@Nullable String version);

	/**
	 * Set the release, overriding {@code langfuse.release} for this trace.
	 * @param release the release
	 * @return this handle
	 */
	TraceUpdate release(@Nullable String release);

	/**
	 * Merge entries into the trace metadata.
	 * @param metadata the entries to merge
	 * @return this handle
	 */
	TraceUpdate metadata(@Nullable Map<String, ?> metadata);

	/**
	 * Set one trace metadata entry.
	 * @param key the key
	 * @param value the value
	 * @return this handle
	 */
	TraceUpdate metadata(String key, @Nullable Object value);

	/**
	 * Add tags; tags are never removed.
	 * @param tags the tags to add
	 * @return this handle
	 */
	TraceUpdate tags(String... tags);

	/**
	 * Add tags; tags are never removed.
	 * @param tags the tags to add
	 * @return this handle
	 */
	TraceUpdate tags(@Nullable Collection<String> tags);

	/**
	 * Set whether anyone with the trace URL may view the trace.
	 * @param publicTrace whether the trace is public
	 * @return this handle
	 */
	TraceUpdate publicTrace(boolean publicTrace);

	/**
	 * Set the trace input. Langfuse v4 shows the root observation's input as the trace input,
	 * so this sets the input of the root observation in this application.
	 * @param input the input
	 * @return this handle
	 */
	TraceUpdate input(@Nullable Object input);

	/**
	 * Set the trace output, which is the output of the root observation in this application.
	 * @param output the output
	 * @return this handle
	 */
	TraceUpdate output(@Nullable Object output);

}
