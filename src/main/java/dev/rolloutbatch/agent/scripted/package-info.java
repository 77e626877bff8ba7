/**
 * The {@code scripted} policy: an offline, deterministic baseline agent that investigates with kubectl and logs
 * and answers each task type the way AIOpsLab expects, at no cost. Owns no table. Exposed (named interface
 * {@code scripted}) only so that the offline baseline report ({@code collect.ScriptedBaselineReport}) can create
 * the policy without Spring; its agent and investigation stay package-private.
 */
@NamedInterface("scripted")
@NullMarked
package dev.rolloutbatch.agent.scripted;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.NamedInterface;
