package io.github.observe4j.langfuse.benchmarks;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.internal.model.CapturedArguments;
import io.github.observe4j.langfuse.internal.model.JsonText;
import io.github.observe4j.langfuse.internal.support.JsonStrings;
import io.github.observe4j.langfuse.model.ObservationLevel;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.internal.model.RetainedSize;
import io.github.observe4j.langfuse.internal.model.TraceAttributes;
import org.jspecify.annotations.Nullable;

/**
 * A finished generation as the tracer hands it to the exporter: captured arguments as input, a
 * string output, model, usage, cost and trace attributes. About the size of a real one, and read
 * the way a real one is: its maps are held, not built on every read. {@link #sized()} gives it
 * the size estimate the tracer's own observation makes once, on the caller's thread, when it is
 * queued; without one the estimate is made on every read.
 */
record SyntheticObservation(long traceIdHigh, long traceIdLow, long spanId, long parentSpanId, long startEpochNanos,
		long endEpochNanos, String prompt, String story, @Nullable String inputJson,
		long sizeEstimate) implements ObservationRecord {

	private static final Map<String, Object> METADATA = Map.of("documentsSearched", 6);

	private static final Map<String, Object> MODEL_PARAMETERS = Map.of("temperature", 0.7, "max_tokens", 400);

	private static final Map<String, Long> USAGE = Map.of("input", 31L, "output", 48L, "total", 79L);

	private static final Map<String, Double> COST = Map.of("input", 0.0000155, "output", 0.000072, "total",
			0.0000875);

	private static final String TOPIC = "a fox who learns to sail";

	private static final String PROMPT = "Topic: a fox who learns to sail\nInspiration:\n"
			+ "The Tortoise and the Hare: Slow and steady wins the race.\n"
			+ "Write a short story for children, under 150 words.";

	private static final String STORY = "Once upon a time, a curious fox lived in a town at the edge of the sea "
			+ "and thought about sailing every day. One morning everything went quiet. So the fox set out to learn "
			+ "what sailing really meant, asked everyone on the way, and came back wiser.";

	private static final TraceAttributes TRACE = new TraceAttributes("tellStory", "user-4711",
			"7b0c1f3e-5d6a-4f7e-9a1b-2c3d4e5f6a7b", null, "1.0.0", Map.of(), List.of("story", "bench"), null);

	/**
	 * Create a generation that ended now and took a millisecond, in a new trace.
	 * @return the observation
	 */
	static SyntheticObservation next() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long end = System.currentTimeMillis() * 1_000_000L;
		return new SyntheticObservation(random.nextLong(), random.nextLong(), random.nextLong(), 0,
				end - 1_000_000L, end, PROMPT, STORY, null, 0);
	}

	/**
	 * Create a generation with a realistic payload: a 2 KB prompt and a 1 KB answer of varied
	 * text (one of {@value RealisticText#VARIANTS} different ones), as an LLM call has.
	 * @return the observation
	 */
	static SyntheticObservation realistic() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long end = System.currentTimeMillis() * 1_000_000L;
		int variant = random.nextInt(RealisticText.VARIANTS);
		return new SyntheticObservation(random.nextLong(), random.nextLong(), random.nextLong(), 0,
				end - 1_000_000L, end, RealisticText.prompt(variant), RealisticText.answer(variant), null, 0);
	}

	/**
	 * Create a realistic generation whose input is already JSON text, as a value captured on the
	 * caller's thread is: encoding it costs no rendering, only the protobuf and UTF-8 work.
	 * @return the observation
	 */
	static SyntheticObservation realisticRendered() {
		SyntheticObservation observation = realistic();
		StringBuilder json = new StringBuilder("{\"topic\":");
		JsonStrings.appendQuoted(json, TOPIC);
		json.append(",\"prompt\":");
		JsonStrings.appendQuoted(json, observation.prompt);
		json.append('}');
		return new SyntheticObservation(observation.traceIdHigh, observation.traceIdLow, observation.spanId, 0,
				observation.startEpochNanos, observation.endEpochNanos, observation.prompt, observation.story,
				json.toString(), 0);
	}

	/**
	 * Return this observation with its size estimate made now, as the tracer makes it for its own
	 * observations on the caller's thread before queueing them.
	 * @return the sized observation
	 */
	SyntheticObservation sized() {
		return new SyntheticObservation(this.traceIdHigh, this.traceIdLow, this.spanId, this.parentSpanId,
				this.startEpochNanos, this.endEpochNanos, this.prompt, this.story, this.inputJson,
				RetainedSize.of(this));
	}

	@Override
	public long retainedBytes() {
		return (this.sizeEstimate > 0) ? this.sizeEstimate : RetainedSize.of(this);
	}

	/**
	 * Create an observation of the given payload.
	 * @param payload {@code synthetic} (the short fixed one), {@code realistic} or
	 * {@code realistic-rendered} (its input already JSON text)
	 * @return the observation
	 */
	static SyntheticObservation of(String payload) {
		return switch (payload) {
			case "synthetic" -> next();
			case "realistic" -> realistic();
			case "realistic-rendered" -> realisticRendered();
			default -> throw new IllegalArgumentException("Unknown payload: " + payload);
		};
	}

	@Override
	public String name() {
		return "writeStory";
	}

	@Override
	public ObservationType type() {
		return ObservationType.GENERATION;
	}

	@Override
	public Object input() {
		if (this.inputJson != null) {
			return new JsonText(this.inputJson);
		}
		return new CapturedArguments(new String[] { "topic", "prompt" }, new Object[] { TOPIC, this.prompt });
	}

	@Override
	public Object output() {
		return this.story;
	}

	@Override
	public Map<String, Object> metadata() {
		return METADATA;
	}

	@Override
	public @Nullable ObservationLevel level() {
		return null;
	}

	@Override
	public @Nullable String statusMessage() {
		return null;
	}

	@Override
	public boolean failed() {
		return false;
	}

	@Override
	public @Nullable String version() {
		return null;
	}

	@Override
	public String model() {
		return "gpt-4o-mini";
	}

	@Override
	public Map<String, Object> modelParameters() {
		return MODEL_PARAMETERS;
	}

	@Override
	public Map<String, Long> usageDetails() {
		return USAGE;
	}

	@Override
	public Map<String, Double> costDetails() {
		return COST;
	}

	@Override
	public @Nullable Instant completionStartTime() {
		return null;
	}

	@Override
	public @Nullable String promptName() {
		return null;
	}

	@Override
	public @Nullable Integer promptVersion() {
		return null;
	}

	@Override
	public TraceAttributes traceAttributes() {
		return TRACE;
	}

}
