package io.github.observe4j.langfuse.autoconfigure;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.observe4j.langfuse.autoconfigure.LangfuseProperties.Integrations.NestedGeneration;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.internal.core.DefaultLangfuseClient;
import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import io.github.observe4j.langfuse.internal.core.LlmCalls;
import io.github.observe4j.langfuse.internal.core.RecentTraces;
import io.github.observe4j.langfuse.internal.core.TracerSettings;
import io.github.observe4j.langfuse.internal.model.RecordingSinks;
import io.github.observe4j.langfuse.internal.model.ValueSerializer;
import io.github.observe4j.langfuse.internal.json.JacksonValueSerializer;
import io.github.observe4j.langfuse.internal.json.StructureLimits;
import io.github.observe4j.langfuse.internal.metrics.LangfuseExportMetrics;
import io.github.observe4j.langfuse.model.LangfuseMasker;
import tools.jackson.databind.json.JsonMapper;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AllNestedConditions;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration for Langfuse tracing: the tracer, the
 * injectable {@link LangfuseClient} and the background export to Langfuse. With
 * {@code langfuse.enabled=false}, or without the HTTP or JSON library tracing needs, only a no-op
 * {@link LangfuseClient} is defined.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@EnableConfigurationProperties(LangfuseProperties.class)
@ImportRuntimeHints(LangfuseRuntimeHints.class)
public final class LangfuseAutoConfiguration {

	@Bean
	static LangfuseContextRegistration langfuseContextRegistration(ObjectProvider<LangfuseClient> client) {
		return new LangfuseContextRegistration(client);
	}

	/**
	 * Keeps the secret key masked in {@code /actuator/configprops} and {@code /actuator/env}
	 * even when they are set to show values.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SanitizingFunction.class)
	static class LangfuseSanitizingConfiguration {

		@Bean
		SanitizingFunction langfuseSecretKeySanitizingFunction(LangfuseProperties properties) {
			String secretKey = properties.getSecretKey();
			return SanitizingFunction.sanitizeValue()
				.ifKeyMatches((key) -> key.replaceAll("[^A-Za-z]", "").toLowerCase(Locale.ROOT).endsWith("secretkey"))
				// extra export headers usually carry a collector's or gateway's credentials
				.ifKeyMatches((key) -> key.replaceAll("[^A-Za-z]", "").toLowerCase(Locale.ROOT).contains("langfuseexportheaders"))
				// any value holding the key, such as the command line in sun.java.command when the key
				// was passed as --langfuse.secret-key=...
				.ifValueMatches((value) -> secretKey != null && secretKey.length() >= 8
						&& String.valueOf(value).contains(secretKey));
		}

	}

	/**
	 * Says why tracing is off when the starter's HTTP or JSON library is missing, instead of
	 * silently doing nothing.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "langfuse.enabled", matchIfMissing = true)
	@Conditional(MissingLibrariesCondition.class)
	static class LangfuseMissingLibrariesConfiguration {

		@Bean
		static LangfuseMissingLibrariesWarning langfuseMissingLibrariesWarning() {
			return new LangfuseMissingLibrariesWarning();
		}

	}

	/**
	 * The client when tracing is off, so that code injecting a {@link LangfuseClient} keeps
	 * working.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(TracingOffCondition.class)
	static class LangfuseNoopClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LangfuseClient langfuseClient() {
			return LangfuseClient.noop();
		}

	}

	/**
	 * Tracing is on: enabled, with the HTTP and the JSON library on the classpath.
	 */
	static final class TracingCondition extends AllNestedConditions {

		TracingCondition() {
			super(ConfigurationPhase.PARSE_CONFIGURATION);
		}

		@ConditionalOnBooleanProperty(name = "langfuse.enabled", matchIfMissing = true)
		static class Enabled {

		}

		@ConditionalOnClass({ WebClient.class, JsonMapper.class })
		static class Libraries {

		}

	}

