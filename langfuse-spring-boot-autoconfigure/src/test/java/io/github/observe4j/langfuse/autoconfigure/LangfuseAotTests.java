package io.github.observe4j.langfuse.autoconfigure;

import java.net.http.HttpClient;

import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.internal.propagation.ObservationThreadLocalAccessor;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of what Spring AOT processing of an application using the starter registers for a
 * native image: the starter's own hints, and per bean what {@code @Observe} reads at run time.
 */
class LangfuseAotTests {

	@Test
	void registersTheStartersOwnHints() {
		RuntimeHints hints = new RuntimeHints();
		new LangfuseRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.resource().forResource("io/github/observe4j/langfuse/langfuse-version.properties"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("META-INF/services/io.micrometer.context.ThreadLocalAccessor"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(ObservationThreadLocalAccessor.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(Observe.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(HttpClient.class)).accepts(hints);
	}

	@Test
	void aotProcessingOfAnApplicationRegistersItsObservedMethodsAndTheirValueTypes() {
		RuntimeHints hints = processAheadOfTime(ObservedApplication.class);
		assertThat(RuntimeHintsPredicates.reflection().onMethod(StoryTeller.class, "tellStory").introspect())
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(StoryRequest.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(Story.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(Ledger.class))
			.as("the value types of a bean without @Observe are left alone")
			.rejects(hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("io/github/observe4j/langfuse/langfuse-version.properties"))
			.as("the auto-configuration imports the starter's hints")
			.accepts(hints);
	}

	@Test
	void aClassLevelObserveCoversEveryMethodOfTheBean() {
		RuntimeHints hints = processAheadOfTime(ObservedApplication.class);
		assertThat(RuntimeHintsPredicates.reflection().onMethod(Librarian.class, "find").introspect()).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethod(Librarian.class, "count").introspect()).accepts(hints);
	}

	private static RuntimeHints processAheadOfTime(Class<?> configuration) {
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			context.register(configuration);
			DefaultGenerationContext generationContext = new DefaultGenerationContext(
					new ClassNameGenerator(ClassName.get("com.example", "AotTest")), new InMemoryGeneratedFiles());
			new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
			return generationContext.getRuntimeHints();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(LangfuseAutoConfiguration.class)
	static class ObservedApplication {

		@Bean
		StoryTeller storyTeller() {
			return new StoryTeller();
		}

		@Bean
		Librarian librarian() {
			return new Librarian();
		}

		@Bean
		Accountant accountant() {
			return new Accountant();
		}

	}

	static class StoryTeller {

		@Observe(type = ObservationType.GENERATION)
		public Story tellStory(StoryRequest request) {
			return new Story(request.topic());
		}

		public String unobserved() {
			return "not traced";
		}

	}

	@Observe
	static class Librarian {

		public String find(String title) {
			return title;
		}

		public int count() {
			return 1;
		}

	}

	static class Accountant {

		public Ledger balance(Ledger ledger) {
			return ledger;
		}

	}

	record Ledger(long cents) {
	}

	record StoryRequest(String topic) {
	}

	record Story(String text) {
	}

}
