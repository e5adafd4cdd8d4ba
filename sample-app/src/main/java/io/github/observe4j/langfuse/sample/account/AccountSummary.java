package io.github.observe4j.langfuse.sample.account;

/**
 * A summary of a partner account.
 *
 * @param accountId the account id
 * @param apiKeyHint the masked API key the summary was made with
 * @param storiesThisMonth how many stories the account ordered this month
 * @param summary a sentence for the dashboard
 */
public record AccountSummary(String accountId, String apiKeyHint, int storiesThisMonth, String summary) {

}
