package io.github.observe4j.langfuse.internal.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads tracing at once, each trace hopping to a shared pool and back: every observation
 * must land in its own trace under its own parent, none orphaned, none crossed, and no pool
 * thread may keep a context after its task; and children starting as their root ends.
 */
class ObservationConcurrencyTests {

	private static final int THREADS = 64;

	private static final int TRACES_PER_THREAD = 1000;

	private static final int RACING_TRACES = 20_000;

	private final Queue<ObservationRecord> exported = new ConcurrentLinkedQueue<>();

	private final LangfuseTracer tracer = new LangfuseTracer(
			new TracerSettings("http://localhost:3000", null, 1.0, true, true, (value, max) -> "null", 1000, 1024,
					1 << 20),
			this.exported::add);

	@Test
	@Timeout(value = 120, unit = TimeUnit.SECONDS)
	void sixtyFourThreadsTimesAThousandTracesStayApart() throws Exception {
		ExecutorService callers = Executors.newFixedThreadPool(THREADS);
		ExecutorService pool = Executors.newFixedThreadPool(4);
		Queue<String> leaks = new ConcurrentLinkedQueue<>();
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> done = new ArrayList<>();
		try {
			for (int t = 0; t < THREADS; t++) {
				int thread = t;
				done.add(callers.submit(() -> {
					start.await();
					for (int i = 0; i < TRACES_PER_THREAD; i++) {
						traceOne(thread + "-" + i, pool, leaks);
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : done) {
				future.get(100, TimeUnit.SECONDS);
			}
		}
		finally {
			callers.shutdownNow();
			pool.shutdownNow();
		}
		assertThat(leaks).as("contexts left on pool threads").isEmpty();
		assertThat(this.exported).hasSize(THREADS * TRACES_PER_THREAD * 4);
		Map<String, List<ObservationRecord>> byTrace = new HashMap<>();
		for (ObservationRecord record : this.exported) {
			byTrace.computeIfAbsent(record.traceIdHigh() + ":" + record.traceIdLow(), (key) -> new ArrayList<>())
				.add(record);
		}
		assertThat(byTrace).hasSize(THREADS * TRACES_PER_THREAD);
		for (List<ObservationRecord> trace : byTrace.values()) {
			assertThat(trace).hasSize(4);
			ObservationRecord root = only(trace, "root");
			String key = root.name().substring("root ".length());
			ObservationRecord child = only(trace, "child");
			ObservationRecord hop = only(trace, "hop");
			ObservationRecord leaf = only(trace, "leaf");
			assertThat(root.parentSpanId()).isZero();
			assertThat(child.parentSpanId()).isEqualTo(root.spanId());
			assertThat(hop.parentSpanId()).isEqualTo(child.spanId());
			assertThat(leaf.parentSpanId()).isEqualTo(hop.spanId());
			assertThat(List.of(child.name(), hop.name(), leaf.name())).allSatisfy(
					(name) -> assertThat(name).as("observation of trace %s", key).endsWith(" " + key));
		}
	}

	/**
	 * A trace's root ending on one thread while a child starts in it on another, the moment a
	 * task that carries the context begins as the caller returns: the child is never held back
	 * for a root that has already ended, so every observation is exported, once.
	 */
	@Test
	@Timeout(value = 120, unit = TimeUnit.SECONDS)
	void aChildStartingAsTheRootEndsIsExportedOnce() throws Exception {
		// both threads spin, so that the child's start and the root's end really run together
		AtomicReference<LangfuseSpan> handedOver = new AtomicReference<>();
		AtomicInteger childrenDone = new AtomicInteger();
		ExecutorService pool = Executors.newSingleThreadExecutor();
		try {
			Future<?> children = pool.submit(() -> {
				for (int i = 0; i < RACING_TRACES; i++) {
					LangfuseSpan root;
					while ((root = handedOver.getAndSet(null)) == null) {
						Thread.onSpinWait();
					}
					this.tracer.endObservation(this.tracer.startObservation("child", ObservationType.TOOL, root));
					childrenDone.incrementAndGet();
				}
			});
			for (int i = 0; i < RACING_TRACES; i++) {
				LangfuseSpan root = this.tracer.startObservation("root", ObservationType.SPAN);
				handedOver.set(root);
				this.tracer.endObservation(root);
				while (childrenDone.get() <= i) {
					Thread.onSpinWait();
				}
			}
			children.get(30, TimeUnit.SECONDS);
		}
		finally {
			pool.shutdownNow();
		}
		Map<String, List<String>> byTrace = new HashMap<>();
		for (ObservationRecord record : this.exported) {
			byTrace.computeIfAbsent(record.traceIdHigh() + ":" + record.traceIdLow(), (key) -> new ArrayList<>())
				.add(record.name());
		}
		assertThat(byTrace).hasSize(RACING_TRACES);
		assertThat(byTrace.values()).allSatisfy((names) -> assertThat(names).containsExactlyInAnyOrder("root", "child"));
		assertThat(this.tracer.heldTotal()).isZero();
	}

	@Test
	void aRootWhoseTraceWasUpdatedCarriesTheAttributes() {
		LangfuseSpan root = this.tracer.startObservation("root", ObservationType.SPAN);
		root.trace().userId("user-1").sessionId("session-1");
		this.tracer.endObservation(root);
		LangfuseSpan alone = this.tracer.startObservation("alone", ObservationType.SPAN);
		this.tracer.endObservation(alone);
		assertThat(this.exported).extracting((record) -> record.traceAttributes().userId())
			.containsExactly("user-1", null);
	}

	private void traceOne(String key, ExecutorService pool, Queue<String> leaks) throws Exception {
		LangfuseSpan root = this.tracer.startObservation("root " + key, ObservationType.SPAN);
		ObservationContext previous = ObservationContextHolder.swap(root);
		try {
			LangfuseSpan child = this.tracer.startObservation("child " + key, ObservationType.CHAIN);
			ObservationContext beforeChild = ObservationContextHolder.swap(child);
			try {
				pool.submit(ObservationContextHolder.wrap(() -> {
					LangfuseSpan hop = this.tracer.startObservation("hop " + key, ObservationType.TOOL);
					ObservationContext beforeHop = ObservationContextHolder.swap(hop);
					try {
						LangfuseSpan leaf = this.tracer.startObservation("leaf " + key, ObservationType.SPAN);
						this.tracer.endObservation(leaf);
					}
					finally {
						ObservationContextHolder.swap(beforeHop);
						this.tracer.endObservation(hop);
					}
				})).get(10, TimeUnit.SECONDS);
				// the pool thread must be clean again: check it with an unwrapped task
				pool.submit(() -> {
					if (ObservationContextHolder.get() != null) {
						leaks.add(key);
					}
				}).get(10, TimeUnit.SECONDS);
			}
			finally {
				ObservationContextHolder.swap(beforeChild);
				this.tracer.endObservation(child);
			}
		}
		finally {
			ObservationContextHolder.swap(previous);
			this.tracer.endObservation(root);
		}
	}

	private static ObservationRecord only(List<ObservationRecord> trace, String prefix) {
		List<ObservationRecord> matching = trace.stream()
			.filter((record) -> record.name().startsWith(prefix + " "))
			.toList();
		assertThat(matching).as(prefix + " in " + trace).hasSize(1);
		return matching.get(0);
	}

}
