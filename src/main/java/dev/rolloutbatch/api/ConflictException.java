package dev.rolloutbatch.api;

class ConflictException extends RuntimeException {

    ConflictException(String message) {
        super(message);
    }
}
