package io.github.observe4j.langfuse.autoconfigure;

import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.internal.context.GlobalRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Makes the context's {@link LangfuseClient} the one behind the static {@code LangfuseContext}
 * once all singletons exist, and takes it back when the context closes.
 */
final class LangfuseContextRegistration implements SmartInitializingSingleton, DisposableBean {

	private final ObjectProvider<LangfuseClient> client;

	private @Nullable LangfuseClient registered;

	LangfuseContextRegistration(ObjectProvider<LangfuseClient> client) {
		this.client = client;
	}

	@Override
	public void afterSingletonsInstantiated() {
		LangfuseClient client = this.client.getIfUnique();
		if (client != null) {
			GlobalRegistry.of(LangfuseClient.class).register(client);
			this.registered = client;
		}
	}

	@Override
	public void destroy() {
		if (this.registered != null) {
			GlobalRegistry.of(LangfuseClient.class).unregister(this.registered);
		}
	}

}
