package io.github.observe4j.langfuse.context;

import java.time.Duration;
import java.util.Optional;

import io.github.observe4j.langfuse.internal.context.GlobalRegistry;
import io.github.observe4j.langfuse.model.Score;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link LangfuseContext} and the {@link GlobalRegistry} behind it. The registry's
 * rules are tested on an instance of its own, so no test depends on what other tests left in
 * the global one.
 */
class LangfuseContextTests {

	private final LangfuseClient first = mock(LangfuseClient.class);

	private final LangfuseClient second = mock(LangfuseClient.class);

	private final GlobalRegistry<LangfuseClient> registry = new GlobalRegistry<>();

	@AfterEach
	void unregisterFromTheGlobalRegistry() {
		GlobalRegistry.of(LangfuseClient.class).unregister(this.first);
	}

	@Test
	void aRegistryWithoutClientsHasNoneAndTheNoopClientDoesNothing() {
		assertThat(this.registry.current()).isNull();
		assertThat(LangfuseClient.noop().currentTraceId()).isEmpty();
		assertThat(LangfuseClient.noop().flush(Duration.ZERO)).isTrue();
	}

	@Test
	void closingOneOfTwoContextsFallsBackToTheOtherStillOpen() {
		this.registry.register(this.first);
		this.registry.register(this.second);
		assertThat(this.registry.current()).isSameAs(this.second);
		this.registry.unregister(this.second);
		assertThat(this.registry.current()).isSameAs(this.first);
		this.registry.unregister(this.first);
		assertThat(this.registry.current()).isNull();
	}

	@Test
	void unregisteringAClientThatIsNotCurrentKeepsTheCurrentOne() {
		this.registry.register(this.first);
		this.registry.register(this.second);
		this.registry.unregister(this.first);
		assertThat(this.registry.current()).isSameAs(this.second);
	}

	@Test
	void theStaticCallsDelegateToTheNewestRegisteredClient() {
		GlobalRegistry.of(LangfuseClient.class).register(this.first);
		given(this.first.traceUrl("abc")).willReturn(Optional.of("https://langfuse/trace/abc"));
		assertThat(LangfuseContext.client()).isSameAs(this.first);
		assertThat(LangfuseContext.traceUrl("abc")).contains("https://langfuse/trace/abc");
		Score score = Score.numeric("accuracy", 1);
		LangfuseContext.scoreObservation("abc", "def", score);
		then(this.first).should().scoreObservation("abc", "def", score);
		GlobalRegistry.of(LangfuseClient.class).unregister(this.first);
		assertThat(LangfuseContext.client()).isNotSameAs(this.first);
	}

}