	/**
	 * Tracing is off: exactly when {@link TracingCondition} does not match, so that exactly one
	 * of the two clients named {@code langfuseClient} is defined, whichever is processed first.
	 */
	static final class TracingOffCondition extends NoneNestedConditions {

		TracingOffCondition() {
			super(ConfigurationPhase.PARSE_CONFIGURATION);
		}

		@Conditional(TracingCondition.class)
		static class Tracing {

		}

	}

	static final class MissingLibrariesCondition extends AnyNestedCondition {

		MissingLibrariesCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnMissingClass(LangfuseMissingLibrariesWarning.WEB_CLIENT)
		static class NoWebClient {

		}

		@ConditionalOnMissingClass(LangfuseMissingLibrariesWarning.JSON_MAPPER)
		static class NoJackson {

		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(TracingCondition.class)
	static class LangfuseTracingConfiguration {

		private static final String RECORDING = "Langfuse export is off while traces are recorded in memory"
				+ " (@AutoConfigureLangfuseRecorder)";

		/**
		 * The read-only {@code langfuse} actuator endpoint; exposed only where the application
		 * exposes it.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
		static class LangfuseEndpointConfiguration {

			@Bean
			@ConditionalOnMissingBean
			LangfuseEndpoint langfuseEndpoint(LangfuseProperties properties, LangfuseExportPipeline pipeline,
					ObjectProvider<RecentTraces> recentTraces, ObjectProvider<LangfuseClient> client) {
				return new LangfuseEndpoint(properties, pipeline, recentTraces.getIfAvailable(),
						client.getIfAvailable(LangfuseClient::noop));
			}

			/**
			 * The last traces sent, shown by the endpoint; kept only where the endpoint is
			 * exposed, as it costs every trace a small write.
			 */
			@Configuration(proxyBeanMethods = false)
			@ConditionalOnClass(
					name = "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint")
			static class LangfuseRecentTracesConfiguration {

				/** How many traces the endpoint shows. */
				private static final int RECENT_TRACES = 20;

				@Bean
				@ConditionalOnMissingBean
				@ConditionalOnAvailableEndpoint(LangfuseEndpoint.class)
				RecentTraces langfuseRecentTraces() {
					return new RecentTraces(RECENT_TRACES);
				}

			}

		}

		/**
		 * The current trace and observation ids in the SLF4J MDC, for logs joined with traces.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(name = "org.slf4j.MDC")
		@ConditionalOnBooleanProperty(name = "langfuse.observe.log-correlation", matchIfMissing = true)
		static class LangfuseLogCorrelationConfiguration {

			@Bean
			LangfuseLogCorrelation langfuseLogCorrelation() {
				return new LangfuseLogCorrelation();
			}

		}

		/**
		 * The export counters as Micrometer meters; Boot binds {@code MeterBinder} beans to its
		 * registry.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
		static class LangfuseMetricsConfiguration {

			@Bean
			@ConditionalOnMissingBean
			LangfuseExportMetrics langfuseExportMetrics(LangfuseExportPipeline pipeline) {
				return new LangfuseExportMetrics(
						Map.of("traces", pipeline.traceStats(), "scores", pipeline.scoreStats()));
			}

		}

		@Bean
		@ConditionalOnMissingBean(LangfuseConnectionDetails.class)
		PropertiesLangfuseConnectionDetails langfuseConnectionDetails(LangfuseProperties properties) {
			return new PropertiesLangfuseConnectionDetails(properties);
		}

		@Bean
		@ConditionalOnMissingBean
		ValueSerializer langfuseValueSerializer(LangfuseProperties properties) {
			LangfuseProperties.Observe.CaptureLimits limits = properties.getObserve().getCaptureLimits();
			return new JacksonValueSerializer(
					new StructureLimits(limits.getMaxDepth(), limits.getMaxItems(), limits.getMaxStringLength()));
		}

		/** Every masker bean, in order, each on the text the one before it returned. */
		private static @Nullable LangfuseMasker chain(List<LangfuseMasker> maskers) {
			if (maskers.isEmpty()) {
				return null;
			}
			return (text) -> {
				String masked = text;
				for (LangfuseMasker masker : maskers) {
					masked = masker.mask(masked);
					if (masked == null) {
						masked = "";
					}
				}
				return masked;
			};
		}

