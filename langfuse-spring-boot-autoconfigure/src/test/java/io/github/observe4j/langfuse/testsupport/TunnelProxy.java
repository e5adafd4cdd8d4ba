package io.github.observe4j.langfuse.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP proxy on {@code 127.0.0.1} that only tunnels ({@code CONNECT}), and only to
 * loopback ports, recording each tunnel's target. Enough to prove that HTTPS traffic goes
 * through a configured proxy.
 */
public final class TunnelProxy implements AutoCloseable {

	private final ServerSocket socket;

	private final List<String> tunnels = new CopyOnWriteArrayList<>();

	private final List<Socket> open = new CopyOnWriteArrayList<>();

	private final ExecutorService executor = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "tunnel-proxy");
		thread.setDaemon(true);
		return thread;
	});

	private TunnelProxy(ServerSocket socket) {
		this.socket = socket;
		this.executor.execute(this::accept);
	}

	/**
	 * Start a proxy on an ephemeral port.
	 * @return the running proxy
	 */
	public static TunnelProxy start() {
		try {
			return new TunnelProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Return the port.
	 * @return the port
	 */
	public int port() {
		return this.socket.getLocalPort();
	}

	/**
	 * Return the {@code host:port} of every tunnel opened, in order.
	 * @return the targets
	 */
	public List<String> tunnels() {
		return List.copyOf(this.tunnels);
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		this.open.forEach(TunnelProxy::closeQuietly);
		this.executor.shutdownNow();
	}

	private void accept() {
		while (!this.socket.isClosed()) {
			try {
				Socket client = this.socket.accept();
				this.open.add(client);
				this.executor.execute(() -> tunnel(client));
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void tunnel(Socket client) {
		try {
			InputStream in = client.getInputStream();
			String head = readHead(in);
			String[] requestLine = head.split("\r\n", 2)[0].split(" ");
			OutputStream out = client.getOutputStream();
			if (requestLine.length < 2 || !requestLine[0].equals("CONNECT")) {
				out.write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				closeQuietly(client);
				return;
			}
			String target = requestLine[1];
			int colon = target.lastIndexOf(':');
			String host = target.substring(0, colon);
			// never a tunnel off this machine
			InetAddress address = InetAddress.getByName(host);
			if (!address.isLoopbackAddress()) {
				out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				closeQuietly(client);
				return;
			}
			Socket upstream = new Socket();
			upstream.connect(new InetSocketAddress(address, Integer.parseInt(target.substring(colon + 1))), 5000);
			this.open.add(upstream);
			this.tunnels.add(target);
			out.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			this.executor.execute(() -> pipe(upstream, client));
			pipe(client, upstream);
		}
		catch (IOException | RuntimeException ex) {
			closeQuietly(client);
		}
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		byte[] end = { '\r', '\n', '\r', '\n' };
		while (matched < 4) {
			int next = in.read();
			if (next < 0) {
				throw new IOException("connection closed in the request head");
			}
			head.write(next);
			matched = (next == end[matched]) ? matched + 1 : ((next == '\r') ? 1 : 0);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	private static void pipe(Socket from, Socket to) {
		try {
			from.getInputStream().transferTo(to.getOutputStream());
		}
		catch (IOException ex) {
			// one side closed
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
