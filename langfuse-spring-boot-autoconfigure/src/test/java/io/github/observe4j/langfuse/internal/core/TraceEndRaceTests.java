package io.github.observe4j.langfuse.internal.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * A trace's root ending on one thread while a child starts in it on another, the moment a task
 * that carries the context begins as the caller returns: the child is never held back for a
 * root that has already ended, so every observation is exported, once.
 */
class TraceEndRaceTests {

	private static final int TRACES = 20_000;

	private final Queue<ObservationRecord> exported = new ConcurrentLinkedQueue<>();

	private final LangfuseTracer tracer = new LangfuseTracer(
			new TracerSettings("http://localhost:3000", null, 1.0, true, true, (value, max) -> "null", 1000, 1024,
					1 << 20),
			this.exported::add);

	@Test
	@Timeout(value = 120, unit = TimeUnit.SECONDS)
	void aChildStartingAsTheRootEndsIsExportedOnce() throws Exception {
		// both threads spin, so that the child's start and the root's end really run together
		AtomicReference<LangfuseSpan> handedOver = new AtomicReference<>();
		AtomicInteger childrenDone = new AtomicInteger();
		ExecutorService pool = Executors.newSingleThreadExecutor();
		try {
			Future<?> children = pool.submit(() -> {
				for (int i = 0; i < TRACES; i++) {
					LangfuseSpan root;
					while ((root = handedOver.getAndSet(null)) == null) {
						Thread.onSpinWait();
					}
					this.tracer.endObservation(this.tracer.startObservation("child", ObservationType.TOOL, root));
					childrenDone.incrementAndGet();
				}
			});
			for (int i = 0; i < TRACES; i++) {
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
		assertThat(byTrace).hasSize(TRACES);
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

}
