package io.github.observe4j.langfuse;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Holds the package tiers: a framework-free core, adapters that only meet through the core, and
 * Spring Boot glue last; plus the Spring Boot rules for auto-configurations.
 */
class ArchitectureTests {

	private static final String BASE = "io.github.observe4j.langfuse";

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(BASE);

	private static final String INTERNAL = BASE + ".internal";

	/** The public API: what users import. */
	private static final String[] API = { BASE + ".annotation..", BASE + ".model..", BASE + ".context..",
			BASE + ".prompt.." };

	private static final String[] CORE = concat(API, INTERNAL + ".context..", INTERNAL + ".support..", INTERNAL + ".model..",
			INTERNAL + ".core..", INTERNAL + ".export..", INTERNAL + ".prompt..");

	private static final String[] ADAPTERS = { INTERNAL + ".json..", INTERNAL + ".webclient..", INTERNAL + ".aop..",
			INTERNAL + ".reactor..", INTERNAL + ".propagation..", INTERNAL + ".metrics..", INTERNAL + ".logging..",
			INTERNAL + ".openai..", INTERNAL + ".langchain4j..", INTERNAL + ".springai.." };

	/** The public entry point of the OpenAI integration, apart from the API so that the API loads without the SDK. */
	private static final String OPENAI_ENTRY_POINT = BASE + ".openai..";

	@Test
	void coreImportsOnlyTheJdkJSpecifyAndCommonsLogging() {
		ArchRule rule = classes().that()
			.resideInAnyPackage(CORE)
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage(concat(CORE, "java..", "org.jspecify..", "org.apache.commons.logging.."));
		rule.check(CLASSES);
	}

