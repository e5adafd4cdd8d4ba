package io.github.observe4j.langfuse.benchmarks;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.spring.autoconfigure.internal.instrumentation.annotations.InstrumentationAnnotationsAutoConfiguration;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;

/**
 * OpenTelemetry's {@code @WithSpan} support exactly as the OpenTelemetry Spring Boot starter
 * configures it (its own configuration class and aspect), on an SDK that exports to a counter.
 * Imported as an auto-configuration, after this class's beans, because it is conditional on
 * the {@link OpenTelemetry} bean.
 */
@Configuration(proxyBeanMethods = false)
@EnableAspectJAutoProxy(proxyTargetClass = true)
@ImportAutoConfiguration(InstrumentationAnnotationsAutoConfiguration.class)
class OtelWithSpanConfiguration {

	@Bean(destroyMethod = "close")
	OtelPipeline otelPipeline() {
		return new OtelPipeline();
	}

	@Bean
	OpenTelemetry openTelemetry(OtelPipeline otelPipeline) {
		return otelPipeline.openTelemetry();
	}

	@Bean
	OtelWork otelWork() {
		return new OtelWork();
	}

	@Bean
	OtelReturnWork otelReturnWork() {
		return new OtelReturnWork();
	}

}
