package dev.rolloutbatch.api;

class NotFoundException extends RuntimeException {

    NotFoundException(String message) {
        super(message);
    }
}
