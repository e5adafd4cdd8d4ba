package io.github.observe4j.langfuse.faults;

import java.util.ArrayList;
import java.util.List;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.annotation.ObservationType;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.model.Score;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The application under test: a handler that calls a step, both {@code @Observe}d, so each
 * call makes a trace of two spans and reports their ids.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class FaultSuiteApplication {

	@Bean
	Step step(LangfuseClient langfuse) {
		return new Step(langfuse);
	}

	@Bean
	Handler handler(Step step, LangfuseClient langfuse) {
		return new Handler(step, langfuse);
	}

	public static class Handler {

		private final Step step;

		private final LangfuseClient langfuse;

		Handler(Step step, LangfuseClient langfuse) {
			this.step = step;
			this.langfuse = langfuse;
		}

		/**
		 * Handle one call.
		 * @param input recorded as the input
		 * @return the ids of the two spans, root first
		 */
		@Observe(name = "handle")
		public List<String> handle(String input) {
			List<String> ids = new ArrayList<>(2);
			ids.add(this.langfuse.currentObservationId().orElseThrow());
			ids.add(this.step.run(input));
			return ids;
		}

		/**
		 * Handle one call and score its trace, as user feedback would.
		 * @param score the score
		 * @return the ids of the two spans, root first
		 */
		@Observe(name = "handle")
		public List<String> handleAndScore(Score score) {
			List<String> ids = new ArrayList<>(2);
			ids.add(this.langfuse.currentObservationId().orElseThrow());
			ids.add(this.step.run("scored"));
			this.langfuse.scoreCurrentTrace(score);
			return ids;
		}

	}

	public static class Step {

		private final LangfuseClient langfuse;

		Step(LangfuseClient langfuse) {
			this.langfuse = langfuse;
		}

		@Observe(name = "step", type = ObservationType.GENERATION)
		public String run(String input) {
			return this.langfuse.currentObservationId().orElseThrow();
		}

	}

}
