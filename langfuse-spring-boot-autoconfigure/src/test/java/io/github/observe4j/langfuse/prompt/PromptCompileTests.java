package io.github.observe4j.langfuse.prompt;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for compiling prompts and for {@link PromptKey}, following the Python SDK's template
 * rules.
 */
class PromptCompileTests {

	@Test
	void fillsInVariablesTrimmingTheirNames() {
		TextPrompt prompt = new TextPrompt("p", 1, List.of(), Map.of(), "Hi {{ name }}, you are {{age}}.");
		assertThat(prompt.compile(Map.of("name", "Ada", "age", 36))).isEqualTo("Hi Ada, you are 36.");
		assertThat(prompt.variables()).containsExactly("name", "age");
	}

	@Test
	void aMissingVariableKeepsItsPlaceholder() {
		TextPrompt prompt = new TextPrompt("p", 1, List.of(), Map.of(), "Hi {{name}} from {{city}}");
		assertThat(prompt.compile(Map.of("name", "Ada"))).isEqualTo("Hi Ada from {{city}}");
		assertThat(prompt.compile(Map.of())).isEqualTo("Hi {{name}} from {{city}}");
	}

	@Test
	void aNullValueBecomesEmpty() {
		Map<String, Object> variables = new HashMap<>();
		variables.put("name", null);
		assertThat(new TextPrompt("p", 1, List.of(), Map.of(), "Hi {{name}}!").compile(variables)).isEqualTo("Hi !");
	}

	@Test
	void valuesAreNotScannedAndUnclosedPlaceholdersStay() {
		TextPrompt prompt = new TextPrompt("p", 1, List.of(), Map.of(), "{{a}} and {{b");
		assertThat(prompt.compile(Map.of("a", "{{b}}", "b", "x"))).isEqualTo("{{b}} and {{b");
	}

	@Test
	void chatMessagesAreCompiledOneByOne() {
		ChatPrompt prompt = new ChatPrompt("c", 2, List.of("production"), Map.of(),
				List.of(new ChatMessage("system", "Be {{tone}}"), new ChatMessage("user", "{{q}} {{missing}}")));
		assertThat(prompt.compile(Map.of("tone", "brief", "q", "Why?"))).containsExactly(
				new ChatMessage("system", "Be brief"), new ChatMessage("user", "Why? {{missing}}"));
	}

	@Test
	void aKeyWithoutVersionOrLabelIsTheProductionLabel() {
		assertThat(PromptKey.of("p")).isEqualTo(PromptKey.label("p", "production"));
		assertThat(PromptKey.version("p", 3)).isNotEqualTo(PromptKey.label("p", "production"));
		assertThatIllegalArgumentException().isThrownBy(() -> new PromptKey("p", 1, "staging"));
		assertThatIllegalArgumentException().isThrownBy(() -> PromptKey.version("p", 0));
	}

	@Test
	void fallbacksAreVersionZeroWithoutLabelsOrConfig() {
		TextPrompt fallback = TextPrompt.fallback("p", "Hi");
		assertThat(fallback.isFallback()).isTrue();
		assertThat(fallback.version()).isZero();
		assertThat(fallback.labels()).isEmpty();
		assertThat(fallback.config()).isEmpty();
		assertThat(fallback).hasToString("TextPrompt[name=p, version=0, labels=[], fallback]");
	}

}
