package io.github.observe4j.langfuse.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.github.observe4j.langfuse.internal.support.Durations;
import io.github.observe4j.langfuse.internal.support.HttpUrls;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.Ordered;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration properties for Langfuse tracing. The keys can also come from the environment
 * variables Langfuse's own SDKs use: {@code LANGFUSE_PUBLIC_KEY}, {@code LANGFUSE_SECRET_KEY},
 * {@code LANGFUSE_HOST}. Invalid values fail startup with a message naming the property.
 * <p>
 * Why about 650 lines: like Spring Boot's own properties classes, it is documented fields with
 * accessors (the configuration metadata is generated from them) and the validation that names each
 * property; there is no logic to split off.
 *
 * @since 0.1.0
 */
@ConfigurationProperties(LangfuseProperties.PREFIX)
public class LangfuseProperties implements Validator {

	/** Prefix of the Langfuse properties. */
	public static final String PREFIX = "langfuse";

	/**
	 * Whether Langfuse tracing is enabled. When disabled, no proxies, threads or exporters are
	 * created and the injectable LangfuseClient does nothing.
	 */
	private boolean enabled = true;

	/**
	 * Base URL of the Langfuse server, such as https://cloud.langfuse.com,
	 * https://us.cloud.langfuse.com or a self-hosted instance.
	 */
	private String host = "https://cloud.langfuse.com";

	/**
	 * Public key of the Langfuse project (pk-lf-...).
	 */
	private @Nullable String publicKey;

	/**
	 * Secret key of the Langfuse project (sk-lf-...). Never logged or exposed.
	 */
	private @Nullable String secretKey;

	/**
	 * Environment the traces belong to, such as production or staging. Letters (Langfuse
	 * lowercases them), digits, '-' and '_' only, at most 40 characters.
	 */
	private @Nullable String environment;

	/**
	 * Release (deployment) identifier attached to every trace, such as a git commit.
	 */
	private @Nullable String release;

	/**
	 * Share of traces to export, from 0.0 to 1.0. Decided per trace from its id, so a trace and
	 * its scores are kept or dropped whole.
	 */
	private double sampleRate = 1.0;

	/**
	 * Whether to log what is exported, batch by batch, at DEBUG level.
	 */
	private boolean debug;

	private final Observe observe = new Observe();

	private final Export export = new Export();

	private final Ssl ssl = new Ssl();

	private final Proxy proxy = new Proxy();

	private final Masking masking = new Masking();

	private final Integrations integrations = new Integrations();

	private final Prompts prompts = new Prompts();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getHost() {
		return this.host;
	}

	public void setHost(String host) {
		this.host = host;
	}

	public @Nullable String getPublicKey() {
		return this.publicKey;
	}

	public void setPublicKey(@Nullable String publicKey) {
		this.publicKey = publicKey;
	}

	public @Nullable String getSecretKey() {
		return this.secretKey;
	}

	public void setSecretKey(@Nullable String secretKey) {
		this.secretKey = secretKey;
	}

	public @Nullable String getEnvironment() {
		return this.environment;
	}

	public void setEnvironment(@Nullable String environment) {
		this.environment = environment;
	}

	public @Nullable String getRelease() {
		return this.release;
	}

	public void setRelease(@Nullable String release) {
		this.release = release;
	}

	public double getSampleRate() {
		return this.sampleRate;
	}

	public void setSampleRate(double sampleRate) {
		this.sampleRate = sampleRate;
	}

	public boolean isDebug() {
		return this.debug;
	}

	public void setDebug(boolean debug) {
		this.debug = debug;
	}

	public Observe getObserve() {
		return this.observe;
	}

