package io.github.observe4j.langfuse.reactor;

import java.util.ArrayList;
import java.util.List;

import io.github.observe4j.langfuse.core.AsyncObservation;
import org.jspecify.annotations.Nullable;

/**
 * The output of one run of a stream, bounded: a {@code Mono}'s value; a {@code Flux}'s elements
 * concatenated when the first one is text (streamed tokens), else a list of snapshots. Text stops
 * growing at the observation size limit, a list at {@value #MAX_ELEMENTS} elements; what is left
 * out is counted in a marker. Read from other threads on cancel, hence synchronized (uncontended).
 */
final class StreamOutput {

	static final int MAX_ELEMENTS = 1000;

	private final AsyncObservation observation;

	private final boolean single;

	private final int maxChars;

	private @Nullable StringBuilder text;

	private @Nullable List<@Nullable Object> elements;

	private @Nullable Object value;

	private long omittedChars;

	private long omittedElements;

	StreamOutput(AsyncObservation observation, boolean single) {
		this.observation = observation;
		this.single = single;
		this.maxChars = observation.maxOutputChars();
	}

	synchronized void add(@Nullable Object element) {
		if (this.single) {
			this.value = this.observation.snapshot(element);
			return;
		}
		if (this.text == null && this.elements == null) {
			if (element instanceof CharSequence) {
				this.text = new StringBuilder();
			}
			else {
				this.elements = new ArrayList<>();
			}
		}
		if (this.text != null) {
			appendText(String.valueOf(element));
		}
		else if (this.elements.size() < MAX_ELEMENTS) {
			this.elements.add(this.observation.snapshot(element));
		}
		else {
			this.omittedElements++;
		}
	}

	private void appendText(String chunk) {
		StringBuilder text = this.text;
		int room = this.maxChars - text.length();
		if (chunk.length() <= room) {
			text.append(chunk);
		}
		else {
			text.append(chunk, 0, Math.max(0, room));
			this.omittedChars += chunk.length() - Math.max(0, room);
		}
	}

	synchronized @Nullable Object result() {
		if (this.single) {
			return this.value;
		}
		if (this.text != null) {
			return (this.omittedChars == 0) ? this.text.toString()
					: this.text + "...[" + this.omittedChars + " more characters not recorded]";
		}
		if (this.elements != null) {
			List<@Nullable Object> result = new ArrayList<>(this.elements);
			if (this.omittedElements > 0) {
				result.add("<" + this.omittedElements + " more elements not recorded>");
			}
			return result;
		}
		return null;
	}

}
