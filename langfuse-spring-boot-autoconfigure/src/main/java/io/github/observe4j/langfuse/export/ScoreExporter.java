package io.github.observe4j.langfuse.export;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.github.observe4j.langfuse.model.Score;
import io.github.observe4j.langfuse.model.ScoreDataType;
import io.github.observe4j.langfuse.model.ScoreRecord;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Exports scores to Langfuse, one {@code POST} {@value #PATH} per score with a JSON
 * {@code CreateScoreRequest} body. Responses are handled as in {@link OtlpTraceExporter}: 2xx
 * delivered, 401/403 keys rejected (one WARN per status), other 4xx dropped without retry,
 * network errors, 429 and 5xx retried.
 *
 * @since 0.1.0
 */
public final class ScoreExporter implements BatchExporter<ScoreRecord> {

	/** Path of Langfuse's score creation endpoint. */
	public static final String PATH = "/api/public/scores";

	private static final Log logger = LogFactory.getLog(ScoreExporter.class);

	private static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json");

	private final RetryingSender sender;

	private final OutcomeReporter reporter;

	/**
	 * Create an exporter.
	 * @param transport sends the requests
	 * @param retryPolicy when to retry
	 * @param stats where to record the authentication state
	 */
	public ScoreExporter(HttpTransport transport, RetryPolicy retryPolicy, ExporterStats stats) {
		Objects.requireNonNull(transport, "transport must not be null");
		Objects.requireNonNull(retryPolicy, "retryPolicy must not be null");
		Objects.requireNonNull(stats, "stats must not be null");
		this.sender = new RetryingSender(transport, retryPolicy);
		this.reporter = new OutcomeReporter(stats, logger, "score");
	}

	@Override
	public ExportResult export(List<ScoreRecord> batch) {
		ExportResult result = ExportResult.success(0);
		SendOutcome stop = null;
		for (ScoreRecord record : batch) {
			if (stop != null) {
				result = result.plus(this.reporter.skipped(stop, 1));
				continue;
			}
			String problem = validate(record.score());
			if (problem != null) {
				result = result.plus(this.reporter.invalid(1, problem));
				continue;
			}
			byte[] body = toJson(record).getBytes(StandardCharsets.UTF_8);
			SendOutcome outcome = this.sender.send(HttpRequest.post(PATH, HEADERS, body));
			result = result.plus(this.reporter.report(outcome, 1, PATH));
			stop = outcome.skipRemainingAs() != null ? outcome : null;
		}
		return result;
	}

	@Override
	public void abortRetriesAfter(Duration timeLeft) {
		this.sender.abortRetriesAfter(timeLeft);
	}

	private static @Nullable String validate(Score score) {
		if (score.dataType() == ScoreDataType.CATEGORICAL) {
			return (score.stringValue() != null) ? null
					: "categorical score '" + score.name() + "' has no string value";
		}
		Double value = score.numericValue();
		if (value == null || value.isNaN() || value.isInfinite()) {
			return score.dataType().name().toLowerCase(Locale.ROOT) + " score '" + score.name()
					+ "' has no finite value (" + value + ")";
		}
		return null;
	}

	/**
	 * Write a score as a {@code CreateScoreRequest}, leaving out absent fields.
	 * @param record a valid score record
	 * @return the JSON text
	 */
	static String toJson(ScoreRecord record) {
		Score score = record.score();
		StringBuilder json = new StringBuilder(256).append('{');
		appendMember(json, "id", score.id());
		appendMember(json, "name", score.name());
		json.append(",\"value\":");
		if (score.dataType() == ScoreDataType.CATEGORICAL) {
			SimpleJson.appendString(json, Objects.requireNonNull(score.stringValue()));
		}
		else {
			json.append(formatNumber(Objects.requireNonNull(score.numericValue())));
		}
		appendMember(json, "dataType", score.dataType().name());
		appendMember(json, "traceId", record.traceId());
		appendMember(json, "observationId", record.observationId());
		appendMember(json, "comment", score.comment());
		appendMember(json, "configId", score.configId());
		appendMember(json, "environment", record.environment());
		return json.append('}').toString();
	}

	private static void appendMember(StringBuilder json, String name, @Nullable String value) {
		if (value == null) {
			return;
		}
		if (json.length() > 1) {
			json.append(',');
		}
		json.append('"').append(name).append("\":");
		SimpleJson.appendString(json, value);
	}

	private static String formatNumber(double value) {
		// Whole numbers without ".0", so a boolean score goes out as 0 or 1
		if (value == Math.rint(value) && Math.abs(value) < 1e15) {
			return Long.toString((long) value);
		}
		return Double.toString(value);
	}

}