	public Export getExport() {
		return this.export;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Proxy getProxy() {
		return this.proxy;
	}

	public Integrations getIntegrations() {
		return this.integrations;
	}

	public Masking getMasking() {
		return this.masking;
	}

	public Prompts getPrompts() {
		return this.prompts;
	}

	@Override
	public boolean supports(Class<?> type) {
		// Export, the capture limits and the prompts are validated where they are bound, so that their
		// errors carry the origin of the offending property (and with it its name) as the top-level ones do
		return LangfuseProperties.class.isAssignableFrom(type) || Export.class == type
				|| Observe.CaptureLimits.class == type || Prompts.class == type;
	}

	@Override
	public void validate(Object target, Errors errors) {
		if (target instanceof Export export) {
			export.validate(errors);
			return;
		}
		if (target instanceof Observe.CaptureLimits limits) {
			rejectUnlessPositive(errors, "maxDepth", limits.getMaxDepth(), "64");
			rejectUnlessPositive(errors, "maxItems", limits.getMaxItems(), "100");
			rejectUnlessPositive(errors, "maxStringLength", limits.getMaxStringLength(), "16384");
			return;
		}
		if (target instanceof Prompts prompts) {
			rejectUnlessPositive(errors, "fetchTimeout", prompts.getFetchTimeout());
			if (prompts.getCacheTtl() == null || prompts.getCacheTtl().isNegative()) {
				errors.rejectValue("cacheTtl", "range",
						"must be zero (no caching) or a positive duration, such as 60s (the default)");
			}
			else {
				rejectIfTooLong(errors, "cacheTtl", prompts.getCacheTtl());
			}
			return;
		}
		LangfuseProperties properties = (LangfuseProperties) target;
		String hostProblem = hostProblem(properties.getHost());
		String host = properties.getHost();
		if (hostProblem != null && host != null && HttpUrls.mayCarryCredentials(host)) {
			// an object error: a field error would show the value, credentials included
			errors.reject("hostUserInfo", "langfuse.host " + hostProblem
					+ "; Langfuse authenticates with langfuse.public-key and langfuse.secret-key");
		}
		else if (hostProblem != null) {
			errors.rejectValue("host", "invalid", hostProblem);
		}
		if (!(properties.getSampleRate() >= 0.0 && properties.getSampleRate() <= 1.0)) {
			errors.rejectValue("sampleRate", "range",
					"must be between 0.0 and 1.0, for example 0.25 to export a quarter of all traces");
		}
		String environment = properties.getEnvironment();
		if (environment != null && !environment.isEmpty()
				&& !environment.toLowerCase(Locale.ROOT).matches("[a-z0-9_-]{1,40}")) {
			errors.rejectValue("environment", "format",
					"must be at most 40 characters of letters, digits, '-' or '_' (Langfuse would file it under 'default')");
		}
		Proxy proxy = properties.getProxy();
		if (StringUtils.hasText(proxy.getHost()) && !proxy.getHost().matches(PROXY_HOST)) {
			errors.rejectValue("proxy.host", "format",
					"must be the proxy's host name or address alone, without a scheme, port or path, for example"
							+ " proxy.internal (the port goes in langfuse.proxy.port)");
		}
		if (StringUtils.hasText(proxy.getHost()) && (proxy.getPort() < 1 || proxy.getPort() > 65535)) {
			errors.rejectValue("proxy.port", "range",
					"must be set to the proxy's port (1 to 65535) when langfuse.proxy.host is set, for example 3128");
		}
		List<String> patterns = properties.getMasking().getPatterns();
		for (int i = 0; i < patterns.size(); i++) {
			try {
				if (Pattern.compile(patterns.get(i)).matcher("").matches()) {
					errors.rejectValue("masking.patterns[" + i + "]", "empty",
							"matches the empty text, so the replacement would go between every character;"
									+ " use + instead of *, for example \\\\d+");
				}
			}
			catch (PatternSyntaxException ex) {
				errors.rejectValue("masking.patterns[" + i + "]", "invalid",
						"is not a valid regular expression (" + ex.getDescription() + " near index " + ex.getIndex()
								+ "); escape special characters, for example \\d{4} for four digits");
			}
		}
	}

	/** A host name, an IPv4 address, or an IPv6 address (two colons at least), bracketed or not. */
	private static final String PROXY_HOST = "[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?]"
			+ "|(?=[^:]*:[^:]*:)[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?";

	private static void rejectUnlessPositive(Errors errors, String field, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			errors.rejectValue(field, "positive", "must be a positive duration, such as 1s or 500ms");
		}
		else {
			rejectIfTooLong(errors, field, value);
		}
	}

