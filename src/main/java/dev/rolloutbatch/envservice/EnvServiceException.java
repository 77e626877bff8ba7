package dev.rolloutbatch.envservice;

import org.springframework.http.HttpStatus;

/** A request the service refuses, with the HTTP status and a one-line reason for the client. */
class EnvServiceException extends RuntimeException {

    private final HttpStatus status;

    EnvServiceException(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    HttpStatus status() {
        return status;
    }

    static EnvServiceException badRequest(String message) {
        return new EnvServiceException(HttpStatus.BAD_REQUEST, message);
    }

    static EnvServiceException notFound(String message) {
        return new EnvServiceException(HttpStatus.NOT_FOUND, message);
    }

    static EnvServiceException conflict(String message) {
        return new EnvServiceException(HttpStatus.CONFLICT, message);
    }
}
