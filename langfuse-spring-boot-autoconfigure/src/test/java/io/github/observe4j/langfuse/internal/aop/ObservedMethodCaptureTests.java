package io.github.observe4j.langfuse.internal.aop;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.context.LangfuseContext;
import io.github.observe4j.langfuse.internal.context.GlobalRegistry;
import io.github.observe4j.langfuse.internal.core.DefaultLangfuseClient;
import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import io.github.observe4j.langfuse.internal.core.TracerSettings;
import io.github.observe4j.langfuse.internal.model.CapturedArguments;
import io.github.observe4j.langfuse.internal.model.JsonText;
import io.github.observe4j.langfuse.internal.model.ObservationRecord;
import io.github.observe4j.langfuse.testsupport.TestExportControl;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the interceptor works out once per observed method and target class, and that each call
 * still captures what it did before: the declared types of a method only spare immutable values
 * a lookup, a mutable value of a final type is still snapshotted at call time.
 */
class ObservedMethodCaptureTests {

	private final List<ObservationRecord> exported = new CopyOnWriteArrayList<>();

	private final LangfuseTracer tracer = new LangfuseTracer(
			TracerSettings.defaults("http://localhost:3000/", (value, max) -> "\"json:" + value + "\""),
			this.exported::add);

	private final DefaultLangfuseClient client = new DefaultLangfuseClient(this.tracer, (score) -> true,
			TestExportControl.withoutProject());

	@BeforeEach
	void registerClient() {
		GlobalRegistry.of(LangfuseClient.class).register(this.client);
	}

	@AfterEach
	void unregisterClient() {
		GlobalRegistry.of(LangfuseClient.class).unregister(this.client);
	}

	private <T> T proxy(T target) {
		ProxyFactory factory = new ProxyFactory(target);
		factory.setProxyTargetClass(true);
		factory.addAdvisor(new ObserveAdvisor(new ObserveMethodInterceptor(() -> this.tracer)));
		@SuppressWarnings("unchecked")
		T proxy = (T) factory.getProxy();
		return proxy;
	}

	private ObservationRecord only() {
		assertThat(this.exported).hasSize(1);
		return this.exported.get(0);
	}

	@Test
	void aMutableArgumentOfAFinalTypeIsSnapshottedAtCallTime() {
		Values values = proxy(new Values());
		StringBuilder text = new StringBuilder("before");
		values.length(text);
		text.append(" and after");
		assertThat(((CapturedArguments) only().input()).values()).containsExactly(new JsonText("\"json:before\""));
	}

	@Test
	void aMutableReturnValueOfAFinalTypeIsSnapshottedAtReturn() {
		Values values = proxy(new Values());
		StringBuilder returned = values.builder("before");
		returned.append(" and after");
		assertThat(only().output()).isEqualTo(new JsonText("\"json:before\""));
	}

	@Test
	void immutableArgumentsAndReturnValuesAreKeptAsTheyAre() {
		Values values = proxy(new Values());
		String label = new String("p");
		Point point = new Point(1, 2);
		Point moved = values.move(label, point, 3);
		ObservationRecord record = only();
		Object[] captured = ((CapturedArguments) record.input()).values();
		assertThat(captured[0]).isSameAs(label);
		assertThat(captured[1]).isSameAs(point);
		assertThat(captured[2]).isEqualTo(3);
		assertThat(record.output()).isSameAs(moved);
	}

	@Test
	void valuesOfAWiderDeclaredTypeAreJudgedByTheirOwnClass() {
		Values values = proxy(new Values());
		String immutable = new String("kept");
		StringBuilder mutable = new StringBuilder("copied");
		values.describe(immutable, mutable);
		Object[] captured = ((CapturedArguments) only().input()).values();
		assertThat(captured[0]).isSameAs(immutable);
		assertThat(captured[1]).isEqualTo(new JsonText("\"json:copied\""));
	}

	@Test
	void aMethodObservedOnTwoTargetClassesResolvesPerClass() {
		Greeter english = proxy(new EnglishGreeter());
		Greeter quiet = proxy(new QuietGreeter());
		for (int i = 0; i < 2; i++) {
			assertThat(english.greet("Ada")).isEqualTo("hello Ada");
			assertThat(quiet.greet("Bob")).isEqualTo("hello Bob");
		}
		assertThat(this.exported).extracting(ObservationRecord::name)
			.containsExactly("english", "quiet", "english", "quiet");
		assertThat(this.exported).extracting(ObservationRecord::output)
			.containsExactly("hello Ada", null, "hello Ada", null);
		assertThat(((CapturedArguments) this.exported.get(0).input()).values()).containsExactly("Ada");
		assertThat(this.exported.get(1).input()).isNull();
	}

