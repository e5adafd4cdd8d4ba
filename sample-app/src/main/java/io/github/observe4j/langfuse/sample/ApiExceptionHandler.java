package io.github.observe4j.langfuse.sample;

import io.github.observe4j.langfuse.sample.llm.LlmException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns failures of the model into a {@code 502 Bad Gateway} problem response.
 */
@RestControllerAdvice
class ApiExceptionHandler {

	@ExceptionHandler(LlmException.class)
	ProblemDetail modelFailed(LlmException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY,
				"The story model failed: " + ex.getMessage());
		problem.setTitle("Model unavailable");
		return problem;
	}

}
