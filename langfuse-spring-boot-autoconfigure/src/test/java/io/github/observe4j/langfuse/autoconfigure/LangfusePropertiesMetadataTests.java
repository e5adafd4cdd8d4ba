package io.github.observe4j.langfuse.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.BeanUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the configuration metadata that the annotation processor generates from
 * {@link LangfuseProperties}: IDEs show it as completion and documentation.
 */
class LangfusePropertiesMetadataTests {

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	@Test
	void describesEveryProperty() throws IOException {
		Map<String, JsonNode> metadata = langfuseProperties();
		assertThat(metadata.keySet()).containsExactlyInAnyOrderElementsOf(
				propertyNames(LangfuseProperties.class, LangfuseProperties.PREFIX));
		assertThat(metadata).allSatisfy((name, property) -> assertThat(property.path("description").asString(""))
			.as("description of %s", name)
			.isNotBlank());
	}

	@Test
	void documentsDefaults() throws IOException {
		Map<String, JsonNode> metadata = langfuseProperties();
		assertThat(metadata.get("langfuse.sample-rate").path("defaultValue").isNumber()).isTrue();
		assertThat(metadata.get("langfuse.sample-rate").path("defaultValue").asDouble()).isEqualTo(1.0);
		assertThat(metadata.get("langfuse.host").path("defaultValue").asString())
			.isEqualTo("https://cloud.langfuse.com");
		assertThat(metadata.get("langfuse.enabled").path("defaultValue").asString()).isEqualTo("true");
		assertThat(metadata.get("langfuse.export.schedule-delay").path("defaultValue").asString()).isEqualTo("1s");
		// a constant from another class, which the processor cannot read: given in the additional metadata
		assertThat(metadata.get("langfuse.observe.order").path("defaultValue").asLong()).isEqualTo(Integer.MAX_VALUE);
	}

	@Test
	void documentsTheHealthIndicatorSwitch() throws IOException {
		JsonNode health = allProperties().get("management.health.langfuse.enabled");
		assertThat(health).as("management.health.langfuse.enabled").isNotNull();
		assertThat(health.path("type").asString()).isEqualTo("java.lang.Boolean");
		assertThat(health.path("defaultValue").asBoolean()).isTrue();
		assertThat(health.path("description").asString("")).isNotBlank();
	}

	// Every bean property with a setter is a key; getter-only properties of our own nested
	// types are groups
	private static Set<String> propertyNames(Class<?> type, String prefix) {
		Set<String> names = new TreeSet<>();
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			String name = prefix + "." + kebabCase(descriptor.getName());
			if (descriptor.getWriteMethod() != null) {
				names.add(name);
			}
			else if (isNestedIn(descriptor.getPropertyType(), LangfuseProperties.class)) {
				names.addAll(propertyNames(descriptor.getPropertyType(), name));
			}
		}
		return names;
	}

	// nested at any depth, such as Integrations.Toggle
	private static boolean isNestedIn(Class<?> type, Class<?> outer) {
		for (Class<?> enclosing = type.getEnclosingClass(); enclosing != null; enclosing = enclosing.getEnclosingClass()) {
			if (enclosing == outer) {
				return true;
			}
		}
		return false;
	}

	private static String kebabCase(String name) {
		return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	private static Map<String, JsonNode> langfuseProperties() throws IOException {
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		allProperties().forEach((name, property) -> {
			if (name.startsWith(LangfuseProperties.PREFIX + ".")) {
				properties.put(name, property);
			}
		});
		return properties;
	}

	private static Map<String, JsonNode> allProperties() throws IOException {
		JsonMapper mapper = JsonMapper.builder().build();
		Enumeration<URL> resources = LangfusePropertiesMetadataTests.class.getClassLoader().getResources(METADATA);
		while (resources.hasMoreElements()) {
			JsonNode metadata;
			try (InputStream in = resources.nextElement().openStream()) {
				metadata = mapper.readTree(in);
			}
			Map<String, JsonNode> properties = new LinkedHashMap<>();
			for (JsonNode property : metadata.path("properties").values()) {
				properties.put(property.path("name").asString(""), property);
			}
			if (properties.keySet().stream().anyMatch((name) -> name.startsWith(LangfuseProperties.PREFIX + "."))) {
				return properties;
			}
		}
		throw new AssertionError("No " + METADATA + " with langfuse.* properties on the class path");
	}

}
