package io.github.observe4j.langfuse.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Adapts {@link LangfuseProperties} to {@link LangfuseConnectionDetails}.
 */
final class PropertiesLangfuseConnectionDetails implements LangfuseConnectionDetails {

	private final LangfuseProperties properties;

	PropertiesLangfuseConnectionDetails(LangfuseProperties properties) {
		this.properties = properties;
	}

	@Override
	public String getHost() {
		return this.properties.getHost();
	}

	@Override
	public @Nullable String getPublicKey() {
		return this.properties.getPublicKey();
	}

	@Override
	public @Nullable String getSecretKey() {
		return this.properties.getSecretKey();
	}

	@Override
	public String toString() {
		return "PropertiesLangfuseConnectionDetails[host=" + getHost() + "]";
	}

}
