package dev.rolloutbatch.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.core.env.Environment;

/**
 * Recognises why the application could not start and says it in one line that names the cause and the fix,
 * with the exit code: {@link ExitCodes#INVALID_INPUT} (2) for what the user must change (a property, a file,
 * credentials, a missing database), {@link ExitCodes#FAILED} (1) for what may pass (a database that is down or
 * locked by another process, a port in use). A failure it does not recognise gets no line (it is a bug, and keeps
 * its stack trace) and exit code 1.
 */
public final class SetupFailures {

    /** One line for the user and the process exit code. */
    public record SetupFailure(String line, int exitCode) {
    }

    /** H2's "database may be already in use" (the file lock of another process). */
    private static final int H2_LOCKED = 90020;

    private SetupFailures() {
    }

    public static int exitCode(Throwable failure) {
        SetupFailure setup = classify(failure, null);
        return setup == null ? ExitCodes.FAILED : setup.exitCode();
    }

    /** @param environment for the database URL and user, or null */
    public static @Nullable SetupFailure classify(Throwable failure, @Nullable Environment environment) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        for (Throwable t : chain) {
            if (t instanceof SetupException) {
                return new SetupFailure(t.getMessage(), ExitCodes.INVALID_INPUT);
            }
        }
        for (Throwable t : chain) {
            if (t instanceof BindException bind) {
                return property(bind, chain);
            }
            if (t instanceof PortInUseException port) {
                return new SetupFailure("Port " + port.getPort() + " is already in use: stop the process that"
                        + " listens on it, or choose another with --server.port", ExitCodes.FAILED);
            }
        }
        for (Throwable t : chain) {
            if (t instanceof SQLException sql) {
                return database(sql, environment);
            }
        }
        for (Throwable t : chain) {
            if (t instanceof BeanCreationException bean && "priceTable".equals(bean.getBeanName())) {
                return new SetupFailure("The price table cannot be used: " + ownMessage(chain) + ". Fix the file,"
                        + " or unset rollout.pricing.file to use the shipped prices", ExitCodes.INVALID_INPUT);
            }
        }
        Throwable own = ownValidation(chain);
        if (own != null) {
            return new SetupFailure("Invalid configuration: " + describe(own) + ". Fix it on the command line, in"
                    + " the environment or in application.yml", ExitCodes.INVALID_INPUT);
        }
        return null;
    }

    private static SetupFailure property(BindException bind, List<Throwable> chain) {
        String name = bind.getName().toString();
        String value = bind.getProperty() == null ? null : String.valueOf(bind.getProperty().getValue());
        Throwable root = chain.getLast();
        String reason = root == bind ? "cannot be read" : oneLine(root.getMessage());
        String fix = bind.getProperty() != null && bind.getProperty().getOrigin() != null
                ? " (set in " + bind.getProperty().getOrigin() + ")" : "";
        return new SetupFailure("Invalid property " + name + (value == null ? "" : "='" + value + "'") + ": " + reason
                + ". Fix it on the command line, in the environment or in application.yml" + fix,
                ExitCodes.INVALID_INPUT);
    }

    private static SetupFailure database(SQLException sql, @Nullable Environment environment) {
        String url = environment == null ? "" : environment.getProperty("spring.datasource.url", "");
        String at = url.isBlank() ? "the database" : "the database " + withoutSecrets(url);
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        String reason = oneLine(sql.getMessage());
        if (sql.getErrorCode() == H2_LOCKED) {
            return new SetupFailure("The H2 database file of " + url + " is in use by another process (another"
                    + " rollout-batch?): wait for it to end, or give this one another file with"
                    + " --spring.datasource.url", ExitCodes.FAILED);
        }
        if (state.startsWith("08")) {
            return new SetupFailure("Cannot connect to " + at + " (" + reason + "): start the server, or point"
                    + " SPRING_DATASOURCE_URL (spring.datasource.url) at a running one", ExitCodes.FAILED);
        }
        if (state.startsWith("28")) {
            String user = environment == null ? "" : environment.getProperty("spring.datasource.username", "");
            return new SetupFailure(at.substring(0, 1).toUpperCase(Locale.ROOT) + at.substring(1) + " refused user '"
                    + user + "' (" + reason + "): set SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD"
                    + " (with PostgreSQL, SPRING_PROFILES_ACTIVE=postgres sets the usual ones)", ExitCodes.INVALID_INPUT);
        }
        if (state.equals("3D000")) {
            return new SetupFailure(at.substring(0, 1).toUpperCase(Locale.ROOT) + at.substring(1) + " does not exist ("
                    + reason + "): create it (createdb <name>) or fix SPRING_DATASOURCE_URL", ExitCodes.INVALID_INPUT);
        }
        return new SetupFailure("The database failed while the application started (" + reason + "): check "
                + at + " and SPRING_DATASOURCE_URL", ExitCodes.FAILED);
    }

    /**
     * The outermost exception the project's own code threw to refuse its configuration (an illegal argument or
     * state, or a file it could not read), whose message is written for the user (an outer one adds context, such
     * as the line of a file, to an inner one's).
     */
    private static @Nullable Throwable ownValidation(List<Throwable> chain) {
        for (Throwable t : chain) {
            boolean refusal = t instanceof IllegalArgumentException || t instanceof IllegalStateException
                    || t instanceof UncheckedIOException;
            if (refusal && t.getStackTrace().length > 0
                    && t.getStackTrace()[0].getClassName().startsWith("dev.rolloutbatch.")) {
                return t;
            }
        }
        return null;
    }

    private static String ownMessage(List<Throwable> chain) {
        Throwable own = ownValidation(chain);
        return describe(own != null ? own : chain.getLast());
    }

    /** The message, with the reason of an I/O failure under it (e.g. the file that does not exist). */
    private static String describe(Throwable t) {
        String message = oneLine(t.getMessage());
        if (t.getCause() instanceof NoSuchFileException) {
            return message + ": no such file";
        }
        if (t.getCause() instanceof IOException io) {
            return message + ": " + oneLine(io.getMessage());
        }
        return message;
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "no detail";
        }
        String line = message.strip().lines().findFirst().orElse("").strip();
        return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
    }

    /** A JDBC URL may carry a password (user:password@ or password=...). */
    static String withoutSecrets(String url) {
        return url.replaceAll("//[^/@]*@", "//***@").replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
