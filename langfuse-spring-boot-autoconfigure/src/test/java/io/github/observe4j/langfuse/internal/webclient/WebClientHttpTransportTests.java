package io.github.observe4j.langfuse.internal.webclient;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

import io.github.observe4j.langfuse.internal.export.HttpRequest;
import io.github.observe4j.langfuse.internal.export.HttpResult;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.GatedExchangeStrategies;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer.FakeResponse;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link WebClientHttpTransport}.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebClientHttpTransportTests {

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	private WebClientHttpTransport transport = transport(this.server.url() + "/");

	@AfterEach
	void close() {
		this.transport.close();
		this.server.close();
	}

	@Test
	void sendsAuthenticationAndSdkHeadersToThePathUnderTheHost() throws Exception {
		HttpResult result = send(HttpRequest.post("/api/public/scores", Map.of("Content-Type", "application/json"),
				"{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
		assertThat(result.status()).isEqualTo(200);
		assertThat(result.body()).startsWith("{\"id\":");
		RecordedRequest request = this.server.requests().get(0);
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.path()).isEqualTo("/api/public/scores");
		assertThat(request.basicCredentials())
			.isEqualTo(FakeLangfuseServer.PUBLIC_KEY + ":" + FakeLangfuseServer.SECRET_KEY);
		assertThat(request.header("x-langfuse-sdk-name")).isEqualTo("langfuse-spring-boot-starter");
		assertThat(request.header("x-langfuse-sdk-version")).isEqualTo("1.2.3");
		assertThat(request.header("x-langfuse-public-key")).isEqualTo(FakeLangfuseServer.PUBLIC_KEY);
		assertThat(request.header("Content-Type")).isEqualTo("application/json");
		assertThat(request.bodyAsString()).isEqualTo("{\"name\":\"x\"}");
	}

	@Test
	void aHeaderValueTheClientRefusesFailsTheSendWithoutShowingIt() {
		CompletableFuture<HttpResult> future = this.transport
			.send(HttpRequest.post(FakeLangfuseServer.OTEL_PATH, Map.of("x-token", "s3cr3t\u200b"), new byte[] { 1 }));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(10, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(IllegalArgumentException.class)
			.withNoCause()
			.withMessage("The HTTP client refused a request header (its value is not shown: it may be a credential);"
					+ " check langfuse.export.headers and any LangfuseWebClientCustomizer");
		assertThat(this.server.requests()).isEmpty();
	}

	@Test
	void keepsAPathPrefixOfTheHost() throws Exception {
		this.transport.close();
		this.transport = transport(this.server.url() + "/langfuse//");
		send(HttpRequest.get("/api/public/projects"));
		assertThat(this.server.requests().get(0).path()).isEqualTo("/langfuse/api/public/projects");
	}

	@Test
	void returnsErrorStatusRetryAfterAndBody() throws Exception {
		this.server.enqueue(FakeLangfuseServer.OTEL_PATH,
				FakeResponse.status(429).header("Retry-After", "7").body("{\"message\":\"slow down\"}"));
		HttpResult result = send(HttpRequest.post(FakeLangfuseServer.OTEL_PATH, Map.of(), new byte[] { 1 }));
		assertThat(result.status()).isEqualTo(429);
		assertThat(result.isSuccess()).isFalse();
		assertThat(result.retryAfter()).isEqualTo("7");
		assertThat(result.body()).isEqualTo("{\"message\":\"slow down\"}");
	}

	@Test
	void cutsLongResponseBodies() throws Exception {
		this.server.enqueue(FakeLangfuseServer.OTEL_PATH, FakeResponse.status(500).body("x".repeat(100_000)));
		HttpResult result = send(HttpRequest.post(FakeLangfuseServer.OTEL_PATH, Map.of(), new byte[] { 1 }));
		assertThat(result.body()).hasSize(WebClientHttpTransport.MAX_RESPONSE_BODY_BYTES);
	}

	@Test
	@Timeout(10)
	void failsTheFutureWhenTheServerDoesNotAnswerInTime() {
		this.transport.close();
		this.transport = WebClientHttpTransport
			.builder(this.server.url(), FakeLangfuseServer.PUBLIC_KEY, FakeLangfuseServer.SECRET_KEY)
			.timeout(Duration.ofMillis(200))
			.build();
		this.server.enqueue(FakeLangfuseServer.PROJECTS_PATH, FakeResponse.hang());
		CompletableFuture<HttpResult> future = this.transport.send(HttpRequest.get(FakeLangfuseServer.PROJECTS_PATH));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS));
	}

	@Test
	@Timeout(10)
	void failsTheFutureWhenTheServerIsDown() {
		this.server.stop();
		CompletableFuture<HttpResult> future = this.transport.send(HttpRequest.get(FakeLangfuseServer.PROJECTS_PATH));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
			.satisfies((ex) -> assertThat(ex.getCause().toString()).doesNotContain(FakeLangfuseServer.SECRET_KEY));
	}

	@Test
	@Timeout(10)
	void aCancelledOrClosedRequestFailsQuietly(CapturedOutput output) throws Exception {
		this.server.setDefaultResponse(FakeLangfuseServer.PROJECTS_PATH, FakeResponse.hang());
		CompletableFuture<HttpResult> cancelled = this.transport.send(HttpRequest.get(FakeLangfuseServer.PROJECTS_PATH));
		CompletableFuture<HttpResult> closed = this.transport.send(HttpRequest.get(FakeLangfuseServer.PROJECTS_PATH));
		await().until(() -> this.server.requests().size() == 2);
		cancelled.cancel(true);
		this.transport.close();
		assertThat(closed).isCompletedExceptionally();
		// the JDK client reports the cancelled exchanges afterwards; Reactor must not log them
		Thread.sleep(300);
		assertThat(output).doesNotContain("onErrorDropped").doesNotContain("ERROR").doesNotContain("WARN");
	}

	@Test
	void sendsToAFullUrlInsteadOfTheHostWithoutTheKeys() throws Exception {
		try (FakeLangfuseServer collector = FakeLangfuseServer.start()) {
			send(HttpRequest.post(collector.url() + "/v1/traces", Map.of("x-collector-token", "t"), new byte[] { 1 }));
			// an uppercase scheme is a full URL too
			send(HttpRequest.post(collector.url().replace("http://", "HTTP://") + "/v1/traces", Map.of(),
					new byte[] { 2 }));
			assertThat(collector.requests("/v1/traces")).hasSize(2).allSatisfy((request) -> {
				assertThat(request.header("Authorization")).isNull();
				assertThat(request.header("x-langfuse-sdk-name")).isEqualTo("langfuse-spring-boot-starter");
			});
			assertThat(collector.requests("/v1/traces").get(0).header("x-collector-token")).isEqualTo("t");
			assertThat(this.server.requests()).isEmpty();
		}
	}

	@Test
	void anExtraAuthorizationHeaderCannotReplaceTheKeysOnRequestsToLangfuse() throws Exception {
		send(HttpRequest.post(FakeLangfuseServer.OTEL_PATH, Map.of("Authorization", "Bearer collector"), new byte[] { 1 }));
		assertThat(this.server.requests().get(0).basicCredentials())
			.isEqualTo(FakeLangfuseServer.PUBLIC_KEY + ":" + FakeLangfuseServer.SECRET_KEY);
	}

	@Test
	void aFullUrlOnTheLangfuseHostGetsTheKeys() throws Exception {
		send(HttpRequest.get(this.server.url() + FakeLangfuseServer.PROJECTS_PATH));
		assertThat(this.server.requests().get(0).basicCredentials())
			.isEqualTo(FakeLangfuseServer.PUBLIC_KEY + ":" + FakeLangfuseServer.SECRET_KEY);
	}

	@Test
	void sendsExtraHeaders() throws Exception {
		this.transport.close();
		this.transport = WebClientHttpTransport
			.builder(this.server.url(), FakeLangfuseServer.PUBLIC_KEY, FakeLangfuseServer.SECRET_KEY)
			.headers(Map.of("x-gateway-key", "g1"))
			.build();
		send(HttpRequest.get(FakeLangfuseServer.PROJECTS_PATH));
		assertThat(this.server.requests().get(0).header("x-gateway-key")).isEqualTo("g1");
	}

	@Test
	void theSdkHeadersWinOverExtraHeadersOfTheSameNameInAnyCase() throws Exception {
		this.transport.close();
		this.transport = WebClientHttpTransport
			.builder(this.server.url(), FakeLangfuseServer.PUBLIC_KEY, FakeLangfuseServer.SECRET_KEY)
			.headers(orderedHeaders("X-Langfuse-Sdk-Name", "spoofed", "x-langfuse-public-key", "pk-other",
					"X-LANGFUSE-PUBLIC-KEY", "pk-another"))
			.build();
		send(HttpRequest.get(FakeLangfuseServer.PROJECTS_PATH));
		RecordedRequest request = this.server.requests().get(0);
		assertThat(request.headers().get("x-langfuse-sdk-name")).containsExactly("langfuse-spring-boot-starter");
		assertThat(request.headers().get("x-langfuse-public-key")).containsExactly(FakeLangfuseServer.PUBLIC_KEY);
	}

	private static Map<String, String> orderedHeaders(String... namesAndValues) {
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			headers.put(namesAndValues[i], namesAndValues[i + 1]);
		}
		return headers;
	}

	@Test
	void usesHttp11WithoutAnUpgradeAttempt() throws Exception {
		send(HttpRequest.get(FakeLangfuseServer.PROJECTS_PATH));
		RecordedRequest request = this.server.requests().get(0);
		assertThat(request.header("Upgrade")).isNull();
		assertThat(request.header("HTTP2-Settings")).isNull();
	}

	@Test
	void runsOnDaemonThreadsThatCloseReleases() throws Exception {
		send(HttpRequest.get(FakeLangfuseServer.PROJECTS_PATH));
		assertThat(httpThreads()).isNotEmpty().allSatisfy((thread) -> assertThat(thread.isDaemon()).isTrue());
		this.transport.close();
		await().untilAsserted(() -> assertThat(httpThreads()).isEmpty());
	}

	private static java.util.List<Thread> httpThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith("langfuse-http-") && thread.isAlive())
			.toList();
	}

	@Test
	void appliesTheCustomizerToTheDedicatedBuilder() throws Exception {
		this.transport.close();
		this.transport = WebClientHttpTransport
			.builder(this.server.url(), FakeLangfuseServer.PUBLIC_KEY, FakeLangfuseServer.SECRET_KEY)
			.customizer((builder) -> builder.defaultHeader("x-custom", "yes"))
			.build();
		send(HttpRequest.get(FakeLangfuseServer.PROJECTS_PATH));
		assertThat(this.server.requests().get(0).header("x-custom")).isEqualTo("yes");
	}

	@Test
	@Timeout(10)
	void buildsTheClientInTheBackgroundAndARequestSentMeanwhileWaitsForIt() throws Exception {
		GatedExchangeStrategies strategies = GatedExchangeStrategies.held();
		replaceTransportWithHeldBuild(strategies);
		this.transport.prepare();
		assertThat(strategies.awaitBuild(Duration.ofSeconds(5))).isTrue();
		CompletableFuture<HttpResult> waiting = this.transport.send(HttpRequest.get(FakeLangfuseServer.PROJECTS_PATH));
		assertThat(waiting).isNotDone();
		assertThat(this.server.requests()).isEmpty();
		strategies.release();
		assertThat(waiting.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
		assertThat(this.server.requests()).hasSize(1);
		assertThat(this.server.requests().get(0).basicCredentials())
			.isEqualTo(FakeLangfuseServer.PUBLIC_KEY + ":" + FakeLangfuseServer.SECRET_KEY);
	}

	@Test
	@Timeout(10)
	void buildsNothingWhenMadeAndTheClientWithTheFirstRequest() throws Exception {
		GatedExchangeStrategies strategies = GatedExchangeStrategies.held();
		replaceTransportWithHeldBuild(strategies);
		try {
			// made while the application starts, which does not need the client yet
			assertThat(this.transport.isBuildStarted()).isFalse();
			CompletableFuture<HttpResult> first = this.transport.send(HttpRequest.get(FakeLangfuseServer.PROJECTS_PATH));
			assertThat(strategies.awaitBuild(Duration.ofSeconds(5))).isTrue();
			strategies.release();
			assertThat(first.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
		}
		finally {
			strategies.release();
		}
	}

	@Test
	@Timeout(10)
	void aTransportClosedBeforeItsFirstRequestNeverBuildsItsClient() throws Exception {
		GatedExchangeStrategies strategies = GatedExchangeStrategies.held();
		replaceTransportWithHeldBuild(strategies);
		try {
			this.transport.close();
			this.transport.prepare();
			assertThat(this.transport.send(HttpRequest.get(FakeLangfuseServer.PROJECTS_PATH)))
				.isCompletedExceptionally();
			assertThat(this.transport.isBuildStarted()).isFalse();
		}
		finally {
			strategies.release();
		}
	}

	@Test
	@Timeout(20)
	void aRequestGivenUpWhileTheClientIsBeingBuiltIsNotKeptUntilTheBuildEnds() throws Exception {
		GatedExchangeStrategies strategies = GatedExchangeStrategies.held();
		replaceTransportWithHeldBuild(strategies);
		this.transport.prepare();
		try {
			assertThat(strategies.awaitBuild(Duration.ofSeconds(5))).isTrue();
			WeakReference<byte[]> body = sendAndGiveUp();
			// a build that never ends would otherwise keep every attempt's body, one per retry
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				System.gc();
				return body.get() == null;
			});
		}
		finally {
			strategies.release();
		}
	}

	/** Replace the test's transport with one whose client build waits on the given strategies. */
	private void replaceTransportWithHeldBuild(GatedExchangeStrategies strategies) {
		this.transport.close();
		this.transport = builder().customizer((builder) -> builder.exchangeStrategies(strategies)).build();
	}

	/** Send a batch and give up waiting for it, as the exporter does after its backstop. */
	private WeakReference<byte[]> sendAndGiveUp() {
		byte[] body = new byte[1024 * 1024];
		CompletableFuture<HttpResult> waiting = this.transport.send(HttpRequest.post("/api/public/otel/v1/traces",
				Map.of(), body));
		assertThat(waiting.cancel(true)).isTrue();
		return new WeakReference<>(body);
	}

	@Test
	@Timeout(10)
	void closeWhileTheJdkClientIsBeingBuiltCancelsWaitingRequestsAndReleasesTheClientOnceBuilt() throws Exception {
		CountDownLatch reached = new CountDownLatch(1);
		CountDownLatch gate = new CountDownLatch(1);
		this.transport.close();
		this.transport = builder().sslContext(gatedSslContext(reached, gate)).build();
		this.transport.prepare();
		assertThat(reached.await(5, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<HttpResult> waiting = this.transport.send(HttpRequest.get(FakeLangfuseServer.PROJECTS_PATH));
		this.transport.close();
		assertThat(waiting).isCancelled();
		assertThat(this.transport.isJdkClientShutDown()).isFalse();
		gate.countDown();
		await().until(this.transport::isJdkClientShutDown);
		assertThat(this.transport.send(HttpRequest.get(FakeLangfuseServer.PROJECTS_PATH))).isCompletedExceptionally();
		assertThat(this.server.requests()).isEmpty();
	}

	@Test
	@Timeout(10)
	void aClientThatCannotBeBuiltFailsEveryRequestWithTheCauseAndIsReportedOnce(CapturedOutput output) {
		NoClassDefFoundError missing = new NoClassDefFoundError("reactor/netty/Missing");
		this.transport.close();
		this.transport = builder()
			.customizer((builder) -> builder.exchangeStrategies(GatedExchangeStrategies.failing(missing)))
			.build();
		CompletableFuture<HttpResult> first = this.transport.send(HttpRequest.get(FakeLangfuseServer.PROJECTS_PATH));
		assertThat(first).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isSameAs(missing);
		CompletableFuture<HttpResult> second = this.transport.send(HttpRequest.get(FakeLangfuseServer.PROJECTS_PATH));
		assertThat(second).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isSameAs(missing);
		String warning = "Langfuse's HTTP client could not be created (NoClassDefFoundError: reactor/netty/Missing)";
		assertThat(output.getAll().split(Pattern.quote(warning), -1)).hasSize(2);
		assertThat(output).doesNotContain(FakeLangfuseServer.SECRET_KEY);
		assertThat(this.server.requests()).isEmpty();
	}

	@Test
	@Timeout(10)
	void aBuilderThatFailsWithoutACustomizerFailsEveryRequestAndIsReportedOnce(CapturedOutput output) {
		// without a customizer the WebClient's builder is made on the build thread: a header it
		// refuses (a null name) stands in for any failure there
		Map<String, String> headers = new HashMap<>();
		headers.put(null, "no name");
		this.transport.close();
		this.transport = builder().headers(headers).build();
		CompletableFuture<HttpResult> first = this.transport.send(HttpRequest.get(FakeLangfuseServer.PROJECTS_PATH));
		assertThat(first).failsWithin(Duration.ofSeconds(5));
		assertThat(this.transport.send(HttpRequest.get(FakeLangfuseServer.PROJECTS_PATH)))
			.failsWithin(Duration.ofSeconds(5));
		String warning = "Langfuse's HTTP client could not be created (";
		assertThat(output.getAll().split(Pattern.quote(warning), -1)).hasSize(2);
		assertThat(output).doesNotContain(FakeLangfuseServer.SECRET_KEY).doesNotContain("Exception in thread");
		assertThat(this.server.requests()).isEmpty();
	}

	private WebClientHttpTransportBuilder builder() {
		return WebClientHttpTransport.builder(this.server.url(), FakeLangfuseServer.PUBLIC_KEY,
				FakeLangfuseServer.SECRET_KEY);
	}

	/** The JVM's TLS context, except that the JDK client's build waits for its parameters. */
	private static SSLContext gatedSslContext(CountDownLatch reached, CountDownLatch gate) throws Exception {
		SSLContext jvm = SSLContext.getDefault();
		SSLContextSpi spi = new SSLContextSpi() {

			@Override
			protected void engineInit(KeyManager[] keyManagers, TrustManager[] trustManagers, SecureRandom random) {
			}

			@Override
			protected SSLSocketFactory engineGetSocketFactory() {
				return jvm.getSocketFactory();
			}

			@Override
			protected SSLServerSocketFactory engineGetServerSocketFactory() {
				return jvm.getServerSocketFactory();
			}

			@Override
			protected SSLEngine engineCreateSSLEngine() {
				return jvm.createSSLEngine();
			}

			@Override
			protected SSLEngine engineCreateSSLEngine(String host, int port) {
				return jvm.createSSLEngine(host, port);
			}

			@Override
			protected SSLSessionContext engineGetServerSessionContext() {
				return jvm.getServerSessionContext();
			}

			@Override
			protected SSLSessionContext engineGetClientSessionContext() {
				return jvm.getClientSessionContext();
			}

			@Override
			protected SSLParameters engineGetDefaultSSLParameters() {
				reached.countDown();
				try {
					gate.await(5, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return jvm.getDefaultSSLParameters();
			}

		};
		return new SSLContext(spi, jvm.getProvider(), jvm.getProtocol()) {
		};
	}

	@Test
	void closeIsIdempotentAndLaterRequestsFail() {
		this.transport.close();
		this.transport.close();
		assertThat(this.transport.isClosed()).isTrue();
		assertThat(this.transport.send(HttpRequest.get(FakeLangfuseServer.PROJECTS_PATH)))
			.isCompletedExceptionally();
	}

	@Test
	void toStringDoesNotContainTheSecretKey() {
		assertThat(this.transport.toString()).contains(FakeLangfuseServer.PUBLIC_KEY)
			.contains(this.server.url())
			.doesNotContain(FakeLangfuseServer.SECRET_KEY);
	}

	@Test
	void rejectsAHostThatIsNotAnHttpUrl() {
		assertThatIllegalArgumentException().isThrownBy(() -> transport("cloud.langfuse.com"))
			.withMessage("Langfuse host must be an absolute http or https URL such as https://cloud.langfuse.com,"
					+ " was 'cloud.langfuse.com'");
		assertThatIllegalArgumentException().isThrownBy(() -> transport("https://cloud.langfuse.com?x=1"))
			.withMessageContaining("must not have a query or fragment");
		assertThatIllegalArgumentException().isThrownBy(() -> WebClientHttpTransport
			.builder("https://cloud.langfuse.com", "pk", "sk")
			.timeout(Duration.ZERO)).withMessage("timeout must be positive, was PT0S");
	}

	private HttpResult send(HttpRequest request) throws Exception {
		return this.transport.send(request).get(5, TimeUnit.SECONDS);
	}

	private static WebClientHttpTransport transport(String host) {
		return WebClientHttpTransport.builder(host, FakeLangfuseServer.PUBLIC_KEY, FakeLangfuseServer.SECRET_KEY)
			.sdk("langfuse-spring-boot-starter", "1.2.3")
			.timeout(Duration.ofSeconds(5))
			.build();
	}

}
