package io.github.observe4j.langfuse.internal.core;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.context.LangfuseObservation;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.testsupport.TestExportControl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Updates with values the types promise but the caller does not keep: a null tag, maps built
 * unchecked (parsed from JSON, say) with other key or value types, a map that breaks as it is
 * read, a timeout of forever. The caller's call succeeds, the rest of the update arrives.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileUpdateTests {

	private final List<ObservationRecord> exported = new CopyOnWriteArrayList<>();

	private final DefaultLangfuseClient client = new DefaultLangfuseClient(
			new LangfuseTracer(TracerSettings.defaults("http://localhost:3000", (value, max) -> "null"),
					this.exported::add),
			(score) -> true, TestExportControl.withoutProject());

	@Test
	void aNullTagIsSkipped() {
		String missingHeader = null;
		String result = this.client.observe("root", ObservationType.SPAN, () -> {
			this.client.currentTrace().tags("web", missingHeader);
			this.client.currentTrace().tags((String) null);
			return "ok";
		});
		assertThat(result).isEqualTo("ok");
		assertThat(this.exported).singleElement()
			.satisfies((record) -> assertThat(record.traceAttributes().tags()).containsExactly("web"));
	}

	@Test
	@SuppressWarnings({ "unchecked", "rawtypes" })
	void entriesOfTheWrongTypesInUncheckedMapsAreSkipped() {
		Map metadata = new LinkedHashMap<>();
		metadata.put(42, "a number as key");
		metadata.put("kept", "yes");
		Map usage = new LinkedHashMap<>();
		usage.put("input", "12");
		usage.put("output", 7);
		String result = this.client.observe("root", ObservationType.GENERATION, () -> {
			this.client.currentObservation().metadata(metadata).usageDetails(usage).costDetails(usage);
			this.client.currentObservation().modelParameters(metadata);
			this.client.currentTrace().metadata(metadata).tags((List) List.of(1, "tagged"));
			return "ok";
		});
		assertThat(result).isEqualTo("ok");
		assertThat(this.exported).singleElement().satisfies((record) -> {
			assertThat(record.metadata()).containsOnlyKeys("kept");
			assertThat(record.usageDetails()).containsExactly(Map.entry("output", 7L));
			assertThat(record.costDetails()).containsExactly(Map.entry("output", 7.0));
			assertThat(record.modelParameters()).containsOnlyKeys("kept");
			assertThat(record.traceAttributes().metadata()).containsOnlyKeys("kept");
			assertThat(record.traceAttributes().tags()).containsExactly("tagged");
		});
	}

	@Test
	void aSynchronizedMapAnotherThreadWritesIsReadUnderItsLock(CapturedOutput output) throws Exception {
		Map<String, Object> metadata = Collections.synchronizedMap(new HashMap<>());
		Map<String, Number> usage = Collections.synchronizedMap(new HashMap<>());
		metadata.put("kept", "yes");
		usage.put("input", 1);
		AtomicBoolean stop = new AtomicBoolean();
		Thread writer = new Thread(() -> {
			for (int i = 0; !stop.get(); i++) {
				metadata.put("churn-" + (i % 64), i);
				metadata.remove("churn-" + ((i + 32) % 64));
				usage.put("churn-" + (i % 64), i);
				usage.remove("churn-" + ((i + 32) % 64));
			}
		});
		writer.start();
		try {
			for (int i = 0; i < 2_000; i++) {
				this.client.observe("root", ObservationType.GENERATION, () -> {
					this.client.currentObservation().metadata(metadata).usageDetails(usage).costDetails(usage);
					this.client.currentTrace().metadata(metadata);
					return "ok";
				});
			}
		}
		finally {
			stop.set(true);
			writer.join(10_000);
		}
		assertThat(this.exported).hasSize(2_000).allSatisfy((record) -> {
			assertThat(record.metadata()).containsEntry("kept", "yes");
			assertThat(record.usageDetails()).containsEntry("input", 1L);
			assertThat(record.costDetails()).containsEntry("input", 1.0);
			assertThat(record.traceAttributes().metadata()).containsEntry("kept", "yes");
		});
		assertThat(output).doesNotContain("could not be read");
	}

	@Test
	@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void aCallerHoldingItsSynchronizedMapsLockWhileAnotherThreadUpdatesTheSameObservationDoesNotDeadlock()
			throws Exception {
		Map<String, Object> metadata = Collections.synchronizedMap(new HashMap<>(Map.of("kept", "yes")));
		try (LangfuseObservation observation = this.client.startObservation("root", ObservationType.SPAN)) {
			Thread other = new Thread(() -> observation.metadata(metadata));
			// as the synchronizedMap javadoc asks of a caller that works with the map
			synchronized (metadata) {
				other.start();
				await().atMost(Duration.ofSeconds(10)).until(() -> other.getState() == Thread.State.BLOCKED);
				// the other thread waits for the map's lock: it must not hold the observation's meanwhile
				observation.metadata(metadata);
			}
			other.join(10_000);
			assertThat(other.isAlive()).isFalse();
		}
		assertThat(this.exported).singleElement()
			.satisfies((record) -> assertThat(record.metadata()).containsEntry("kept", "yes"));
	}

	@Test
	void aSerializerOfTheApplicationsThatFailsOnTraceMetadataDoesNotReachTheCaller(CapturedOutput output) {
		DefaultLangfuseClient failingSerializer = new DefaultLangfuseClient(
				new LangfuseTracer(TracerSettings.defaults("http://localhost:3000", (value, max) -> {
					throw new SerializerFailure("cannot serialize " + value);
				}), this.exported::add), (score) -> true, TestExportControl.withoutProject());
		String result = failingSerializer.observe("root", ObservationType.SPAN, () -> {
			failingSerializer.currentTrace().metadata(Map.of("draft", new StringBuilder("mutable"))).userId("ada");
			return "ok";
		});
		assertThat(result).isEqualTo("ok");
		assertThat(this.exported).singleElement()
			.satisfies((record) -> assertThat(record.traceAttributes().userId()).isEqualTo("ada"));
		// a failure class of its own: the warning is throttled per kind and class of failure
		assertThat(output).contains("Ignoring part of a trace update that could not be read")
			.contains("cannot serialize mutable");
	}

	/** What the application's own serializer throws. */
	static final class SerializerFailure extends RuntimeException {

		SerializerFailure(String message) {
			super(message);
		}

	}

	@Test
	void aMapThatBreaksAsItIsReadIsSkippedWithAWarning(CapturedOutput output) {
		Map<String, Object> breaking = mapThatThrows("connection closed");
		String result = this.client.observe("root", ObservationType.SPAN, () -> {
			this.client.currentObservation().metadata(breaking).metadata("after", "arrives");
			return "ok";
		});
		assertThat(result).isEqualTo("ok");
		assertThat(this.exported).singleElement()
			.satisfies((record) -> assertThat(record.metadata()).containsOnlyKeys("after"));
		assertThat(output).contains("Ignoring part of an update of observation 'root' that could not be read:"
				+ " IllegalStateException: connection closed");
	}

	@Test
	void traceUpdatesThatBreakAsTheyAreReadAreSkippedWithAWarning(CapturedOutput output) {
		Map<String, Object> breaking = mapThatThrows("connection closed");
		List<String> breakingTags = new AbstractList<>() {

			@Override
			public String get(int index) {
				throw new UnsupportedOperationException("lazy list failed");
			}

			@Override
			public int size() {
				return 1;
			}

		};
		String result = this.client.observe("root", ObservationType.SPAN, () -> {
			this.client.currentTrace().metadata(breaking).tags(breakingTags).tags("after");
			return "ok";
		});
		assertThat(result).isEqualTo("ok");
		assertThat(this.exported).singleElement()
			.satisfies((record) -> assertThat(record.traceAttributes().tags()).containsExactly("after"));
		assertThat(output).contains("Ignoring part of a trace update that could not be read:"
				+ " IllegalStateException: connection closed")
			.contains("Ignoring part of a trace update that could not be read: UnsupportedOperationException: lazy list"
					+ " failed");
	}

	/** A map that breaks as it is read, as a lazily loaded one whose connection closed does. */
	private static Map<String, Object> mapThatThrows(String message) {
		return new AbstractMap<>() {

			@Override
			public Set<Entry<String, Object>> entrySet() {
				throw new IllegalStateException(message);
			}

		};
	}

	@Test
	void aFlushTimeoutOfForeverWaitsInsteadOfFailing() {
		// the pipeline counts waits in nanoseconds, which ChronoUnit.FOREVER overflows
		ExportControl countsNanos = new ExportControl() {

			@Override
			public boolean flush(Duration timeout) {
				return timeout.toNanos() > 0;
			}

			@Override
			public boolean authCheck() {
				return true;
			}

			@Override
			public Optional<String> projectId() {
				return Optional.empty();
			}

			@Override
			public boolean isExporting() {
				return true;
			}

		};
		DefaultLangfuseClient client = new DefaultLangfuseClient(
				new LangfuseTracer(TracerSettings.defaults("http://localhost:3000", (value, max) -> "null"),
						this.exported::add),
				(score) -> true, countsNanos);
		assertThat(client.flush(ChronoUnit.FOREVER.getDuration())).isTrue();
		assertThat(client.flush(Duration.ofSeconds(-1))).isFalse();
	}

}
