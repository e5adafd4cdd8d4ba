package io.github.observe4j.langfuse.autoconfigure;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.NativeDetector;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Loads, on a background thread as the application starts, the classes that creating the
 * starter's beans would otherwise load one by one on the startup thread (its auto-configuration,
 * properties, export pipeline and tracer, and the Reactor, AOP and context-propagation classes
 * they use), as Spring Boot's own {@code BackgroundPreinitializer}s do for Jackson and Tomcat.
 * The classes are only loaded, never initialized, so no static initializer runs early or on
 * another thread. The names are in {@value #CLASS_LIST}, recorded from a started application
 * ({@code benchmarks/preload-classes.sh}); a name that is missing is skipped.
 * <p>
 * Off where tracing is ({@code langfuse.enabled} set to anything but {@code true}, WebClient or
 * Jackson missing), with Spring Boot's {@code -Dspring.backgroundpreinitializer.ignore=true}, on a
 * single processor, in a native image and with a class loader that is not parallel-capable. Runs
 * once per JVM. The classes are loaded before the context starts, so a load-time
 * weaver the context adds ({@code @EnableLoadTimeWeaving}) does not see them; a
 * {@code -javaagent} weaver does.
 */
final class LangfuseClassPreloader implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	/** The resource that lists the classes, one binary name per line. */
	static final String CLASS_LIST = "META-INF/langfuse/preload-classes.txt";

	/** The name of the thread that loads them. */
	static final String THREAD_NAME = "langfuse-preload";

	/** Spring Boot's switch for its own background preinitialization, which this follows. */
	static final String IGNORE_PROPERTY = "spring.backgroundpreinitializer.ignore";

	/** Once per JVM, as the classes of every later application in it are loaded already. */
	private static final AtomicBoolean startedInThisJvm = new AtomicBoolean();

	private final AtomicBoolean started;

	private final Executor executor;

	LangfuseClassPreloader() {
		this(startedInThisJvm, LangfuseClassPreloader::startThread);
	}

	LangfuseClassPreloader(AtomicBoolean started, Executor executor) {
		this.started = started;
		this.executor = executor;
	}

	@Override
	public int getOrder() {
		// where Boot's own preinitializer starts: right after logging is set up
		return LoggingApplicationListener.DEFAULT_ORDER + 1;
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		if (!enabled(event.getEnvironment()) || NativeDetector.inNativeImage()
				|| Boolean.getBoolean(IGNORE_PROPERTY) || Runtime.getRuntime().availableProcessors() <= 1
				|| !this.started.compareAndSet(false, true)) {
			return;
		}
		ClassLoader classLoader = classLoader(event);
		try {
			this.executor.execute(() -> preload(classLoader, CLASS_LIST));
		}
		catch (RuntimeException | OutOfMemoryError ex) {
			// no thread to spare: the startup thread loads the classes itself, as without this
		}
	}

	static void startThread(Runnable preload) {
		Thread thread = new Thread(preload, THREAD_NAME);
		thread.setDaemon(true);
		thread.start();
	}

	/** The rule of the {@code @ConditionalOnBooleanProperty} that switches tracing on. */
	private static boolean enabled(Environment environment) {
		try {
			String enabled = environment.getProperty("langfuse.enabled");
			return enabled == null || "true".equalsIgnoreCase(enabled);
		}
		catch (RuntimeException ex) {
			// an unresolvable placeholder: the starter's own conditions report it
			return false;
		}
	}

	private static ClassLoader classLoader(ApplicationEnvironmentPreparedEvent event) {
		ClassLoader classLoader = event.getSpringApplication().getClassLoader();
		return (classLoader != null) ? classLoader : LangfuseClassPreloader.class.getClassLoader();
	}

	/**
	 * Load every listed class that is present, without initializing it, when tracing can be on
	 * (WebClient and Jackson present) and the class loader can be used by two threads at once.
	 * Never throws: whatever is not loaded here is loaded where it is needed, as without this.
	 * @param classLoader the application's class loader
	 * @param classList the resource that lists the classes
	 * @return how many classes were loaded (or had been already)
	 */
	static int preload(ClassLoader classLoader, String classList) {
		try {
			// a loader that does not lock could define a class twice when both threads load it
			if (!classLoader.isRegisteredAsParallelCapable()
					|| !ClassUtils.isPresent(LangfuseMissingLibrariesWarning.WEB_CLIENT, classLoader)
					|| !ClassUtils.isPresent(LangfuseMissingLibrariesWarning.JSON_MAPPER, classLoader)) {
				return 0;
			}
			return loadListed(classLoader, classList);
		}
		catch (Throwable ex) {
			// out of memory or metaspace, a broken class loader: stop, and leave the rest to the
			// startup thread rather than to the application's handler of uncaught exceptions
			return 0;
		}
	}

	private static int loadListed(ClassLoader classLoader, String classList) throws IOException {
		int loaded = 0;
		try (InputStream in = classLoader.getResourceAsStream(classList)) {
			if (in == null) {
				return 0;
			}
			BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				if (load(line.strip(), classLoader) != null) {
					loaded++;
				}
			}
		}
		return loaded;
	}

	private static @Nullable Class<?> load(String name, ClassLoader classLoader) {
		if (name.isEmpty() || name.startsWith("#")) {
			return null;
		}
		try {
			return Class.forName(name, false, classLoader);
		}
		catch (ClassNotFoundException | LinkageError | RuntimeException ex) {
			// an optional library that is not there, another version of it, a loader's own failure
			return null;
		}
	}

}
