/**
 * The HTTP API of the {@code serve} profile: tasks (episodes with source {@code api}) submitted, run by its own
 * workers and cancelled, and the logged conversations read back. Owns no table: tasks are {@code episode} rows
 * (today still written here, see {@code TableOwnershipTests}). Hides its controllers, queries and workers.
 */
@NullMarked
package dev.rolloutbatch.api;

import org.jspecify.annotations.NullMarked;
