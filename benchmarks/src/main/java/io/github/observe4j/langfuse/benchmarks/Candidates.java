package io.github.observe4j.langfuse.benchmarks;

import org.springframework.aop.support.AopUtils;

/**
 * Checks that a candidate measures what it claims to.
 */
final class Candidates {

	private Candidates() {
	}

	/**
	 * Fail the trial unless the bean is proxied: an unproxied bean would measure a plain call.
	 * @param <T> the bean type
	 * @param bean the bean
	 * @param candidate the candidate name
	 * @return the bean
	 */
	static <T> T requireProxied(T bean, String candidate) {
		if (!AopUtils.isAopProxy(bean)) {
			throw new IllegalStateException("[" + candidate + "] " + bean.getClass().getName()
					+ " is not proxied: its tracing is not applied, the result would measure a plain call");
		}
		return bean;
	}

}
