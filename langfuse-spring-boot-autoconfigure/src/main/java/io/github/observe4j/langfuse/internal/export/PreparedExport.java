package io.github.observe4j.langfuse.internal.export;

/**
 * An export whose work that needs no network (encoding, compressing) is done, returned by
 * {@link BatchExporter#prepareExport}: a {@link BatchProcessor} prepares the next batch while
 * the previous batch's request is out, so that its worker does not sit idle waiting for an
 * answer while a backlog builds up. Called by the processor's worker only, {@link #send()}
 * first and then {@link #finish()}, once each.
 *
 * @since 0.1.0
 */
public interface PreparedExport {

	/**
	 * Send the first request without waiting for its answer. Never blocks on the network and
	 * never throws; a failure to send shows in {@link #finish()}.
	 */
	void send();

	/**
	 * Wait for the answer, retry and send the batch's remaining requests, with the contract of
	 * {@link BatchExporter#export}.
	 * @return what became of the items
	 */
	ExportResult finish();

}
