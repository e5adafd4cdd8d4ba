package io.github.observe4j.langfuse.internal.export;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import io.github.observe4j.langfuse.internal.support.Failures;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Asks Langfuse which project the configured keys belong to ({@code GET} {@value #PATH}), to
 * check the keys and to know the project id for trace links. The answer is cached; readers of
 * {@link #cachedProjectId()} and health checks never wait for the network. What Langfuse says
 * about the keys is recorded in {@link ExporterStats}: a 2xx with at least one project means
 * accepted, 401 or 403 means rejected, and network errors leave the state as it was.
 *
 * @since 0.1.0
 */
public final class LangfuseProjectApi {

	/** Path of Langfuse's project endpoint. */
	public static final String PATH = "/api/public/projects";

	/** Default minimum time between two refreshes triggered by {@link #refreshIfStale()}. */
	public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(5);

	private static final Log logger = LogFactory.getLog(LangfuseProjectApi.class);

	private final HttpTransport transport;

	private final ExporterStats stats;

	private final long refreshIntervalNanos;

	private final LongSupplier nanoTime;

	private final AtomicReference<@Nullable String> projectId = new AtomicReference<>();

	private final AtomicReference<@Nullable CompletableFuture<Answer>> inFlight = new AtomicReference<>();

	private final AtomicLong lastAttemptNanos = new AtomicLong();

	private volatile boolean attempted;

	private volatile boolean closed;

	/** Whether the last attempt could not reach Langfuse, so the next failure is not warned again. */
	private final AtomicBoolean unreachable = new AtomicBoolean();

	/**
	 * Create a project API client that refreshes at most every
	 * {@linkplain #DEFAULT_REFRESH_INTERVAL five minutes} when asked by health checks.
	 * @param transport sends the requests
	 * @param stats where to record the authentication state
	 */
	public LangfuseProjectApi(HttpTransport transport, ExporterStats stats) {
		this(transport, stats, DEFAULT_REFRESH_INTERVAL);
	}

	/**
	 * Create a project API client.
	 * @param transport sends the requests
	 * @param stats where to record the authentication state
	 * @param refreshInterval minimum time between two refreshes triggered by
	 * {@link #refreshIfStale()}
	 */
	public LangfuseProjectApi(HttpTransport transport, ExporterStats stats, Duration refreshInterval) {
		this(transport, stats, refreshInterval, System::nanoTime);
	}

	LangfuseProjectApi(HttpTransport transport, ExporterStats stats, Duration refreshInterval, LongSupplier nanoTime) {
		Objects.requireNonNull(transport, "transport must not be null");
		Objects.requireNonNull(stats, "stats must not be null");
		Objects.requireNonNull(refreshInterval, "refreshInterval must not be null");
		this.transport = transport;
		this.stats = stats;
		this.refreshIntervalNanos = refreshInterval.toNanos();
		this.nanoTime = nanoTime;
	}

	/**
	 * Ask Langfuse for the project now, unless a request is already under way, in which case
	 * its answer is shared.
	 * @return the project id after the refresh; the previously cached id if the refresh failed.
	 * Never completes exceptionally.
	 */
	public CompletableFuture<Optional<String>> refreshAsync() {
		return refresh().thenApply((answer) -> cachedProjectId());
	}

	/**
	 * Return the project id from the last successful refresh. Never blocks.
	 * @return the project id, or empty if not known yet
	 */
	public Optional<String> cachedProjectId() {
		return Optional.ofNullable(this.projectId.get());
	}

	/**
	 * Check the keys against Langfuse, waiting at most the given time.
	 * @param timeout how long to wait for the answer
	 * @return {@code true} if Langfuse accepted the keys within the timeout; {@code false} if it
	 * rejected them, could not be reached, or did not answer in time (the answer then still
	 * updates the state when it arrives)
	 */
	public boolean authCheck(Duration timeout) {
		try {
			return refresh().get(timeout.toNanos(), TimeUnit.NANOSECONDS).accepted();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (TimeoutException | ExecutionException ex) {
			return false;
		}
	}

	/**
	 * Start a refresh in the background if none has been attempted within the refresh interval.
	 * Never blocks; meant to be called by health checks.
	 */
	public void refreshIfStale() {
		if (!this.attempted || this.nanoTime.getAsLong() - this.lastAttemptNanos.get() >= this.refreshIntervalNanos) {
			refresh();
		}
	}

	private CompletableFuture<Answer> refresh() {
		if (this.closed) {
			return CompletableFuture.completedFuture(Answer.NOT_ACCEPTED);
		}
		CompletableFuture<Answer> mine = new CompletableFuture<>();
		CompletableFuture<Answer> existing = this.inFlight.compareAndExchange(null, mine);
		if (existing != null) {
			return existing;
		}
		this.lastAttemptNanos.set(this.nanoTime.getAsLong());
		this.attempted = true;
		CompletableFuture<HttpResult> response;
		try {
			response = this.transport.send(HttpRequest.get(PATH));
		}
		catch (RuntimeException | LinkageError ex) {
			// a transport broken by a missing class must not fail startup or the health check
			response = CompletableFuture.failedFuture(ex);
		}
		response.handle(this::onResponse).whenComplete((answer, ex) -> {
			this.inFlight.set(null);
			mine.complete((answer != null) ? answer : Answer.NOT_ACCEPTED);
		});
		return mine;
	}

	private Answer onResponse(@Nullable HttpResult result, @Nullable Throwable failure) {
		if (result == null) {
			Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
			if (cause == null) {
				cause = new IllegalStateException("no response");
			}
			if (this.closed) {
				logger.debug("Langfuse project request ended after shutdown: " + Failures.describe(cause));
			}
			else if (this.unreachable.compareAndSet(false, true)) {
				logger.warn(ServerMessages.unreachable(this.transport.target(), cause));
			}
			else if (logger.isDebugEnabled()) {
				logger.debug("Still cannot reach Langfuse at " + PATH + ": " + Failures.describe(cause));
			}
			return Answer.NOT_ACCEPTED;
		}
		this.unreachable.set(false);
		if (result.status() == 401 || result.status() == 403) {
			String description = ServerMessages.describe(result);
			if (this.stats.recordAuthRejected(result.status(), description)) {
				logger.warn(ServerMessages.authRejected(result.status(), description,
						"Observations and scores are dropped"));
			}
			return Answer.NOT_ACCEPTED;
		}
		if (!result.isSuccess()) {
			if (logger.isDebugEnabled()) {
				logger.debug("Langfuse answered " + ServerMessages.describe(result) + " to " + PATH);
			}
			return Answer.NOT_ACCEPTED;
		}
		String id = firstProjectId(result.body());
		if (id == null) {
			logger.debug("Langfuse returned no project for the configured keys");
			return Answer.NOT_ACCEPTED;
		}
		this.projectId.set(id);
		this.stats.recordAuthAccepted();
		return new Answer(true);
	}

	/**
	 * Stop warning about requests that fail because the transport is being shut down, and
	 * start no more. Idempotent.
	 */
	public void close() {
		this.closed = true;
	}

	/**
	 * Read {@code data[0].id} from a projects response, ignoring everything else.
	 * @param body the response body
	 * @return the id, or {@code null} if the body has none
	 */
	static @Nullable String firstProjectId(String body) {
		if (SimpleJson.parseOrNull(body) instanceof Map<?, ?> response
				&& response.get("data") instanceof List<?> projects && !projects.isEmpty()
				&& projects.get(0) instanceof Map<?, ?> project && project.get("id") instanceof String id
				&& !id.isBlank()) {
			return id;
		}
		return null;
	}

	@Override
	public String toString() {
		return "LangfuseProjectApi[projectId=" + this.projectId.get() + "]";
	}

	/** Whether one refresh found the keys accepted. */
	private record Answer(boolean accepted) {

		static final Answer NOT_ACCEPTED = new Answer(false);

	}

}
