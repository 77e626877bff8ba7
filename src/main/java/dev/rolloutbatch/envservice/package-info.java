/**
 * The environment service of the {@code serve} profile: this server's environment (the twin by default) stepped
 * over the same session protocol that the {@code http} environment speaks, each session logged like an episode.
 * Owns no table: a session's {@code episode} row and its conversation are written through the {@code episode} and
 * {@code conversation} modules. Hides its controller, the registry of open sessions and the JSON views.
 */
@NullMarked
package dev.rolloutbatch.envservice;

import org.jspecify.annotations.NullMarked;
