package io.github.observe4j.langfuse.internal.json;

import java.io.IOException;
import java.io.Writer;

/**
 * A {@link Writer} that keeps at most a fixed number of characters and aborts the write once
 * more arrive, so that a huge value is never rendered in full. Its buffer comes from a shared
 * {@link BuilderPool} and goes back with {@link #release()}.
 */
final class BoundedWriter extends Writer {

	private static final BuilderPool builders = new BuilderPool();

	private final StringBuilder text;

	private final int maxChars;

	private boolean limitReached;

	BoundedWriter(int maxChars) {
		this.maxChars = Math.max(0, maxChars);
		this.text = builders.take();
	}

	/**
	 * Give the buffer back once the result was taken; the writer is not used again.
	 */
	void release() {
		builders.release(this.text);
	}

	@Override
	public void write(char[] chars, int offset, int length) throws IOException {
		int room = room();
		this.text.append(chars, offset, Math.min(length, room));
		checkFits(length, room);
	}

	@Override
	public void write(String string, int offset, int length) throws IOException {
		int room = room();
		this.text.append(string, offset, offset + Math.min(length, room));
		checkFits(length, room);
	}

	@Override
	public void write(int c) throws IOException {
		int room = room();
		if (room > 0) {
			this.text.append((char) c);
		}
		checkFits(1, room);
	}

	private int room() {
		return this.limitReached ? 0 : this.maxChars - this.text.length();
	}

	private void checkFits(int length, int room) throws LimitReachedException {
		if (length > room) {
			this.limitReached = true;
			throw new LimitReachedException();
		}
	}

	@Override
	public void flush() {
	}

	@Override
	public void close() {
	}

	/**
	 * Return whether more characters were offered than fit.
	 * @return whether the output was cut
	 */
	boolean isLimitReached() {
		return this.limitReached;
	}

	/**
	 * Return the characters kept, cut so that the truncation marker still fits.
	 * @return the truncated text with its marker, at most {@code maxChars} long
	 */
	String truncatedResult() {
		return JacksonValueSerializer.cut(this.text, this.maxChars);
	}

	@Override
	public String toString() {
		return this.text.toString();
	}

	/**
	 * Thrown to stop the serializer once the limit is reached; carries no stack trace because
	 * it is expected and caught right away.
	 */
	private static final class LimitReachedException extends IOException {

		LimitReachedException() {
			super("Output limit reached", null);
		}

		@Override
		public synchronized Throwable fillInStackTrace() {
			return this;
		}

	}

}
