package io.github.observe4j.langfuse.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

import static io.github.observe4j.langfuse.faults.TracedApplication.assertStoredExactlyOnce;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Long outages with the default retry settings (backoff from 1s up to 30s, retries for up to
 * 5 minutes), ten runs: {@code ./mvnw -pl langfuse-spring-boot-autoconfigure -Psoak test}. The
 * outage lasts {@code -Dlangfuse.soak.outage=60s} by default. Each run makes ten traces before
 * Langfuse goes down and one every 100 ms while it is down, and expects every span stored
 * exactly once afterwards, none dropped.
 */
@Tag("soak")
class DeliverySoakTests {

	private static final Duration OUTAGE = Duration
		.parse("PT" + System.getProperty("langfuse.soak.outage", "60s").toUpperCase());

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@RepeatedTest(10)
	@Timeout(300)
	void anOutageWithDefaultRetriesLosesNothing() throws InterruptedException {
		try (TracedApplication app = TracedApplication.start(this.server, "langfuse.export.initial-backoff=1s",
				"langfuse.export.max-backoff=30s", "langfuse.export.timeout=10s",
				"langfuse.export.schedule-delay=1s", "langfuse.export.max-batch-size=512")) {
			List<String> spans = new ArrayList<>(app.trace(10));
			this.server.stop();
			long end = System.nanoTime() + OUTAGE.toNanos();
			while (System.nanoTime() - end < 0) {
				spans.addAll(app.trace(1));
				Thread.sleep(100);
			}
			this.server.restart();
			// the next probe comes within the 30s backoff bound
			assertThat(app.flush()).isTrue();
			assertStoredExactlyOnce(this.server, spans);
			assertThat(app.droppedTotal("traces")).isZero();
			assertThat(app.counts("traces")).containsEntry("exported", (long) spans.size())
				.containsEntry("possiblyDuplicated", 0L);
		}
	}

}
