package io.github.observe4j.langfuse.autoconfigure;

import io.github.observe4j.langfuse.internal.health.LangfuseHealthIndicator;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LangfuseHealthContributorAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class LangfuseHealthContributorAutoConfigurationTests {

	private static final String INDICATOR = "langfuseHealthIndicator";

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(LangfuseAutoConfiguration.class,
				LangfuseHealthContributorAutoConfiguration.class))
		.withPropertyValues("langfuse.host=" + this.server.url(),
				"langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
				"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY);

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void suppliesTheIndicator() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(LangfuseHealthIndicator.class)
			.hasBean(INDICATOR));
	}

	@Test
	void suppliesTheIndicatorWithoutKeys(CapturedOutput output) {
		this.contextRunner.withPropertyValues("langfuse.public-key=", "langfuse.secret-key=")
			.run((context) -> assertThat(context).hasSingleBean(LangfuseHealthIndicator.class));
		assertThat(output).contains(LangfuseExportPipeline.MISSING_KEYS);
	}

	@Test
	void runWhenDisabledShouldNotCreateIndicator() {
		this.contextRunner.withPropertyValues("management.health.langfuse.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(INDICATOR)
				.hasSingleBean(LangfuseExportPipeline.class));
	}

	@Test
	void runWhenDefaultsDisabledShouldNotCreateIndicator() {
		this.contextRunner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(INDICATOR));
	}

	@Test
	void withoutSpringBootHealthStartsWithoutIndicator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(INDICATOR)
				.hasSingleBean(LangfuseExportPipeline.class));
	}

	@Test
	void whenLangfuseIsDisabledDoesNotCreateIndicator() {
		this.contextRunner.withPropertyValues("langfuse.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(INDICATOR));
	}

	@Test
	void backsOffForUserBeanNamedLangfuseHealthIndicator() {
		this.contextRunner.withUserConfiguration(UserIndicatorConfiguration.class).run((context) -> {
			assertThat(context).hasBean(INDICATOR).doesNotHaveBean(LangfuseHealthIndicator.class);
			assertThat(context.getBean(INDICATOR, HealthIndicator.class).health().getDetails())
				.containsEntry("user", true);
		});
	}

	/**
	 * Defines a user health indicator named like ours.
	 */
	@Configuration(proxyBeanMethods = false)
	static class UserIndicatorConfiguration {

		@Bean
		HealthIndicator langfuseHealthIndicator() {
			return () -> Health.up().withDetail("user", true).build();
		}

	}

}
