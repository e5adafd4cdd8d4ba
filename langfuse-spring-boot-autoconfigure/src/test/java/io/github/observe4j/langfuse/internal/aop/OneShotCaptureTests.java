package io.github.observe4j.langfuse.internal.aop;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import io.github.observe4j.langfuse.internal.core.TracerSettings;
import io.github.observe4j.langfuse.internal.json.JacksonValueSerializer;
import io.github.observe4j.langfuse.internal.model.CapturedArguments;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.core.io.AbstractResource;
import org.springframework.core.io.Resource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Capture never consumes a value that can be read only once: the observed method and its caller
 * get the stream, iterator or input stream untouched, and Langfuse gets a placeholder naming it.
 */
class OneShotCaptureTests {

	private final List<ObservationRecord> exported = new CopyOnWriteArrayList<>();

	private final JacksonValueSerializer serializer = new JacksonValueSerializer();

	private final LangfuseTracer tracer = new LangfuseTracer(
			TracerSettings.defaults("http://localhost:3000", this.serializer), this.exported::add);

	private final Consumer consumer = proxy(new Consumer());

	private Consumer proxy(Consumer target) {
		ProxyFactory factory = new ProxyFactory(target);
		factory.setProxyTargetClass(true);
		factory.addAdvisor(new ObserveAdvisor(new ObserveMethodInterceptor(() -> this.tracer)));
		return (Consumer) factory.getProxy();
	}

	private String renderedInput() {
		CapturedArguments input = (CapturedArguments) this.exported.get(0).input();
		StringBuilder json = new StringBuilder("{");
		for (int i = 0; i < input.names().length; i++) {
			Object value = input.values()[i];
			json.append(input.names()[i]).append('=').append(this.serializer.toJson(value, 10_000));
		}
		return json.append('}').toString();
	}

	@Test
	void aStreamArgumentReachesTheMethodUnconsumed() {
		assertThat(this.consumer.count(Stream.of("a", "b", "c"))).isEqualTo(3);
		assertThat(renderedInput()).contains("<not captured: java.util.stream.")
			.contains("can be read only once>");
	}

	@Test
	void aReturnedStreamReachesTheCallerUnconsumed() {
		Stream<String> words = this.consumer.words();
		assertThat(words).containsExactly("x", "y");
		assertThat(this.serializer.toJson(this.exported.get(0).output(), 10_000))
			.contains("<not captured: java.util.stream.");
	}

	@Test
	void anInputStreamArgumentIsReadByTheMethodNotByCapture() throws IOException {
		byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
		assertThat(this.consumer.read(new ByteArrayInputStream(body))).isEqualTo("hello");
		assertThat(renderedInput()).contains("<not captured: java.io.ByteArrayInputStream can be read only once>");
	}

	@Test
	void anIteratorInsideAnArgumentIsLeftAlone() {
		Iterator<String> iterator = List.of("p", "q").iterator();
		assertThat(this.consumer.drain(Map.of("items", iterator))).isEqualTo("pq");
		assertThat(renderedInput()).contains("\"items\":\"<not captured: ");
	}

	@Test
	void anIterableThatIsNotACollectionIsNotIterated() {
		Stream<Integer> numbers = Stream.of(1, 2, 3);
		Iterable<Integer> once = numbers::iterator;
		assertThat(this.consumer.sum(once)).isEqualTo(6);
		assertThat(renderedInput())
			.contains("<not captured: " + once.getClass().getName() + " is an Iterable that may be read only once>");
	}

	@Test
	void aCollectionIsStillCapturedElementByElement() {
		assertThat(this.consumer.sum(List.of(4, 5))).isEqualTo(9);
		assertThat(renderedInput()).isEqualTo("{numbers=[4,5]}");
	}

	@Test
	void aDataSourceReachedThroughAGetterIsNotAskedForAConnection() {
		CountingDataSource dataSource = new CountingDataSource();
		assertThat(this.consumer.query(new Repository(dataSource))).isEqualTo("rows");
		assertThat(dataSource.connectionsTaken).isZero();
		assertThat(renderedInput()).isEqualTo("{repository={\"dataSource\":\"<not captured: "
				+ CountingDataSource.class.getName() + " is a resource or a request>\"}}");
	}

	@Test
	void aClosableResourceIsNotWalkedThroughItsGetters() {
		Session session = new Session();
		assertThat(this.consumer.use(session)).isEqualTo("used");
		assertThat(session.getterCalls).isZero();
		assertThat(renderedInput())
			.isEqualTo("{session=\"<not captured: " + Session.class.getName() + " is a resource or a request>\"}");
	}

	@Test
	void aReturnedResourceIsNotReadByCapture() throws IOException {
		CountingResource resource = new CountingResource("file content");
		Resource returned = this.consumer.download(resource);
		assertThat(returned).isSameAs(resource);
		assertThat(resource.streamsOpened).isZero();
		assertThat(this.serializer.toJson(this.exported.get(0).output(), 10_000))
			.isEqualTo("\"<not captured: " + CountingResource.class.getName() + " is a resource or a request>\"");
		assertThat(returned.getContentAsString(StandardCharsets.UTF_8)).isEqualTo("file content");
	}

