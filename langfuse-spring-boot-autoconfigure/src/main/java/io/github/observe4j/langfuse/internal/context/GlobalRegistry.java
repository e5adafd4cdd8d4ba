package io.github.observe4j.langfuse.internal.context;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Process-wide registrations of one type, newest last, such as the client behind the static
 * {@code LangfuseContext}: with several application contexts alive (tests with a cached context,
 * parent and child contexts), closing one falls back to the newest still open. Typed by class
 * rather than by the client interface, so that this package knows nothing of the API that uses
 * it; tests can make an instance of their own.
 *
 * @param <T> the registered type
 */
public final class GlobalRegistry<T> {

	private static final Map<Class<?>, GlobalRegistry<?>> registries = new ConcurrentHashMap<>();

	private final List<T> registered = new ArrayList<>();

	private volatile @Nullable T current;

	/**
	 * Create a registry of one's own, for tests; the process-wide ones come from {@link #of}.
	 */
	public GlobalRegistry() {
	}

	/**
	 * Return the process-wide registry of a type.
	 * @param <T> the type
	 * @param type the type
	 * @return its registry
	 */
	@SuppressWarnings("unchecked")
	public static <T> GlobalRegistry<T> of(Class<T> type) {
		return (GlobalRegistry<T>) registries.computeIfAbsent(type, (key) -> new GlobalRegistry<>());
	}

	/**
	 * Register an instance; it is current until it is unregistered or a newer one is registered.
	 * @param instance the instance
	 */
	public void register(T instance) {
		Objects.requireNonNull(instance, "instance must not be null");
		synchronized (this.registered) {
			this.registered.add(instance);
			this.current = instance;
		}
	}

	/**
	 * Unregister an instance; the newest one still registered is current from then on.
	 * @param instance the instance
	 */
	public void unregister(T instance) {
		synchronized (this.registered) {
			this.registered.removeIf((candidate) -> candidate == instance);
			this.current = this.registered.isEmpty() ? null : this.registered.get(this.registered.size() - 1);
		}
	}

	/**
	 * Return the current instance.
	 * @return the newest registered instance, or {@code null} if none is
	 */
	public @Nullable T current() {
		return this.current;
	}

}
