package dev.rolloutbatch.collect;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.rolloutbatch.distribution.DistributionProperties;
import dev.rolloutbatch.launch.SetupException;

/**
 * Refuses to start a manager ({@code rollout.distribution.enabled}) or a worker (the {@code worker} profile) on a
 * database other than PostgreSQL. The manager and its workers share the run through one database that they all
 * reach over the network, and a worker holds each partition with a PostgreSQL advisory lock: on the embedded H2 a
 * manager would wait, for as long as its timeout allows, for workers that can never see its run.
 */
@Component
class DistributionDatabaseGuard {

    DistributionDatabaseGuard(DistributionProperties properties, Environment environment,
            @Value("${spring.datasource.url:}") String url) {
        boolean worker = environment.matchesProfiles("worker");
        if ((properties.enabled() || worker) && !url.startsWith("jdbc:postgresql:")) {
            String role = worker ? "A worker (the worker profile)" : "A manager (rollout.distribution.enabled)";
            throw new SetupException(role + " needs the PostgreSQL database that the manager and its workers share,"
                    + " but the database is " + kind(url) + ": add the postgres profile"
                    + " (--spring.profiles.active=postgres,...) or point SPRING_DATASOURCE_URL at a"
                    + " jdbc:postgresql:// database");
        }
    }

    /** The URL's driver part only ("jdbc:h2"): the rest may hold a password. */
    private static String kind(String url) {
        if (url.isBlank()) {
            return "not set";
        }
        int second = url.indexOf(':', url.indexOf(':') + 1);
        return "'" + (second < 0 ? url : url.substring(0, second)) + "'";
    }
}
