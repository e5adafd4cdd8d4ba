package io.github.observe4j.langfuse.autoconfigure;

import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Loads and initializes, on a background thread while the application context is being
 * prepared, the classes the starter's export client and capture need, as Spring Boot's own
 * {@code BackgroundPreinitializer} does for its libraries: building the HTTP client (WebClient
 * over the JDK {@code HttpClient}, TLS) and the Jackson mapper then no longer loads them on the
 * startup thread. Nothing is created that lives on, no thread is left behind, and any failure
 * is ignored: the same work happens again, on demand, where it is needed. Skipped with one
 * processor, with {@code langfuse.enabled=false}, and with the system property
 * {@code spring.backgroundpreinitializer.ignore=true}, which also turns Boot's own off. This
 * class names only JDK and Spring Core types, so that it loads even where a library it warms is
 * missing; the work is in {@link LangfusePreinitialization}.
 *
 * @since 0.1.0
 */
public final class LangfuseBackgroundPreinitializer implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	private final AtomicBoolean started = new AtomicBoolean();

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		ConfigurableEnvironment environment = event.getEnvironment();
		if (Boolean.getBoolean("spring.backgroundpreinitializer.ignore")
				|| !environment.getProperty("langfuse.enabled", Boolean.class, true)
				|| Runtime.getRuntime().availableProcessors() < 2 || !this.started.compareAndSet(false, true)) {
			return;
		}
		try {
			Thread thread = new Thread(LangfuseBackgroundPreinitializer::preinitialize, "langfuse-preinitializer");
			thread.setDaemon(true);
			thread.start();
		}
		catch (RuntimeException ex) {
			// no thread, no head start: the classes load where they are first used
		}
	}

	private static void preinitialize() {
		try {
			LangfusePreinitialization.run();
		}
		catch (Throwable ex) {
			// a missing or broken library: reported where it is used, not here
		}
	}

}
