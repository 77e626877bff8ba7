package dev.rolloutbatch.api;

/** A request the API refuses; {@code field} names the offending field (snake_case, dotted path). */
class BadRequestException extends RuntimeException {

    private final String field;

    BadRequestException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    String field() {
        return field;
    }
}
