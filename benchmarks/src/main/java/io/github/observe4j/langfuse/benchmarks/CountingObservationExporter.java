package io.github.observe4j.langfuse.benchmarks;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import io.github.observe4j.langfuse.internal.export.BatchExporter;
import io.github.observe4j.langfuse.internal.export.ExportResult;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;

/**
 * Counts the observations it is given and discards them, as {@link CountingSpanExporter} does
 * for the peers: batching is paid for, encoding and the network are not.
 */
final class CountingObservationExporter implements BatchExporter<ObservationRecord> {

	private final LongAdder exported = new LongAdder();

	@Override
	public ExportResult export(List<ObservationRecord> batch) {
		this.exported.add(batch.size());
		return ExportResult.success(batch.size());
	}

	long exported() {
		return this.exported.sum();
	}

}
