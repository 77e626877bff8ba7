/**
 * Command-line launching: turns {@code key=value} arguments into job parameters, runs the named job, maps its
 * outcome to the exit code, and creates Spring Batch's job repository tables through Flyway. Writes none of the
 * project's tables; exposes {@link dev.rolloutbatch.launch.JobParametersPreparer} for jobs to declare their
 * parameters, hides the run lock.
 */
@ApplicationModule(allowedDependencies = {})
package dev.rolloutbatch.launch;

import org.springframework.modulith.ApplicationModule;