	private static void rejectIfTooLong(Errors errors, String field, Duration value) {
		if (value.compareTo(Durations.LONGEST) > 0) {
			errors.rejectValue(field, "range", "must be at most 36500d (100 years), for example 1s or 5m");
		}
	}

	private static void rejectUnlessPositive(Errors errors, String field, int value, String example) {
		if (value < 1) {
			errors.rejectValue(field, "range", "must be at least 1, for example " + example + " (the default)");
		}
	}

	private static @Nullable String hostProblem(@Nullable String host) {
		if (!StringUtils.hasText(host)) {
			return "must not be empty; use https://cloud.langfuse.com or the URL of your Langfuse server";
		}
		return HttpUrls.problem(host, "https://cloud.langfuse.com");
	}

	/**
	 * Settings of the {@code @Observe} annotation support.
	 */
	public static class Observe {

		/**
		 * Whether methods annotated with @Observe are traced. With spring.aop.auto=false no
		 * auto-proxy creator is registered for them: they are then traced only if the
		 * application registers one itself, for example with @EnableAspectJAutoProxy.
		 */
		private boolean enabled = true;

		/**
		 * Whether observed methods record their arguments as input. Methods can opt out with
		 * '@Observe(captureInput = false)'.
		 */
		private boolean captureInput = true;

		/**
		 * Whether observed methods record their return value as output. Methods can opt out
		 * with '@Observe(captureOutput = false)'.
		 */
		private boolean captureOutput = true;

		/**
		 * Order of the @Observe advisor relative to other advisors, such as transactions.
		 */
		private int order = Ordered.LOWEST_PRECEDENCE;

		/**
		 * Whether to turn on Reactor's automatic context propagation (as
		 * spring.reactor.context-propagation=auto does), so observed calls inside operators that
		 * run on other threads attach to the right parent.
		 */
		private boolean reactorContextPropagation = true;

		/**
		 * Whether tasks on the executors Spring Boot auto-configures (@Async, the
		 * applicationTaskExecutor) run with the observation current when they were submitted.
		 */
		private boolean propagateToExecutors = true;

		/**
		 * Whether the current trace and observation ids are put in the logging MDC, as
		 * langfuseTraceId and langfuseObservationId, while an observed call runs.
		 */
		private boolean logCorrelation = true;

		private final CaptureLimits captureLimits = new CaptureLimits();

		public CaptureLimits getCaptureLimits() {
			return this.captureLimits;
		}

		public boolean isLogCorrelation() {
			return this.logCorrelation;
		}

		public void setLogCorrelation(boolean logCorrelation) {
			this.logCorrelation = logCorrelation;
		}

		/**
		 * Limits capture applies while it serializes an argument or return value, so that a
		 * big value costs the caller what Langfuse receives, not its size.
		 */
		public static class CaptureLimits {

			/**
			 * Most objects and arrays nested in one another; deeper ones become a marker.
			 */
			private int maxDepth = 64;

			/**
			 * Most elements of a collection or array and entries of a map; the rest are counted
			 * in a marker, and only those kept are read.
			 */
			private int maxItems = 100;

			/**
			 * Longest string inside a serialized value; a longer one is cut and ends with a
			 * marker. A string argument or return value itself is cut only to
			 * langfuse.export.max-observation-size.
			 */
			private int maxStringLength = 16384;

			public int getMaxDepth() {
				return this.maxDepth;
			}

			public void setMaxDepth(int maxDepth) {
				this.maxDepth = maxDepth;
			}

			public int getMaxItems() {
				return this.maxItems;
			}

			public void setMaxItems(int maxItems) {
				this.maxItems = maxItems;
			}

			public int getMaxStringLength() {
				return this.maxStringLength;
			}

			public void setMaxStringLength(int maxStringLength) {
				this.maxStringLength = maxStringLength;
			}

		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isCaptureInput() {
			return this.captureInput;
		}

