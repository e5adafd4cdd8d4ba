package io.github.observe4j.langfuse.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints how much CPU time the live threads of the JVM have used, grouped by thread name (digits
 * removed), so a result can be read against what the exporters and the sink cost on the same
 * cores. GC and JIT threads are not Java threads and do not show here.
 */
final class ThreadCpu {

	private ThreadCpu() {
	}

	/**
	 * Print CPU seconds per thread group, largest first.
	 * @param candidate the candidate name to print
	 */
	static void report(String candidate) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		if (!threads.isThreadCpuTimeSupported()) {
			return;
		}
		Map<String, Long> nanosByGroup = new TreeMap<>();
		for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
			if (info != null) {
				long nanos = threads.getThreadCpuTime(info.getThreadId());
				if (nanos > 0) {
					nanosByGroup.merge(info.getThreadName().replaceAll("\\d+", "#"), nanos, Long::sum);
				}
			}
		}
		StringBuilder line = new StringBuilder("[").append(candidate).append("] thread CPU seconds:");
		nanosByGroup.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() >= 10_000_000L)
			.sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
			.forEach((entry) -> line.append(String.format(" %s=%.2f", entry.getKey(), entry.getValue() / 1e9)));
		System.out.println(line);
	}

}
