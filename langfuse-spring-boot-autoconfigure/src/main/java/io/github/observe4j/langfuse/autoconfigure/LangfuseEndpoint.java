package io.github.observe4j.langfuse.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.internal.core.RecentTraces;
import io.github.observe4j.langfuse.internal.export.ExporterStats;
import io.github.observe4j.langfuse.internal.export.ExporterStats.DropReason;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code langfuse} actuator endpoint, read-only: the effective configuration without
 * secrets, each export queue's state and last error, and the last traces sent with their
 * Langfuse URLs, so a developer sees what the starter does before connecting a project. Like other endpoints it is not exposed over HTTP until
 * {@code management.endpoints.web.exposure.include} names it.
 */
@Endpoint(id = "langfuse")
final class LangfuseEndpoint {

	private final LangfuseProperties properties;

	private final LangfuseExportPipeline pipeline;

	private final @Nullable RecentTraces recentTraces;

	private final LangfuseClient client;

	LangfuseEndpoint(LangfuseProperties properties, LangfuseExportPipeline pipeline,
			@Nullable RecentTraces recentTraces, LangfuseClient client) {
		this.properties = properties;
		this.pipeline = pipeline;
		this.recentTraces = recentTraces;
		this.client = client;
	}

	@ReadOperation
	public Map<String, Object> langfuse() {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("exporting", this.pipeline.isExporting());
		if (this.pipeline instanceof InactiveExportPipeline inactive) {
			result.put("reason", inactive.reason());
		}
		result.put("configuration", configuration());
		result.put("traces", queue(this.pipeline.traceStats()));
		result.put("scores", queue(this.pipeline.scoreStats()));
		if (this.recentTraces != null) {
			result.put("recentTraces", recentTraces(this.recentTraces));
		}
		return result;
	}

	private List<Map<String, Object>> recentTraces(RecentTraces recentTraces) {
		List<Map<String, Object>> traces = new ArrayList<>();
		for (RecentTraces.Entry entry : recentTraces.newestFirst()) {
			Map<String, Object> trace = new LinkedHashMap<>();
			trace.put("traceId", entry.traceId());
			trace.put("name", entry.name());
			trace.put("observations", entry.observations());
			trace.put("endTime", entry.endTime().toString());
			trace.put("url", this.client.traceUrl(entry.traceId()).orElse("(known once the project id is)"));
			traces.add(trace);
		}
		return traces;
	}

	/** What is configured, never the secret key nor the values of extra headers. */
	private Map<String, Object> configuration() {
		LangfuseProperties.Export export = this.properties.getExport();
		Map<String, Object> configuration = new LinkedHashMap<>();
		configuration.put("host", this.properties.getHost());
		configuration.put("publicKey", String.valueOf(this.properties.getPublicKey()));
		configuration.put("secretKeySet", this.properties.getSecretKey() != null
				&& !this.properties.getSecretKey().isBlank());
		configuration.put("environment", String.valueOf(this.properties.getEnvironment()));
		configuration.put("release", String.valueOf(this.properties.getRelease()));
		configuration.put("sampleRate", this.properties.getSampleRate());
		configuration.put("captureInput", this.properties.getObserve().isCaptureInput());
		configuration.put("captureOutput", this.properties.getObserve().isCaptureOutput());
		configuration.put("logCorrelation", this.properties.getObserve().isLogCorrelation());
		configuration.put("maskingPatterns", this.properties.getMasking().getPatterns().size());
		configuration.put("tracesEndpoint", String.valueOf(export.getTracesEndpoint()));
		configuration.put("extraHeaders", export.getHeaders().keySet());
		configuration.put("maxQueueSize", export.getMaxQueueSize());
		configuration.put("maxQueueBytes", export.getMaxQueueBytes().toString());
		configuration.put("maxBatchSize", export.getMaxBatchSize());
		configuration.put("timeout", export.getTimeout().toString());
		configuration.put("maxRetryDuration", export.getMaxRetryDuration().toString());
		configuration.put("shutdownTimeout", export.getShutdownTimeout().toString());
		configuration.put("compression", export.isCompression());
		configuration.put("spoolDir", String.valueOf(export.getSpoolDir()));
		return configuration;
	}

	private static Map<String, Object> queue(ExporterStats stats) {
		Map<String, Object> queue = new LinkedHashMap<>();
		queue.put("auth", stats.authState().name());
		queue.put("queueSize", stats.queueSize());
		queue.put("queueCapacity", stats.queueCapacity());
		queue.put("queuedBytes", stats.queuedBytes());
		queue.put("maxQueueBytes", stats.maxQueueBytes());
		queue.put("queued", stats.queued());
		queue.put("exported", stats.exported());
		Map<String, Long> dropped = new LinkedHashMap<>();
		for (DropReason reason : DropReason.values()) {
			dropped.put(reason.name().toLowerCase(Locale.ROOT), stats.dropped(reason));
		}
		queue.put("dropped", dropped);
		queue.put("spooled", stats.spooled());
		queue.put("replayed", stats.replayed());
		queue.put("possiblyDuplicated", stats.possiblyDuplicated());
		queue.put("lastExport", stats.lastOutcome().name());
		queue.put("lastSuccess", String.valueOf(stats.lastSuccessTime()));
		queue.put("lastFailure", String.valueOf(stats.lastFailureTime()));
		queue.put("lastError", String.valueOf(stats.lastErrorMessage()));
		return queue;
	}

}
