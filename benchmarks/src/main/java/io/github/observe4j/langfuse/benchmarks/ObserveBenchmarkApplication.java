package io.github.observe4j.langfuse.benchmarks;

import java.util.stream.Collectors;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application with our auto-configuration, as an application gets it from the
 * starter, and the beans of our candidates.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class ObserveBenchmarkApplication {

	@Bean
	ObserveNoCaptureWork observeNoCaptureWork() {
		return new ObserveNoCaptureWork();
	}

	@Bean
	ObserveCaptureWork observeCaptureWork() {
		return new ObserveCaptureWork();
	}

	/**
	 * Start the application against a Langfuse host, with the same export queue size as the
	 * peers' batch span processors (65,536), and a byte budget large enough (256MB) that the
	 * queue size, not the budget, is what bounds it, as for the peers.
	 * @param host the Langfuse host, a {@link LoopbackSink}
	 * @param enabled whether Langfuse is enabled
	 * @param configurations further configuration classes
	 * @return the running context
	 */
	static ConfigurableApplicationContext start(String host, boolean enabled, Class<?>... configurations) {
		return new SpringApplicationBuilder(ObserveBenchmarkApplication.class).sources(configurations)
			.web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties("spring.main.banner-mode=off", "langfuse.public-key=pk-lf-bench",
					"langfuse.secret-key=sk-lf-bench", "langfuse.host=" + host, "langfuse.enabled=" + enabled,
					"langfuse.export.max-queue-size=" + OtelPipeline.MAX_QUEUE_SIZE,
					"langfuse.export.max-queue-bytes=256MB",
					"spring.autoconfigure.exclude=" + peerAutoConfigurations())
			.run();
	}

	/**
	 * The OpenTelemetry starter's auto-configurations are on this classpath for the peer
	 * candidates; keep them out of ours, which would otherwise start a second SDK.
	 */
	private static String peerAutoConfigurations() {
		return ImportCandidates.load(AutoConfiguration.class, ObserveBenchmarkApplication.class.getClassLoader())
			.getCandidates()
			.stream()
			.filter((name) -> name.startsWith("io.opentelemetry."))
			.collect(Collectors.joining(","));
	}

}
