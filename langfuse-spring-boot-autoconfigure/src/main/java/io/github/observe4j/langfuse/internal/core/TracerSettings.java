package io.github.observe4j.langfuse.internal.core;

import java.util.Objects;

import io.github.observe4j.langfuse.internal.model.ValueSerializer;
import io.github.observe4j.langfuse.internal.support.HttpUrls;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link LangfuseTracer}.
 *
 * @param host Langfuse base URL without a trailing slash, used to build trace URLs
 * @param environment environment stamped on scores
 * @param sampleRate share of traces to export, from 0 to 1
 * @param captureInput whether observed methods capture their arguments by default
 * @param captureOutput whether observed methods capture their return value by default
 * @param serializer serializer for values that must be snapshotted on the caller's thread
 * @param maxFieldChars longest JSON text kept for one captured value
 * @param maxHeldPerTrace most ended observations one trace may hold back until its root ends
 * @param maxHeldTotal most ended observations held back across all traces
 * @since 0.1.0
 */
public record TracerSettings(String host, @Nullable String environment, double sampleRate, boolean captureInput,
		boolean captureOutput, ValueSerializer serializer, int maxFieldChars, int maxHeldPerTrace, int maxHeldTotal) {

	public TracerSettings {
		Objects.requireNonNull(host, "host must not be null");
		Objects.requireNonNull(serializer, "serializer must not be null");
		if (!(sampleRate >= 0.0 && sampleRate <= 1.0)) {
			throw new IllegalArgumentException("sampleRate must be between 0 and 1");
		}
		if (maxFieldChars <= 0 || maxHeldPerTrace < 0 || maxHeldTotal < 0) {
			throw new IllegalArgumentException("limits must not be negative");
		}
		host = HttpUrls.withoutTrailingSlash(host);
	}

	/**
	 * Return settings with the given host and serializer and defaults for everything else.
	 * @param host the Langfuse host
	 * @param serializer the serializer
	 * @return the settings
	 */
	public static TracerSettings defaults(String host, ValueSerializer serializer) {
		return new TracerSettings(host, null, 1.0, true, true, serializer, 1_000_000, 1024, 16384);
	}

}
