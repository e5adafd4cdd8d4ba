package io.github.observe4j.langfuse.autoconfigure;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link LangfuseBackgroundPreinitializer}: it warms the export client's and the
 * mapper's classes on a daemon thread that ends, and stays away where tracing is off.
 */
class LangfuseBackgroundPreinitializerTests {

	@Test
	void warmsOnADaemonThreadThatEnds() throws Exception {
		Set<Thread> before = Thread.getAllStackTraces().keySet();
		new LangfuseBackgroundPreinitializer().onApplicationEvent(event(Map.of()));
		Thread preinitializer = Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> !before.contains(thread) && thread.getName().equals("langfuse-preinitializer"))
			.findFirst()
			.orElse(null);
		if (preinitializer != null) {
			assertThat(preinitializer.isDaemon()).isTrue();
			preinitializer.join(30_000);
			assertThat(preinitializer.isAlive()).isFalse();
		}
		else {
			// it may already have finished; what must hold is that nothing it made lives on
			assertThat(Thread.getAllStackTraces().keySet()).noneMatch((thread) -> !before.contains(thread)
					&& thread.getName().startsWith("HttpClient-"));
		}
	}

	@Test
	void startsNoThreadWhereTracingIsOff() {
		Set<Thread> before = Thread.getAllStackTraces().keySet();
		new LangfuseBackgroundPreinitializer().onApplicationEvent(event(Map.of("langfuse.enabled", "false")));
		assertThat(Thread.getAllStackTraces().keySet())
			.noneMatch((thread) -> !before.contains(thread) && thread.getName().equals("langfuse-preinitializer"));
	}

	@Test
	void theWorkNeverThrowsAndStartsNoClientThread() {
		Set<Thread> before = Thread.getAllStackTraces().keySet();
		assertThatNoException().isThrownBy(LangfusePreinitialization::run);
		assertThat(Thread.getAllStackTraces().keySet())
			.noneMatch((thread) -> !before.contains(thread) && thread.getName().startsWith("HttpClient-"));
	}

	private static ApplicationEnvironmentPreparedEvent event(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return new ApplicationEnvironmentPreparedEvent(new DefaultBootstrapContext(), new SpringApplication(),
				new String[0], environment);
	}

}
