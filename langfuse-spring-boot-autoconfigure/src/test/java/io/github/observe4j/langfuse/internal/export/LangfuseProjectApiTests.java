package io.github.observe4j.langfuse.internal.export;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.observe4j.langfuse.internal.export.ExporterStats.AuthState;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer.FakeResponse;
import io.github.observe4j.langfuse.internal.webclient.WebClientHttpTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link LangfuseProjectApi}, against a real HTTP server through the real
 * {@link WebClientHttpTransport}.
 */
@ExtendWith(OutputCaptureExtension.class)
class LangfuseProjectApiTests {

	private static final String PROJECTS = FakeLangfuseServer.PROJECTS_PATH;

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	private final WebClientHttpTransport transport = WebClientHttpTransport
		.builder(this.server.url(), FakeLangfuseServer.PUBLIC_KEY, FakeLangfuseServer.SECRET_KEY)
		.timeout(Duration.ofSeconds(5))
		.build();

	private final ExporterStats stats = new ExporterStats();

	private final AtomicLong nanoTime = new AtomicLong(1_000);

	private final LangfuseProjectApi api = new LangfuseProjectApi(this.transport, this.stats, Duration.ofMinutes(5),
			this.nanoTime::get);

	@AfterEach
	void close() {
		// In this order, as on shutdown: a request that the transport cancels is then no warning
		this.api.close();
		this.transport.close();
		this.server.close();
	}

	@Test
	void cachesTheProjectIdAndMarksKeysAccepted() throws Exception {
		assertThat(this.api.cachedProjectId()).isEmpty();
		assertThat(this.api.refreshAsync().get(5, TimeUnit.SECONDS)).contains(FakeLangfuseServer.PROJECT_ID);
		assertThat(this.api.cachedProjectId()).contains(FakeLangfuseServer.PROJECT_ID);
		assertThat(this.stats.authState()).isEqualTo(AuthState.ACCEPTED);
		assertThat(this.server.requests(PROJECTS).get(0).basicCredentials())
			.isEqualTo(FakeLangfuseServer.PUBLIC_KEY + ":" + FakeLangfuseServer.SECRET_KEY);
	}

	@Test
	void authCheckReportsAcceptedKeys() {
		assertThat(this.api.authCheck(Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void rejectedKeysAreRecordedAndLoggedOnce(CapturedOutput output) {
		this.server.setDefaultResponse(PROJECTS,
				FakeResponse.status(401).body("{\"message\":\"Invalid credentials\"}"));
		assertThat(this.api.authCheck(Duration.ofSeconds(5))).isFalse();
		assertThat(this.api.authCheck(Duration.ofSeconds(5))).isFalse();
		assertThat(this.stats.authState()).isEqualTo(AuthState.REJECTED);
		assertThat(this.stats.authReason()).isEqualTo("HTTP 401: Invalid credentials");
		assertThat(this.api.cachedProjectId()).isEmpty();
		assertThat(output.getOut().split("Langfuse rejected the API keys", -1)).hasSize(2);
		assertThat(output).doesNotContain(FakeLangfuseServer.SECRET_KEY);
	}

	@Test
	void organizationKeyIsRejected(CapturedOutput output) {
		this.server.enqueue(PROJECTS, FakeResponse.status(403).body("{\"message\":\"Access denied\"}"));
		assertThat(this.api.authCheck(Duration.ofSeconds(5))).isFalse();
		assertThat(this.stats.authState()).isEqualTo(AuthState.REJECTED);
		assertThat(output).contains("Langfuse rejected the API keys (HTTP 403: Access denied). The key has no access"
				+ " to this project (an organization key, or ingestion suspended).");
	}

	@Test
	void networkErrorKeepsStateAndCachedId(CapturedOutput output) throws Exception {
		assertThat(this.api.authCheck(Duration.ofSeconds(5))).isTrue();
		this.server.stop();
		assertThat(this.api.authCheck(Duration.ofSeconds(5))).isFalse();
		assertThat(this.api.refreshAsync().get(5, TimeUnit.SECONDS)).contains(FakeLangfuseServer.PROJECT_ID);
		assertThat(this.stats.authState()).isEqualTo(AuthState.ACCEPTED);
		// Once, although Langfuse was unreachable twice
		assertThat(output.getOut().split("Cannot reach Langfuse at " + this.server.url(), -1)).hasSize(2);
	}

	@Test
	void networkErrorBeforeAnyAnswerLeavesStateUnknown(CapturedOutput output) {
		this.server.stop();
		assertThat(this.api.authCheck(Duration.ofSeconds(5))).isFalse();
		assertThat(this.stats.authState()).isEqualTo(AuthState.UNKNOWN);
		assertThat(output).contains("Cannot reach Langfuse at " + this.server.url())
			.contains("Check 'langfuse.host', the network and any proxy");
	}

	@Test
	void serverErrorAndEmptyProjectListDoNotAcceptKeys() {
		this.server.enqueue(PROJECTS, FakeResponse.status(503));
		this.server.enqueue(PROJECTS, FakeResponse.ok("{\"data\":[]}"));
		assertThat(this.api.authCheck(Duration.ofSeconds(5))).isFalse();
		assertThat(this.api.authCheck(Duration.ofSeconds(5))).isFalse();
		assertThat(this.stats.authState()).isEqualTo(AuthState.UNKNOWN);
	}

	@Test
	@Timeout(5)
	void authCheckIsBoundedByItsTimeoutWhenTheServerHangs() {
		this.server.enqueue(PROJECTS, FakeResponse.hang());
		long start = System.nanoTime();
		assertThat(this.api.authCheck(Duration.ofMillis(200))).isFalse();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		assertThat(this.stats.authState()).isEqualTo(AuthState.UNKNOWN);
	}

	@Test
	void refreshIfStaleCallsTheServerAtMostOncePerInterval() {
		this.api.refreshIfStale();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.api.cachedProjectId().isPresent());
		this.api.refreshIfStale();
		this.nanoTime.addAndGet(Duration.ofMinutes(4).toNanos());
		this.api.refreshIfStale();
		assertThat(this.server.requests(PROJECTS)).hasSize(1);
		this.nanoTime.addAndGet(Duration.ofMinutes(1).toNanos());
		this.api.refreshIfStale();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.requests(PROJECTS).size() == 2);
	}

	@Test
	void concurrentRefreshesShareOneRequest() throws Exception {
		this.server.enqueue(PROJECTS, FakeResponse.ok("{\"data\":[{\"id\":\"slow\"}]}").delay(Duration.ofMillis(300)));
		var first = this.api.refreshAsync();
		var second = this.api.refreshAsync();
		assertThat(first.get(5, TimeUnit.SECONDS)).contains("slow");
		assertThat(second.get(5, TimeUnit.SECONDS)).contains("slow");
		assertThat(this.server.requests(PROJECTS)).hasSize(1);
	}

	@Test
	void readsTheFirstProjectIdTolerantly() {
		assertThat(LangfuseProjectApi.firstProjectId(
				" {\"data\" : [ {\"organization\":{\"id\":\"org\"}, \"id\":\"p1\", \"retentionDays\":null},"
						+ " {\"id\":\"p2\"} ], \"extra\": true }"))
			.isEqualTo("p1");
		assertThat(LangfuseProjectApi.firstProjectId("{\"data\":[]}")).isNull();
		assertThat(LangfuseProjectApi.firstProjectId("<html>")).isNull();
		assertThat(LangfuseProjectApi.firstProjectId("{\"data\":[{\"id\":42}]}")).isNull();
		assertThat(Optional.ofNullable(LangfuseProjectApi.firstProjectId(""))).isEmpty();
	}

}
