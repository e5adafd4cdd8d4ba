package io.github.observe4j.langfuse.sample.account;

import java.util.Map;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.context.LangfuseContext;

import org.springframework.stereotype.Service;

/**
 * Summarizes a partner account. Its arguments carry credentials, so the input is not captured;
 * a masked copy is recorded instead.
 */
@Service
public class AccountService {

	/**
	 * Summarize an account.
	 * @param request the account and its credentials
	 * @return the summary, without credentials
	 */
	@Observe(name = "summarizeAccount", captureInput = false)
	public AccountSummary summarize(AccountSummaryRequest request) {
		String apiKeyHint = Secrets.maskKey(request.apiKey());
		LangfuseContext.currentObservation()
			.input(Map.of("accountId", request.accountId(), "apiKey", apiKeyHint, "apiSecret",
					Secrets.maskSecret(request.apiSecret())));
		// A stand-in for a call to the partner's API with the credentials.
		int storiesThisMonth = Math.floorMod(request.accountId().hashCode(), 40);
		return new AccountSummary(request.accountId(), apiKeyHint, storiesThisMonth,
				"Account " + request.accountId() + " ordered " + storiesThisMonth + " stories this month.");
	}

}
