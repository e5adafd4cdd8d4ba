package io.github.observe4j.langfuse.sample.account;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The account API.
 */
@RestController
@RequestMapping("/api/account")
public class AccountController {

	private final AccountService accountService;

	/**
	 * Create the controller.
	 * @param accountService summarizes accounts
	 */
	public AccountController(AccountService accountService) {
		this.accountService = accountService;
	}

	/**
	 * Summarize a partner account.
	 * @param request the account and its credentials
	 * @return the summary
	 */
	@PostMapping("/summary")
	public AccountSummary summary(@RequestBody AccountSummaryRequest request) {
		return this.accountService.summarize(request);
	}

}
