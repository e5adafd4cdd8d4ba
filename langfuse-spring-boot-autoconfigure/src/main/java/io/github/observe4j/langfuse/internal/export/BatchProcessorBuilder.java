package io.github.observe4j.langfuse.internal.export;

import java.time.Duration;
import java.util.Objects;
import java.util.function.ToLongFunction;

import io.github.observe4j.langfuse.internal.model.ByteBudget;

import org.jspecify.annotations.Nullable;

/**
 * Builder for a {@link BatchProcessor}, made by {@link BatchProcessor#builder(BatchExporter)}.
 *
 * @param <T> the item type
 */
public final class BatchProcessorBuilder<T> {

	private final BatchExporter<T> exporter;

	private String name = "batch";

	private int maxQueueSize = BatchProcessor.DEFAULT_MAX_QUEUE_SIZE;

	private int maxBatchSize = BatchProcessor.DEFAULT_MAX_BATCH_SIZE;

	private Duration scheduleDelay = BatchProcessor.DEFAULT_SCHEDULE_DELAY;

	private @Nullable ExporterStats stats;

	private @Nullable ByteBudget byteBudget;

	private ToLongFunction<? super T> weigher = (item) -> 0;

	BatchProcessorBuilder(BatchExporter<T> exporter) {
		this.exporter = Objects.requireNonNull(exporter, "exporter must not be null");
	}

	/**
	 * Set the name used in the worker thread's name and in log messages.
	 * @param name the name, for example {@code "observations"}
	 * @return this builder
	 */
	public BatchProcessorBuilder<T> name(String name) {
		Objects.requireNonNull(name, "name must not be null");
		if (name.isBlank()) {
			throw new IllegalArgumentException("name must not be blank");
		}
		this.name = name;
		return this;
	}

	/**
	 * Set the maximum number of items waiting for export; more are dropped.
	 * @param maxQueueSize the queue capacity, positive
	 * @return this builder
	 */
	public BatchProcessorBuilder<T> maxQueueSize(int maxQueueSize) {
		if (maxQueueSize <= 0) {
			throw new IllegalArgumentException("maxQueueSize must be positive, was " + maxQueueSize);
		}
		this.maxQueueSize = maxQueueSize;
		return this;
	}

	/**
	 * Set the maximum number of items in one batch. Must be less than or equal to the
	 * maximum queue size.
	 * @param maxBatchSize the batch size, positive
	 * @return this builder
	 */
	public BatchProcessorBuilder<T> maxBatchSize(int maxBatchSize) {
		if (maxBatchSize <= 0) {
			throw new IllegalArgumentException("maxBatchSize must be positive, was " + maxBatchSize);
		}
		this.maxBatchSize = maxBatchSize;
		return this;
	}

	/**
	 * Set the maximum time an item waits before its batch is exported.
	 * @param scheduleDelay the delay, positive
	 * @return this builder
	 */
	public BatchProcessorBuilder<T> scheduleDelay(Duration scheduleDelay) {
		Objects.requireNonNull(scheduleDelay, "scheduleDelay must not be null");
		if (scheduleDelay.isNegative() || scheduleDelay.isZero()) {
			throw new IllegalArgumentException("scheduleDelay must be positive, was " + scheduleDelay);
		}
		this.scheduleDelay = scheduleDelay;
		return this;
	}

	/**
	 * Bound what the queue holds in bytes as well as in items: each item reserves its estimated
	 * size in the budget when it is queued and gives it back when it has been exported, spooled
	 * or dropped; an item that does not fit is dropped and counted as
	 * {@link ExporterStats.DropReason#QUEUE_BYTES_FULL}. The budget may be shared with other
	 * queues and with whatever else keeps items waiting for export.
	 * @param byteBudget the budget
	 * @param weigher the size estimate of an item in bytes; must return the same value for an
	 * item every time, and should be cheap, as callers run it on their own thread
	 * @return this builder
	 */
	public BatchProcessorBuilder<T> byteBudget(ByteBudget byteBudget, ToLongFunction<? super T> weigher) {
		this.byteBudget = Objects.requireNonNull(byteBudget, "byteBudget must not be null");
		this.weigher = Objects.requireNonNull(weigher, "weigher must not be null");
		return this;
	}

	/**
	 * Set the statistics to record into; by default the processor has its own.
	 * @param stats the stats
	 * @return this builder
	 */
	public BatchProcessorBuilder<T> stats(ExporterStats stats) {
		this.stats = Objects.requireNonNull(stats, "stats must not be null");
		return this;
	}

	/**
	 * Build the processor. Its worker starts with {@link BatchProcessor#start()}.
	 * @return a new processor
	 * @throws IllegalArgumentException if the batch size exceeds the queue size
	 */
	public BatchProcessor<T> build() {
		if (this.maxBatchSize > this.maxQueueSize) {
			throw new IllegalArgumentException("maxBatchSize (" + this.maxBatchSize
					+ ") must be less than or equal to maxQueueSize (" + this.maxQueueSize + ")");
		}
		ExporterStats stats = (this.stats != null) ? this.stats : new ExporterStats();
		return new BatchProcessor<>(this.name, this.exporter, stats, this.maxQueueSize, this.maxBatchSize,
				this.scheduleDelay, this.byteBudget, this.weigher);
	}

}
