package io.github.observe4j.langfuse.internal.export;

import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Gzip for request bodies, at the fastest level: the export thread shares the application's
 * cores, and on OTLP batches level 1 measured 30% more observations per second than the default
 * level 6 for under 2% more bytes.
 * <p>
 * The body is deflated in one call into one array sized for it, where a
 * {@code GZIPOutputStream} deflates into a 512-byte buffer, one native call per 512 bytes out,
 * and copies it through a growing byte stream: that measured 12% to 20% of the compression's
 * time on a 2&nbsp;MB request.
 *
 * @since 0.1.0
 */
public final class Gzip {

	/** Magic, deflate, no flags, no time, no extra flags, OS unknown, as {@code GZIPOutputStream} writes. */
	private static final byte[] HEADER = { 0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff };

	/** The CRC-32 and the length of the uncompressed body. */
	private static final int TRAILER_BYTES = 8;

	/** Room for level 1's output on text (about a third of the input) with some to spare. */
	private static final int EXPECTED_RATIO = 2;

	private static final int MIN_ROOM = 64;

	private Gzip() {
	}

	/**
	 * Compress a body as one gzip member.
	 * @param body the bytes to compress
	 * @return the gzip bytes
	 */
	public static byte[] compress(byte[] body) {
		byte[] out = new byte[HEADER.length + body.length / EXPECTED_RATIO + MIN_ROOM + TRAILER_BYTES];
		System.arraycopy(HEADER, 0, out, 0, HEADER.length);
		int length = HEADER.length;
		Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
		try {
			deflater.setInput(body);
			deflater.finish();
			while (!deflater.finished()) {
				if (length == out.length - TRAILER_BYTES) {
					out = Arrays.copyOf(out, out.length * 2);
				}
				length += deflater.deflate(out, length, out.length - TRAILER_BYTES - length);
			}
		}
		finally {
			deflater.end();
		}
		CRC32 crc = new CRC32();
		crc.update(body);
		writeIntLittleEndian(out, length, (int) crc.getValue());
		writeIntLittleEndian(out, length + 4, body.length);
		return Arrays.copyOf(out, length + TRAILER_BYTES);
	}

	private static void writeIntLittleEndian(byte[] out, int offset, int value) {
		out[offset] = (byte) value;
		out[offset + 1] = (byte) (value >>> 8);
		out[offset + 2] = (byte) (value >>> 16);
		out[offset + 3] = (byte) (value >>> 24);
	}

}
