package io.github.observe4j.langfuse.internal.core;

import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link ObservationContextHolder} leaves on a thread once nothing is current keeps nothing
 * of the starter reachable: the threads of a shared container outlive an application undeployed
 * from it (a WAR on Tomcat), and must not keep its class loader and every class it loaded.
 */
class ObservationContextHolderClassLoaderTests {

	private static final String HOLDER = ObservationContextHolder.class.getName();

	@Test
	void aThreadThatHadAContextDoesNotKeepTheClassLoaderOfTheHolder() throws Exception {
		WeakReference<ClassLoader> loader = swapInAndOutWithOwnLoader();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (loader.get() != null && System.nanoTime() < deadline) {
			System.gc();
			Thread.sleep(20);
		}
		assertThat(loader.get()).as("the class loader of an application that is gone").isNull();
	}

	/**
	 * On this thread, make a context current and then none, as an observed call does, through
	 * a holder of a class loader of its own, and forget that loader.
	 */
	private static WeakReference<ClassLoader> swapInAndOutWithOwnLoader() throws Exception {
		URL classes = ObservationContextHolder.class.getProtectionDomain().getCodeSource().getLocation();
		try (OwnHolderClassLoader loader = new OwnHolderClassLoader(classes,
				ObservationContextHolderClassLoaderTests.class.getClassLoader())) {
			Class<?> holder = loader.loadClass(HOLDER);
			assertThat(holder.getClassLoader()).isSameAs(loader);
			Method swap = holder.getMethod("swap", ObservationContext.class);
			Method get = holder.getMethod("get");
			ObservationContext context = new RemoteParent(1, 2, 3, null);
			assertThat(swap.invoke(null, context)).isNull();
			// handed out as a copy: the holder reaches that through public methods only
			assertThat(get.invoke(null)).isInstanceOf(ObservationContext.class)
				.extracting((value) -> ((ObservationContext) value).traceIdHex())
				.isEqualTo(context.traceIdHex());
			assertThat(swap.invoke(null, (Object) null)).isSameAs(context);
			return new WeakReference<>(loader);
		}
	}

	/** Loads the holder and its nested classes itself, everything else from its parent. */
	private static final class OwnHolderClassLoader extends URLClassLoader {

		OwnHolderClassLoader(URL classes, ClassLoader parent) {
			super(new URL[] { classes }, parent);
		}

		@Override
		protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
			if (!name.equals(HOLDER) && !name.startsWith(HOLDER + "$")) {
				return super.loadClass(name, resolve);
			}
			synchronized (getClassLoadingLock(name)) {
				Class<?> loaded = findLoadedClass(name);
				return (loaded != null) ? loaded : findClass(name);
			}
		}

	}

}
