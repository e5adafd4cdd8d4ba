package io.github.observe4j.langfuse.sample.account;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AccountService}.
 */
class AccountServiceTests {

	private static final String API_KEY = "sk-live-0123456789abcdef";

	private static final String API_SECRET = "very-secret-value";

	@Test
	void summaryCarriesNoCredentials() {
		AccountSummary summary = new AccountService()
			.summarize(new AccountSummaryRequest("acme", API_KEY, API_SECRET));
		assertThat(summary.apiKeyHint()).isEqualTo("sk-****cdef");
		assertThat(summary.toString()).doesNotContain(API_KEY).doesNotContain(API_SECRET);
	}

	@Test
	void requestToStringMasksCredentials() {
		assertThat(new AccountSummaryRequest("acme", API_KEY, API_SECRET).toString()).contains("acme")
			.doesNotContain(API_KEY)
			.doesNotContain(API_SECRET);
	}

	@Test
	void shortKeysAreMaskedCompletely() {
		assertThat(Secrets.maskKey("sk-short")).isEqualTo("****");
		assertThat(Secrets.maskKey(null)).isEqualTo("****");
	}

}
