package io.github.observe4j.langfuse.autoconfigure;

import io.github.observe4j.langfuse.internal.health.LangfuseHealthIndicator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for the {@code langfuse} health indicator.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = LangfuseAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(LangfuseExportPipeline.class)
@ConditionalOnEnabledHealthIndicator("langfuse")
public final class LangfuseHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "langfuseHealthIndicator")
	LangfuseHealthIndicator langfuseHealthIndicator(LangfuseExportPipeline pipeline) {
		if (pipeline instanceof InactiveExportPipeline inactive) {
			return LangfuseHealthIndicator.inactive(inactive.reason());
		}
		return new LangfuseHealthIndicator(pipeline.traceStats(), pipeline.scoreStats(), pipeline::refreshAuthIfStale);
	}

}
