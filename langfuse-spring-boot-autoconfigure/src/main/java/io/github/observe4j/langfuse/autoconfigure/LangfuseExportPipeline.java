package io.github.observe4j.langfuse.autoconfigure;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.observe4j.langfuse.internal.core.ExportControl;
import io.github.observe4j.langfuse.internal.export.ExporterStats;
import io.github.observe4j.langfuse.internal.export.HttpTransport;
import io.github.observe4j.langfuse.internal.model.ByteBudget;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.internal.model.RecordSink;
import io.github.observe4j.langfuse.internal.model.ScoreRecord;
import io.github.observe4j.langfuse.internal.model.ValueSerializer;
import io.github.observe4j.langfuse.internal.support.Failures;
import io.github.observe4j.langfuse.model.LangfuseMasker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.util.StringUtils;

/**
 * The export side wired from configuration. {@link #create} returns an
 * {@link ActiveExportPipeline} (one transport, a trace and a score queue with their exporters,
 * and the project API) or, without keys or when its HTTP client cannot be created, an
 * {@link InactiveExportPipeline} that logs exactly one warning, starts no thread, discards what it
 * is given and reports why. The expensive part of the client (the JDK client and the
 * {@code WebClient}) is built on a background thread when the first request goes out, off the
 * startup thread; if that fails, the transport says so once and every request fails with the
 * cause, so what is recorded is counted as dropped, as with a client that fails on every request.
 */
abstract sealed class LangfuseExportPipeline implements ExportControl, DisposableBean
		permits ActiveExportPipeline, InactiveExportPipeline {

	// One category for both implementations, so that logging configured for it keeps working
	static final Log logger = LogFactory.getLog(LangfuseExportPipeline.class);

	static final String MISSING_KEYS = "Langfuse keys are not configured: set langfuse.public-key and "
			+ "langfuse.secret-key (or the environment variables LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY)";

	private final AtomicBoolean shutdown = new AtomicBoolean();

	static LangfuseExportPipeline create(LangfuseProperties properties, LangfuseConnectionDetails connectionDetails,
			ValueSerializer serializer, LangfuseTransportFactory transportFactory, @Nullable String serviceName) {
		return create(properties, connectionDetails, serializer, transportFactory, serviceName, null);
	}

	static LangfuseExportPipeline create(LangfuseProperties properties, LangfuseConnectionDetails connectionDetails,
			ValueSerializer serializer, LangfuseTransportFactory transportFactory, @Nullable String serviceName,
			@Nullable LangfuseMasker masker) {
		// one budget for both queues and the observations the tracer holds back
		ByteBudget byteBudget = new ByteBudget(properties.getExport().getMaxQueueBytes().toBytes());
		String publicKey = configuredKey(connectionDetails.getPublicKey());
		String secretKey = configuredKey(connectionDetails.getSecretKey());
		if (publicKey == null || secretKey == null) {
			logger.warn(MISSING_KEYS + ". Observed calls run and get trace ids, but nothing is sent to Langfuse.");
			return new InactiveExportPipeline(MISSING_KEYS, byteBudget);
		}
		HttpTransport transport;
		try {
			transport = transportFactory.create(connectionDetails.getHost(), publicKey, secretKey);
		}
		catch (RuntimeException ex) {
			// configuration the properties' checks cannot see: a connection details bean's host, an SSL
			// bundle's material, a customizer of the application's own
			throw new IllegalStateException("Langfuse's HTTP client could not be set up: " + Failures.describe(ex)
					+ ". Check the host of your LangfuseConnectionDetails bean (or langfuse.host), the SSL bundle"
					+ " named by langfuse.ssl.bundle and any LangfuseWebClientCustomizer.", ex);
		}
		catch (LinkageError ex) {
			// for example a dependency conflict that leaves the HTTP client without a class
			String reason = "Langfuse export is off: its HTTP client could not be created ("
					+ ex.getClass().getName() + ": " + ex.getMessage() + "). Check that spring-webflux and"
					+ " reactor-core match your Spring Boot version (mvn dependency:tree); the application runs"
					+ " without sending traces.";
			logger.warn(reason);
			return new InactiveExportPipeline(reason, byteBudget);
		}
		try {
			return ActiveExportPipeline.create(properties, transport, serializer, serviceName, masker, byteBudget);
		}
		catch (RuntimeException | Error ex) {
			// the transport holds a thread pool: do not leave it behind a failed startup
			transport.close();
			throw ex;
		}
	}

	/**
	 * Return the key, or {@code null} if it is blank or still an unresolved placeholder such as
	 * {@code ${LANGFUSE_PUBLIC_KEY}} (a variable that is not set binds as that literal text).
	 */
	private static @Nullable String configuredKey(@Nullable String key) {
		if (!StringUtils.hasText(key)) {
			return null;
		}
		String trimmed = key.trim();
		return (trimmed.startsWith("${") && trimmed.endsWith("}")) ? null : trimmed;
	}

	abstract ExporterStats traceStats();

	abstract ExporterStats scoreStats();

	/**
	 * Return the byte budget shared by the queues and the observations the tracer holds back.
	 * @return the budget
	 */
	abstract ByteBudget byteBudget();

	abstract RecordSink<ObservationRecord> traceSink();

	abstract RecordSink<ScoreRecord> scoreSink();

	/**
	 * Return the transport to Langfuse, for other requests such as prompts; it is closed with
	 * the pipeline.
	 * @return the transport, or empty if nothing can be sent
	 */
	abstract Optional<HttpTransport> transport();

	/**
	 * Start the export threads, if any.
	 */
	abstract void start();

	/**
	 * Start a background key check if the last one is stale; never blocks.
	 */
	abstract void refreshAuthIfStale();

	/**
	 * Send what is queued within the shutdown timeout, then release the transport. Idempotent.
	 */
	final void shutdown() {
		if (this.shutdown.compareAndSet(false, true)) {
			stop();
		}
	}

	/**
	 * Stop for good; called once, by {@link #shutdown()}.
	 */
	abstract void stop();

	final boolean isShutdown() {
		return this.shutdown.get();
	}

	// Also releases the transport when startup failed before the lifecycle started.
	@Override
	public final void destroy() {
		shutdown();
	}

}
