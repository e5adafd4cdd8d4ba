package io.github.observe4j.langfuse.autoconfigure;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link LangfuseClassPreloader}: which listed classes it loads, that it initializes
 * none, and when it starts.
 */
class LangfuseClassPreloaderTests {

	static final AtomicBoolean probeInitialized = new AtomicBoolean();

	private final List<Runnable> started = new ArrayList<>();

	private final LangfuseClassPreloader preloader = new LangfuseClassPreloader(new AtomicBoolean(),
			this.started::add);

	@Test
	void loadsTheListedClassesThatArePresentWithoutInitializingThem() throws ClassNotFoundException {
		int loaded = LangfuseClassPreloader.preload(getClass().getClassLoader(),
				"io/github/observe4j/langfuse/autoconfigure/preload-test-classes.txt");
		// the probe and the tracer; not the comment, the empty line or the missing class
		assertThat(loaded).isEqualTo(2);
		assertThat(probeInitialized).isFalse();
		Class.forName(Probe.class.getName(), true, getClass().getClassLoader());
		assertThat(probeInitialized).isTrue();
	}

	@Test
	void aMissingListLoadsNothing() {
		assertThat(LangfuseClassPreloader.preload(getClass().getClassLoader(), "no/such/list.txt")).isZero();
	}

	@Test
	void everyStarterClassInTheShippedListExists() throws IOException {
		List<String> names = shippedNames();
		List<String> missing = new ArrayList<>();
		for (String name : names) {
			if (name.startsWith("io.github.observe4j.")) {
				try {
					Class.forName(name, false, getClass().getClassLoader());
				}
				catch (ClassNotFoundException ex) {
					missing.add(name);
				}
			}
		}
		// a renamed or removed class: run benchmarks/preload-classes.sh to record the list again
		assertThat(missing).isEmpty();
		assertThat(names).filteredOn((name) -> name.startsWith("io.github.observe4j.")).hasSizeGreaterThan(50);
		assertThat(LangfuseClassPreloader.preload(getClass().getClassLoader(), LangfuseClassPreloader.CLASS_LIST))
			.isGreaterThan(names.size() * 9 / 10);
	}

	@Test
	void startsOncePerJvmWhenTracingIsEnabled() {
		this.preloader.onApplicationEvent(environmentPrepared());
		this.preloader.onApplicationEvent(environmentPrepared());
		assertThat(this.started).hasSize(1);
	}

	@Test
	void startsNothingWhenLangfuseIsDisabled() {
		this.preloader.onApplicationEvent(environmentPrepared("langfuse.enabled", "false"));
		assertThat(this.started).isEmpty();
	}

	@Test
	void anEnabledFlagThatIsNotABooleanStartsNothingAndThrowsNothing() {
		// binding the properties fails the start later, naming the property
		assertThatNoException()
			.isThrownBy(() -> this.preloader.onApplicationEvent(environmentPrepared("langfuse.enabled", "maybe")));
		assertThat(this.started).isEmpty();
	}

	@Test
	void startsNothingWhereTracingsConditionWouldNotMatch() {
		// @ConditionalOnBooleanProperty matches "true" only, in any case
		this.preloader.onApplicationEvent(environmentPrepared("langfuse.enabled", "yes"));
		assertThat(this.started).isEmpty();
		this.preloader.onApplicationEvent(environmentPrepared("langfuse.enabled", "TRUE"));
		assertThat(this.started).hasSize(1);
	}

	@Test
	void followsSpringBootsSwitchForBackgroundPreinitialization() {
		String before = System.getProperty(LangfuseClassPreloader.IGNORE_PROPERTY);
		System.setProperty(LangfuseClassPreloader.IGNORE_PROPERTY, "true");
		try {
			this.preloader.onApplicationEvent(environmentPrepared());
		}
		finally {
			if (before != null) {
				System.setProperty(LangfuseClassPreloader.IGNORE_PROPERTY, before);
			}
			else {
				System.clearProperty(LangfuseClassPreloader.IGNORE_PROPERTY);
			}
		}
		assertThat(this.started).isEmpty();
	}

	@Test
	void preloadsOnADaemonThreadOfItsOwn() throws InterruptedException {
		CompletableFuture<Thread> thread = new CompletableFuture<>();
		LangfuseClassPreloader.startThread(() -> thread.complete(Thread.currentThread()));
		assertThat(thread).succeedsWithin(Duration.ofSeconds(10)).satisfies((preloading) -> {
			assertThat(preloading.getName()).isEqualTo(LangfuseClassPreloader.THREAD_NAME);
			assertThat(preloading.isDaemon()).isTrue();
		});
	}

