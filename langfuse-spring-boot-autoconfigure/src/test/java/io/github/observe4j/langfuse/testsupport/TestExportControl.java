package io.github.observe4j.langfuse.testsupport;

import java.time.Duration;
import java.util.Optional;

import io.github.observe4j.langfuse.internal.core.ExportControl;

/**
 * An {@link ExportControl} for tests of the tracer and client without an export pipeline: flush
 * and the auth check succeed at once, and the project id is fixed.
 *
 * @param projectId the project id to report
 */
public record TestExportControl(Optional<String> projectId) implements ExportControl {

	/**
	 * Create one that knows no project id.
	 * @return the control
	 */
	public static TestExportControl withoutProject() {
		return new TestExportControl(Optional.empty());
	}

	/**
	 * Create one that reports a project id.
	 * @param projectId the project id
	 * @return the control
	 */
	public static TestExportControl withProject(String projectId) {
		return new TestExportControl(Optional.of(projectId));
	}

	@Override
	public boolean flush(Duration timeout) {
		return true;
	}

	@Override
	public boolean authCheck() {
		return true;
	}

	@Override
	public boolean isExporting() {
		return true;
	}

}
