package dev.rolloutbatch.conversation;

/** The conversation log could not write to the database within its outage budget. */
public class ConversationLogException extends RuntimeException {

    public ConversationLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
