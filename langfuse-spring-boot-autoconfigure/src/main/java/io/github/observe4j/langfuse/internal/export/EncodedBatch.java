package io.github.observe4j.langfuse.internal.export;

import java.util.List;

import io.github.observe4j.langfuse.internal.model.ObservationRecord;

/**
 * A batch of observations as request bodies: which observations went into which body, and
 * which could not be encoded at all, so the exporter counts every observation exactly once.
 *
 * @param requests the request bodies, each with the observations it carries
 * @param leftOut the observations that are in no body (their ids or times could not be read)
 * @since 0.1.0
 */
public record EncodedBatch(List<Request> requests, List<ObservationRecord> leftOut) {

	public EncodedBatch {
		requests = List.copyOf(requests);
		leftOut = List.copyOf(leftOut);
	}

	/**
	 * Return how many observations the batch accounts for, in bodies or left out.
	 * @return the count
	 */
	public int recordCount() {
		int count = this.leftOut.size();
		for (Request request : this.requests) {
			count += request.records().size();
		}
		return count;
	}

	/**
	 * One request body and the observations it carries.
	 *
	 * @param body the {@code ExportTraceServiceRequest} bytes
	 * @param records the observations in it, in order
	 */
	public record Request(byte[] body, List<ObservationRecord> records) {

		public Request {
			records = List.copyOf(records);
		}

	}

}