	@Test
	void aCollectionThatIsAlsoClosableIsStillCapturedWithinTheItemLimit() {
		ClosableList numbers = new ClosableList();
		for (int i = 0; i < 150; i++) {
			numbers.add(i);
		}
		String json = this.serializer.toJson(numbers, 10_000);
		assertThat(json).startsWith("[0,1,2,").doesNotContain("not captured").doesNotContain(",149");
	}

	@Test
	void aPrincipalArgumentIsNotSentWithItsCredentials() {
		LoggedIn user = new LoggedIn("alice", "hunter2");
		assertThat(this.consumer.greet(user)).isEqualTo("Hello alice");
		assertThat(renderedInput()).isEqualTo("{user=\"<not captured: " + LoggedIn.class.getName()
				+ " may hold credentials>\"}").doesNotContain("hunter2");
	}

	/** Methods that take and return one-shot values. */
	public static class Consumer {

		/**
		 * Count a stream.
		 * @param stream the stream
		 * @return its size
		 */
		@Observe
		public long count(Stream<String> stream) {
			return stream.count();
		}

		/**
		 * Return a stream.
		 * @return two words
		 */
		@Observe
		public Stream<String> words() {
			return Stream.of("x", "y");
		}

		/**
		 * Read an input stream.
		 * @param in the input
		 * @return its text
		 * @throws IOException if reading fails
		 */
		@Observe
		public String read(InputStream in) throws IOException {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}

		/**
		 * Drain an iterator inside a map.
		 * @param holder holds the iterator
		 * @return what it produced
		 */
		@Observe
		public String drain(Map<String, Iterator<String>> holder) {
			StringBuilder all = new StringBuilder();
			holder.get("items").forEachRemaining(all::append);
			return all.toString();
		}

		/**
		 * Query through a repository.
		 * @param repository the repository
		 * @return what it found
		 */
		@Observe
		public String query(Repository repository) {
			return "rows";
		}

		/**
		 * Hand a resource back, as a download endpoint does.
		 * @param resource the resource
		 * @return the same resource
		 */
		@Observe
		public Resource download(Resource resource) {
			return resource;
		}

		/**
		 * Greet who is logged in.
		 * @param user the principal of the request
		 * @return a greeting
		 */
		@Observe
		public String greet(LoggedIn user) {
			return "Hello " + user.getName();
		}

		/**
		 * Use a session.
		 * @param session the session
		 * @return what happened
		 */
		@Observe
		public String use(Session session) {
			return "used";
		}

		/**
		 * Add up numbers.
		 * @param numbers the numbers, iterated once
		 * @return their sum
		 */
		@Observe
		public int sum(Iterable<Integer> numbers) {
			int sum = 0;
			for (int number : numbers) {
				sum += number;
			}
			return sum;
		}

	}

	/** Holds a data source behind a getter, as {@code JdbcTemplate} does. */
	public static final class Repository {

		private final DataSource dataSource;

		Repository(DataSource dataSource) {
			this.dataSource = dataSource;
		}

		public DataSource getDataSource() {
			return this.dataSource;
		}

	}

	/** A closable resource with a getter that must not run. */
	public static final class Session implements AutoCloseable {

		int getterCalls;

		public String getToken() {
			this.getterCalls++;
			return "token";
		}

		@Override
		public void close() {
		}

	}

	/** Counts the connections taken from it. */
	public static final class CountingDataSource implements DataSource {

		int connectionsTaken;

		@Override
		public Connection getConnection() throws SQLException {
			this.connectionsTaken++;
			throw new SQLException("no database here");
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			return getConnection();
		}

		@Override
		public PrintWriter getLogWriter() {
			return new PrintWriter(Writer.nullWriter());
		}

		@Override
		public void setLogWriter(PrintWriter out) {
		}

		@Override
		public void setLoginTimeout(int seconds) {
		}

		@Override
		public int getLoginTimeout() {
			return 0;
		}

		@Override
		public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
			throw new SQLFeatureNotSupportedException();
		}

		@Override
		public <T> T unwrap(Class<T> type) throws SQLException {
			throw new SQLException("not a wrapper");
		}

		@Override
		public boolean isWrapperFor(Class<?> type) {
			return false;
		}

	}

	/** A resource that counts the streams opened on it. */
	static final class CountingResource extends AbstractResource {

		private final String content;

		int streamsOpened;

		CountingResource(String content) {
			this.content = content;
		}

		@Override
		public String getDescription() {
			return "counting resource";
		}

		@Override
		public InputStream getInputStream() {
			this.streamsOpened++;
			return new ByteArrayInputStream(this.content.getBytes(StandardCharsets.UTF_8));
		}

	}

	/** A list that is also closable, as some result types are. */
	static final class ClosableList extends ArrayList<Integer> implements AutoCloseable {

		@Override
		public void close() {
		}

	}

	/** A principal that carries its credentials, as an authentication token does. */
	public static final class LoggedIn implements Principal {

		private final String name;

		private final String password;

		LoggedIn(String name, String password) {
			this.name = name;
			this.password = password;
		}

		@Override
		public String getName() {
			return this.name;
		}

		public String getCredentials() {
			return this.password;
		}

	}

}
