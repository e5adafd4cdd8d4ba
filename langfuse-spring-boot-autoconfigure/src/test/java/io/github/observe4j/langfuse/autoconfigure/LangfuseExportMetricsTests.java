package io.github.observe4j.langfuse.autoconfigure;

import java.time.Duration;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import io.github.observe4j.langfuse.internal.metrics.LangfuseExportMetrics;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.model.LangfuseMasker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LangfuseExportMetrics} as the auto-configuration defines it: the export
 * counters of both queues, read on each scrape.
 */
@ExtendWith(OutputCaptureExtension.class)
class LangfuseExportMetricsTests {

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(LangfuseAutoConfiguration.class))
		.withPropertyValues("langfuse.host=" + this.server.url(), "langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
				"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY, "langfuse.export.schedule-delay=50ms");

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void publishesTheExportCountersOfBothQueues() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(LangfuseExportMetrics.class).bindTo(registry);
			LangfuseTracer tracer = context.getBean(LangfuseTracer.class);
			tracer.endObservation(tracer.startObservation("measured", ObservationType.SPAN));
			LangfuseClient client = context.getBean(LangfuseClient.class);
			assertThat(client.flush(Duration.ofSeconds(10))).isTrue();
			assertThat(client.authCheck()).isTrue();

			assertThat(registry.get("langfuse.export.queued").tag("queue", "traces").functionCounter().count())
				.isOne();
			assertThat(registry.get("langfuse.export.exported").tag("queue", "traces").functionCounter().count())
				.isOne();
			assertThat(registry.get("langfuse.export.dropped").tag("queue", "traces").functionCounters())
				.hasSize(6)
				.allSatisfy((counter) -> assertThat(counter.count()).isZero());
			assertThat(registry.get("langfuse.export.dropped")
				.tag("queue", "traces")
				.tag("reason", "queue_bytes_full")
				.functionCounter()
				.count()).isZero();
			assertThat(registry.get("langfuse.export.queue.capacity").tag("queue", "scores").gauge().value())
				.isEqualTo(16384);
			assertThat(registry.get("langfuse.export.queue.size").tag("queue", "traces").gauge().value()).isZero();
			assertThat(registry.get("langfuse.export.auth").tag("queue", "traces").gauge().value()).isOne();
			assertThat(registry.get("langfuse.export.possibly.duplicated").tag("queue", "traces").functionCounter()
				.count()).isZero();
		});
	}

	@Test
	void countsTruncatedObservationsAndMaskingFailures(CapturedOutput output) {
		this.contextRunner.withPropertyValues("langfuse.export.max-observation-size=1KB")
			.withBean(LangfuseMasker.class, () -> (text) -> {
				if (text.contains("secret")) {
					throw new IllegalStateException("cannot mask");
				}
				return text;
			})
			.run((context) -> {
				MeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(LangfuseExportMetrics.class).bindTo(registry);
				LangfuseClient client = context.getBean(LangfuseClient.class);
				client.observe("big", ObservationType.SPAN, () -> client.currentObservation().input("x".repeat(5000)));
				client.observe("secret", ObservationType.SPAN, () -> client.currentObservation().output("a secret"));
				assertThat(client.flush(Duration.ofSeconds(10))).isTrue();
				assertThat(registry.get("langfuse.export.truncated").tag("queue", "traces").functionCounter().count())
					.isOne();
				assertThat(registry.get("langfuse.export.masking.failures")
					.tag("queue", "traces")
					.functionCounter()
					.count()).isOne();
			});
		assertThat(output).contains("is larger than 1024 bytes; its largest values were cut to fit")
			.contains("The LangfuseMasker failed on the output of an observation (IllegalStateException: cannot mask)");
	}

	@Test
	void noMetricsWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterBinder.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(LangfuseExportMetrics.class));
	}

	@Test
	void backsOffForUserMetrics() {
		LangfuseExportMetrics mine = new LangfuseExportMetrics(java.util.Map.of());
		this.contextRunner.withBean(LangfuseExportMetrics.class, () -> mine)
			.run((context) -> assertThat(context).getBean(LangfuseExportMetrics.class).isSameAs(mine));
	}

}
