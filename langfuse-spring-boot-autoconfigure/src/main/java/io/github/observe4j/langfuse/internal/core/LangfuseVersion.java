package io.github.observe4j.langfuse.internal.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The starter's name and version, as sent to Langfuse in the SDK headers and resource attributes.
 *
 * @since 0.1.0
 */
public final class LangfuseVersion {

	/** SDK name reported to Langfuse. */
	public static final String SDK_NAME = "langfuse-spring-boot-starter";

	private static final String VERSION = readVersion();

	private LangfuseVersion() {
	}

	/**
	 * Return the starter version.
	 * @return the version, or {@code unknown}
	 */
	public static String version() {
		return VERSION;
	}

	private static String readVersion() {
		try (InputStream in = LangfuseVersion.class.getResourceAsStream("/io/github/observe4j/langfuse/langfuse-version.properties")) {
			if (in != null) {
				Properties properties = new Properties();
				properties.load(in);
				String version = properties.getProperty("version");
				if (version != null && !version.isBlank() && !version.startsWith("${")) {
					return version;
				}
			}
		}
		catch (IOException ex) {
			// fall through to unknown
		}
		return "unknown";
	}

}