	@Test
	void aClassLoaderThatIsNotParallelCapableIsLeftAlone() {
		ClassLoader locking = new ClassLoader(getClass().getClassLoader()) {
		};
		assertThat(locking.isRegisteredAsParallelCapable()).isFalse();
		assertThat(LangfuseClassPreloader.preload(locking,
				"io/github/observe4j/langfuse/autoconfigure/preload-test-classes.txt"))
			.isZero();
	}

	@Test
	void aNameTheClassLoaderFailsOnIsSkippedAndTheRestLoaded() {
		FailingClassLoader failing = new FailingClassLoader(getClass().getClassLoader(), Probe.class.getName(),
				new IllegalStateException("loader closed"));
		assertThat(LangfuseClassPreloader.preload(failing,
				"io/github/observe4j/langfuse/autoconfigure/preload-test-classes.txt"))
			.isEqualTo(1);
	}

	@Test
	void anErrorFromTheClassLoaderEndsPreloadingQuietly() {
		FailingClassLoader failing = new FailingClassLoader(getClass().getClassLoader(), Probe.class.getName(),
				new OutOfMemoryError("Metaspace"));
		assertThat(LangfuseClassPreloader.preload(failing,
				"io/github/observe4j/langfuse/autoconfigure/preload-test-classes.txt"))
			.isZero();
	}

	@Test
	void withoutWebClientNothingIsPreloaded() {
		// tracing is off without it, so its classes would never be needed
		FailingClassLoader noWebClient = new FailingClassLoader(getClass().getClassLoader(),
				LangfuseMissingLibrariesWarning.WEB_CLIENT, null);
		assertThat(LangfuseClassPreloader.preload(noWebClient,
				"io/github/observe4j/langfuse/autoconfigure/preload-test-classes.txt"))
			.isZero();
	}

	@Test
	void noThreadToStartLeavesTheApplicationStarting() {
		LangfuseClassPreloader refused = new LangfuseClassPreloader(new AtomicBoolean(), (task) -> {
			throw new RejectedExecutionException("no threads");
		});
		assertThatNoException().isThrownBy(() -> refused.onApplicationEvent(environmentPrepared()));
	}

	@Test
	void isRegisteredAsAnApplicationListener() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(ApplicationListener.class))
			.hasAtLeastOneElementOfType(LangfuseClassPreloader.class);
	}

	private static ApplicationEnvironmentPreparedEvent environmentPrepared(String... properties) {
		StandardEnvironment environment = new StandardEnvironment();
		Map<String, Object> values = new HashMap<>();
		for (int i = 0; i < properties.length; i += 2) {
			values.put(properties[i], properties[i + 1]);
		}
		environment.getPropertySources().addFirst(new MapPropertySource("test", values));
		return new ApplicationEnvironmentPreparedEvent(new DefaultBootstrapContext(), new SpringApplication(),
				new String[0], environment);
	}

	private static List<String> shippedNames() throws IOException {
		List<String> names = new ArrayList<>();
		try (InputStream in = LangfuseClassPreloaderTests.class.getClassLoader()
			.getResourceAsStream(LangfuseClassPreloader.CLASS_LIST)) {
			assertThat(in).isNotNull();
			BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				if (!line.isBlank() && !line.startsWith("#")) {
					names.add(line.strip());
				}
			}
		}
		return names;
	}

	/**
	 * Fails on one name: with the given throwable, or as if the class were absent.
	 */
	static final class FailingClassLoader extends ClassLoader {

		static {
			registerAsParallelCapable();
		}

		private final String failingName;

		private final @Nullable Throwable failure;

		FailingClassLoader(ClassLoader parent, String failingName, @Nullable Throwable failure) {
			super(parent);
			this.failingName = failingName;
			this.failure = failure;
		}

		@Override
		protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
			if (name.equals(this.failingName)) {
				if (this.failure instanceof RuntimeException runtime) {
					throw runtime;
				}
				if (this.failure instanceof Error error) {
					throw error;
				}
				throw new ClassNotFoundException(name);
			}
			return super.loadClass(name, resolve);
		}

	}

	/** Says when it is initialized. */
	static final class Probe {

		static {
			probeInitialized.set(true);
		}

	}

}
