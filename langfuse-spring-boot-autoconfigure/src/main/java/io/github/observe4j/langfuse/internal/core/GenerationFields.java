package io.github.observe4j.langfuse.internal.core;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What only a generation records: the model and its parameters, usage and cost, the time of the
 * first token and the Langfuse prompt used. A {@link LangfuseSpan} creates one the first time any
 * of these is set, held by the span's {@code SpanDetails}, so an ordinary span carries none of the
 * seven fields.
 * <p>
 * Not thread-safe: written under the owning span's monitor while it is open, read by the exporter
 * once the span has ended.
 */
final class GenerationFields {

	/** Read in place of the fields of a span that has none; never written. */
	static final GenerationFields NONE = new GenerationFields();

	private @Nullable String model;

	private @Nullable Map<String, Object> modelParameters;

	private @Nullable Map<String, Long> usageDetails;

	private @Nullable Map<String, Double> costDetails;

	private @Nullable Instant completionStartTime;

	private @Nullable String promptName;

	private @Nullable Integer promptVersion;

	void model(String model) {
		this.model = model;
	}

	/**
	 * Merge model parameters, snapshotting each value; entries with a {@code null} key or value
	 * are skipped.
	 * @param parameters the parameters to merge
	 * @param snapshots how values are captured
	 */
	void putModelParameters(Map<String, ?> parameters, ValueSnapshots snapshots) {
		if (this.modelParameters == null) {
			this.modelParameters = new LinkedHashMap<>();
		}
		Map<String, Object> target = this.modelParameters;
		UncheckedUpdates.forEachTextKey(parameters, (key, value) -> {
			if (value != null) {
				target.put(key, snapshots.snapshot(value));
			}
		});
	}

	/**
	 * Merge usage details, rounded to whole numbers; negative values are skipped, as Langfuse
	 * keeps only non-negative integers, and so are entries that are not a text key and a number.
	 * @param usageDetails the usage details to merge
	 */
	void putUsageDetails(Map<String, ?> usageDetails) {
		Map<String, Long> merged = (this.usageDetails != null) ? this.usageDetails : new LinkedHashMap<>();
		this.usageDetails = merged;
		UncheckedUpdates.forEachTextKey(usageDetails, (key, value) -> {
			if (value instanceof Number number && number.doubleValue() >= 0) {
				merged.put(key, Math.round(number.doubleValue()));
			}
		});
	}

	/**
	 * Merge cost details; negative values are skipped.
	 * @param costDetails the cost details to merge
	 */
	void putCostDetails(Map<String, ?> costDetails) {
		Map<String, Double> merged = (this.costDetails != null) ? this.costDetails : new LinkedHashMap<>();
		this.costDetails = merged;
		UncheckedUpdates.forEachTextKey(costDetails, (key, value) -> {
			if (value instanceof Number number && number.doubleValue() >= 0) {
				merged.put(key, number.doubleValue());
			}
		});
	}

	void completionStartTime(Instant completionStartTime) {
		this.completionStartTime = completionStartTime;
	}

	void prompt(String name, Integer version) {
		this.promptName = name;
		this.promptVersion = version;
	}

	@Nullable String model() {
		return this.model;
	}

	Map<String, Object> modelParameters() {
		return (this.modelParameters != null) ? this.modelParameters : Map.of();
	}

	Map<String, Long> usageDetails() {
		return (this.usageDetails != null) ? this.usageDetails : Map.of();
	}

	Map<String, Double> costDetails() {
		return (this.costDetails != null) ? this.costDetails : Map.of();
	}

	@Nullable Instant completionStartTime() {
		return this.completionStartTime;
	}

	@Nullable String promptName() {
		return this.promptName;
	}

	@Nullable Integer promptVersion() {
		return this.promptVersion;
	}

}
