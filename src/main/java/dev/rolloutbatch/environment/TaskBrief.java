package dev.rolloutbatch.environment;

import java.util.List;

/** What an environment tells the agent when a problem starts. */
public record TaskBrief(String taskDescription, String instructions, List<ActionSpec> actions) {
}
