package io.github.observe4j.langfuse.sample.account;

import org.jspecify.annotations.Nullable;

/**
 * A partner account and the credentials of its API.
 *
 * @param accountId the account id
 * @param apiKey the partner's API key
 * @param apiSecret the partner's API secret
 */
public record AccountSummaryRequest(String accountId, @Nullable String apiKey, @Nullable String apiSecret) {

	@Override
	public String toString() {
		// Records print every component; the credentials must never reach a log.
		return "AccountSummaryRequest[accountId=" + this.accountId + ", apiKey=" + Secrets.maskKey(this.apiKey)
				+ ", apiSecret=" + Secrets.maskSecret(this.apiSecret) + "]";
	}

}
