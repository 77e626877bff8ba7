/**
 * Who answers: the {@link dev.rolloutbatch.agent.Policy} interface with its two implementations (an LLM behind an
 * OpenAI-compatible endpoint in {@code openai}, the offline baseline in {@code scripted}), the prompts and the text
 * and tool-calling protocols. Owns no table: what a policy says is logged by the {@code episode} module through
 * {@code conversation}. Hides the OpenAI client, its retries and usage normalisation. Design notes:
 * README.md beside this file.
 */
@ApplicationModule(allowedDependencies = { "catalog", "conversation", "environment" })
@NullMarked
package dev.rolloutbatch.agent;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
