package io.github.observe4j.langfuse.internal.export;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link Gzip}: what it writes is one gzip member that the JDK's own reader (as any
 * server's) inflates back to the body, checking its CRC and length.
 */
class GzipTests {

	@Test
	void anEmptyBodyIsAValidMember() throws IOException {
		byte[] gzipped = Gzip.compress(new byte[0]);
		// the header GZIPOutputStream writes: magic, deflate, no flags, no time, OS unknown (255)
		assertThat(gzipped).startsWith((byte) 0x1f, (byte) 0x8b, (byte) 8, (byte) 0, (byte) 0, (byte) 0, (byte) 0,
				(byte) 0, (byte) 0, (byte) 0xff);
		assertThat(inflate(gzipped)).isEmpty();
	}

	@Test
	void textIsCompressedAndReadBack() throws IOException {
		byte[] body = "{\"prompt\":\"Tell me a story about a lighthouse keeper.\"}".repeat(2_000)
			.getBytes(StandardCharsets.UTF_8);
		byte[] gzipped = Gzip.compress(body);
		assertThat(gzipped.length).isLessThan(body.length / 10);
		assertThat(inflate(gzipped)).isEqualTo(body);
	}

	@Test
	void incompressibleBytesOutgrowTheFirstGuessAndAreReadBack() throws IOException {
		byte[] body = new byte[300_000];
		new Random(42).nextBytes(body);
		byte[] gzipped = Gzip.compress(body);
		assertThat(gzipped.length).isGreaterThan(body.length);
		assertThat(inflate(gzipped)).isEqualTo(body);
	}

	@Test
	void theTrailerCarriesTheLengthAndTheChecksumOfTheBody() throws IOException {
		byte[] body = new byte[70_000];
		for (int i = 0; i < body.length; i++) {
			body[i] = (byte) (i % 251);
		}
		byte[] gzipped = Gzip.compress(body);
		int length = (gzipped[gzipped.length - 4] & 0xff) | (gzipped[gzipped.length - 3] & 0xff) << 8
				| (gzipped[gzipped.length - 2] & 0xff) << 16 | (gzipped[gzipped.length - 1] & 0xff) << 24;
		assertThat(length).isEqualTo(body.length);
		gzipped[gzipped.length - 8] ^= 1;
		byte[] corrupted = gzipped;
		assertThatExceptionOfType(ZipException.class)
			.isThrownBy(() -> inflate(corrupted))
			.withMessageContaining("Corrupt GZIP trailer");
	}

	private static byte[] inflate(byte[] gzipped) throws IOException {
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
			return in.readAllBytes();
		}
	}

}
