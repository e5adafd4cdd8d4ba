package io.github.observe4j.langfuse.autoconfigure;

import java.util.List;

import io.github.observe4j.langfuse.internal.core.LlmCall;
import io.github.observe4j.langfuse.internal.springai.SpringAiObservationHandler;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.observation.ChatClientObservationContext;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.observation.conventions.AiProvider;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationHandlerGroup;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LangfuseSpringAiAutoConfiguration}: one per condition branch.
 */
class LangfuseSpringAiAutoConfigurationTests {

	private static final List<String> MODEL_HANDLERS = List.of("langfuseSpringAiChatModelHandler",
			"langfuseSpringAiToolCallingHandler", "langfuseSpringAiEmbeddingModelHandler");

	private static final String CHAT_CLIENT_HANDLER = "langfuseSpringAiChatClientHandler";

	private static final String VECTOR_STORE_HANDLER = "langfuseSpringAiVectorStoreHandler";

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, LangfuseAutoConfiguration.class,
				LangfuseSpringAiAutoConfiguration.class))
		.withPropertyValues("langfuse.host=" + this.server.url(),
				"langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
				"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY);

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void withSpringAiEveryHandlerIsRegisteredOnTheObservationRegistry() {
		this.contextRunner.run((context) -> {
			assertThat(handlerNames(context)).containsExactlyInAnyOrderElementsOf(
					concat(concat(MODEL_HANDLERS, CHAT_CLIENT_HANDLER), VECTOR_STORE_HANDLER));
			assertThat(recordsAChatModelCall(context.getBean(ObservationRegistry.class))).isTrue();
		});
	}

	@Test
	void besideTheMeterHandlersThatActuatorBringsTheHandlersStillRecord() {
		this.contextRunner.withUserConfiguration(MetricsConfiguration.class).run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			assertThat(recordsAChatModelCall(registry)).isTrue();
			assertThat(context.getBean(SimpleMeterRegistry.class).find("gen_ai.client.operation").timer())
				.as("the meter handler ran too")
				.isNotNull();
		});
	}

	@Test
	void withoutSpringAiNoHandlerIsRegistered() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ChatModelObservationContext.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(LangfuseSpringAiAutoConfiguration.class);
				assertThat(handlerNames(context)).isEmpty();
			});
	}

	@Test
	void withoutTheChatClientJarOnlyTheModelHandlersAreRegistered() {
		this.contextRunner
			.withClassLoader(new FilteredClassLoader(ChatClientObservationContext.class, VectorStoreObservationContext.class))
			.run((context) -> assertThat(handlerNames(context)).containsExactlyInAnyOrderElementsOf(MODEL_HANDLERS));
	}

	@Test
	void withTheVectorStoreJarItsQueriesAreRecordedToo() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ChatClientObservationContext.class))
			.run((context) -> assertThat(handlerNames(context))
				.containsExactlyInAnyOrderElementsOf(concat(MODEL_HANDLERS, VECTOR_STORE_HANDLER)));
	}

	@Test
	void switchedOffNoHandlerIsRegistered() {
		this.contextRunner.withPropertyValues("langfuse.integrations.spring-ai.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(LangfuseSpringAiAutoConfiguration.class);
			assertThat(handlerNames(context)).isEmpty();
			assertThat(recordsAChatModelCall(context.getBean(ObservationRegistry.class))).isFalse();
		});
	}

	@Test
	void withLangfuseSwitchedOffNoHandlerIsRegistered() {
		this.contextRunner.withPropertyValues("langfuse.enabled=false")
			.run((context) -> assertThat(handlerNames(context)).isEmpty());
	}

	@Test
	void explicitlySwitchedOnEveryHandlerIsRegistered() {
		this.contextRunner.withPropertyValues("langfuse.integrations.spring-ai.enabled=true")
			.run((context) -> assertThat(handlerNames(context)).hasSize(5));
	}

	private static List<String> handlerNames(AssertableApplicationContext context) {
		return List.of(context.getBeanNamesForType(SpringAiObservationHandler.class));
	}

	/** Whether a chat model observation on the registry reaches a Langfuse handler. */
	private static boolean recordsAChatModelCall(ObservationRegistry registry) {
		ChatModelObservationContext chat = ChatModelObservationContext.builder()
			.prompt(new Prompt("Hi"))
			.provider(AiProvider.OPENAI.value())
			.build();
		Observation observation = Observation.createNotStarted("gen_ai.client.operation", () -> chat, registry).start();
		try {
			return chat.get(LlmCall.class) != null;
		}
		finally {
			observation.stop();
		}
	}

	/** What actuator's metrics add: a meter registry and its first-match handler group. */
	@Configuration(proxyBeanMethods = false)
	static class MetricsConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		DefaultMeterObservationHandler defaultMeterObservationHandler(SimpleMeterRegistry meterRegistry) {
			return new DefaultMeterObservationHandler(meterRegistry);
		}

		@Bean
		ObservationHandlerGroup meterObservationHandlerGroup() {
			return ObservationHandlerGroup.of(MeterObservationHandler.class);
		}

	}

	private static List<String> concat(List<String> names, String name) {
		return java.util.stream.Stream.concat(names.stream(), java.util.stream.Stream.of(name)).toList();
	}

}
