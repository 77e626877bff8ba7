package dev.rolloutbatch.collect;

/** A problem list that cannot be used; the message is one line naming the file and each bad line. */
class InvalidProblemListException extends IllegalArgumentException {

    InvalidProblemListException(String message) {
        super(message);
    }
}
