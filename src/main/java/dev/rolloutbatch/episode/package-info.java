/**
 * One episode attempt end to end: claim it, let the policy and the environment take turns, log the conversation,
 * grade and record the result. Intended sole writer of the {@code episode} table (today {@code collect} and
 * {@code api} still insert and update it, see {@code TableOwnershipTests}); hides the SQL behind
 * {@link dev.rolloutbatch.episode.EpisodeRepository}.
 */
@ApplicationModule(allowedDependencies = { "agent", "catalog", "conversation", "environment" })
package dev.rolloutbatch.episode;

import org.springframework.modulith.ApplicationModule;
