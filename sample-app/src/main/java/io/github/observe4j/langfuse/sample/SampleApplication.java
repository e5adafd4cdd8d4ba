package io.github.observe4j.langfuse.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small story and Q&amp;A service whose LLM pipeline is traced into Langfuse with
 * {@code @Observe}. Without a real model endpoint it runs on a deterministic fake model.
 */
@SpringBootApplication
public class SampleApplication {

	/**
	 * Start the application.
	 * @param args command-line arguments, for example {@code --server.port=9090}
	 */
	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
