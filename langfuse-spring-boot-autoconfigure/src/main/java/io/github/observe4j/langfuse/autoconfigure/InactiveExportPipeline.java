package io.github.observe4j.langfuse.autoconfigure;

import java.time.Duration;
import java.util.Optional;

import io.github.observe4j.langfuse.internal.export.ExporterStats;
import io.github.observe4j.langfuse.internal.export.HttpTransport;
import io.github.observe4j.langfuse.internal.model.ByteBudget;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.internal.model.RecordSink;
import io.github.observe4j.langfuse.internal.model.ScoreRecord;

/**
 * The export pipeline when nothing can be sent, such as without keys: it starts no thread,
 * discards what it is given (or hands it to the sinks of an in-memory recorder) and reports why,
 * naming what to fix.
 */
final class InactiveExportPipeline extends LangfuseExportPipeline {

	private final String reason;

	// Nothing updates them: the metrics and the health indicator read zeros
	private final ExporterStats traceStats = new ExporterStats();

	private final ExporterStats scoreStats = new ExporterStats();

	private final RecordSink<ObservationRecord> traceSink;

	private final RecordSink<ScoreRecord> scoreSink;

	/** Bounds the observations the tracer holds back for their trace, which end up discarded. */
	private final ByteBudget byteBudget;

	InactiveExportPipeline(String reason) {
		this(reason, ByteBudget.unlimited());
	}

	InactiveExportPipeline(String reason, ByteBudget byteBudget) {
		this(reason, RecordSink.discarding(), RecordSink.discarding(), byteBudget);
	}

	InactiveExportPipeline(String reason, RecordSink<ObservationRecord> traceSink, RecordSink<ScoreRecord> scoreSink) {
		this(reason, traceSink, scoreSink, ByteBudget.unlimited());
	}

	private InactiveExportPipeline(String reason, RecordSink<ObservationRecord> traceSink,
			RecordSink<ScoreRecord> scoreSink, ByteBudget byteBudget) {
		this.reason = reason;
		this.traceSink = traceSink;
		this.scoreSink = scoreSink;
		this.byteBudget = byteBudget;
	}

	/**
	 * Return why nothing is exported.
	 * @return the reason, naming the properties or dependencies to fix
	 */
	String reason() {
		return this.reason;
	}

	@Override
	ExporterStats traceStats() {
		return this.traceStats;
	}

	@Override
	ExporterStats scoreStats() {
		return this.scoreStats;
	}

	@Override
	ByteBudget byteBudget() {
		return this.byteBudget;
	}

	@Override
	RecordSink<ObservationRecord> traceSink() {
		return this.traceSink;
	}

	@Override
	RecordSink<ScoreRecord> scoreSink() {
		return this.scoreSink;
	}

	@Override
	Optional<HttpTransport> transport() {
		return Optional.empty();
	}

	@Override
	void start() {
	}

	@Override
	void refreshAuthIfStale() {
	}

	@Override
	void stop() {
	}

	@Override
	public boolean flush(Duration timeout) {
		return true;
	}

	@Override
	public boolean authCheck() {
		return false;
	}

	@Override
	public Optional<String> projectId() {
		return Optional.empty();
	}

	@Override
	public boolean isExporting() {
		return false;
	}

	@Override
	public String toString() {
		return "LangfuseExportPipeline[inactive]";
	}

}
