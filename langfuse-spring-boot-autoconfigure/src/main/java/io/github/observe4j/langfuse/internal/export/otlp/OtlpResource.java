package io.github.observe4j.langfuse.internal.export.otlp;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Describes the application that produces the traces: sent once per request as the OTLP
 * resource, and used for the release and environment of every span.
 *
 * @param serviceName the application name ({@code service.name}), or {@code null}
 * @param environment the Langfuse environment, or {@code null} for Langfuse's {@code default}
 * @param release the release (deployment) identifier, or {@code null}
 * @param sdkName the name of this SDK ({@code telemetry.sdk.name})
 * @param sdkVersion the version of this SDK ({@code telemetry.sdk.version}, also the scope
 * version)
 * @since 0.1.0
 */
public record OtlpResource(@Nullable String serviceName, @Nullable String environment, @Nullable String release,
		String sdkName, String sdkVersion) {

	public OtlpResource {
		Objects.requireNonNull(sdkName, "sdkName must not be null");
		Objects.requireNonNull(sdkVersion, "sdkVersion must not be null");
	}

}
