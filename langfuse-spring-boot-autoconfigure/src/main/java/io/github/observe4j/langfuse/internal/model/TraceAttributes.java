package io.github.observe4j.langfuse.internal.model;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Trace-wide attributes as they stood when a trace's observations were released for export.
 * Langfuse v4 reads them from every span, so every exported span of a trace carries the same
 * snapshot.
 *
 * @param name trace name; {@code null} means the root observation's name
 * @param userId id of the end user
 * @param sessionId id of the session (conversation) the trace belongs to
 * @param version version of the application logic
 * @param release release (deployment) identifier; overrides {@code langfuse.release}
 * @param metadata trace metadata, merged into each observation's metadata by Langfuse
 * @param tags tags, in insertion order without duplicates
 * @param publicTrace whether the trace can be viewed by anyone with its URL
 * @since 0.1.0
 */
public record TraceAttributes(@Nullable String name, @Nullable String userId, @Nullable String sessionId,
		@Nullable String version, @Nullable String release, Map<String, Object> metadata, List<String> tags,
		@Nullable Boolean publicTrace) {

	/** No trace attributes set. */
	public static final TraceAttributes EMPTY = new TraceAttributes(null, null, null, null, null, Map.of(), List.of(),
			null);

	public TraceAttributes {
		metadata = Map.copyOf(metadata);
		tags = List.copyOf(tags);
	}

}
