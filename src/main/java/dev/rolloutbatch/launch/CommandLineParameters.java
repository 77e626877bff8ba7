package dev.rolloutbatch.launch;

import java.util.List;
import java.util.Properties;

import org.springframework.batch.core.converter.DefaultJobParametersConverter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * Parses {@code key=value[,type[,identifying]]} arguments, Spring Batch's command-line notation, one at a time
 * so that an error names the argument.
 */
final class CommandLineParameters {

    private CommandLineParameters() {
    }

    static JobParameters parse(List<String> arguments) {
        DefaultJobParametersConverter converter = new DefaultJobParametersConverter();
        JobParametersBuilder builder = new JobParametersBuilder();
        for (String argument : arguments) {
            int equals = argument.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("'" + argument + "' is not a job parameter: write key=value");
            }
            String key = argument.substring(0, equals).trim();
            Properties one = new Properties();
            one.setProperty(key, argument.substring(equals + 1));
            try {
                builder.addJobParameters(converter.getJobParameters(one));
            }
            catch (RuntimeException ex) {
                throw new IllegalArgumentException(key + ": cannot read '" + argument.substring(equals + 1) + "': "
                        + (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage()));
            }
        }
        return builder.toJobParameters();
    }
}
