/**
 * One episode attempt end to end: claim it, let the policy and the environment take turns, log the conversation,
 * grade and record the result. Intended sole writer of the {@code episode} table (today {@code collect} and
 * {@code api} still insert and update it, see {@code TableOwnershipTests}); hides the SQL behind
 * {@link dev.rolloutbatch.episode.EpisodeRepository}. Exposes the runner and its one step,
 * {@link dev.rolloutbatch.episode.EpisodeTurn}, which the offline baseline report plays too. Design notes: README.md
 * beside this file.
 */
@ApplicationModule(allowedDependencies = { "agent", "catalog", "conversation", "environment" })
@NullMarked
package dev.rolloutbatch.episode;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
