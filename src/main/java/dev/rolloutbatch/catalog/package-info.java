/**
 * The problem catalog: AIOpsLab's problem registry and its applications, read from the project's own copy of
 * that registry. Owns no table (read-only reference data); hides how the CSV resources are parsed.
 */
@ApplicationModule(allowedDependencies = {})
@NullMarked
package dev.rolloutbatch.catalog;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
