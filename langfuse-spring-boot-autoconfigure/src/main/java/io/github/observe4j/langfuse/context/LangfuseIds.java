package io.github.observe4j.langfuse.context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import io.github.observe4j.langfuse.internal.context.HexDigits;
import org.jspecify.annotations.Nullable;

/**
 * Trace and observation id helpers.
 *
 * @since 0.1.0
 */
public final class LangfuseIds {

	private static final HexFormat HEX = HexFormat.of();

	private LangfuseIds() {
	}

	/**
	 * Derive a trace id from an id of your own (a message id, a request id), so the trace can be
	 * found again from it. Uses the same derivation as Langfuse's Python and JS SDKs: the first
	 * 32 hex characters of the SHA-256 of the seed.
	 * @param seed the id to derive from
	 * @return a trace id, 32 lowercase hex characters
	 */
	public static String traceIdFromSeed(String seed) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
			return HEX.formatHex(digest, 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

	/**
	 * Return whether the value is a valid trace id: 32 hex characters, not all zero.
	 * @param traceId the candidate
	 * @return whether it is valid
	 */
	public static boolean isValidTraceId(@Nullable String traceId) {
		return isValidHexId(traceId, 32);
	}

	/**
	 * Return whether the value is a valid observation id: 16 hex characters, not all zero.
	 * @param observationId the candidate
	 * @return whether it is valid
	 */
	public static boolean isValidObservationId(@Nullable String observationId) {
		return isValidHexId(observationId, 16);
	}

	/**
	 * Normalize a valid id to lowercase, as Langfuse stores and looks it up.
	 * @param id a valid id
	 * @return the lowercase id
	 */
	public static String normalize(String id) {
		return id.toLowerCase(Locale.ROOT);
	}

	private static boolean isValidHexId(@Nullable String id, int length) {
		if (!HexDigits.isHex(id, length)) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			if (id.charAt(i) != '0') {
				return true;
			}
		}
		return false;
	}


}
