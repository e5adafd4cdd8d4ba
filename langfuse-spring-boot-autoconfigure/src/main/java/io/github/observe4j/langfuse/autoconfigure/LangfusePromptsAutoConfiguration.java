package io.github.observe4j.langfuse.autoconfigure;

import java.util.Optional;
import java.util.function.Function;

import io.github.observe4j.langfuse.internal.export.HttpTransport;
import io.github.observe4j.langfuse.internal.metrics.LangfusePromptMetrics;
import io.github.observe4j.langfuse.internal.prompt.CachingLangfusePrompts;
import io.github.observe4j.langfuse.internal.prompt.FallbackLangfusePrompts;
import io.github.observe4j.langfuse.internal.prompt.PromptApi;
import io.github.observe4j.langfuse.internal.prompt.PromptStats;
import io.github.observe4j.langfuse.prompt.LangfusePrompts;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration for {@link LangfusePrompts}: prompts fetched over the export's transport
 * and cached, or, when nothing can be sent (no keys, {@code langfuse.enabled=false}, a missing
 * library), fallbacks only, so that code injecting it keeps working.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = LangfuseAutoConfiguration.class)
@EnableConfigurationProperties(LangfuseProperties.class)
public final class LangfusePromptsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PromptStats langfusePromptStats() {
		return new PromptStats();
	}

	@Bean
	@ConditionalOnMissingBean
	LangfusePrompts langfusePrompts(LangfuseProperties properties, ObjectProvider<LangfuseExportPipeline> pipeline,
			PromptStats stats) {
		LangfuseExportPipeline export = pipeline.getIfAvailable();
		Optional<HttpTransport> transport = (export != null) ? export.transport() : Optional.empty();
		if (transport.isEmpty()) {
			return new FallbackLangfusePrompts(reason(properties, export), stats);
		}
		LangfuseProperties.Prompts prompts = properties.getPrompts();
		PromptApi api = new PromptApi(transport.get(), JacksonReader.create());
		return new CachingLangfusePrompts(api, prompts.getCacheTtl(), prompts.getFetchTimeout(), stats);
	}

	private static String reason(LangfuseProperties properties, @Nullable LangfuseExportPipeline export) {
		if (export instanceof InactiveExportPipeline inactive) {
			return inactive.reason();
		}
		if (!properties.isEnabled()) {
			return "langfuse.enabled is false";
		}
		return "Langfuse tracing is off as spring-webflux or jackson-databind is missing";
	}

	/**
	 * The prompt counters as Micrometer meters.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
	static class LangfusePromptMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LangfusePromptMetrics langfusePromptMetrics(PromptStats stats) {
			return new LangfusePromptMetrics(stats);
		}

	}

	/** Only loaded when the export is active, which needs Jackson. */
	private static final class JacksonReader {

		/**
		 * Built with the first prompt read, not at startup: a fresh mapper costs a cold JVM
		 * hundreds of milliseconds, and many applications never fetch a prompt. A build that
		 * fails is tried again with the next read (two reads at once may each build one).
		 */
		private static volatile @Nullable JsonMapper mapper;

		static Function<String, @Nullable Object> create() {
			return (text) -> mapper().readValue(text, Object.class);
		}

		private static JsonMapper mapper() {
			JsonMapper built = mapper;
			if (built == null) {
				built = JsonMapper.builder().build();
				mapper = built;
			}
			return built;
		}

	}

}
