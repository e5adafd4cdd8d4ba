package io.github.observe4j.langfuse.benchmarks;

import io.github.observe4j.langfuse.autoconfigure.LangfuseProperties;
import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import io.github.observe4j.langfuse.internal.core.TracerSettings;
import io.github.observe4j.langfuse.internal.export.BatchProcessor;
import io.github.observe4j.langfuse.internal.export.ExporterStats;
import io.github.observe4j.langfuse.internal.model.ByteBudget;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.internal.model.ValueSerializer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Our tracer exporting the way the peers do here: through the starter's {@link BatchProcessor}
 * with the peers' 65,536 queue, into a {@link CountingObservationExporter}. Replaces only the
 * auto-configured tracer bean (which backs off); advisor, interceptor and serializer stay the
 * auto-configured ones.
 */
@Configuration(proxyBeanMethods = false)
class CountingTracerConfiguration {

	@Bean
	CountingObservationExporter countingObservationExporter() {
		return new CountingObservationExporter();
	}

	@Bean
	ExporterStats countingExporterStats() {
		return new ExporterStats();
	}

	/** The byte budget the queue and the tracer's held-back observations share, as auto-configured. */
	@Bean
	ByteBudget countingByteBudget(LangfuseProperties properties) {
		return new ByteBudget(properties.getExport().getMaxQueueBytes().toBytes());
	}

	@Bean(initMethod = "start", destroyMethod = "")
	BatchProcessor<ObservationRecord> countingBatchProcessor(CountingObservationExporter exporter,
			ExporterStats countingExporterStats, ByteBudget countingByteBudget, LangfuseProperties properties) {
		LangfuseProperties.Export export = properties.getExport();
		return BatchProcessor.builder(exporter)
			.name("counting")
			.maxQueueSize(export.getMaxQueueSize())
			.maxBatchSize(export.getMaxBatchSize())
			.scheduleDelay(export.getScheduleDelay())
			.byteBudget(countingByteBudget, ObservationRecord::retainedBytes)
			.stats(countingExporterStats)
			.build();
	}

	@Bean
	LangfuseTracer langfuseTracer(BatchProcessor<ObservationRecord> countingBatchProcessor,
			ByteBudget countingByteBudget, ValueSerializer valueSerializer, LangfuseProperties properties) {
		// The settings the auto-configuration derives from the same properties
		TracerSettings settings = new TracerSettings(properties.getHost(), properties.getEnvironment(),
				properties.getSampleRate(), properties.getObserve().isCaptureInput(),
				properties.getObserve().isCaptureOutput(), valueSerializer,
				(int) Math.min(Integer.MAX_VALUE, properties.getExport().getMaxObservationSize().toBytes()), 1024,
				properties.getExport().getMaxQueueSize());
		return new LangfuseTracer(settings, countingBatchProcessor, countingByteBudget);
	}

}
