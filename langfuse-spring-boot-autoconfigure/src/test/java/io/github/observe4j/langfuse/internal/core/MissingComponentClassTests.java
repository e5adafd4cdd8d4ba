package io.github.observe4j.langfuse.internal.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.function.Supplier;

import io.github.observe4j.langfuse.internal.model.JsonText;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A record whose component type cannot be loaded (an optional dependency absent at run time):
 * finding out whether it is immutable fails, and capture treats it as mutable instead of
 * throwing into the call.
 */
class MissingComponentClassTests {

	private final ValueSnapshots snapshots = new ValueSnapshots((value, maxChars) -> "\"snapshot\"", 1000);

	@Test
	void aRecordWithAMissingComponentClassIsSnapshottedNotThrown() throws Exception {
		Object value = loadWithoutMissing();
		assertThatThrownBy(value.getClass()::getRecordComponents).isInstanceOf(NoClassDefFoundError.class);
		assertThat(this.snapshots.snapshot(value)).isInstanceOf(JsonText.class)
			.hasToString("\"snapshot\"");
		Object[] captured = this.snapshots.captureValues(new Object[] { "kept", value }, null);
		assertThat(captured[0]).isEqualTo("kept");
		assertThat(captured[1]).isInstanceOf(JsonText.class);
		assertThat(ValueSnapshots.knownImmutableType(value.getClass())).isNull();
	}

	/** Loads {@link WithMissing} and its factory in a loader that cannot load {@link Missing}. */
	private static Object loadWithoutMissing() throws Exception {
		Set<String> own = Set.of(WithMissing.class.getName(), Factory.class.getName());
		ClassLoader loader = new ClassLoader(MissingComponentClassTests.class.getClassLoader()) {

			@Override
			protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
				synchronized (getClassLoadingLock(name)) {
					if (name.equals(Missing.class.getName())) {
						throw new ClassNotFoundException(name);
					}
					if (!own.contains(name)) {
						return super.loadClass(name, resolve);
					}
					Class<?> loaded = findLoadedClass(name);
					if (loaded == null) {
						byte[] bytes = bytesOf(name);
						loaded = defineClass(name, bytes, 0, bytes.length);
					}
					return loaded;
				}
			}

		};
		@SuppressWarnings("unchecked")
		Supplier<Object> factory = (Supplier<Object>) loader.loadClass(Factory.class.getName())
			.getDeclaredConstructor()
			.newInstance();
		return factory.get();
	}

	private static byte[] bytesOf(String name) throws ClassNotFoundException {
		try (InputStream in = MissingComponentClassTests.class.getClassLoader()
			.getResourceAsStream(name.replace('.', '/') + ".class")) {
			if (in == null) {
				throw new ClassNotFoundException(name);
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new ClassNotFoundException(name, ex);
		}
	}

	/** Stands for a class of an optional dependency. */
	static final class Missing {

	}

	record WithMissing(Missing value) {
	}

	/** Makes a {@link WithMissing} without naming {@link Missing} in any signature. */
	public static final class Factory implements Supplier<Object> {

		@Override
		public Object get() {
			return new WithMissing(null);
		}

	}

}
