package io.github.observe4j.langfuse.autoconfigure;

import java.time.Duration;

import io.github.observe4j.langfuse.annotation.Observe;
import io.github.observe4j.langfuse.internal.aop.ObserveAdvisor;
import io.github.observe4j.langfuse.internal.aop.ObserveMethodInterceptor;
import io.github.observe4j.langfuse.context.LangfuseClient;
import io.github.observe4j.langfuse.context.LangfuseContext;
import io.github.observe4j.langfuse.internal.core.DefaultLangfuseClient;
import io.github.observe4j.langfuse.internal.core.LangfuseTracer;
import io.github.observe4j.langfuse.testsupport.FakeLangfuseServer;
import io.github.observe4j.langfuse.testsupport.OtlpRequests;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LangfuseObserveAutoConfiguration}.
 */
class LangfuseObserveAutoConfigurationTests {

	private final FakeLangfuseServer server = FakeLangfuseServer.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(LangfuseAutoConfiguration.class, LangfuseObserveAutoConfiguration.class))
		.withPropertyValues("langfuse.host=" + this.server.url(),
				"langfuse.public-key=" + FakeLangfuseServer.PUBLIC_KEY,
				"langfuse.secret-key=" + FakeLangfuseServer.SECRET_KEY, "langfuse.export.schedule-delay=50ms",
				"langfuse.export.initial-backoff=10ms", "langfuse.export.max-backoff=20ms")
		.withUserConfiguration(GreeterConfiguration.class);

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void observedBeanIsProxiedAndExported() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class)).run((context) -> {
			assertThat(context).hasSingleBean(ObserveAdvisor.class);
			assertThat(context.getBean(ObserveAdvisor.class).getOrder()).isEqualTo(Ordered.LOWEST_PRECEDENCE);
			ClassGreeter greeter = context.getBean(ClassGreeter.class);
			assertThat(AopUtils.isAopProxy(greeter)).isTrue();
			assertThat(greeter.greet("Ada")).isEqualTo("Hello Ada");
			assertThat(LangfuseContext.flush(Duration.ofSeconds(5))).isTrue();
			assertThat(this.server.receivedSpanNames()).containsExactly("greet");
			Span span = this.server.receivedSpans().get(0);
			assertThat(OtlpRequests.string(span, "langfuse.observation.input")).contains("Ada");
			assertThat(OtlpRequests.string(span, "langfuse.observation.output")).contains("Hello Ada");
		});
	}

	@Test
	void captureSwitchesAreApplied() {
		this.contextRunner
			.withPropertyValues("langfuse.observe.capture-input=false", "langfuse.observe.capture-output=false")
			.run((context) -> {
				context.getBean(ClassGreeter.class).greet("Ada");
				assertThat(LangfuseContext.flush(Duration.ofSeconds(5))).isTrue();
				assertThat(this.server.receivedSpans()).singleElement().satisfies((span) -> {
					assertThat(OtlpRequests.attributes(span)).doesNotContainKeys("langfuse.observation.input",
							"langfuse.observation.output");
				});
			});
	}

	@Test
	void applicationNameEnvironmentAndReleaseReachTheExportedSpans() {
		this.contextRunner
			.withPropertyValues("spring.application.name=greeter-app", "langfuse.environment=staging",
					"langfuse.release=1.2.3")
			.run((context) -> {
				context.getBean(ClassGreeter.class).greet("Ada");
				assertThat(LangfuseContext.flush(Duration.ofSeconds(5))).isTrue();
				ResourceSpans resourceSpans = this.server.traceRequests().get(0).getResourceSpans(0);
				assertThat(OtlpRequests.attributes(resourceSpans.getResource().getAttributesList()))
					.hasEntrySatisfying("service.name",
							(value) -> assertThat(value.getStringValue()).isEqualTo("greeter-app"))
					.hasEntrySatisfying("langfuse.environment",
							(value) -> assertThat(value.getStringValue()).isEqualTo("staging"))
					.hasEntrySatisfying("langfuse.release",
							(value) -> assertThat(value.getStringValue()).isEqualTo("1.2.3"));
			});
	}

	@Test
	void worksWithLazyInitialization() {
		this.contextRunner
			.withInitializer((context) -> context
				.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
			.run((context) -> {
				assertThat(LangfuseContext.client()).isSameAs(context.getBean(LangfuseClient.class))
					.isInstanceOf(DefaultLangfuseClient.class);
				context.getBean(ClassGreeter.class).greet("Ada");
				assertThat(LangfuseContext.flush(Duration.ofSeconds(5))).isTrue();
				assertThat(this.server.receivedSpanNames()).containsExactly("greet");
			});
	}

	@Test
	void observeDisabledDefinesNoAdvisorAndProxiesNothing() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withPropertyValues("langfuse.observe.enabled=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(LangfuseTracer.class).doesNotHaveBean(ObserveAdvisor.class);
				assertThat(AopUtils.isAopProxy(context.getBean(ClassGreeter.class))).isFalse();
			});
	}

	@Test
	void langfuseDisabledDefinesNoAdvisorAndProxiesNothing() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withPropertyValues("langfuse.enabled=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(ObserveAdvisor.class);
				assertThat(AopUtils.isAopProxy(context.getBean(ClassGreeter.class))).isFalse();
			});
	}

	@Test
	void withoutAopAutoConfigurationRegistersItsOwnAutoProxyCreator() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(ObserveAdvisor.class);
			ClassGreeter greeter = context.getBean(ClassGreeter.class);
			assertThat(AopUtils.isAopProxy(greeter)).isTrue();
			greeter.greet("Grace");
			assertThat(LangfuseContext.flush(Duration.ofSeconds(5))).isTrue();
			assertThat(this.server.receivedSpanNames()).containsExactly("greet");
		});
	}

	@Test
	void withoutAopAutoConfigurationProxiesClassesAsBootDoesByDefault() {
		// ClassGreeter implements Greeter: a JDK proxy could not be injected as ClassGreeter
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(AopUtils.isCglibProxy(context.getBean(ClassGreeter.class))).isTrue();
		});
	}

	@Test
	void withJdkProxiesObservesMethodsAnnotatedOnTheInterface() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withPropertyValues("spring.aop.proxy-target-class=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				AnnotatedGreeter greeter = context.getBean(AnnotatedGreeter.class);
				assertThat(AopUtils.isJdkDynamicProxy(greeter)).isTrue();
				assertThat(greeter.welcome("Linus")).isEqualTo("Welcome Linus");
				assertThat(LangfuseContext.flush(Duration.ofSeconds(5))).isTrue();
				assertThat(this.server.receivedSpanNames()).contains("welcome");
			});
	}

	@Test
	void withJdkProxiesAndWithoutAopAutoConfigurationRegistersACreatorThatProxiesInterfaces() {
		this.contextRunner.withPropertyValues("spring.aop.proxy-target-class=false").run((context) -> {
			assertThat(context).hasNotFailed().hasBean(AopConfigUtils.AUTO_PROXY_CREATOR_BEAN_NAME);
			Greeter greeter = context.getBean("classGreeter", Greeter.class);
			assertThat(AopUtils.isJdkDynamicProxy(greeter)).isTrue();
			greeter.greet("Ada");
			assertThat(LangfuseContext.flush(Duration.ofSeconds(5))).isTrue();
			assertThat(this.server.receivedSpanNames()).containsExactly("greet");
		});
	}

	@Test
	void aopAutoDisabledRegistersNoAutoProxyCreatorAndProxiesNothing() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withPropertyValues("spring.aop.auto=false")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(ObserveAdvisor.class)
					.doesNotHaveBean(AopConfigUtils.AUTO_PROXY_CREATOR_BEAN_NAME);
				assertThat(AopUtils.isAopProxy(context.getBean(ClassGreeter.class))).isFalse();
				assertThat(AopUtils.isAopProxy(context.getBean(InterfaceGreeter.class))).isFalse();
			});
	}

	@Test
	void aopAutoDisabledLeavesObservedBeansToTheApplicationsOwnAutoProxyingWithoutForcingClassProxies() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withPropertyValues("spring.aop.auto=false")
			.withUserConfiguration(CachingConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				// @EnableCaching proxies interfaces unless told otherwise
				Greeter greeter = context.getBean("classGreeter", Greeter.class);
				assertThat(AopUtils.isJdkDynamicProxy(greeter)).isTrue();
				assertThat(greeter.greet("Ada")).isEqualTo("Hello Ada");
				assertThat(LangfuseContext.flush(Duration.ofSeconds(5))).isTrue();
				assertThat(this.server.receivedSpanNames()).containsExactly("greet");
			});
	}

	@Test
	void appliesTheConfiguredOrder() {
		this.contextRunner.withPropertyValues("langfuse.observe.order=42")
			.run((context) -> assertThat(context.getBean(ObserveAdvisor.class).getOrder()).isEqualTo(42));
	}

	@Test
	void backsOffForUserAdvisor() {
		this.contextRunner.withUserConfiguration(UserAdvisorConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(ObserveAdvisor.class).hasBean("userObserveAdvisor");
			assertThat(context.getBean(ObserveAdvisor.class).getOrder()).isEqualTo(7);
		});
	}

	/**
	 * Defines the observed greeters.
	 */
	@Configuration(proxyBeanMethods = false)
	static class GreeterConfiguration {

		@Bean
		ClassGreeter classGreeter() {
			return new ClassGreeter();
		}

		@Bean
		InterfaceGreeter interfaceGreeter() {
			return new InterfaceGreeter();
		}

	}

	/**
	 * An application that auto-proxies on its own, as {@code @EnableCaching} does.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

		@Bean
		CacheManager cacheManager() {
			return new ConcurrentMapCacheManager();
		}

	}

	/**
	 * Defines a user {@link ObserveAdvisor}.
	 */
	@Configuration(proxyBeanMethods = false)
	static class UserAdvisorConfiguration {

		@Bean
		static ObserveAdvisor userObserveAdvisor() {
			return new ObserveAdvisor(new ObserveMethodInterceptor(() -> {
				throw new IllegalStateException("not used");
			}), 7);
		}

	}

	/**
	 * Any interface, so that JDK proxies would be possible.
	 */
	interface Greeter {

		String greet(String name);

	}

	/**
	 * Observed through an annotation on its own method.
	 */
	static class ClassGreeter implements Greeter {

		@Observe
		@Override
		public String greet(String name) {
			return "Hello " + name;
		}

	}

	/**
	 * An interface whose method carries the annotation.
	 */
	interface AnnotatedGreeter {

		@Observe
		String welcome(String name);

	}

	/**
	 * Observed through the annotation on its interface.
	 */
	static class InterfaceGreeter implements AnnotatedGreeter {

		@Override
		public String welcome(String name) {
			return "Welcome " + name;
		}

	}

}
