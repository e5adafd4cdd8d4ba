package io.github.observe4j.langfuse.test;

import io.github.observe4j.langfuse.autoconfigure.LangfuseAutoConfiguration;
import io.github.observe4j.langfuse.internal.json.JacksonValueSerializer;
import io.github.observe4j.langfuse.internal.model.RecordingSinks;
import io.github.observe4j.langfuse.internal.model.ValueSerializer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration imported by {@link AutoConfigureLangfuseRecorder}: a
 * {@link LangfuseRecorder}, whose sinks the Langfuse auto-configuration then uses in place of
 * the export to Langfuse.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = LangfuseAutoConfiguration.class)
public final class LangfuseRecorderAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LangfuseRecorder langfuseRecorder(ObjectProvider<ValueSerializer> serializer) {
		return new LangfuseRecorder(serializer.getIfAvailable(JacksonValueSerializer::new));
	}

	@Bean
	@ConditionalOnMissingBean
	RecordingSinks langfuseRecordingSinks(LangfuseRecorder recorder) {
		return recorder.sinks();
	}

}
