package io.github.observe4j.langfuse.benchmarks;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.aop.ObservedAspect;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;

/**
 * Micrometer's {@code @Observed} as Spring Boot wires it: {@link ObservedAspect} on an
 * {@link ObservationRegistry} with a timer handler and the tracing handler of the OpenTelemetry
 * bridge, whose spans go to a counter.
 */
@Configuration(proxyBeanMethods = false)
@EnableAspectJAutoProxy(proxyTargetClass = true)
class MicrometerObservedConfiguration {

	@Bean(destroyMethod = "close")
	OtelPipeline otelPipeline() {
		return new OtelPipeline();
	}

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

	@Bean
	OtelTracer otelTracer(OtelPipeline otelPipeline) {
		OtelCurrentTraceContext currentTraceContext = new OtelCurrentTraceContext();
		return new OtelTracer(otelPipeline.openTelemetry().getTracer("micrometer"), currentTraceContext, (event) -> {
		}, new OtelBaggageManager(currentTraceContext, List.of(), List.of()));
	}

	@Bean
	ObservationRegistry observationRegistry(MeterRegistry meterRegistry, OtelTracer otelTracer) {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new DefaultMeterObservationHandler(meterRegistry))
			.observationHandler(new DefaultTracingObservationHandler(otelTracer));
		return registry;
	}

	@Bean
	ObservedAspect observedAspect(ObservationRegistry observationRegistry) {
		return new ObservedAspect(observationRegistry);
	}

	@Bean
	ObservedWork observedWork() {
		return new ObservedWork();
	}

}
