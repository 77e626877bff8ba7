package dev.rolloutbatch.agent;

import java.util.Locale;

/** How the agent names its actions. */
public enum Protocol {

    /** AIOpsLab's: exactly one API call inside one fenced code block, Python-literal arguments. */
    TEXT,

    /** OpenAI native function calling: actions are offered as tools, answered with {@code tool} messages. */
    TOOLS;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Protocol fromId(String id) {
        for (Protocol protocol : values()) {
            if (protocol.id().equalsIgnoreCase(id)) {
                return protocol;
            }
        }
        throw new IllegalArgumentException("unknown protocol '" + id + "' (text or tools)");
    }
}