		public void setCaptureInput(boolean captureInput) {
			this.captureInput = captureInput;
		}

		public boolean isCaptureOutput() {
			return this.captureOutput;
		}

		public void setCaptureOutput(boolean captureOutput) {
			this.captureOutput = captureOutput;
		}

		public int getOrder() {
			return this.order;
		}

		public void setOrder(int order) {
			this.order = order;
		}

		public boolean isReactorContextPropagation() {
			return this.reactorContextPropagation;
		}

		public void setReactorContextPropagation(boolean reactorContextPropagation) {
			this.reactorContextPropagation = reactorContextPropagation;
		}

		public boolean isPropagateToExecutors() {
			return this.propagateToExecutors;
		}

		public void setPropagateToExecutors(boolean propagateToExecutors) {
			this.propagateToExecutors = propagateToExecutors;
		}

	}

	/**
	 * Settings of the background export to Langfuse.
	 */
	public static class Export {

		/**
		 * Maximum number of observations sent in one request. Must be less than or equal to
		 * 'max-queue-size'.
		 */
		private int maxBatchSize = 512;

		/**
		 * Maximum number of observations (and, separately, scores) waiting to be sent. When
		 * full, new ones are dropped and counted; callers never wait.
		 */
		private int maxQueueSize = 16384;

		/**
		 * Most bytes that observations and scores waiting to be sent may take up together: those
		 * queued or being sent, and ended observations held back until their trace's root ends.
		 * Each is counted by a conservative estimate (two bytes per character of its captured
		 * text plus a fixed overhead) taken once; one that does not fit is dropped and counted
		 * with reason queue_bytes_full; callers never wait. Must be at least twice
		 * 'max-observation-size', so that an observation of the largest size fits.
		 */
		private DataSize maxQueueBytes = DataSize.ofMegabytes(32);

		/**
		 * Longest time an observation waits before its batch is sent.
		 */
		private Duration scheduleDelay = Duration.ofSeconds(1);

		/**
		 * Timeout of each HTTP request to Langfuse.
		 */
		private Duration timeout = Duration.ofSeconds(10);

		/**
		 * Most retries of a request that failed with a network error, 408, 429 or 5xx. Unset
		 * (the default): no limit but langfuse.export.max-retry-duration.
		 */
		private @Nullable Integer maxRetries;

		/**
		 * How long after its first attempt a request may still be retried. An outage shorter than
		 * this loses nothing that fits in the queue.
		 */
		private Duration maxRetryDuration = Duration.ofMinutes(5);

		/**
		 * Wait before the first retry; doubled for each further retry, with jitter.
		 */
		private Duration initialBackoff = Duration.ofSeconds(1);

		/**
		 * Longest wait between two retries, unless the server asks for more with Retry-After.
		 */
		private Duration maxBackoff = Duration.ofSeconds(30);

		/**
		 * Longest time shutdown waits to send what is queued. Keep it below
		 * 'spring.lifecycle.timeout-per-shutdown-phase'.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(10);

		/**
		 * Largest size of one observation's input, output and metadata together; larger ones
		 * are truncated, largest field first, with a visible marker.
		 */
		private DataSize maxObservationSize = DataSize.ofMegabytes(1);

		/**
		 * Largest size of one export request; batches are split to stay below it.
		 */
		private DataSize maxRequestSize = DataSize.ofMegabytes(4);

		/**
		 * Whether to gzip export requests.
		 */
		private boolean compression = true;

		/**
		 * Full URL to send traces to instead of the Langfuse host's OTLP endpoint, for example
		 * an OpenTelemetry Collector's http://otel-collector:4318/v1/traces. Scores and the key
		 * check still go to the Langfuse host.
		 */
		private @Nullable String tracesEndpoint;

		/**
		 * Extra HTTP headers sent with every trace export request, for example the credentials
		 * of the collector set as traces-endpoint. Langfuse's own keys go only to the Langfuse
		 * host.
		 */
		private Map<String, String> headers = new LinkedHashMap<>();

