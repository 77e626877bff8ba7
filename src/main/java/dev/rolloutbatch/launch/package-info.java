/**
 * Command-line launching: turns {@code key=value} arguments into job parameters, runs the named job, maps its
 * outcome to the exit code, and creates Spring Batch's job repository tables through Flyway. Writes none of the
 * project's tables; exposes {@link dev.rolloutbatch.launch.JobParametersPreparer} for jobs to declare their
 * parameters and {@link dev.rolloutbatch.launch.JobParameterReader}, the one parser of job parameters; hides the
 * run lock and the launcher. Design notes: README.md beside this file.
 */
@ApplicationModule(allowedDependencies = {})
@NullMarked
package dev.rolloutbatch.launch;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
