package io.github.observe4j.langfuse.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.github.observe4j.langfuse.autoconfigure.LangfuseAutoConfigurationTests.ObservedService;
import io.github.observe4j.langfuse.autoconfigure.LangfuseAutoConfigurationTests.ObservedServiceConfiguration;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.GatedExchangeStrategies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the export's HTTP client being built off the startup thread: the application starts
 * and its observed calls run while the client is still being built, what they record is sent
 * once it is, a context closed meanwhile releases it, and a client that cannot be built leaves
 * the application running and says why.
 */
@ExtendWith(OutputCaptureExtension.class)
class LangfuseTransportStartupTests {

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(LangfuseAutoConfiguration.class, LangfuseObserveAutoConfiguration.class))
		.withUserConfiguration(ObservedServiceConfiguration.class)
		.withPropertyValues("langfuse.host=" + this.server.url(),
				"langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
				"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY, "langfuse.export.schedule-delay=50ms",
				"langfuse.export.initial-backoff=10ms", "langfuse.export.max-backoff=20ms");

	private Set<Thread> threadsBefore = Set.of();

	@BeforeEach
	void rememberThreads() {
		this.threadsBefore = Set.copyOf(Thread.getAllStackTraces().keySet());
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	@Timeout(30)
	void theApplicationStartsAndObservedCallsRunWhileTheHttpClientIsBeingBuilt() throws Exception {
		GatedExchangeStrategies strategies = GatedExchangeStrategies.held();
		this.contextRunner
			.withBean(LangfuseWebClientCustomizer.class, () -> (builder) -> builder.exchangeStrategies(strategies))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(strategies.awaitBuild(Duration.ofSeconds(5))).isTrue();
				assertThat(context.getBean(LangfuseExportPipeline.class).isExporting()).isTrue();
				assertThat(context.getBean(ObservedService.class).currentTraceId()).isPresent();
				assertThat(this.server.receivedSpans()).isEmpty();
				strategies.release();
				await().untilAsserted(
						() -> assertThat(this.server.receivedSpanNames()).containsExactly("currentTraceId"));
			});
	}

	@Test
	@Timeout(30)
	void closingTheContextWhileTheHttpClientIsBeingBuiltReleasesItsThreads(CapturedOutput output) throws Exception {
		GatedExchangeStrategies strategies = GatedExchangeStrategies.held();
		this.contextRunner.withPropertyValues("langfuse.export.shutdown-timeout=500ms")
			.withBean(LangfuseWebClientCustomizer.class, () -> (builder) -> builder.exchangeStrategies(strategies))
			.run((context) -> {
				assertThat(strategies.awaitBuild(Duration.ofSeconds(5))).isTrue();
				assertThat(context.getBean(ObservedService.class).currentTraceId()).isPresent();
			});
		// the context is closed: shutdown gave up on the observation waiting for the client
		assertThat(output).contains("Langfuse export shut down without delivering 1 observation");
		strategies.release();
		await().untilAsserted(() -> assertThat(newThreads("langfuse-")).isEmpty());
		assertThat(this.server.requests()).isEmpty();
	}

	@Test
	@Timeout(30)
	void aHttpClientThatCannotBeBuiltLeavesTheApplicationRunningAndSaysWhy(CapturedOutput output) {
		NoClassDefFoundError missing = new NoClassDefFoundError("reactor/netty/Missing");
		this.contextRunner.withPropertyValues("langfuse.export.max-retries=0")
			.withBean(LangfuseWebClientCustomizer.class,
					() -> (builder) -> builder.exchangeStrategies(GatedExchangeStrategies.failing(missing)))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(ObservedService.class).currentTraceId()).isPresent();
				LangfuseExportPipeline pipeline = context.getBean(LangfuseExportPipeline.class);
				await().untilAsserted(() -> assertThat(pipeline.traceStats().droppedTotal()).isOne());
				assertThat(pipeline.authCheck()).isFalse();
			});
		assertThat(this.server.requests()).isEmpty();
		assertThat(output).contains("Langfuse's HTTP client could not be created"
				+ " (NoClassDefFoundError: reactor/netty/Missing): nothing is sent to Langfuse")
			.contains("Langfuse export cannot send to " + this.server.url()
					+ ": a class its HTTP client needs is missing")
			.contains("Could not deliver 1 observation to Langfuse")
			.doesNotContain(FakeLangfuseServer.SECRET_KEY);
	}

	private List<Thread> newThreads(String prefix) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith(prefix) && thread.isAlive())
			.filter((thread) -> !this.threadsBefore.contains(thread))
			.toList();
	}

}