	@Test
	void annotationAndModelImportNothingElseOfOurs() {
		noClasses().that()
			.resideInAPackage(BASE + ".annotation..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(BASE + ".model..", BASE + ".context..", INTERNAL + "..")
			.check(CLASSES);
		noClasses().that()
			.resideInAPackage(BASE + ".model..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(BASE + ".context..", INTERNAL + "..")
			.check(CLASSES);
	}

	@Test
	void thePublicApiDoesNotExposeTheImplementation() {
		// only the registry behind LangfuseContext's static calls, which no signature mentions
		noClasses().that()
			.resideInAnyPackage(API)
			.should()
			.dependOnClassesThat(JavaClass.Predicates.resideInAPackage(INTERNAL + "..")
				.and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage(INTERNAL + ".context"))))
			.check(CLASSES);
		noClasses().that()
			.resideInAPackage(INTERNAL + ".context..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(INTERNAL + ".core..", INTERNAL + ".export..")
			.check(CLASSES);
	}

	@Test
	void onlyTheApiAndTheBootSideArePublicOutsideInternal() {
		classes().that()
			.arePublic()
			.and()
			.resideOutsideOfPackage(INTERNAL + "..")
			.should()
			.resideInAnyPackage(concat(API, BASE + ".autoconfigure", OPENAI_ENTRY_POINT))
			.check(CLASSES);
	}

	@Test
	void onlyTheOpenAiAdapterItsEntryPointAndItsAutoConfigurationTouchTheOpenAiSdk() {
		noClasses().that()
			.resideOutsideOfPackages(INTERNAL + ".openai..", OPENAI_ENTRY_POINT)
			.and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage(BASE + ".autoconfigure")
				.and(JavaClass.Predicates.simpleNameStartingWith("LangfuseOpenAi"))))
			.should()
			.dependOnClassesThat()
			.resideInAPackage("com.openai..")
			.check(CLASSES);
		// the entry point is plain Java: the adapter, the calls factory and where the application registers it
		classes().that()
			.resideInAPackage(OPENAI_ENTRY_POINT)
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage(OPENAI_ENTRY_POINT, INTERNAL + ".openai..", INTERNAL + ".core..", INTERNAL + ".context..",
					"com.openai..", "java..", "org.jspecify..")
			.check(CLASSES);
	}

	@Test
	void tracerAndExporterAreSiblingsThatMeetInTheModel() {
		noClasses().that()
			.resideInAPackage(INTERNAL + ".core..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage(INTERNAL + ".export..")
			.check(CLASSES);
		noClasses().that()
			.resideInAnyPackage(BASE + ".context..", INTERNAL + ".export..", INTERNAL + ".model..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage(INTERNAL + ".core..")
			.check(CLASSES);
		noClasses().that()
			.resideInAPackage(INTERNAL + ".export..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage(BASE + ".context..")
			.check(CLASSES);
	}

	@Test
	void jacksonAndReactorOnlyInsideTheirAdapters() {
		noClasses().that()
			.resideOutsideOfPackages(INTERNAL + ".json..", BASE + ".autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("tools.jackson..", "com.fasterxml.jackson..")
			.check(CLASSES);
		noClasses().that()
			.resideOutsideOfPackages(INTERNAL + ".reactor..", INTERNAL + ".webclient..", BASE + ".autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("reactor..")
			.check(CLASSES);
	}

	@Test
	void langChain4jOnlyInsideItsAdapterAndTheAutoConfiguration() {
		noClasses().that()
			.resideOutsideOfPackages(INTERNAL + ".langchain4j..", BASE + ".autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.langchain4j..")
			.check(CLASSES);
		// the auto-configuration names LangChain4j's classes only as strings: it is loaded without them
		noClasses().that()
			.resideInAPackage(BASE + ".autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.langchain4j..")
			.check(CLASSES);
	}

	@Test
	void springAiOnlyInsideItsAdapter() {
		noClasses().that()
			.resideOutsideOfPackages(INTERNAL + ".springai..", BASE + ".autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework.ai..")
			.check(CLASSES);
	}

	@Test
	void adaptersMeetOnlyThroughTheCore() {
		for (String adapter : ADAPTERS) {
			noClasses().that()
				.resideInAPackage(adapter)
				.should()
				.dependOnClassesThat()
				.resideInAnyPackage(without(ADAPTERS, adapter))
				.orShould()
				.dependOnClassesThat()
				.resideInAnyPackage(INTERNAL + ".health..", BASE + ".autoconfigure..")
				.check(CLASSES);
		}
	}

	@Test
	void onlyTheBootGlueKnowsSpringBoot() {
		noClasses().that()
			.resideInAnyPackage(concat(CORE, ADAPTERS))
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework.boot..")
			.check(CLASSES);
		noClasses().that()
			.resideInAPackage(INTERNAL + ".health..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage(BASE + ".autoconfigure..")
			.check(CLASSES);
	}

	@Test
	void packagesAreFreeOfCycles() {
		slices().matching(BASE + ".(**)").should().beFreeOfCycles().check(CLASSES);
	}

	@Test
	void autoConfigurationsArePublicFinalWithoutPublicMembers() {
		classes().that()
			.areAnnotatedWith(AutoConfiguration.class)
			.should()
			.bePublic()
			.andShould()
			.haveModifier(JavaModifier.FINAL)
			.check(CLASSES);
		noClasses().that()
			.areAnnotatedWith(AutoConfiguration.class)
			.should(haveNoPublicMethods())
			.check(CLASSES);
	}

	@Test
	void conditionsAreNotPublic() {
		noClasses().that()
			.areAssignableTo(SpringBootCondition.class)
			.should()
			.bePublic()
			.allowEmptyShould(true)
			.check(CLASSES);
	}

	private static com.tngtech.archunit.lang.ArchCondition<JavaClass> haveNoPublicMethods() {
		return new com.tngtech.archunit.lang.ArchCondition<>("have public methods") {
			@Override
			public void check(JavaClass item, com.tngtech.archunit.lang.ConditionEvents events) {
				item.getMethods()
					.stream()
					.filter((method) -> method.getModifiers().contains(JavaModifier.PUBLIC))
					.forEach((method) -> events.add(com.tngtech.archunit.lang.SimpleConditionEvent.satisfied(method,
							method.getFullName() + " is public")));
			}
		};
	}

	private static String[] concat(String[] first, String... more) {
		String[] all = new String[first.length + more.length];
		System.arraycopy(first, 0, all, 0, first.length);
		System.arraycopy(more, 0, all, first.length, more.length);
		return all;
	}

	private static String[] without(String[] all, String excluded) {
		return java.util.Arrays.stream(all).filter((value) -> !value.equals(excluded)).toArray(String[]::new);
	}

}
