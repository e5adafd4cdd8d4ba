package io.github.observe4j.langfuse.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.aop.ObserveAdvisor;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.context.LangfuseContext;
import io.github.observe4j.langfuse.internal.core.DefaultLangfuseClient;
import io.github.observe4j.langfuse.internal.core.ExportControl;
import io.github.observe4j.langfuse.internal.core.LangfuseSpan;
import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import io.github.observe4j.langfuse.internal.core.ObservationContext;
import io.github.observe4j.langfuse.internal.core.ObservationContextHolder;
import io.github.observe4j.langfuse.internal.core.TracerSettings;
import io.github.observe4j.langfuse.internal.export.BatchProcessor;
import io.github.observe4j.langfuse.internal.model.RecordSink;
import io.github.observe4j.langfuse.internal.model.ValueSerializer;
import io.github.observe4j.langfuse.internal.json.JacksonValueSerializer;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer.FakeResponse;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link LangfuseAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class LangfuseAutoConfigurationTests {

	private static final String EXPORT_LOGGER = "io.github.observe4j.langfuse.internal.export";

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(LangfuseAutoConfiguration.class))
		.withPropertyValues("langfuse.export.schedule-delay=50ms", "langfuse.export.initial-backoff=10ms",
				"langfuse.export.max-backoff=20ms", "langfuse.export.shutdown-timeout=5s");

	private Set<Thread> threadsBefore = Set.of();

	@BeforeEach
	void rememberThreads() {
		this.threadsBefore = Thread.getAllStackTraces().keySet();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void suppliesTracingBeansWhenKeysAreConfigured() {
		this.contextRunner.withPropertyValues(connectedToServer()).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(LangfuseTracer.class)
				.hasSingleBean(LangfuseClient.class)
				.hasSingleBean(DefaultLangfuseClient.class)
				.hasSingleBean(LangfuseExportPipeline.class)
				.hasSingleBean(LangfuseExportLifecycle.class)
				.hasSingleBean(PropertiesLangfuseConnectionDetails.class)
				.hasSingleBean(JacksonValueSerializer.class);
			assertThat(context.getBean(LangfuseConnectionDetails.class).getHost()).isEqualTo(this.server.url());
			assertThat(context.getBean(LangfuseExportPipeline.class)).isInstanceOf(ActiveExportPipeline.class);
			assertThat(newExportThreads()).extracting(Thread::getName)
				.contains(BatchProcessor.THREAD_NAME_PREFIX + "traces", BatchProcessor.THREAD_NAME_PREFIX + "scores");
			// the startup key check runs in the background
			await().until(() -> !this.server.requests(FakeLangfuseServer.PROJECTS_PATH).isEmpty());
		});
	}

	@Test
	void whenTracingIsOnOnlyTheTracingConfigurationDefinesAClient() {
		this.contextRunner.withPropertyValues(connectedToServer()).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(LangfuseClient.class);
			assertThat(context.getBean("langfuseClient")).isInstanceOf(DefaultLangfuseClient.class);
			assertOnlyClientConfigurationMatching(context, "LangfuseTracingConfiguration");
		});
	}

	@Test
	void whenDisabledOnlyTheNoopConfigurationDefinesAClient() {
		this.contextRunner.withPropertyValues(connectedToServer())
			.withPropertyValues("langfuse.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(LangfuseClient.class);
				assertThat(context.getBean("langfuseClient")).isSameAs(LangfuseClient.noop());
				assertOnlyClientConfigurationMatching(context, "LangfuseNoopClientConfiguration");
			});
	}

	@Test
	void withoutALibraryOnlyTheNoopConfigurationDefinesAClient(CapturedOutput output) {
		this.contextRunner.withClassLoader(new FilteredClassLoader(JsonMapper.class))
			.withPropertyValues(connectedToServer())
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(LangfuseClient.class);
				assertThat(context.getBean("langfuseClient")).isSameAs(LangfuseClient.noop());
				assertOnlyClientConfigurationMatching(context, "LangfuseNoopClientConfiguration");
			});
		assertThat(output).contains("Langfuse tracing is off: tools.jackson.core:jackson-databind");
	}

	// Each configuration is decided by its own condition, not by whether the other one already
	// defined a client: the order in which they are processed does not matter
	private static void assertOnlyClientConfigurationMatching(AssertableApplicationContext context,
			String configuration) {
		Map<String, Boolean> matches = new LinkedHashMap<>();
		ConditionEvaluationReport.get(context.getBeanFactory())
			.getConditionAndOutcomesBySource()
			.forEach((source, outcomes) -> {
				String name = source.substring(source.lastIndexOf('$') + 1);
				if (name.equals("LangfuseTracingConfiguration") || name.equals("LangfuseNoopClientConfiguration")) {
					matches.put(name, outcomes.isFullMatch());
				}
			});
		String other = configuration.equals("LangfuseTracingConfiguration") ? "LangfuseNoopClientConfiguration"
				: "LangfuseTracingConfiguration";
		assertThat(matches).containsOnly(Map.entry(configuration, true), Map.entry(other, false));
	}

	@Test
	void registersTheClientWithLangfuseContextUntilTheContextCloses() {
		this.contextRunner.withPropertyValues(connectedToServer()).run((context) -> {
			assertThat(LangfuseContext.client()).isSameAs(context.getBean(LangfuseClient.class))
				.isInstanceOf(DefaultLangfuseClient.class);
		});
		assertThat(LangfuseContext.client()).isSameAs(LangfuseClient.noop());
	}

	@Test
	void hostWithTrailingSlashIsTheBaseOfTheApiPaths() {
		this.contextRunner.withPropertyValues(connectedToServer())
			.withPropertyValues("langfuse.host=" + this.server.url() + "/")
			.run((context) -> {
				await().until(() -> !this.server.requests().isEmpty());
				assertThat(this.server.requests()).extracting(RecordedRequest::path)
					.containsOnly(FakeLangfuseServer.PROJECTS_PATH);
				assertThat(context.getBean(LangfuseTracer.class).settings().host()).isEqualTo(this.server.url());
			});
	}

	@Test
	void hostWithPathKeepsThePathForAReverseProxy() {
		this.contextRunner.withPropertyValues(connectedToServer())
			.withPropertyValues("langfuse.host=" + this.server.url() + "/langfuse")
			.run((context) -> {
				await().until(() -> !this.server.requests().isEmpty());
				assertThat(this.server.requests()).extracting(RecordedRequest::path)
					.containsOnly("/langfuse" + FakeLangfuseServer.PROJECTS_PATH);
			});
	}

	@Test
	void whenDisabledOnlyANoopClientIsDefined() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(LangfuseObserveAutoConfiguration.class))
			.withPropertyValues(connectedToServer())
			.withPropertyValues("langfuse.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(LangfuseClient.class);
				assertThat(context.getBean(LangfuseClient.class)).isSameAs(LangfuseClient.noop());
				assertThat(context).doesNotHaveBean(LangfuseTracer.class)
					.doesNotHaveBean(LangfuseExportPipeline.class)
					.doesNotHaveBean(LangfuseExportLifecycle.class)
					.doesNotHaveBean(LangfuseConnectionDetails.class)
					.doesNotHaveBean(ValueSerializer.class)
					.doesNotHaveBean(ObserveAdvisor.class)
					.doesNotHaveBean(AopConfigUtils.AUTO_PROXY_CREATOR_BEAN_NAME);
				assertThat(newExportThreads()).isEmpty();
			});
		assertThat(this.server.requests()).isEmpty();
	}

	@Test
	void withoutKeysWarnsOnceStartsNoThreadAndSendsNothing(CapturedOutput output) {
		this.contextRunner.withConfiguration(AutoConfigurations.of(LangfuseObserveAutoConfiguration.class))
			.withPropertyValues("langfuse.host=" + this.server.url())
			.withUserConfiguration(ObservedServiceConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ObservedService service = context.getBean(ObservedService.class);
				assertThat(service.currentTraceId()).hasValueSatisfying(
						(traceId) -> assertThat(traceId).matches("[0-9a-f]{32}"));
				assertThat(context.getBean(LangfuseClient.class).currentTraceId()).isEmpty();
				assertThat(LangfuseContext.flush(Duration.ofSeconds(1))).isTrue();
				assertThat(newExportThreads()).isEmpty();
			});
		assertThat(this.server.requests()).isEmpty();
		List<String> mentions = output.getAll()
			.lines()
			.filter((line) -> line.contains("langfuse.public-key"))
			.toList();
		assertThat(mentions).singleElement().asString().contains("WARN");
	}

	@Test
	void anSslBundleThatDoesNotExistFailsStartupEvenWithoutKeys(CapturedOutput output) {
		// a name mistyped in development fails there, not first in the environment that has the keys
		this.contextRunner.withPropertyValues("langfuse.host=" + this.server.url(), "langfuse.ssl.bundle=missing")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("langfuse.ssl.bundle is set to 'missing' but no SSL bundles are configured"));
		assertThat(output).contains("Exception encountered during context initialization")
			.doesNotContain("Langfuse keys are not configured");
		assertThat(this.server.requests()).isEmpty();
	}

	@Test
	void backsOffForUserValueSerializer() {
		this.contextRunner.withPropertyValues(connectedToServer())
			.withUserConfiguration(UserValueSerializerConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(ValueSerializer.class)
					.hasBean("userValueSerializer")
					.doesNotHaveBean(JacksonValueSerializer.class);
				assertThat(context.getBean(LangfuseTracer.class).settings().serializer())
					.isSameAs(context.getBean("userValueSerializer"));
			});
	}

	@Test
	void preparesTheValueSerializerOnTheExportThreadOnceStarted() {
		this.contextRunner.withPropertyValues(connectedToServer())
			.withUserConfiguration(PreparedValueSerializerConfiguration.class)
			.run((context) -> {
				PreparedValueSerializer serializer = context.getBean(PreparedValueSerializer.class);
				await().atMost(Duration.ofSeconds(5)).until(() -> serializer.preparedOn.get() != null);
				assertThat(serializer.preparedOn.get()).isEqualTo("langfuse-export-traces");
			});
	}

	@Test
	void backsOffForUserConnectionDetailsAndUsesThem() {
		this.contextRunner.withPropertyValues("langfuse.host=http://127.0.0.1:9", "langfuse.public-key=pk-unused",
				"langfuse.secret-key=sk-unused")
			.withBean(LangfuseConnectionDetails.class, () -> new ServerConnectionDetails(this.server.url()))
			.run((context) -> {
				assertThat(context).hasSingleBean(LangfuseConnectionDetails.class)
					.doesNotHaveBean(PropertiesLangfuseConnectionDetails.class);
				await().until(() -> !this.server.requests(FakeLangfuseServer.PROJECTS_PATH).isEmpty());
				assertThat(this.server.requests(FakeLangfuseServer.PROJECTS_PATH).get(0).basicCredentials())
					.isEqualTo(FakeLangfuseServer.PUBLIC_KEY + ":" + FakeLangfuseServer.SECRET_KEY);
				assertThat(context.getBean(LangfuseTracer.class).settings().host()).isEqualTo(this.server.url());
			});
	}

	@Test
	void backsOffForUserTracer() {
		this.contextRunner.withPropertyValues(connectedToServer())
			.withUserConfiguration(UserTracerConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(LangfuseTracer.class).hasBean("userTracer");
				assertThat(context.getBean(LangfuseTracer.class).settings().host())
					.isEqualTo(UserTracerConfiguration.HOST);
			});
	}

	@Test
	void backsOffForUserClient() {
		this.contextRunner.withPropertyValues(connectedToServer())
			.withUserConfiguration(UserClientConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(LangfuseClient.class)
					.hasBean("userLangfuseClient")
					.doesNotHaveBean("langfuseClient");
				assertThat(LangfuseContext.client()).isSameAs(context.getBean("userLangfuseClient"));
			});
	}

	@Test
	void whenDisabledBacksOffForUserClient() {
		this.contextRunner.withPropertyValues("langfuse.enabled=false")
			.withUserConfiguration(UserTracerConfiguration.class, UserClientConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(LangfuseClient.class)
					.hasBean("userLangfuseClient")
					.doesNotHaveBean("langfuseClient");
				assertThat(LangfuseContext.client()).isSameAs(context.getBean("userLangfuseClient"));
			});
	}

	@Test
	void withoutALibraryBacksOffForUserClient(CapturedOutput output) {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WebClient.class))
			.withUserConfiguration(UserTracerConfiguration.class, UserClientConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(LangfuseClient.class)
					.hasBean("userLangfuseClient")
					.doesNotHaveBean("langfuseClient");
				assertThat(LangfuseContext.client()).isSameAs(context.getBean("userLangfuseClient"));
			});
		assertThat(output).contains("Langfuse tracing is off: org.springframework:spring-webflux");
	}

	@Test
	void withoutWebClientProvidesTheNoopClientAndSaysWhatToAdd(CapturedOutput output) {
		this.contextRunner.withConfiguration(AutoConfigurations.of(LangfuseObserveAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(WebClient.class))
			.withPropertyValues(connectedToServer())
			.run(this::hasOnlyTheNoopClient);
		assertThat(this.server.requests()).isEmpty();
		assertThat(output).contains("Langfuse tracing is off: org.springframework:spring-webflux (for WebClient)"
				+ " is not on the classpath")
			.contains("io.github.observe4j:langfuse-spring-boot-starter")
			.doesNotContain("jackson-databind");
	}

	@Test
	void withoutJacksonProvidesTheNoopClientAndSaysWhatToAdd(CapturedOutput output) {
		this.contextRunner.withConfiguration(AutoConfigurations.of(LangfuseObserveAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(JsonMapper.class))
			.withPropertyValues(connectedToServer())
			.run(this::hasOnlyTheNoopClient);
		assertThat(this.server.requests()).isEmpty();
		assertThat(output).contains("Langfuse tracing is off: tools.jackson.core:jackson-databind (Jackson 3) is not");
	}

	@Test
	void withBothLibrariesNoMissingLibraryWarning(CapturedOutput output) {
		this.contextRunner.withPropertyValues(connectedToServer())
			.run((context) -> assertThat(context).doesNotHaveBean(LangfuseMissingLibrariesWarning.class));
		assertThat(output).doesNotContain("Langfuse tracing is off");
	}

	@Test
	void whenDisabledNoMissingLibraryWarning(CapturedOutput output) {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WebClient.class))
			.withPropertyValues("langfuse.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LangfuseMissingLibrariesWarning.class));
		assertThat(output).doesNotContain("Langfuse tracing is off");
	}

	@Test
	void keysThatAreStillUnresolvedPlaceholdersCountAsMissing(CapturedOutput output) {
		// what "public-key: ${LANGFUSE_PUBLIC_KEY}" binds to when the variable is not set
		this.contextRunner
			.withPropertyValues("langfuse.host=" + this.server.url(), "langfuse.public-key=${NOT_SET_PUBLIC_KEY}",
					"langfuse.secret-key=${NOT_SET_SECRET_KEY}")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				LangfuseExportPipeline pipeline = context.getBean(LangfuseExportPipeline.class);
				assertThat(pipeline.isExporting()).isFalse();
				assertThat(pipeline).isInstanceOfSatisfying(InactiveExportPipeline.class,
						(inactive) -> assertThat(inactive.reason()).isEqualTo(LangfuseExportPipeline.MISSING_KEYS));
				assertThat(newExportThreads()).isEmpty();
			});
		assertThat(this.server.requests()).isEmpty();
		assertThat(output).contains("WARN").contains(LangfuseExportPipeline.MISSING_KEYS);
	}

	@Test
	void aLinkageErrorWhileCreatingTheTransportLeavesTheApplicationRunningWithoutExport(CapturedOutput output) {
		this.contextRunner.withConfiguration(AutoConfigurations.of(LangfuseObserveAutoConfiguration.class))
			.withPropertyValues(connectedToServer())
			.withUserConfiguration(ObservedServiceConfiguration.class)
			.withBean(LangfuseWebClientCustomizer.class, () -> (builder) -> {
				throw new NoClassDefFoundError("io/netty/handler/codec/quic/Quic");
			})
			.run((context) -> {
				assertThat(context).hasNotFailed();
				LangfuseExportPipeline pipeline = context.getBean(LangfuseExportPipeline.class);
				assertThat(pipeline.isExporting()).isFalse();
				assertThat(pipeline).isInstanceOfSatisfying(InactiveExportPipeline.class,
						(inactive) -> assertThat(inactive.reason()).contains("NoClassDefFoundError"));
				assertThat(context.getBean(ObservedService.class).currentTraceId()).isPresent();
			});
		assertThat(this.server.requests()).isEmpty();
		assertThat(output).contains("Langfuse export is off: its HTTP client could not be created"
				+ " (java.lang.NoClassDefFoundError: io/netty/handler/codec/quic/Quic)");
	}

	@Test
	void aConnectionDetailsHostWithoutASchemeFailsStartupNamingIt(CapturedOutput output) {
		this.contextRunner.withPropertyValues(connectedToServer())
			.withBean(LangfuseConnectionDetails.class, () -> new ServerConnectionDetails("cloud.langfuse.com"))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
					.hasMessageContaining("was 'cloud.langfuse.com'");
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(IllegalArgumentException.class);
				assertThat(context.getStartupFailure())
					.hasStackTraceContaining("Langfuse's HTTP client could not be set up")
					.hasStackTraceContaining("LangfuseConnectionDetails");
				assertThat(newExportThreads()).isEmpty();
			});
		assertThat(output).contains("Exception encountered during context initialization");
	}

	@Test
	void aFailingCustomizerFailsStartupNamingIt(CapturedOutput output) {
		this.contextRunner.withPropertyValues(connectedToServer())
			.withBean(LangfuseWebClientCustomizer.class, () -> (builder) -> {
				throw new IllegalStateException("no proxy credentials configured");
			})
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure())
					.hasStackTraceContaining("Langfuse's HTTP client could not be set up: IllegalStateException:"
							+ " no proxy credentials configured")
					.hasStackTraceContaining("LangfuseWebClientCustomizer");
			});
		assertThat(output).contains("Exception encountered during context initialization");
	}

	@Test
	void aLinkageErrorOnEveryRequestLeavesTheApplicationRunningAndCountsTheDrops(CapturedOutput output) {
		ClientHttpConnector broken = (method, uri, request) -> {
			// what Reactor Netty did for https hosts without its HTTP/3 classes
			throw new NoClassDefFoundError("io/netty/handler/codec/quic/Quic");
		};
		this.contextRunner.withConfiguration(AutoConfigurations.of(LangfuseObserveAutoConfiguration.class))
			.withPropertyValues(connectedToServer())
			.withPropertyValues("langfuse.export.max-retries=1")
			.withUserConfiguration(ObservedServiceConfiguration.class)
			.withBean(LangfuseWebClientCustomizer.class, () -> (builder) -> builder.clientConnector(broken))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(ObservedService.class).currentTraceId()).isPresent();
				LangfuseClient client = context.getBean(LangfuseClient.class);
				assertThat(client.authCheck()).isFalse();
				LangfuseExportPipeline pipeline = context.getBean(LangfuseExportPipeline.class);
				await().untilAsserted(() -> assertThat(pipeline.traceStats().droppedTotal()).isOne());
			});
		assertThat(this.server.requests()).isEmpty();
		assertThat(output).contains("a class its HTTP client needs is missing")
			.contains("NoClassDefFoundError: io/netty/handler/codec/quic/Quic")
			.contains("Could not deliver 1 observation to Langfuse (/api/public/otel/v1/traces), dropping them:"
					+ " NoClassDefFoundError: io/netty/handler/codec/quic/Quic (after 2 attempts)");
		// Reactor logs every linkage error it sees before rethrowing it
		assertThat(output).contains("reactor.core.Exceptions")
			.contains("throwIfFatal detected a jvm fatal exception, which is thrown and logged below");
	}

	private void hasOnlyTheNoopClient(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed()
			.hasSingleBean(LangfuseClient.class)
			.doesNotHaveBean(LangfuseTracer.class)
			.doesNotHaveBean(ObserveAdvisor.class);
		assertThat(context.getBean(LangfuseClient.class)).isSameAs(LangfuseClient.noop());
		assertThat(newExportThreads()).isEmpty();
	}

	@Test
	void sampleRateAboveOneFailsStartup(CapturedOutput output) {
		assertStartupFailsNaming(output, "langfuse.sample-rate", "langfuse.sample-rate=1.5");
	}

	@Test
	void hostThatIsNotAUrlFailsStartup(CapturedOutput output) {
		assertStartupFailsNaming(output, "langfuse.host", "langfuse.host=not a url");
	}

	@Test
	void aHostNameWithAnUnderscoreFailsStartupSayingWhy(CapturedOutput output) {
		// a Docker Compose service name such as langfuse_web: java.net.URI finds no host in it
		assertStartupFailsNaming(output, "langfuse.host", "langfuse.host=http://langfuse_web:3000");
		this.contextRunner.withPropertyValues("langfuse.host=http://langfuse_web:3000")
			.run((context) -> assertThat(analyze(context.getStartupFailure())).isNotNull()
				.satisfies((analysis) -> assertThat(analysis.getDescription())
					.contains("has a host name with '_', which Java's HTTP client cannot connect to")));
	}

	@ParameterizedTest
	@ValueSource(strings = { "langfuse.host=https://lf-user:hunter2@cloud.langfuse.com",
			"langfuse.host=https://lf-user:hun ter2%@cloud.langfuse.com",
			"langfuse.export.traces-endpoint=https://lf-user:hunter2@otel.internal/v1/traces",
			"langfuse.export.traces-endpoint=https://lf-user:ab/hunter2@otel.internal/v1/traces",
			"langfuse.export.traces-endpoint=https://lf-user:hunter2@otel_collector:4318/v1/traces" })
	void credentialsInAUrlFailStartupWithoutBeingShown(String property, CapturedOutput output) {
		// they would show in every log line and health detail that names the URL; a password with a
		// '/' or a '%', or a host with '_', leaves java.net.URI no user info to find
		String name = property.substring(0, property.indexOf('='));
		assertStartupFailsNaming(output, name, property);
		this.contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(analyze(context.getStartupFailure())).isNotNull()
				.satisfies((analysis) -> assertThat(analysis.getDescription()).contains(name)
					.contains("must not contain '@'")
					.doesNotContain("hunter2")
					.doesNotContain("lf-user"));
			assertThat(messagesOf(context.getStartupFailure())).doesNotContain("hunter2").doesNotContain("lf-user");
		});
		assertThat(output).doesNotContain("hunter2").doesNotContain("lf-user");
	}

	@Test
	void credentialsInTheHostOfAConnectionDetailsBeanFailStartupWithoutBeingShown(CapturedOutput output) {
		LangfuseConnectionDetails withCredentials = new LangfuseConnectionDetails() {

			@Override
			public String getHost() {
				return "https://lf-user:ab/hunter2@cloud.langfuse.com";
			}

			@Override
			public String getPublicKey() {
				return "pk-lf-test";
			}

			@Override
			public String getSecretKey() {
				return "sk-lf-test";
			}

		};
		this.contextRunner.withBean(LangfuseConnectionDetails.class, () -> withCredentials).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(messagesOf(context.getStartupFailure())).contains("must not contain '@'")
				.doesNotContain("hunter2")
				.doesNotContain("lf-user");
		});
		assertThat(output).contains("Exception encountered during context initialization")
			.doesNotContain("hunter2")
			.doesNotContain("lf-user");
	}

	// every message in the cause chain, as a startup failure's stack trace prints them
	private static String messagesOf(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append(cause).append('\n');
		}
		return messages.toString();
	}

	@Test
	void negativeQueueSizeFailsStartup(CapturedOutput output) {
		assertStartupFailsNaming(output, "langfuse.export.max-queue-size", "langfuse.export.max-queue-size=-1");
	}

	@Test
	void batchLargerThanQueueFailsStartup(CapturedOutput output) {
		assertStartupFailsNaming(output, "langfuse.export.max-batch-size", "langfuse.export.max-queue-size=100",
				"langfuse.export.max-batch-size=101");
	}

	@Test
	void captureLimitOfZeroFailsStartup(CapturedOutput output) {
		assertStartupFailsNaming(output, "langfuse.observe.capture-limits.max-items",
				"langfuse.observe.capture-limits.max-items=0");
	}

	@Test
	void captureLimitsBoundWhatIsSerialized() {
		this.contextRunner
			.withPropertyValues("langfuse.observe.capture-limits.max-items=3",
					"langfuse.observe.capture-limits.max-string-length=5", "langfuse.observe.capture-limits.max-depth=2")
			.run((context) -> {
				ValueSerializer serializer = context.getBean(ValueSerializer.class);
				assertThat(serializer.toJson(java.util.List.of(1, 2, 3, 4, 5, 6, 7), 10_000)).startsWith("[1,2,3,")
					.contains("4 more items");
				assertThat(serializer.toJson(java.util.Map.of("text", "abcdefghij"), 10_000)).contains("\"abcde")
					.contains("10 chars in total");
				assertThat(serializer.toJson(java.util.List.of(java.util.List.of(java.util.List.of(1))), 10_000))
					.contains("nested deeper than 2 levels");
			});
	}

	@Test
	void maxQueueBytesBelowOneMegabyteFailsStartup(CapturedOutput output) {
		assertStartupFailsNaming(output, "langfuse.export.max-queue-bytes", "langfuse.export.max-queue-bytes=512KB");
	}

	@Test
	void maxQueueBytesBelowTwiceTheObservationSizeFailsStartup(CapturedOutput output) {
		assertStartupFailsNaming(output, "langfuse.export.max-queue-bytes", "langfuse.export.max-queue-bytes=3MB",
				"langfuse.export.max-observation-size=2MB");
	}

	@Test
	void theQueuesAndTheTracerShareOneByteBudgetOfMaxQueueBytes() {
		this.contextRunner.withPropertyValues(connectedToServer()).run((context) -> {
			LangfuseExportPipeline pipeline = context.getBean(LangfuseExportPipeline.class);
			assertThat(pipeline.byteBudget().capacity()).isEqualTo(DataSize.ofMegabytes(32).toBytes());
			assertThat(pipeline.traceStats().maxQueueBytes()).isEqualTo(DataSize.ofMegabytes(32).toBytes());
			assertThat(pipeline.scoreStats().maxQueueBytes()).isEqualTo(DataSize.ofMegabytes(32).toBytes());
			// an observation held back for its trace reserves its bytes in the same budget
			LangfuseTracer tracer = context.getBean(LangfuseTracer.class);
			LangfuseSpan root = tracer.startObservation("root", ObservationType.SPAN);
			ObservationContext previous = ObservationContextHolder.swap(root);
			try {
				LangfuseSpan child = tracer.startObservation("child", ObservationType.SPAN);
				tracer.endObservation(child);
				assertThat(pipeline.traceStats().queuedBytes()).isEqualTo(child.retainedBytes());
			}
			finally {
				ObservationContextHolder.swap(previous);
			}
		});
		this.contextRunner.withPropertyValues(connectedToServer())
			.withPropertyValues("langfuse.export.max-queue-bytes=8MB")
			.run((context) -> assertThat(context.getBean(LangfuseExportPipeline.class).byteBudget().capacity())
				.isEqualTo(DataSize.ofMegabytes(8).toBytes()));
	}

	@Test
	void environmentWithSpacesFailsStartup(CapturedOutput output) {
		assertStartupFailsNaming(output, "langfuse.environment", "langfuse.environment=Prod Env!");
	}

	@Test
	void proxyHostWithASchemeFailsStartup(CapturedOutput output) {
		assertStartupFailsNaming(output, "langfuse.proxy.host", "langfuse.proxy.host=http://proxy.internal:3128",
				"langfuse.proxy.port=3128");
	}

	@Test
	void proxyHostAsAnAddressStarts(CapturedOutput output) {
		for (String host : List.of("[::1]", "fd00::1", "fe80::1%eth0", "10.0.0.7", "proxy-1.internal")) {
			this.contextRunner.withPropertyValues("langfuse.proxy.host=" + host, "langfuse.proxy.port=3128")
				.run((context) -> assertThat(context).as(host).hasNotFailed());
		}
		assertThat(output).contains(LangfuseExportPipeline.MISSING_KEYS);
	}

	@Test
	void proxyHostWithAPortFailsStartup(CapturedOutput output) {
		assertStartupFailsNaming(output, "langfuse.proxy.host", "langfuse.proxy.host=10.0.0.7:3128",
				"langfuse.proxy.port=3128");
	}

	@Test
	void aPromptFetchTimeoutOfZeroFailsStartup(CapturedOutput output) {
		assertStartupFailsNaming(output, "langfuse.prompts.fetch-timeout", "langfuse.prompts.fetch-timeout=0s");
	}

	@Test
	void durationsTooLongToCountInNanosecondsFailStartup(CapturedOutput output) {
		// a wait of 300,000 days overflows Duration.toNanos: named at startup, not thrown per call
		assertStartupFailsNaming(output, "langfuse.prompts.fetch-timeout", "langfuse.prompts.fetch-timeout=300000d");
		assertStartupFailsNaming(output, "langfuse.prompts.cache-ttl", "langfuse.prompts.cache-ttl=300000d");
		assertStartupFailsNaming(output, "langfuse.export.max-retry-duration",
				"langfuse.export.max-retry-duration=300000d");
		assertStartupFailsNaming(output, "langfuse.export.shutdown-timeout", "langfuse.export.shutdown-timeout=300000d");
	}

	@Test
	void aNegativePromptCacheTtlFailsStartup(CapturedOutput output) {
		assertStartupFailsNaming(output, "langfuse.prompts.cache-ttl", "langfuse.prompts.cache-ttl=-1s");
	}

	@Test
	void proxyHostWithoutPortFailsStartup(CapturedOutput output) {
		assertStartupFailsNaming(output, "langfuse.proxy.port", "langfuse.proxy.host=proxy.internal");
	}

	@Test
	void tracesEndpointThatIsNotAUrlFailsStartup(CapturedOutput output) {
		assertStartupFailsNaming(output, "langfuse.export.traces-endpoint",
				"langfuse.export.traces-endpoint=collector:4318");
	}

	@Test
	void anInvalidHeaderNameFailsStartupWithoutShowingTheOtherHeaders(CapturedOutput output) {
		this.contextRunner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new org.springframework.core.env.MapPropertySource("headers",
						java.util.Map.of("langfuse.export.headers.Authorization", "Bearer s3cr3t-token",
								"langfuse.export.headers[x bad]", "v"))))
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable rootCause = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
				assertThat(rootCause).isInstanceOf(BindValidationException.class)
					.hasMessageContaining("not a valid HTTP token: 'x bad'")
					.hasMessageNotContaining("s3cr3t-token");
				assertThat(analyze(context.getStartupFailure()).getDescription()).doesNotContain("s3cr3t-token");
			});
		assertThat(output).contains("Exception encountered during context initialization")
			.doesNotContain("s3cr3t-token");
	}

	@Test
	void anExtraHeaderValueWithALineBreakFailsStartupWithoutShowingIt(CapturedOutput output) {
		// as a token read from a file with its trailing newline would bind
		assertHeaderValueFailsStartupWithoutShowingIt(output, "s3cr3t-token\n", "header 'x-token' with a line break");
	}

	@Test
	void anExtraHeaderValueWithACharacterHeadersCannotCarryFailsStartupWithoutShowingIt(CapturedOutput output) {
		// a byte-order mark from a mounted secret file, or a zero-width space pasted with the token
		assertHeaderValueFailsStartupWithoutShowingIt(output, "\ufeffs3cr3t-token\u200b",
				"a character HTTP headers cannot carry (above U+00FF");
	}

	/** Binds the value as a property source would (a file, a secret), not through the command line. */
	private void assertHeaderValueFailsStartupWithoutShowingIt(CapturedOutput output, String value, String problem) {
		this.contextRunner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new org.springframework.core.env.MapPropertySource("token-file",
						java.util.Map.of("langfuse.export.headers.x-token", value))))
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable rootCause = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
				assertThat(rootCause).isInstanceOf(BindValidationException.class)
					.hasMessageContaining("langfuse.export.headers.x-token")
					.hasMessageContaining(problem)
					.hasMessageNotContaining("s3cr3t-token");
			});
		assertThat(output).contains("Exception encountered during context initialization")
			.doesNotContain("s3cr3t-token");
	}

	@Test
	void anExtraHeaderValueWithLatinOneTextStarts(CapturedOutput output) {
		this.contextRunner.withPropertyValues("langfuse.export.headers.x-team=caf\u00e9 \u00bd")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains(LangfuseExportPipeline.MISSING_KEYS);
	}

	private void assertStartupFailsNaming(CapturedOutput output, String property, String... properties) {
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			Throwable rootCause = NestedExceptionUtils.getMostSpecificCause(failure);
			assertThat(rootCause).isInstanceOf(BindValidationException.class).hasMessageContaining(property);
			assertThat(analyze(failure)).isNotNull()
				.satisfies((analysis) -> assertThat(analysis.getDescription()).contains(property));
			assertThat(newExportThreads()).isEmpty();
		});
		assertThat(output).contains("Exception encountered during context initialization - cancelling refresh attempt")
			.contains("Could not bind properties to 'LangfuseProperties' : prefix=langfuse");
	}

	// What SpringApplication prints when startup fails
	private static @Nullable FailureAnalysis analyze(Throwable failure) {
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader
			.forDefaultResourceLocation(LangfuseAutoConfigurationTests.class.getClassLoader())
			.load(FailureAnalyzer.class, ArgumentResolver.none(), FailureHandler.handleMessage((message, ex) -> {
			}));
		for (FailureAnalyzer analyzer : analyzers) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null) {
				return analysis;
			}
		}
		return null;
	}

	@Test
	void bindsTheEnvironmentVariablesOfLangfuseSdks() {
		Map<String, Object> variables = Map.of("LANGFUSE_PUBLIC_KEY", FakeLangfuseServer.PUBLIC_KEY,
				"LANGFUSE_SECRET_KEY", FakeLangfuseServer.SECRET_KEY, "LANGFUSE_HOST", this.server.url());
		this.contextRunner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
						new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
								variables)))
			.run((context) -> {
				LangfuseProperties properties = context.getBean(LangfuseProperties.class);
				assertThat(properties.getPublicKey()).isEqualTo(FakeLangfuseServer.PUBLIC_KEY);
				assertThat(properties.getSecretKey()).isEqualTo(FakeLangfuseServer.SECRET_KEY);
				assertThat(properties.getHost()).isEqualTo(this.server.url());
				await().until(() -> !this.server.requests(FakeLangfuseServer.PROJECTS_PATH).isEmpty());
			});
	}

	@Test
	void debugRaisesTheExportLoggerToDebugThroughTheLoggingSystem() {
		LoggingSystem loggingSystem = LoggingSystem.get(getClass().getClassLoader());
		try {
			this.contextRunner.withPropertyValues(connectedToServer())
				.withPropertyValues("langfuse.debug=true")
				.withBean(LoggingApplicationListener.LOGGING_SYSTEM_BEAN_NAME, LoggingSystem.class, () -> loggingSystem)
				.run((context) -> {
					assertThat(context).hasNotFailed().hasSingleBean(LangfuseDebugLogging.class);
					LoggerConfiguration configuration = loggingSystem.getLoggerConfiguration(EXPORT_LOGGER);
					assertThat(configuration).isNotNull();
					assertThat(configuration.getConfiguredLevel()).isEqualTo(LogLevel.DEBUG);
				});
		}
		finally {
			loggingSystem.setLogLevel(EXPORT_LOGGER, null);
		}
	}

	@Test
	void withoutDebugTheExportLoggerIsLeftAlone() {
		LoggingSystem loggingSystem = LoggingSystem.get(getClass().getClassLoader());
		this.contextRunner.withPropertyValues(connectedToServer())
			.withBean(LoggingApplicationListener.LOGGING_SYSTEM_BEAN_NAME, LoggingSystem.class, () -> loggingSystem)
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(LangfuseDebugLogging.class);
				LoggerConfiguration configuration = loggingSystem.getLoggerConfiguration(EXPORT_LOGGER);
				assertThat((configuration != null) ? configuration.getConfiguredLevel() : null).isNull();
			});
	}

	@Test
	void debugRaisesTheExportLoggerOnceBeforeTheExportStarts() {
		RecordingLoggingSystem loggingSystem = new RecordingLoggingSystem(this::newExportThreads);
		this.contextRunner.withPropertyValues(connectedToServer())
			.withPropertyValues("langfuse.debug=true")
			.withBean(LoggingApplicationListener.LOGGING_SYSTEM_BEAN_NAME, LoggingSystem.class, () -> loggingSystem)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(newExportThreads()).isNotEmpty();
			});
		assertThat(loggingSystem.calls).containsExactly(EXPORT_LOGGER + "=DEBUG with 0 export threads");
	}

	@Test
	void debugWithoutALoggingSystemBeanStillStarts() {
		// ApplicationContextRunner registers no LoggingSystem (SpringApplication does)
		this.contextRunner.withPropertyValues(connectedToServer())
			.withPropertyValues("langfuse.debug=true")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(LangfuseDebugLogging.class)
				.doesNotHaveBean(LoggingSystem.class));
	}

	@Test
	void secretKeyIsNeverLoggedOrShownWithDebugOnAndKeysRejected(CapturedOutput output) {
		this.server.setDefaultResponse(FakeLangfuseServer.PROJECTS_PATH,
				FakeResponse.status(401).body("{\"message\":\"Invalid credentials\"}"));
		this.server.setDefaultResponse(FakeLangfuseServer.OTEL_PATH,
				FakeResponse.status(401).body("{\"message\":\"Invalid credentials\"}"));
		LoggingSystem loggingSystem = LoggingSystem.get(getClass().getClassLoader());
		try {
			this.contextRunner.withConfiguration(AutoConfigurations.of(LangfuseObserveAutoConfiguration.class))
				.withPropertyValues(connectedToServer())
				.withPropertyValues("langfuse.debug=true")
				.withBean(LoggingApplicationListener.LOGGING_SYSTEM_BEAN_NAME, LoggingSystem.class, () -> loggingSystem)
				.withUserConfiguration(ObservedServiceConfiguration.class)
				.run((context) -> {
					context.getBean(ObservedService.class).currentTraceId();
					LangfuseContext.flush(Duration.ofSeconds(5));
					await().until(() -> !this.server.requests(FakeLangfuseServer.OTEL_PATH).isEmpty());
					LangfuseExportPipeline pipeline = context.getBean(LangfuseExportPipeline.class);
					Object transport = ReflectionTestUtils.getField(pipeline, "transport");
					assertThat(transport).isNotNull();
					assertThat(List.of(context.getBean(LangfuseConnectionDetails.class), pipeline, transport))
						.allSatisfy((object) -> assertThat(object.toString()).isNotBlank()
							.doesNotContain(FakeLangfuseServer.SECRET_KEY));
				});
		}
		finally {
			loggingSystem.setLogLevel(EXPORT_LOGGER, null);
		}
		String credentials = Base64.getEncoder()
			.encodeToString((FakeLangfuseServer.PUBLIC_KEY + ":" + FakeLangfuseServer.SECRET_KEY)
				.getBytes(StandardCharsets.UTF_8));
		assertThat(output.getAll()).contains("Langfuse rejected the API keys")
			.doesNotContain(FakeLangfuseServer.SECRET_KEY)
			.doesNotContain(credentials);
	}

	private String[] connectedToServer() {
		return new String[] { "langfuse.host=" + this.server.url(),
				"langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
				"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY };
	}

	private List<Thread> newExportThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith(BatchProcessor.THREAD_NAME_PREFIX))
			.filter((thread) -> !this.threadsBefore.contains(thread))
			.toList();
	}

	/**
	 * Records which levels are set, and how many export threads run at the time.
	 */
	static final class RecordingLoggingSystem extends LoggingSystem {

		private final Supplier<List<Thread>> exportThreads;

		final List<String> calls = new CopyOnWriteArrayList<>();

		RecordingLoggingSystem(Supplier<List<Thread>> exportThreads) {
			this.exportThreads = exportThreads;
		}

		@Override
		public void beforeInitialize() {
		}

		@Override
		public void setLogLevel(@Nullable String loggerName, @Nullable LogLevel level) {
			this.calls.add(loggerName + "=" + level + " with " + this.exportThreads.get().size() + " export threads");
		}

	}

	/**
	 * Defines an {@link ObservedService}.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ObservedServiceConfiguration {

		@Bean
		ObservedService observedService(LangfuseClient client) {
			return new ObservedService(client);
		}

	}

	/**
	 * A bean with an observed method that reports the current trace id.
	 */
	static class ObservedService {

		private final LangfuseClient client;

		ObservedService(LangfuseClient client) {
			this.client = client;
		}

		@Observe
		public Optional<String> currentTraceId() {
			return this.client.currentTraceId();
		}

	}

	/**
	 * Defines a user {@link ValueSerializer}.
	 */
	@Configuration(proxyBeanMethods = false)
	static class UserValueSerializerConfiguration {

		@Bean
		ValueSerializer userValueSerializer() {
			return (value, maxChars) -> "\"user\"";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PreparedValueSerializerConfiguration {

		@Bean
		PreparedValueSerializer preparedValueSerializer() {
			return new PreparedValueSerializer();
		}

	}

	/** Remembers the thread that prepared it. */
	static class PreparedValueSerializer implements ValueSerializer {

		final AtomicReference<@Nullable String> preparedOn = new AtomicReference<>();

		@Override
		public String toJson(@Nullable Object value, int maxChars) {
			return "\"user\"";
		}

		@Override
		public void prepare() {
			this.preparedOn.set(Thread.currentThread().getName());
		}

	}

	/**
	 * Defines a user {@link LangfuseTracer} that discards what it records.
	 */
	@Configuration(proxyBeanMethods = false)
	static class UserTracerConfiguration {

		static final String HOST = "http://user-tracer.example";

		@Bean
		LangfuseTracer userTracer() {
			TracerSettings settings = new TracerSettings(HOST, null, 1.0, true, true, (value, maxChars) -> "null",
					1024, 16, 16);
			return new LangfuseTracer(settings, RecordSink.discarding());
		}

	}

	/**
	 * Defines a user {@link LangfuseClient}.
	 */
	@Configuration(proxyBeanMethods = false)
	static class UserClientConfiguration {

		@Bean
		DefaultLangfuseClient userLangfuseClient(LangfuseTracer tracer) {
			return new DefaultLangfuseClient(tracer, RecordSink.discarding(), ExportControl.none());
		}

	}

	/**
	 * Connection details of an application that finds Langfuse some other way.
	 */
	static final class ServerConnectionDetails implements LangfuseConnectionDetails {

		private final String host;

		ServerConnectionDetails(String host) {
			this.host = host;
		}

		@Override
		public String getHost() {
			return this.host;
		}

		@Override
		public String getPublicKey() {
			return FakeLangfuseServer.PUBLIC_KEY;
		}

		@Override
		public String getSecretKey() {
			return FakeLangfuseServer.SECRET_KEY;
		}

	}

}
