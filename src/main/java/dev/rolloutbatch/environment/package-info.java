/**
 * Where an agent acts: the {@link dev.rolloutbatch.environment.AgentEnvironment} interface (start a problem, step an
 * action, evaluate, close) and its implementations, picked by name. Owns no table. Exposes the interface and its
 * value types; hides the remote HTTP client ({@code remote}) and the simulated twin's cluster model, except the
 * twin's entry point ({@code simulated}, a named interface).
 */
@ApplicationModule(allowedDependencies = "catalog")
@NullMarked
package dev.rolloutbatch.environment;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
