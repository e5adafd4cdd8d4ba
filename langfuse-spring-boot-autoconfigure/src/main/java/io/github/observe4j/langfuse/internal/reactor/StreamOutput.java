package io.github.observe4j.langfuse.internal.reactor;

import java.util.ArrayList;
import java.util.List;

import io.github.observe4j.langfuse.internal.core.AsyncObservation;
import io.github.observe4j.langfuse.internal.model.JsonText;
import org.jspecify.annotations.Nullable;

/**
 * The output of one run of a stream, bounded: a {@code Mono}'s value; a {@code Flux}'s elements
 * concatenated when the first one is text (streamed tokens), else a list of JSON snapshots. Both
 * stop growing at the observation size limit in characters (a list also at
 * {@value #MAX_ELEMENTS} elements); what is left out is counted in a marker. Never throws: an
 * element that cannot be captured becomes a placeholder. Read from other threads on cancel, hence
 * synchronized (uncontended).
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

	private long listChars;

	StreamOutput(AsyncObservation observation, boolean single) {
		this.observation = observation;
		this.single = single;
		this.maxChars = observation.maxOutputChars();
	}

	synchronized void add(@Nullable Object element) {
		try {
			addElement(element);
		}
		catch (RuntimeException ex) {
			// a failing toString() or serializer must not reach the stream's subscriber
			this.omittedElements++;
		}
	}

	private void addElement(@Nullable Object element) {
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
			if (this.text.length() < this.maxChars) {
				appendText(String.valueOf(element));
			}
			else {
				this.omittedChars += (element instanceof CharSequence chars) ? chars.length() : 0;
			}
			return;
		}
		List<@Nullable Object> elements = this.elements;
		// room for the commas, brackets and the marker, so the whole list fits the limit
		long budget = Math.max(this.maxChars / 2, this.maxChars - 2L * MAX_ELEMENTS - 64);
		if (elements.size() >= MAX_ELEMENTS || this.listChars >= budget) {
			this.omittedElements++;
			return;
		}
		// serialized now, within what is left of the budget, so the list never holds more than it
		String json = this.observation.toJson(element, (int) Math.max(16, budget - this.listChars));
		this.listChars += json.length();
		elements.add(new JsonText(json));
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
			String text = (this.omittedChars == 0) ? this.text.toString()
					: this.text + "...[" + this.omittedChars + " more characters not recorded]";
			return (this.omittedElements == 0) ? text
					: text + "...[" + this.omittedElements + " elements could not be recorded]";
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