		/**
		 * Directory where shutdown keeps the observations and scores it could not deliver
		 * (Langfuse slow or unreachable), to send them at the next start. One directory per
		 * running instance. Without it they are dropped, counted and logged.
		 */
		private @Nullable Path spoolDir;

		/**
		 * Most bytes the spool directory may hold; what does not fit is dropped and counted.
		 */
		private DataSize spoolMaxSize = DataSize.ofMegabytes(64);

		public @Nullable Path getSpoolDir() {
			return this.spoolDir;
		}

		public void setSpoolDir(@Nullable Path spoolDir) {
			this.spoolDir = spoolDir;
		}

		public DataSize getSpoolMaxSize() {
			return this.spoolMaxSize;
		}

		public void setSpoolMaxSize(DataSize spoolMaxSize) {
			this.spoolMaxSize = spoolMaxSize;
		}

		public int getMaxBatchSize() {
			return this.maxBatchSize;
		}

		public void setMaxBatchSize(int maxBatchSize) {
			this.maxBatchSize = maxBatchSize;
		}

		public int getMaxQueueSize() {
			return this.maxQueueSize;
		}

		public void setMaxQueueSize(int maxQueueSize) {
			this.maxQueueSize = maxQueueSize;
		}

		public DataSize getMaxQueueBytes() {
			return this.maxQueueBytes;
		}

		public void setMaxQueueBytes(DataSize maxQueueBytes) {
			this.maxQueueBytes = maxQueueBytes;
		}

		public Duration getScheduleDelay() {
			return this.scheduleDelay;
		}

