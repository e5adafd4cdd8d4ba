package io.github.observe4j.langfuse.internal.springai;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

import io.github.observe4j.langfuse.internal.core.ObservationContext;
import io.github.observe4j.langfuse.internal.core.ObservationContextHolder;
import org.jspecify.annotations.Nullable;

/**
 * Makes a recorded Spring AI observation current on the starter's thread-local while Micrometer
 * has its scope open, so that {@code @Observe} code run inside it (a tool body, an advisor) nests
 * under it. Kept on the observation's context, one per observation: it remembers, per opened
 * scope, the thread and what was current there before. Scopes open and close in pairs on a
 * thread, usually one at a time per observation, so the stack stays tiny.
 */
final class ScopeMirror {

	private final Deque<OpenScope> open = new ArrayDeque<>(2);

	synchronized void opened(ObservationContext context) {
		ObservationContext previous = ObservationContextHolder.swap(context);
		this.open.push(new OpenScope(Thread.currentThread(), context, previous));
	}

	synchronized void closed() {
		OpenScope scope = removeLatest(Thread.currentThread());
		if (scope != null && ObservationContextHolder.get() == scope.context()) {
			ObservationContextHolder.swap(scope.previous());
		}
	}

	/**
	 * Micrometer cleared the thread's scopes (context propagation restoring an empty snapshot):
	 * forget every scope of this thread, giving back what was current before the first of them,
	 * unless something else has become current since.
	 */
	synchronized void reset() {
		Thread thread = Thread.currentThread();
		OpenScope first = null;
		OpenScope scope;
		while ((scope = removeLatest(thread)) != null) {
			first = scope;
		}
		if (first != null && ObservationContextHolder.get() == first.context()) {
			ObservationContextHolder.swap(first.previous());
		}
	}

	private @Nullable OpenScope removeLatest(Thread thread) {
		for (Iterator<OpenScope> scopes = this.open.iterator(); scopes.hasNext();) {
			OpenScope scope = scopes.next();
			if (scope.thread() == thread) {
				scopes.remove();
				return scope;
			}
		}
		return null;
	}

	private record OpenScope(Thread thread, ObservationContext context, @Nullable ObservationContext previous) {
	}

}
