/**
 * The simulated twin's entry point: {@link dev.rolloutbatch.environment.simulated.SimulatedEnvironment} and its
 * reward settings, exposed so that the offline scripted-baseline report can run the twin without Spring. The
 * modelled cluster (pods, kubectl, faults, telemetry, grading) stays package-private.
 */
@NamedInterface("simulated")
@NullMarked
package dev.rolloutbatch.environment.simulated;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.NamedInterface;