		public void setScheduleDelay(Duration scheduleDelay) {
			this.scheduleDelay = scheduleDelay;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public @Nullable Integer getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(@Nullable Integer maxRetries) {
			this.maxRetries = maxRetries;
		}

		public Duration getMaxRetryDuration() {
			return this.maxRetryDuration;
		}

		public void setMaxRetryDuration(Duration maxRetryDuration) {
			this.maxRetryDuration = maxRetryDuration;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public DataSize getMaxObservationSize() {
			return this.maxObservationSize;
		}

		public void setMaxObservationSize(DataSize maxObservationSize) {
			this.maxObservationSize = maxObservationSize;
		}

		public DataSize getMaxRequestSize() {
			return this.maxRequestSize;
		}

		public void setMaxRequestSize(DataSize maxRequestSize) {
			this.maxRequestSize = maxRequestSize;
		}

		public boolean isCompression() {
			return this.compression;
		}

		public void setCompression(boolean compression) {
			this.compression = compression;
		}

		public @Nullable String getTracesEndpoint() {
			return this.tracesEndpoint;
		}

		public void setTracesEndpoint(@Nullable String tracesEndpoint) {
			this.tracesEndpoint = tracesEndpoint;
		}

		public Map<String, String> getHeaders() {
			return this.headers;
		}

		public void setHeaders(Map<String, String> headers) {
			this.headers = headers;
		}

		void validate(Errors errors) {
			if (this.maxQueueSize <= 0) {
				errors.rejectValue("maxQueueSize", "positive", "must be greater than 0, for example 16384");
			}
			if (this.maxBatchSize <= 0) {
				errors.rejectValue("maxBatchSize", "positive", "must be greater than 0, for example 512");
			}
			else if (this.maxQueueSize > 0 && this.maxBatchSize > this.maxQueueSize) {
				errors.rejectValue("maxBatchSize", "range",
						"must be less than or equal to langfuse.export.max-queue-size (" + this.maxQueueSize + ")");
			}
			if (this.maxRetries != null && this.maxRetries < 0) {
				errors.rejectValue("maxRetries", "positive", "must be 0 or more; 0 disables retries");
			}
			if (this.maxRetryDuration == null || this.maxRetryDuration.isNegative()) {
				errors.rejectValue("maxRetryDuration", "positive", "must be 0 or a positive duration, such as 5m");
			}
			else {
				rejectIfTooLong(errors, "maxRetryDuration", this.maxRetryDuration);
			}
			rejectUnlessPositive(errors, "scheduleDelay", this.scheduleDelay);
			rejectUnlessPositive(errors, "timeout", this.timeout);
			rejectUnlessPositive(errors, "initialBackoff", this.initialBackoff);
			rejectUnlessPositive(errors, "maxBackoff", this.maxBackoff);
			rejectUnlessPositive(errors, "shutdownTimeout", this.shutdownTimeout);
			if (this.maxObservationSize == null || this.maxObservationSize.toBytes() < 1024) {
				errors.rejectValue("maxObservationSize", "range", "must be at least 1KB, for example 1MB");
			}
			if (this.maxQueueBytes == null || this.maxQueueBytes.toBytes() < 1024 * 1024) {
				errors.rejectValue("maxQueueBytes", "range", "must be at least 1MB, for example 32MB");
			}
			else if (this.maxObservationSize != null && this.maxObservationSize.toBytes() >= 1024
					&& this.maxQueueBytes.toBytes() / 2 < this.maxObservationSize.toBytes()) {
				errors.rejectValue("maxQueueBytes", "range",
						"must be at least twice langfuse.export.max-observation-size (" + this.maxObservationSize
								+ "), so that an observation of the largest size fits (text counts two bytes per"
								+ " character)");
			}
			if (this.maxRequestSize == null || this.maxRequestSize.toBytes() < 64 * 1024) {
				errors.rejectValue("maxRequestSize", "range",
						"must be at least 64KB, for example 4MB (Langfuse Cloud accepts up to 5MB)");
			}
			this.headers.forEach((name, value) -> {
				if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
					// an object error: a field error would show the whole map, other headers' values included
					errors.reject("headerName",
							"langfuse.export.headers has a header name that is not a valid HTTP token: '" + name + "'");
				}
				else if (value == null || value.chars().anyMatch((c) -> (c < 0x20 && c != '\t') || c == 0x7f)) {
					// an object error, not a field error: a field error would show the value, often a credential
					errors.reject("headerValue", "langfuse.export.headers." + name + " has a value for header '" + name
							+ "' with a line break or control character (a trailing newline from a file?)");
				}
				else if (value.chars().anyMatch((c) -> c > 0xff)) {
					// the JDK's client would refuse it on every request with the whole value in its message
					errors.reject("headerValue", "langfuse.export.headers." + name + " has a value for header '" + name
							+ "' with a character HTTP headers cannot carry (above U+00FF, such as a zero-width space,"
							+ " a byte-order mark or a curly quote): remove it");
				}
			});
			if (this.spoolMaxSize == null || this.spoolMaxSize.toBytes() < 1024 * 1024) {
				errors.rejectValue("spoolMaxSize", "range", "must be at least 1MB, for example 64MB");
			}
			if (StringUtils.hasText(this.tracesEndpoint)) {
				String problem = HttpUrls.problem(this.tracesEndpoint, "http://otel-collector:4318/v1/traces");
				if (problem != null && HttpUrls.mayCarryCredentials(this.tracesEndpoint)) {
					// an object error: a field error would show the value, credentials included
					errors.reject("tracesEndpointUserInfo", "langfuse.export.traces-endpoint " + problem
							+ "; send the collector's credentials as a header with langfuse.export.headers.*");
				}
				else if (problem != null) {
					errors.rejectValue("tracesEndpoint", "invalid", problem);
				}
			}
		}

	}

	/**
	 * Settings of the integrations with LLM frameworks, which record their calls as
	 * observations with no code in the application.
	 */
	public static class Integrations {

		/**
		 * What a framework's chat call made inside an {@code @Observe(type = GENERATION)} method
		 * becomes: folded into that generation, or a generation of its own nested under it.
		 * Streaming calls always nest, as they end after the method has returned.
		 */
		private NestedGeneration nestedGeneration = NestedGeneration.MERGE;

		private final Toggle springAi = new Toggle();

		private final LangChain4j langchain4j = new LangChain4j();

		private final Toggle openai = new Toggle();

		public NestedGeneration getNestedGeneration() {
			return this.nestedGeneration;
		}

		public void setNestedGeneration(NestedGeneration nestedGeneration) {
			this.nestedGeneration = nestedGeneration;
		}

