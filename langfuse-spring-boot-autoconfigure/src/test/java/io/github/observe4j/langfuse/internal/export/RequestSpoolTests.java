package io.github.observe4j.langfuse.internal.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RequestSpool}, on a real directory.
 */
@ExtendWith(OutputCaptureExtension.class)
class RequestSpoolTests {

	@TempDir
	Path directory;

	@Test
	void keepsBodiesOldestFirstByKindAcrossReopening() throws IOException {
		try (RequestSpool spool = RequestSpool.open(this.directory, 1024)) {
			assertThat(spool.save("traces", 3, bytes("first"), false)).isTrue();
			assertThat(spool.save("score", 1, bytes("a score"), false)).isTrue();
			assertThat(spool.save("traces", 2, bytes("second"), true)).isTrue();
		}
		try (RequestSpool spool = RequestSpool.open(this.directory, 1024)) {
			List<RequestSpool.Entry> traces = spool.entries("traces");
			assertThat(traces).extracting(RequestSpool.Entry::itemCount).containsExactly(3, 2);
			// a request sent before shutdown stopped it is marked, so its replay counts as possibly duplicated
			assertThat(traces).extracting(RequestSpool.Entry::possiblyStored).containsExactly(false, true);
			assertThat(traces).extracting((entry) -> text(spool.read(entry))).containsExactly("first", "second");
			assertThat(spool.entries("score")).singleElement()
				.satisfies((entry) -> assertThat(text(spool.read(entry))).isEqualTo("a score"));
			assertThat(spool.sizeBytes()).isEqualTo(5 + 7 + 6);
			spool.delete(traces.get(0));
			assertThat(spool.entries("traces")).extracting((entry) -> text(spool.read(entry))).containsExactly("second");
			assertThat(spool.sizeBytes()).isEqualTo(7 + 6);
		}
	}

	@Test
	void refusesWhatExceedsTheByteBudgetAndSaysSo(CapturedOutput output) throws IOException {
		try (RequestSpool spool = RequestSpool.open(this.directory, 10)) {
			assertThat(spool.save("traces", 1, new byte[6], false)).isTrue();
			assertThat(spool.save("traces", 4, new byte[5], false)).isFalse();
			assertThat(spool.save("traces", 1, new byte[4], false)).isTrue();
			assertThat(spool.entries("traces")).hasSize(2);
			assertThat(spool.sizeBytes()).isEqualTo(10);
		}
		assertThat(output).containsOnlyOnce("is full (10 bytes, langfuse.export.spool-max-size): 4 traces item(s) not kept");
		try (RequestSpool reopened = RequestSpool.open(this.directory, 10)) {
			// the budget counts what an earlier run left
			assertThat(reopened.save("traces", 1, new byte[1], false)).isFalse();
		}
		assertThat(output).containsOnlyOnce("is full (10 bytes, langfuse.export.spool-max-size): 1 traces item(s) not kept");
	}

	@Test
	void aSecondUserOfTheDirectoryIsRefused() throws IOException {
		try (RequestSpool spool = RequestSpool.open(this.directory, 1024)) {
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> RequestSpool.open(this.directory, 1024))
				.withMessageContaining("give each instance its own spool directory");
			assertThat(spool.save("traces", 1, bytes("x"), false)).isTrue();
		}
		try (RequestSpool again = RequestSpool.open(this.directory, 1024)) {
			assertThat(again.entries("traces")).hasSize(1);
		}
	}

	@Test
	void halfWrittenFilesFromACrashAreDeletedNotSent() throws IOException {
		Path partial = this.directory.resolve("traces-000000000000001-000000001-5.request.tmp");
		Files.write(partial, bytes("half"));
		try (RequestSpool spool = RequestSpool.open(this.directory, 1024)) {
			assertThat(spool.entries("traces")).isEmpty();
			assertThat(spool.sizeBytes()).isZero();
		}
		assertThat(partial).doesNotExist();
	}

	@Test
	void closedSpoolKeepsNothingMore() throws IOException {
		RequestSpool spool = RequestSpool.open(this.directory, 1024);
		spool.close();
		assertThat(spool.save("traces", 1, bytes("late"), false)).isFalse();
		assertThat(spool.entries("traces")).isEmpty();
	}

	@Test
	void keepsPromptsPrivateToTheOwner() throws IOException {
		Path directory = this.directory.resolve("spool");
		try (RequestSpool spool = RequestSpool.open(directory, 1024)) {
			assertThat(spool.save("traces", 1, bytes("a prompt"), false)).isTrue();
		}
		if (Files.getFileStore(directory).supportsFileAttributeView("posix")) {
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
			try (Stream<Path> files = Files.list(directory)) {
				assertThat(files.filter((file) -> file.toString().endsWith(".request")))
					.singleElement()
					.satisfies((file) -> assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
						.isEqualTo("rw-------"));
			}
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
