package io.github.observe4j.langfuse.internal.prompt;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.github.observe4j.langfuse.internal.prompt.PromptFetchException.Kind;
import io.github.observe4j.langfuse.internal.support.Durations;
import io.github.observe4j.langfuse.internal.support.ThrottledLog;
import io.github.observe4j.langfuse.prompt.ChatMessage;
import io.github.observe4j.langfuse.prompt.ChatPrompt;
import io.github.observe4j.langfuse.prompt.LangfusePrompt;
import io.github.observe4j.langfuse.prompt.LangfusePrompts;
import io.github.observe4j.langfuse.prompt.PromptKey;
import io.github.observe4j.langfuse.prompt.TextPrompt;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * {@link LangfusePrompts} with a cache per {@link PromptKey}. A copy younger than the TTL is a
 * hit; an older one is served at once while one background fetch replaces it; a key without a
 * copy waits for one fetch shared by every concurrent caller, at most the fetch timeout (the
 * fetch goes on and fills the cache when it ends). A failed fetch keeps the copy it would have
 * replaced and is not retried for {@link #RETRY_DELAY} (or the TTL, if shorter); after a failed
 * first fetch, callers get their fallback without waiting for that long. A TTL of zero fetches
 * on every call and only serves the last copy when Langfuse fails. At most
 * {@link #MAX_ENTRIES} keys are kept; beyond that the oldest copy goes.
 *
 * @since 0.1.0
 */
public final class CachingLangfusePrompts implements LangfusePrompts {

	/** Most prompt keys kept, so that keys built from unbounded values cannot exhaust memory. */
	static final int MAX_ENTRIES = 1000;

	/** Longest time a failed fetch is not retried. */
	static final Duration RETRY_DELAY = Duration.ofSeconds(5);

	private static final Log logger = LogFactory.getLog(CachingLangfusePrompts.class);

	private final PromptApi api;

	private final long ttlNanos;

	private final long retryDelayNanos;

	private final Duration fetchTimeout;

	private final PromptStats stats;

	private final LongSupplier nanoTime;

	private final ThrottledLog warnings = new ThrottledLog(logger, Duration.ofMinutes(5));

	private final Map<PromptKey, Entry> entries = new ConcurrentHashMap<>();

	private final Map<PromptKey, Fetch> inFlight = new ConcurrentHashMap<>();

	/**
	 * Create the cache.
	 * @param api fetches prompts
	 * @param ttl how long a copy is fresh; zero fetches on every call
	 * @param fetchTimeout how long a caller without a copy waits
	 * @param stats where to count requests and failures
	 */
	public CachingLangfusePrompts(PromptApi api, Duration ttl, Duration fetchTimeout, PromptStats stats) {
		this(api, ttl, fetchTimeout, stats, System::nanoTime);
	}

	CachingLangfusePrompts(PromptApi api, Duration ttl, Duration fetchTimeout, PromptStats stats,
			LongSupplier nanoTime) {
		this.api = Objects.requireNonNull(api, "api must not be null");
		this.ttlNanos = Math.max(0, Durations.waitNanos(ttl));
		this.retryDelayNanos = Math.min(this.ttlNanos, RETRY_DELAY.toNanos());
		this.fetchTimeout = Objects.requireNonNull(fetchTimeout, "fetchTimeout must not be null");
		this.stats = Objects.requireNonNull(stats, "stats must not be null");
		this.nanoTime = nanoTime;
	}

	@Override
	public TextPrompt getTextPrompt(PromptKey key) {
		return get(key, TextPrompt.class, null);
	}

	@Override
	public TextPrompt getTextPrompt(PromptKey key, String fallback) {
		Objects.requireNonNull(fallback, "fallback must not be null");
		return get(key, TextPrompt.class, () -> TextPrompt.fallback(key.name(), fallback));
	}

	@Override
	public ChatPrompt getChatPrompt(PromptKey key) {
		return get(key, ChatPrompt.class, null);
	}

	@Override
	public ChatPrompt getChatPrompt(PromptKey key, List<ChatMessage> fallback) {
		Objects.requireNonNull(fallback, "fallback must not be null");
		return get(key, ChatPrompt.class, () -> ChatPrompt.fallback(key.name(), fallback));
	}

	private <P extends LangfusePrompt> P get(PromptKey key, Class<P> type, @Nullable Supplier<P> fallback) {
		Objects.requireNonNull(key, "key must not be null");
		long now = this.nanoTime.getAsLong();
		Entry entry = this.entries.get(key);
		LangfusePrompt cached = (entry != null) ? entry.prompt() : null;
		if (cached != null && this.ttlNanos > 0) {
			boolean fresh = now - entry.fetchedAt() < this.ttlNanos;
			if (!fresh && now - entry.nextAttempt() >= 0) {
				fetchShared(key);
			}
			return served(key, cached, type, fallback, fresh ? this.stats::recordHit : this.stats::recordStale);
		}
		if (entry != null && cached == null && now - entry.nextAttempt() < 0) {
			// the first fetch failed a moment ago: do not make every caller wait again
			return fallbackOrThrow(key, fallback, Objects.requireNonNull(entry.failure()));
		}
		PromptFetchException failure;
		try {
			return served(key, awaitFetch(key), type, fallback, this.stats::recordMiss);
		}
		catch (PromptFetchException ex) {
			failure = ex;
		}
		if (cached != null) {
			warn(key, failure, "serving the cached version " + cached.version());
			return served(key, cached, type, fallback, this.stats::recordStale);
		}
		return fallbackOrThrow(key, fallback, failure);
	}

	private LangfusePrompt awaitFetch(PromptKey key) {
		Fetch fetch = fetchShared(key);
		try {
			return fetch.result.get(Durations.waitNanos(this.fetchTimeout), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof PromptFetchException failure) ? failure
					: new PromptFetchException(Kind.INVALID, "fetch failed: " + ex.getCause());
		}
		catch (TimeoutException ex) {
			// The fetch goes on and fills the cache when it ends. Until then, or until the retry
			// delay passes, callers without a copy get their fallback at once instead of waiting
			// out the timeout again on the same fetch
			PromptFetchException failure = new PromptFetchException(Kind.UNREACHABLE,
					"Langfuse did not answer within langfuse.prompts.fetch-timeout=" + this.fetchTimeout);
			fetch.countFailureOnce(this.stats);
			rememberFailure(key, failure);
			throw failure;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new PromptFetchException(Kind.UNREACHABLE, "interrupted while waiting for Langfuse");
		}
	}

	/** Start a fetch for the key unless one is under way, which is then shared. */
	private Fetch fetchShared(PromptKey key) {
		Fetch mine = new Fetch();
		Fetch existing = this.inFlight.putIfAbsent(key, mine);
		if (existing != null) {
			return existing;
		}
		this.api.fetch(key).whenComplete((prompt, failure) -> {
			try {
				store(key, mine, prompt, failure);
			}
			finally {
				// stored first, so a caller arriving now finds the copy instead of a new fetch
				this.inFlight.remove(key, mine);
				if (prompt != null) {
					mine.result.complete(prompt);
				}
				else {
					mine.result.completeExceptionally(Objects.requireNonNullElse(unwrap(failure),
							new PromptFetchException(Kind.INVALID, "no answer")));
				}
			}
		});
		return mine;
	}

	private void store(PromptKey key, Fetch fetch, @Nullable LangfusePrompt prompt, @Nullable Throwable failure) {
		long now = this.nanoTime.getAsLong();
		if (prompt != null) {
			makeRoomFor(key);
			this.entries.put(key, new Entry(prompt, now, now + this.ttlNanos, null));
			return;
		}
		fetch.countFailureOnce(this.stats);
		Throwable cause = unwrap(failure);
		PromptFetchException reason = (cause instanceof PromptFetchException fetchFailure) ? fetchFailure
				: new PromptFetchException(Kind.INVALID, String.valueOf(cause));
		Entry previous = this.entries.get(key);
		if (previous != null && previous.prompt() != null) {
			this.entries.put(key, new Entry(previous.prompt(), previous.fetchedAt(), now + this.retryDelayNanos,
					reason));
			warn(key, reason, "serving the cached version " + previous.prompt().version());
		}
		else if (this.retryDelayNanos > 0) {
			makeRoomFor(key);
			this.entries.put(key, new Entry(null, now, now + this.retryDelayNanos, reason));
		}
	}

	/**
	 * A fetch a caller gave up waiting for: no copy yet, so start the retry delay now, unless the
	 * fetch itself ended in the meantime and left a copy or its own, more telling, failure.
	 */
	private void rememberFailure(PromptKey key, PromptFetchException failure) {
		if (this.retryDelayNanos <= 0) {
			return;
		}
		long now = this.nanoTime.getAsLong();
		makeRoomFor(key);
		this.entries.compute(key,
				(k, entry) -> (entry != null && (entry.prompt() != null || now - entry.nextAttempt() < 0)) ? entry
						: new Entry(null, now, now + this.retryDelayNanos, failure));
	}

	private static @Nullable Throwable unwrap(@Nullable Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

	private void makeRoomFor(PromptKey key) {
		if (this.entries.size() < MAX_ENTRIES || this.entries.containsKey(key)) {
			return;
		}
		this.entries.entrySet()
			.stream()
			.min((a, b) -> Long.compare(a.getValue().fetchedAt(), b.getValue().fetchedAt()))
			.ifPresent((oldest) -> this.entries.remove(oldest.getKey(), oldest.getValue()));
	}

	/**
	 * Serve a prompt if it is of the type asked for, counting the request by how it was served;
	 * otherwise serve the fallback, counted as one. Each request is counted once.
	 */
	private <P extends LangfusePrompt> P served(PromptKey key, LangfusePrompt prompt, Class<P> type,
			@Nullable Supplier<P> fallback, Runnable countServed) {
		if (type.isInstance(prompt)) {
			countServed.run();
			return type.cast(prompt);
		}
		String other = (prompt instanceof ChatPrompt) ? "a chat prompt: use getChatPrompt"
				: "a text prompt: use getTextPrompt";
		PromptFetchException failure = new PromptFetchException(Kind.WRONG_TYPE, "Langfuse's prompt " + key
				+ " is " + other);
		return fallbackOrThrow(key, fallback, failure);
	}

	private <P extends LangfusePrompt> P fallbackOrThrow(PromptKey key, @Nullable Supplier<P> fallback,
			PromptFetchException failure) {
		warn(key, failure, (fallback != null) ? "serving the fallback" : "no fallback was given");
		return PromptFallbacks.orThrow(key, fallback, failure, this.stats);
	}

	private void warn(PromptKey key, PromptFetchException failure, String consequence) {
		this.warnings.warn(failure.kind().name(),
				() -> "Langfuse prompt " + key + " could not be fetched: " + failure.getMessage() + "; " + consequence);
	}

	@Override
	public String toString() {
		return "CachingLangfusePrompts[entries=" + this.entries.size() + ", " + this.stats + "]";
	}

	/**
	 * What is known about one key: a copy ({@code null} after a failed first fetch), when it
	 * was fetched, when to try again, and the last failure.
	 */
	private record Entry(@Nullable LangfusePrompt prompt, long fetchedAt, long nextAttempt,
			@Nullable PromptFetchException failure) {

	}

	/** One fetch, shared by the callers that wait for it; its failure is counted once. */
	private static final class Fetch {

		final CompletableFuture<LangfusePrompt> result = new CompletableFuture<>();

		private final AtomicBoolean failureCounted = new AtomicBoolean();

		/** A caller's timeout and the fetch's own failure are one failure, counted by the first. */
		void countFailureOnce(PromptStats stats) {
			if (this.failureCounted.compareAndSet(false, true)) {
				stats.recordFetchFailure();
			}
		}

	}

}
