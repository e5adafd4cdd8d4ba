package io.github.observe4j.langfuse.internal.json;

import java.io.Reader;

/**
 * Reads the first chars of a string, then a marker, so that a cut string is written straight
 * from the original without first copying the part kept.
 */
final class CutStringReader extends Reader {

	private final CharSequence text;

	private final int keep;

	private final String marker;

	private int position;

	CutStringReader(CharSequence text, int keep, String marker) {
		this.text = text;
		this.keep = keep;
		this.marker = marker;
	}

	/**
	 * Return how many chars this reader gives in all.
	 * @return the length of the kept part plus the marker
	 */
	int length() {
		return this.keep + this.marker.length();
	}

	@Override
	public int read(char[] buffer, int offset, int length) {
		if (this.position >= length()) {
			return -1;
		}
		int count = 0;
		if (this.position < this.keep) {
			count = Math.min(length, this.keep - this.position);
			copy(this.text, this.position, this.position + count, buffer, offset);
		}
		int markerStart = this.position + count - this.keep;
		if (count < length && markerStart >= 0) {
			int fromMarker = Math.min(length - count, this.marker.length() - markerStart);
			this.marker.getChars(markerStart, markerStart + fromMarker, buffer, offset + count);
			count += fromMarker;
		}
		this.position += count;
		return count;
	}

	private static void copy(CharSequence text, int start, int end, char[] buffer, int offset) {
		if (text instanceof String string) {
			string.getChars(start, end, buffer, offset);
			return;
		}
		for (int i = start; i < end; i++) {
			buffer[offset + i - start] = text.charAt(i);
		}
	}

	@Override
	public void close() {
	}

	/**
	 * Return how many chars of a string to keep so that at most {@code max} remain and a
	 * surrogate pair is not split.
	 * @param text the string
	 * @param max the most chars to keep
	 * @return the chars to keep
	 */
	static int keep(CharSequence text, int max) {
		return (max > 0 && Character.isHighSurrogate(text.charAt(max - 1))) ? max - 1 : max;
	}

}
