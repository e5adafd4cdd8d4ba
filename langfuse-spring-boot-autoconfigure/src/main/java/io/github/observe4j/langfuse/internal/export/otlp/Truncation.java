package io.github.observe4j.langfuse.internal.export.otlp;

import java.util.Arrays;

import io.github.observe4j.langfuse.internal.support.TruncationMarker;

/**
 * Cuts oversized values to a size limit, leaving a visible marker that tells how long the value
 * was, so that a reader of the trace knows that something is missing.
 */
final class Truncation {

	private Truncation() {
	}

	/**
	 * Return the marker appended to a cut value.
	 * @param originalLength the length of the value before it was cut, in chars
	 * @return the marker
	 */
	static String marker(int originalLength) {
		return TruncationMarker.withLength(originalLength);
	}

	/**
	 * Cut a value to at most {@code maxChars} chars, marker included. Cheap: a first bound that
	 * keeps the exact byte measurement of huge values affordable.
	 * @param value the value
	 * @param maxChars the limit
	 * @return the value itself if it fits, otherwise a prefix plus the marker
	 */
	static String cutToChars(String value, int maxChars) {
		if (value.length() <= maxChars) {
			return value;
		}
		String marker = marker(value.length());
		return prefix(value, Math.max(0, maxChars - marker.length())) + marker;
	}

	/**
	 * Cut a value so that its UTF-8 form, marker included, takes at most {@code maxBytes}.
	 * @param value the value
	 * @param maxBytes the limit
	 * @param originalLength the length to report in the marker
	 * @return a prefix plus the marker (only the marker if even that does not fit)
	 */
	static String cutToBytes(String value, int maxBytes, int originalLength) {
		String marker = marker(originalLength);
		int budget = maxBytes - marker.length();
		int keep = 0;
		int bytes = 0;
		int length = value.length();
		while (keep < length) {
			char c = value.charAt(keep);
			int charBytes;
			int chars = 1;
			if (c < 0x80) {
				charBytes = 1;
			}
			else if (c < 0x800) {
				charBytes = 2;
			}
			else if (Character.isHighSurrogate(c) && keep + 1 < length
					&& Character.isLowSurrogate(value.charAt(keep + 1))) {
				charBytes = 4;
				chars = 2;
			}
			else {
				charBytes = 3;
			}
			if (bytes + charBytes > budget) {
				break;
			}
			bytes += charBytes;
			keep += chars;
		}
		return value.substring(0, keep) + marker;
	}

	/**
	 * Return the largest size every value may keep so that all sizes add up to at most
	 * {@code limit}: values below it stay whole, the larger ones are cut down to it. So the
	 * largest value is cut first, then the next largest, and none is wiped out while another
	 * stays huge.
	 * @param sizes the sizes, reordered by this method
	 * @param count the number of sizes
	 * @param limit the limit for their sum
	 * @return the size cap
	 */
	static int sizeCap(int[] sizes, int count, int limit) {
		Arrays.sort(sizes, 0, count);
		long budget = limit;
		for (int i = 0; i < count; i++) {
			long share = budget / (count - i);
			if (sizes[i] > share) {
				return (int) share;
			}
			budget -= sizes[i];
		}
		return Integer.MAX_VALUE;
	}

	private static String prefix(String value, int length) {
		int end = length;
		if (end > 0 && Character.isHighSurrogate(value.charAt(end - 1))) {
			end--;
		}
		return value.substring(0, end);
	}

}
