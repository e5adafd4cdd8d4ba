package io.github.observe4j.langfuse.context;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link LangfuseContext}.
 */
class LangfuseContextTests {

	private final LangfuseClient first = mock(LangfuseClient.class);

	private final LangfuseClient second = mock(LangfuseClient.class);

	@AfterEach
	void unregisterAll() {
		LangfuseContext.unregister(this.first);
		LangfuseContext.unregister(this.second);
	}

	@Test
	void delegatesToNoopUntilAClientIsRegistered() {
		assertThat(LangfuseContext.client()).isSameAs(LangfuseClient.noop());
		assertThat(LangfuseContext.currentTraceId()).isEmpty();
		assertThat(LangfuseContext.flush(java.time.Duration.ZERO)).isTrue();
	}

	@Test
	void closingOneOfTwoContextsFallsBackToTheOtherStillOpen() {
		LangfuseContext.register(this.first);
		LangfuseContext.register(this.second);
		assertThat(LangfuseContext.client()).isSameAs(this.second);
		LangfuseContext.unregister(this.second);
		assertThat(LangfuseContext.client()).isSameAs(this.first);
		LangfuseContext.unregister(this.first);
		assertThat(LangfuseContext.client()).isSameAs(LangfuseClient.noop());
	}

	@Test
	void unregisteringAClientThatIsNotCurrentKeepsTheCurrentOne() {
		LangfuseContext.register(this.first);
		LangfuseContext.register(this.second);
		LangfuseContext.unregister(this.first);
		assertThat(LangfuseContext.client()).isSameAs(this.second);
	}

}
