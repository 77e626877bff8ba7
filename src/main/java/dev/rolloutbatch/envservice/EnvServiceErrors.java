package dev.rolloutbatch.envservice;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Profile;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.rolloutbatch.conversation.ConversationLogException;
import dev.rolloutbatch.environment.EnvironmentException;

/** Errors of the environment service as {@code {"status": 429, "error": "..."}}. */
@RestControllerAdvice(basePackageClasses = EnvServiceErrors.class)
@Profile("serve")
class EnvServiceErrors {

    private static final Logger log = LoggerFactory.getLogger(EnvServiceErrors.class);

    @ExceptionHandler(EnvServiceException.class)
    ResponseEntity<Map<String, Object>> refused(EnvServiceException ex) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(ex.status());
        if (ex.status() == HttpStatus.TOO_MANY_REQUESTS || ex.status() == HttpStatus.SERVICE_UNAVAILABLE) {
            builder.header(HttpHeaders.RETRY_AFTER, "1");
        }
        return builder.body(body(ex.status(), ex.getMessage()));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException ex) {
        return ResponseEntity.badRequest().body(body(HttpStatus.BAD_REQUEST, "body: not valid JSON"));
    }

    @ExceptionHandler(EnvironmentException.class)
    ResponseEntity<Map<String, Object>> environment(EnvironmentException ex) {
        log.warn("Environment failed: {}", ex.getMessage());
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY)
            .body(body(HttpStatus.BAD_GATEWAY, "environment: " + ex.getMessage()));
    }

    @ExceptionHandler({ DataAccessException.class, ConversationLogException.class })
    ResponseEntity<Map<String, Object>> database(RuntimeException ex) {
        log.error("Cannot log the session: {}", ex.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
            .body(body(HttpStatus.SERVICE_UNAVAILABLE, "the session cannot be logged (database unavailable)"));
    }

    private static Map<String, Object> body(HttpStatus status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.value());
        body.put("error", message);
        return body;
    }
}