		public Toggle getSpringAi() {
			return this.springAi;
		}

		public LangChain4j getLangchain4j() {
			return this.langchain4j;
		}

		public Toggle getOpenai() {
			return this.openai;
		}

		/**
		 * What a chat call made inside a generation becomes.
		 */
		public enum NestedGeneration {

			/** Fill the enclosing generation: model, parameters, messages; usage added up. */
			MERGE,

			/** Record a generation of its own under the enclosing one. */
			NEST

		}

		/**
		 * Whether one integration is on.
		 */
		public static class Toggle {

			/**
			 * Whether to record this framework's calls, when it is on the classpath.
			 */
			private boolean enabled = true;

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

		}

		/**
		 * The LangChain4j integration.
		 */
		public static class LangChain4j extends Toggle {

			/**
			 * Whether to record the @Tool methods of Spring beans as tool observations. This
			 * proxies every bean with @Tool methods: LangChain4j's @AiService factory calls such
			 * proxies, but a hand-built AI Service given the bean itself with tools(bean) no
			 * longer finds its tools.
			 */
			private boolean toolObservations;

			public boolean isToolObservations() {
				return this.toolObservations;
			}

			public void setToolObservations(boolean toolObservations) {
				this.toolObservations = toolObservations;
			}

		}

	}

	/**
	 * Redaction of what is sent to Langfuse, for the common case that needs no code; a
	 * LangfuseMasker bean does the rest.
	 */
	public static class Masking {

		/**
		 * Regular expressions whose matches in exported texts (input, output, status message,
		 * metadata) are replaced, for example [\\w.+-]+@[\\w-]+\\.[\\w.]+ for e-mail addresses.
		 */
		private List<String> patterns = new ArrayList<>();

		/**
		 * What each match of the masking patterns becomes.
		 */
		private String replacement = "[REDACTED]";

		public List<String> getPatterns() {
			return this.patterns;
		}

		public void setPatterns(List<String> patterns) {
			this.patterns = patterns;
		}

		public String getReplacement() {
			return this.replacement;
		}

		public void setReplacement(String replacement) {
			this.replacement = replacement;
		}

	}

	/**
	 * TLS settings of the connection to Langfuse.
	 */
	public static class Ssl {

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) that says which certificates to trust,
		 * for a Langfuse behind a private CA. Without it the JVM's trust store is used.
		 */
		private @Nullable String bundle;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

	/**
	 * HTTP proxy for the connection to Langfuse. Without a host, the JVM's proxy settings
	 * (https.proxyHost, http.proxyHost, http.nonProxyHosts) apply.
	 */
	public static class Proxy {

		/**
		 * Host name or address of the HTTP proxy.
		 */
		private @Nullable String host;

		/**
		 * Port of the HTTP proxy.
		 */
		private int port;

		public @Nullable String getHost() {
			return this.host;
		}

		public void setHost(@Nullable String host) {
			this.host = host;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

	}

	/**
	 * Settings of the prompts fetched from Langfuse with {@code LangfusePrompts}.
	 */
	public static class Prompts {

		/**
		 * How long a fetched prompt is served without asking Langfuse again. An older copy is
		 * still served while a newer one is fetched in the background, and while Langfuse is
		 * unreachable. 0 asks Langfuse on every call (the last copy is then only served when
		 * Langfuse fails).
		 */
		private Duration cacheTtl = Duration.ofSeconds(60);

		/**
		 * How long a call waits for a prompt that is not cached yet, such as the first one after
		 * startup, before it gets its fallback (or PromptUnavailableException without one).
		 */
		private Duration fetchTimeout = Duration.ofSeconds(5);

		public Duration getCacheTtl() {
			return this.cacheTtl;
		}

		public void setCacheTtl(Duration cacheTtl) {
			this.cacheTtl = cacheTtl;
		}

		public Duration getFetchTimeout() {
			return this.fetchTimeout;
		}

		public void setFetchTimeout(Duration fetchTimeout) {
			this.fetchTimeout = fetchTimeout;
		}

	}

}
