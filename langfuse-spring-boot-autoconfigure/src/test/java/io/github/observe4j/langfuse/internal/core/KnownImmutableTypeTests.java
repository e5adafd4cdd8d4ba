package io.github.observe4j.langfuse.internal.core;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which declared types let a captured value skip the lookup of its class: only those whose
 * every value has one immutable class.
 */
class KnownImmutableTypeTests {

	@Test
	void primitivesAreKnownByTheirWrapper() {
		assertThat(LangfuseTracer.knownImmutableType(int.class)).isEqualTo(Integer.class);
		assertThat(LangfuseTracer.knownImmutableType(boolean.class)).isEqualTo(Boolean.class);
		assertThat(LangfuseTracer.knownImmutableType(void.class)).isNull();
	}

	@Test
	void finalImmutableClassesAreKnown() {
		assertThat(LangfuseTracer.knownImmutableType(String.class)).isEqualTo(String.class);
		assertThat(LangfuseTracer.knownImmutableType(Long.class)).isEqualTo(Long.class);
		assertThat(LangfuseTracer.knownImmutableType(Instant.class)).isEqualTo(Instant.class);
		assertThat(LangfuseTracer.knownImmutableType(Point.class)).isEqualTo(Point.class);
		assertThat(LangfuseTracer.knownImmutableType(Plain.class)).isEqualTo(Plain.class);
	}

	@Test
	void mutableOrOpenTypesAreNotKnown() {
		assertThat(LangfuseTracer.knownImmutableType(StringBuilder.class)).isNull();
		assertThat(LangfuseTracer.knownImmutableType(Holder.class)).isNull();
		assertThat(LangfuseTracer.knownImmutableType(String[].class)).isNull();
		assertThat(LangfuseTracer.knownImmutableType(Object.class)).isNull();
		assertThat(LangfuseTracer.knownImmutableType(CharSequence.class)).isNull();
		assertThat(LangfuseTracer.knownImmutableType(List.class)).isNull();
		assertThat(LangfuseTracer.knownImmutableType(Number.class)).isNull();
		// an enum whose constants have bodies has subclasses
		assertThat(LangfuseTracer.knownImmutableType(WithBodies.class)).isNull();
	}

	record Point(int x, int y) {
	}

	record Holder(StringBuilder text) {
	}

	enum Plain {

		A, B

	}

	enum WithBodies {

		A {
			@Override
			public String toString() {
				return "a";
			}
		}

	}

}