	@Test
	void anInputAndOutputSetInsideTheMethodWinOverArgumentsAndReturnValue() {
		Values values = proxy(new Values());
		assertThat(values.explicit("secret")).isEqualTo("returned");
		ObservationRecord record = only();
		assertThat(record.input()).isEqualTo("{masked input}");
		assertThat(record.output()).isEqualTo("{masked output}");
	}

	@Test
	void aRecordParameterWhoseComponentTypeIsMissingDoesNotBreakTheCall() throws Throwable {
		// a record with a component from an optional dependency that is absent at runtime: its
		// components cannot be read, which must not reach the caller of the observed method
		ClassLoader loader = new HidingClassLoader(getClass().getClassLoader(), Absent.class.getName(),
				Set.of(Service.class.getName(), Request.class.getName()));
		Class<?> serviceType = loader.loadClass(Service.class.getName());
		Method handle = serviceType.getMethod("handle", loader.loadClass(Request.class.getName()));
		Invocation invocation = new Invocation(serviceType.getConstructor().newInstance(), handle);
		assertThat(new ObserveMethodInterceptor(() -> this.tracer).invoke(invocation)).isEqualTo("handled");
		assertThat(only().name()).isEqualTo("handle");
	}

	public record Point(int x, int y) {

	}

	/** Never loaded in {@link #aRecordParameterWhoseComponentTypeIsMissingDoesNotBreakTheCall()}. */
	public static final class Absent {

	}

	public record Request(String prompt, @Nullable Absent extra) {

	}

	public static class Service {

		@Observe
		public String handle(@Nullable Request request) {
			return "handled";
		}

	}

	/** A call of {@link Service#handle} with a {@code null} request, as a proxy would make it. */
	private record Invocation(Object target, Method method) implements MethodInvocation {

		@Override
		public Method getMethod() {
			return this.method;
		}

		@Override
		public @Nullable Object[] getArguments() {
			return new Object[] { null };
		}

		@Override
		public @Nullable Object proceed() throws Throwable {
			return this.method.invoke(this.target, getArguments());
		}

		@Override
		public Object getThis() {
			return this.target;
		}

		@Override
		public AccessibleObject getStaticPart() {
			return this.method;
		}

	}

	/** Defines some classes itself from the test's class files, and cannot find one. */
	private static final class HidingClassLoader extends ClassLoader {

		private final String missing;

		private final Set<String> own;

		HidingClassLoader(ClassLoader parent, String missing, Set<String> own) {
			super(parent);
			this.missing = missing;
			this.own = own;
		}

		@Override
		protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
			if (name.equals(this.missing)) {
				throw new ClassNotFoundException(name);
			}
			if (!this.own.contains(name)) {
				return super.loadClass(name, resolve);
			}
			synchronized (getClassLoadingLock(name)) {
				Class<?> loaded = findLoadedClass(name);
				if (loaded == null) {
					try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
						if (in == null) {
							throw new ClassNotFoundException(name);
						}
						byte[] bytes = in.readAllBytes();
						loaded = defineClass(name, bytes, 0, bytes.length);
					}
					catch (IOException ex) {
						throw new ClassNotFoundException(name, ex);
					}
				}
				return loaded;
			}
		}

	}

	public static class Values {

		@Observe
		public int length(StringBuilder text) {
			return text.length();
		}

		@Observe
		public StringBuilder builder(String start) {
			return new StringBuilder(start);
		}

		@Observe
		public Point move(String label, Point point, int by) {
			return new Point(point.x() + by, point.y() + by);
		}

		@Observe
		public String explicit(String apiKey) {
			LangfuseContext.currentObservation().input("{masked input}").output("{masked output}");
			return "returned";
		}

		@Observe
		public String describe(Object first, Object second) {
			return first + "/" + second;
		}

	}

	public static class Greeter {

		public String greet(String name) {
			return "hello " + name;
		}

	}

	@Observe(name = "english")
	public static class EnglishGreeter extends Greeter {

	}

	@Observe(name = "quiet", captureInput = false, captureOutput = false)
	public static class QuietGreeter extends Greeter {

	}

}
