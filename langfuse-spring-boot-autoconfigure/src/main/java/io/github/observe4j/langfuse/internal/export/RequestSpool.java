package io.github.observe4j.langfuse.internal.export;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Request bodies that shutdown could not deliver, kept in a directory until the next start sends
 * them. One file per request, written to a temporary name and then renamed, so a crash never
 * leaves half a request to be sent. The directory is bounded in bytes: a body that would exceed
 * the budget is refused, and the caller counts its items as dropped. A file is deleted only
 * once Langfuse acknowledged it (or refused it for good), so the spool neither duplicates nor
 * grows without bound. A lock file keeps a second process from sending the same files.
 *
 * @since 0.1.0
 */
public final class RequestSpool implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RequestSpool.class);

	private static final String SUFFIX = ".request";

	private static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = PosixFilePermissions.fromString("rwx------");

	private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");

	private static final Pattern NAME = Pattern.compile("([a-z]+)-(\\d+)-(\\d+)-(\\d+)(-sent)?\\" + SUFFIX);

	private final Path directory;

	private final long maxBytes;

	private final AtomicLong bytes = new AtomicLong();

	private final AtomicLong sequence = new AtomicLong();

	private final FileChannel lockChannel;

	private final FileLock lock;

	private volatile boolean closed;

	private RequestSpool(Path directory, long maxBytes, FileChannel lockChannel, FileLock lock, long bytes) {
		this.directory = directory;
		this.maxBytes = maxBytes;
		this.lockChannel = lockChannel;
		this.lock = lock;
		this.bytes.set(bytes);
	}

	/**
	 * Open a spool directory, creating it if needed, and lock it for this process.
	 * @param directory the directory
	 * @param maxBytes how many bytes of request bodies it may hold
	 * @return the spool
	 * @throws IOException if the directory cannot be created or read, or another process holds it
	 */
	public static RequestSpool open(Path directory, long maxBytes) throws IOException {
		Objects.requireNonNull(directory, "directory must not be null");
		if (maxBytes <= 0) {
			throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
		}
		if (!Files.isDirectory(directory)) {
			// a directory of its own: only its owner reads the prompts; one that exists is left as it is
			Files.createDirectories(directory);
			restrictToOwner(directory, DIRECTORY_PERMISSIONS);
		}
		FileChannel channel = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE);
		try {
			FileLock lock;
			try {
				lock = channel.tryLock();
			}
			catch (OverlappingFileLockException ex) {
				lock = null;
			}
			if (lock == null) {
				throw new IOException("another process (or another application context) is using " + directory
						+ "; give each instance its own spool directory");
			}
			try {
				return new RequestSpool(directory, maxBytes, channel, lock, existingBytes(directory));
			}
			catch (IOException | RuntimeException ex) {
				lock.release();
				throw ex;
			}
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

	private static long existingBytes(Path directory) throws IOException {
		long bytes = 0;
		try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
			for (Path file : files) {
				String name = file.getFileName().toString();
				if (name.endsWith(".tmp")) {
					// left by a crash while writing: never complete, never sent
					Files.deleteIfExists(file);
				}
				else if (NAME.matcher(name).matches()) {
					bytes += Files.size(file);
				}
			}
		}
		return bytes;
	}

	/** Create a file that only its owner can read from the start, where the file system knows owners. */
	private static void createPrivate(Path file) throws IOException {
		try {
			Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS));
		}
		catch (UnsupportedOperationException ex) {
			Files.createFile(file);
		}
	}

	/** Prompts and answers are private: the owner alone may read them, where the file system says so. */
	private static void restrictToOwner(Path path, Set<PosixFilePermission> permissions) {
		try {
			Files.setPosixFilePermissions(path, permissions);
		}
		catch (UnsupportedOperationException | IOException ex) {
			// not a POSIX file system (Windows), or not ours to change: the directory's own rules apply
		}
	}



	/**
	 * Keep a request body for the next start.
	 * @param kind what the body carries, lowercase letters, for example {@code "traces"}
	 * @param itemCount how many items the body carries
	 * @param body the body, uncompressed
	 * @param possiblyStored whether it was sent and may be stored already, so that sending it
	 * again is counted as possibly duplicated
	 * @return whether it was kept; {@code false} if the spool is closed, full or cannot be written
	 */
	public boolean save(String kind, int itemCount, byte[] body, boolean possiblyStored) {
		if (this.closed) {
			return false;
		}
		long size = body.length;
		if (this.bytes.addAndGet(size) > this.maxBytes) {
			this.bytes.addAndGet(-size);
			logger.warn("Langfuse spool " + this.directory + " is full (" + this.maxBytes
					+ " bytes, langfuse.export.spool-max-size): " + itemCount + " " + kind + " item(s) not kept");
			return false;
		}
		// the time first, so that names sort oldest first
		String name = kind + "-" + String.format("%015d", System.currentTimeMillis()) + "-"
				+ String.format("%09d", this.sequence.incrementAndGet()) + "-" + itemCount
				+ (possiblyStored ? "-sent" : "") + SUFFIX;
		Path temporary = this.directory.resolve(name + ".tmp");
		try {
			createPrivate(temporary);
			Files.write(temporary, body);
			moveIntoPlace(temporary, this.directory.resolve(name));
			return true;
		}
		catch (IOException ex) {
			this.bytes.addAndGet(-size);
			logger.warn("Could not write to the Langfuse spool " + this.directory + ", " + itemCount + " " + kind
					+ " item(s) not kept: " + ex);
			try {
				Files.deleteIfExists(temporary);
			}
			catch (IOException ignored) {
				// nothing more to do: the .tmp file is deleted at the next start
			}
			return false;
		}
	}

	private static void moveIntoPlace(Path temporary, Path target) throws IOException {
		try {
			Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(temporary, target);
		}
	}

	/**
	 * Return the kept requests of one kind, oldest first.
	 * @param kind the kind
	 * @return the entries
	 */
	public List<Entry> entries(String kind) {
		List<Entry> entries = new ArrayList<>();
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.directory, kind + "-*" + SUFFIX)) {
			for (Path file : files) {
				Matcher matcher = NAME.matcher(file.getFileName().toString());
				if (matcher.matches() && matcher.group(1).equals(kind)) {
					entries.add(new Entry(file, Integer.parseInt(matcher.group(4)), matcher.group(5) != null));
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			logger.warn("Could not read the Langfuse spool " + this.directory + ": " + ex);
		}
		entries.sort(Comparator.comparing((Entry entry) -> entry.file().getFileName().toString()));
		return entries;
	}

	/**
	 * Read a kept request body.
	 * @param entry the entry
	 * @return the body, or {@code null} if it cannot be read
	 */
	public byte @Nullable [] read(Entry entry) {
		try {
			return Files.readAllBytes(entry.file());
		}
		catch (IOException ex) {
			logger.warn("Could not read " + entry.file() + " from the Langfuse spool: " + ex);
			return null;
		}
	}

	/**
	 * Delete a kept request, once it was delivered or refused for good.
	 * @param entry the entry
	 */
	public void delete(Entry entry) {
		try {
			long size = Files.size(entry.file());
			Files.delete(entry.file());
			this.bytes.addAndGet(-size);
		}
		catch (NoSuchFileException ex) {
			// already gone
		}
		catch (IOException ex) {
			logger.warn("Could not delete " + entry.file() + " from the Langfuse spool, it may be sent again: " + ex);
		}
	}

	/**
	 * Return the bytes of request bodies kept now.
	 * @return the size
	 */
	public long sizeBytes() {
		return this.bytes.get();
	}

	/**
	 * Return the directory.
	 * @return the directory
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * Refuse further saves and release the directory lock. Kept files stay.
	 */
	@Override
	public void close() {
		this.closed = true;
		try {
			this.lock.release();
			this.lockChannel.close();
		}
		catch (IOException ex) {
			// the lock goes with the process anyway
		}
	}

	@Override
	public String toString() {
		return "RequestSpool[" + this.directory + ", " + this.bytes.get() + "/" + this.maxBytes + " bytes]";
	}

	/**
	 * A kept request.
	 *
	 * @param file its file
	 * @param itemCount how many items it carries
	 * @param possiblyStored whether it was sent before and Langfuse may have stored it
	 */
	public record Entry(Path file, int itemCount, boolean possiblyStored) {

	}

}
