/**
 * The conversation log: sole writer of the {@code conversation}, {@code message} and {@code llm_call} tables
 * (today {@code episode} and {@code api} still mark conversations aborted, see {@code TableOwnershipTests}), with
 * the price table that turns token usage into cost. Hides the batching writer thread and its durability point
 * behind {@link dev.rolloutbatch.conversation.ConversationLog}.
 */
@ApplicationModule(allowedDependencies = {})
@NullMarked
package dev.rolloutbatch.conversation;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
