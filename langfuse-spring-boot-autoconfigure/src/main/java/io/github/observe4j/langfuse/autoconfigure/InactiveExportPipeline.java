package io.github.observe4j.langfuse.autoconfigure;

import java.time.Duration;
import java.util.Optional;

import io.github.observe4j.langfuse.internal.export.ExporterStats;
import io.github.observe4j.langfuse.internal.model.ByteBudget;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.internal.model.RecordSink;
import io.github.observe4j.langfuse.internal.model.ScoreRecord;

/**
 * The export pipeline when nothing can be sent, such as without keys: it starts no thread,
 * discards what it is given and reports why, naming what to fix.
 */
final class InactiveExportPipeline extends LangfuseExportPipeline {

	private final String reason;

	// Nothing updates them: the metrics and the health indicator read zeros
	private final ExporterStats traceStats = new ExporterStats();

	private final ExporterStats scoreStats = new ExporterStats();

	/** Bounds the observations the tracer holds back for their trace, which end up discarded. */
	private final ByteBudget byteBudget;

	InactiveExportPipeline(String reason) {
		this(reason, ByteBudget.unlimited());
	}

	InactiveExportPipeline(String reason, ByteBudget byteBudget) {
		this.reason = reason;
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
		return RecordSink.discarding();
	}

	@Override
	RecordSink<ScoreRecord> scoreSink() {
		return RecordSink.discarding();
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
