package io.github.observe4j.langfuse.autoconfigure;

import java.net.http.HttpClient;
import java.util.Map;

import javax.net.ssl.SSLContext;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.reactive.function.client.ExchangeStrategies;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The work of {@link LangfuseBackgroundPreinitializer}: each step touches what building the
 * export client and the capture's mapper will need, creating nothing that lives on (builders,
 * not clients, so no selector thread is started); a step that fails is skipped.
 */
final class LangfusePreinitialization {

	private LangfusePreinitialization() {
	}

	static void run() {
		step(SSLContext::getDefault);
		step(() -> HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1));
		step(() -> Class.forName(JdkClientHttpConnector.class.getName(), true,
				LangfusePreinitialization.class.getClassLoader()));
		step(() -> WebClient.builder().exchangeStrategies(ExchangeStrategies.withDefaults()));
		step(() -> JsonMapper.builder().build().writeValueAsString(Map.of("preinitialized", true)));
	}

	private static void step(Step step) {
		try {
			step.run();
		}
		catch (Throwable ex) {
			// a missing or broken library: reported where it is used, not here
		}
	}

	@FunctionalInterface
	private interface Step {

		void run() throws Exception;

	}

}
