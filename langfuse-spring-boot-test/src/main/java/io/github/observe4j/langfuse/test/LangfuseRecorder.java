package io.github.observe4j.langfuse.test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.observe4j.langfuse.internal.export.otlp.ValueTexts;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.internal.model.RecordingSinks;
import io.github.observe4j.langfuse.internal.model.ScoreRecord;
import io.github.observe4j.langfuse.internal.model.TraceAttributes;
import io.github.observe4j.langfuse.internal.model.ValueSerializer;
import org.jspecify.annotations.Nullable;

/**
 * Records in memory what the application traces, in place of sending it to Langfuse: every
 * observation as it ends and every score as it is given, on the thread that produced it, so what
 * a call traced is visible as soon as the call returns. Defined by
 * {@link AutoConfigureLangfuseRecorder}; inject it into a test and read or assert on it:
 * <pre class="code">
 * &#64;SpringBootTest
 * &#64;AutoConfigureLangfuseRecorder
 * class StoryServiceTests {
 *
 *     &#64;Autowired StoryService stories;
 *     &#64;Autowired LangfuseRecorder recorder;
 *
 *     &#64;Test
 *     void tracesTheStory() {
 *         this.stories.tellStory("cats");
 *         LangfuseAssertions.assertThat(this.recorder).trace("tellStory")
 *             .observation("chat gpt-4o").isGeneration().hasModel("gpt-4o");
 *     }
 *
 * }
 * </pre>
 * Values are rendered as the exporter renders them; masking and the export size limit are not
 * applied. Thread-safe.
 *
 * @since 0.1.0
 */
public final class LangfuseRecorder {

	private static final HexFormat HEX = HexFormat.of();

	private final ValueTexts texts;

	private final List<RecordedObservation> observations = new ArrayList<>();

	private final List<RecordedScore> scores = new ArrayList<>();

	private final Map<String, TraceAttributes> traceAttributes = new LinkedHashMap<>();

	/** Trace ids in the order their first observation or score was recorded. */
	private final List<String> traceOrder = new ArrayList<>();

	/**
	 * Create a recorder.
	 * @param serializer how values are rendered
	 */
	public LangfuseRecorder(ValueSerializer serializer) {
		this.texts = new ValueTexts(serializer, Integer.MAX_VALUE);
	}

	RecordingSinks sinks() {
		return new RecordingSinks((record) -> {
			record(record);
			return true;
		}, (score) -> {
			record(score);
			return true;
		});
	}

	/**
	 * Return every trace recorded, in the order each began to be recorded.
	 * @return the traces
	 */
	public synchronized List<RecordedTrace> traces() {
		List<RecordedTrace> traces = new ArrayList<>();
		for (String traceId : this.traceOrder) {
			traces.add(traceOf(traceId));
		}
		return traces;
	}

	/**
	 * Return the first trace with the given name (the trace's own, else its root's).
	 * @param name the name
	 * @return the trace, or empty
	 */
	public Optional<RecordedTrace> trace(String name) {
		return traces().stream().filter((trace) -> trace.name().equals(name)).findFirst();
	}

	/**
	 * Return every observation recorded, in the order they ended.
	 * @return the observations
	 */
	public synchronized List<RecordedObservation> observations() {
		return List.copyOf(this.observations);
	}

	/**
	 * Return every score recorded, in the order they were given.
	 * @return the scores
	 */
	public synchronized List<RecordedScore> scores() {
		return List.copyOf(this.scores);
	}

	/**
	 * Wait until at least the given number of observations has been recorded, for work that ends
	 * on other threads after the call returned, such as a stream.
	 * @param count the number of observations
	 * @param timeout how long to wait at most
	 * @return whether that many were recorded in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	public synchronized boolean awaitObservations(int count, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.observations.size() < count) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			wait(Math.max(1, left / 1_000_000));
		}
		return true;
	}

	/**
	 * Forget everything recorded, such as between tests that share an application context.
	 */
	public synchronized void clear() {
		this.observations.clear();
		this.scores.clear();
		this.traceAttributes.clear();
		this.traceOrder.clear();
	}

	private void record(ObservationRecord record) {
		RecordedObservation observation = toRecorded(record);
		synchronized (this) {
			this.observations.add(observation);
			seen(observation.traceId());
			if (!TraceAttributes.EMPTY.equals(record.traceAttributes())) {
				this.traceAttributes.put(observation.traceId(), record.traceAttributes());
			}
			notifyAll();
		}
	}

	private synchronized void record(ScoreRecord score) {
		this.scores.add(new RecordedScore(score.traceId(), score.observationId(), score.score()));
		seen(score.traceId());
	}

	private void seen(String traceId) {
		if (!this.traceOrder.contains(traceId)) {
			this.traceOrder.add(traceId);
		}
	}

	private RecordedTrace traceOf(String traceId) {
		List<RecordedObservation> ofTrace = this.observations.stream()
			.filter((observation) -> observation.traceId().equals(traceId))
			.toList();
		List<RecordedScore> scoresOfTrace = this.scores.stream().filter((score) -> score.traceId().equals(traceId))
			.toList();
		TraceAttributes attributes = this.traceAttributes.getOrDefault(traceId, TraceAttributes.EMPTY);
		String name = attributes.name();
		if (name == null) {
			name = ofTrace.stream()
				.filter((observation) -> ofTrace.stream().noneMatch((other) -> other.id().equals(observation.parentId())))
				.map(RecordedObservation::name)
				.findFirst()
				.orElse("");
		}
		return new RecordedTrace(traceId, name, attributes.userId(), attributes.sessionId(), attributes.tags(),
				texts(attributes.metadata()), ofTrace, scoresOfTrace);
	}

	private RecordedObservation toRecorded(ObservationRecord record) {
		long parentSpanId = record.parentSpanId();
		return new RecordedObservation(HEX.toHexDigits(record.traceIdHigh()) + HEX.toHexDigits(record.traceIdLow()),
				HEX.toHexDigits(record.spanId()), (parentSpanId != 0) ? HEX.toHexDigits(parentSpanId) : null,
				record.name(), record.type(), instant(record.startEpochNanos()), instant(record.endEpochNanos()),
				text(record.input()), text(record.output()), texts(record.metadata()), record.level(),
				record.statusMessage(), record.model(), texts(record.modelParameters()),
				Map.copyOf(record.usageDetails()), Map.copyOf(record.costDetails()), record.completionStartTime(),
				record.promptName(), record.promptVersion());
	}

	private @Nullable String text(@Nullable Object value) {
		return (value != null) ? this.texts.text(value) : null;
	}

	private Map<String, String> texts(Map<String, ?> values) {
		Map<String, String> texts = new LinkedHashMap<>();
		values.forEach((key, value) -> texts.put(key, this.texts.text(value)));
		return texts;
	}

	private static Instant instant(long epochNanos) {
		return Instant.ofEpochSecond(0, epochNanos);
	}

	@Override
	public synchronized String toString() {
		return "LangfuseRecorder[" + this.observations.size() + " observations, " + this.scores.size() + " scores]";
	}

}
