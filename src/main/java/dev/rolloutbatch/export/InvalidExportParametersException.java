package dev.rolloutbatch.export;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;

/** Bad export parameters; the message names each offending parameter. */
class InvalidExportParametersException extends InvalidJobParametersException {

    InvalidExportParametersException(String message) {
        super(message);
    }
}
