package dev.rolloutbatch.launch;

/**
 * A reason the application cannot start that the user must fix: its message is one line naming the cause and
 * the fix, printed without a stack trace, and the process exits {@link ExitCodes#INVALID_INPUT}.
 */
public class SetupException extends RuntimeException {

    public SetupException(String message) {
        super(message);
    }
}
