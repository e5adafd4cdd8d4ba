package io.github.observe4j.langfuse.internal.aop;

import java.util.List;
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

	public record Point(int x, int y) {

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
