package io.github.observe4j.langfuse.internal.propagation;

import io.github.observe4j.langfuse.internal.core.ObservationContext;
import io.github.observe4j.langfuse.internal.core.ObservationContextHolder;
import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Gives Micrometer's context-propagation library access to the current Langfuse observation
 * under the key {@value ObservationContextHolder#KEY}. Registered through
 * {@code META-INF/services/io.micrometer.context.ThreadLocalAccessor}, so nothing needs to be
 * configured: Reactor's automatic context propagation and Spring's
 * {@code ContextPropagatingTaskDecorator} find it in the global {@code ContextRegistry}.
 *
 * @since 0.1.0
 */
public final class ObservationThreadLocalAccessor implements ThreadLocalAccessor<ObservationContext> {

	@Override
	public Object key() {
		return ObservationContextHolder.KEY;
	}

	// What a snapshot captures and what its scope saves and restores: the context as it is, a
	// joined trace as the join itself, so that a scope that closed the join inside the snapshot's
	// scope is not undone by the restore
	@Override
	public @Nullable ObservationContext getValue() {
		return ObservationContextHolder.current();
	}

	// Installing captured work: a join closed since the capture is still the work's trace
	@Override
	public void setValue(ObservationContext value) {
		ObservationContextHolder.install(value);
	}

	@Override
	public void setValue() {
		ObservationContextHolder.swap(null);
	}

	@Override
	public void restore(ObservationContext previousValue) {
		ObservationContextHolder.swap(previousValue);
	}

	@Override
	public void restore() {
		ObservationContextHolder.swap(null);
	}

}
