package dev.rolloutbatch.collect;

class InvalidProblemListException extends IllegalArgumentException {

    InvalidProblemListException(String message) {
        super(message);
    }
}