		@Bean
		LangfuseExportPipeline langfuseExportPipeline(LangfuseProperties properties,
				LangfuseConnectionDetails connectionDetails, ValueSerializer valueSerializer,
				ObjectProvider<LangfuseWebClientCustomizer> customizers, ObjectProvider<SslBundles> sslBundles,
				ObjectProvider<LangfuseMasker> masker, Environment environment,
				ObjectProvider<RecordingSinks> recordingSinks) {
			RecordingSinks recording = recordingSinks.getIfAvailable();
			if (recording != null) {
				return new InactiveExportPipeline(RECORDING, recording.observations(), recording.scores());
			}
			LangfuseTransportFactory transportFactory = LangfuseTransportFactory.of(properties,
					sslBundles.getIfAvailable(), customizers.orderedStream().toList());
			return LangfuseExportPipeline.create(properties, connectionDetails, valueSerializer, transportFactory,
					environment.getProperty("spring.application.name"), chain(masker.orderedStream().toList()));
		}

		@Bean
		@ConditionalOnBooleanProperty(name = "langfuse.debug")
		LangfuseDebugLogging langfuseDebugLogging(ObjectProvider<LoggingSystem> loggingSystem) {
			return new LangfuseDebugLogging(loggingSystem);
		}

		@Bean
		LangfuseExportLifecycle langfuseExportLifecycle(LangfuseExportPipeline pipeline) {
			return new LangfuseExportLifecycle(pipeline);
		}

		@Bean
		@ConditionalOnMissingBean
		LangfuseTracer langfuseTracer(LangfuseProperties properties, LangfuseConnectionDetails connectionDetails,
				LangfuseExportPipeline pipeline, ValueSerializer valueSerializer,
				ObjectProvider<RecentTraces> recentTraces) {
			TracerSettings settings = new TracerSettings(connectionDetails.getHost(), properties.getEnvironment(),
					properties.getSampleRate(), properties.getObserve().isCaptureInput(),
					properties.getObserve().isCaptureOutput(), valueSerializer,
					(int) Math.min(Integer.MAX_VALUE, properties.getExport().getMaxObservationSize().toBytes()),
					1024, properties.getExport().getMaxQueueSize());
			return new LangfuseTracer(settings, pipeline.traceSink(), pipeline.byteBudget(),
					recentTraces.getIfAvailable());
		}

		@Bean
		@ConditionalOnMissingBean
		LlmCalls langfuseLlmCalls(LangfuseTracer tracer, LangfuseProperties properties) {
			return new LlmCalls(tracer,
					properties.getIntegrations().getNestedGeneration() == NestedGeneration.MERGE);
		}

		@Bean
		@ConditionalOnMissingBean(LangfuseClient.class)
		DefaultLangfuseClient langfuseClient(LangfuseTracer tracer, LangfuseExportPipeline pipeline,
				ResourceLoader resourceLoader) {
			return new DefaultLangfuseClient(tracer, pipeline.scoreSink(), pipeline,
					LangfuseAsyncEndStrategies.available(resourceLoader.getClassLoader()));
		}

		@Bean
		@ConditionalOnMissingBean(name = "langfuseTaskDecorator")
		@ConditionalOnBooleanProperty(name = "langfuse.observe.propagate-to-executors", matchIfMissing = true)
		LangfuseTaskDecorator langfuseTaskDecorator() {
			return new LangfuseTaskDecorator();
		}

	}

}
