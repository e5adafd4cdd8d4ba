package io.github.observe4j.langfuse.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.web.reactive.function.client.ExchangeStrategies;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The default {@link ExchangeStrategies}, except that their writers are handed out only once
 * {@linkplain #release() released}, or never: {@link WebClient.Builder#build()} reads them, so a
 * customizer that sets these strategies holds up, or fails, the background build of the
 * starter's {@code WebClient} where it happens, while everything else goes on.
 */
public final class GatedExchangeStrategies implements ExchangeStrategies {

	private final ExchangeStrategies defaults = ExchangeStrategies.withDefaults();

	private final CountDownLatch reached = new CountDownLatch(1);

	private final CountDownLatch gate = new CountDownLatch(1);

	private final @Nullable Error failure;

	private GatedExchangeStrategies(@Nullable Error failure) {
		this.failure = failure;
	}

	/**
	 * Create strategies that hold the build until released.
	 * @return the strategies
	 */
	public static GatedExchangeStrategies held() {
		return new GatedExchangeStrategies(null);
	}

	/**
	 * Create strategies that fail the build with the given error.
	 * @param failure the error, such as a {@link NoClassDefFoundError}
	 * @return the strategies
	 */
	public static GatedExchangeStrategies failing(Error failure) {
		return new GatedExchangeStrategies(failure);
	}

	/**
	 * Let the build go on.
	 */
	public void release() {
		this.gate.countDown();
	}

	/**
	 * Wait until a build asks for the writers.
	 * @param timeout how long to wait
	 * @return whether one did
	 * @throws InterruptedException if interrupted
	 */
	public boolean awaitBuild(Duration timeout) throws InterruptedException {
		return this.reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public List<HttpMessageReader<?>> messageReaders() {
		return this.defaults.messageReaders();
	}

	@Override
	public List<HttpMessageWriter<?>> messageWriters() {
		this.reached.countDown();
		if (this.failure != null) {
			throw this.failure;
		}
		try {
			if (!this.gate.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Never released");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		return this.defaults.messageWriters();
	}

}
