package dev.rolloutbatch.api;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

import dev.rolloutbatch.launch.SetupException;

/**
 * Refuses to start a server that would listen beyond this machine without a token: anyone who reaches it could
 * submit tasks (spending on the LLM endpoint) and read every conversation. Runs while the context is created,
 * before the web server starts listening.
 */
@Component
@Profile("serve")
class ApiExposureGuard {

    private static final Logger log = LoggerFactory.getLogger(ApiExposureGuard.class);

    ApiExposureGuard(ApiProperties properties, @Value("${server.address:}") String address) {
        if (!properties.token().isBlank() || isLoopback(address)) {
            return;
        }
        String where = address.isBlank() ? "every network interface" : address;
        if (properties.allowUnauthenticated()) {
            log.warn("Serving on {} WITHOUT a token (rollout.api.allow-unauthenticated=true): anyone who can reach"
                    + " it can submit tasks and read every conversation", where);
            return;
        }
        throw new SetupException("The API would listen on " + where + " without a token: set ROLLOUTS_API_TOKEN"
                + " (rollout.api.token), or listen on 127.0.0.1 (server.address), or accept an open server with"
                + " rollout.api.allow-unauthenticated=true");
    }

    private static boolean isLoopback(String address) {
        if (address.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(address.strip()).isLoopbackAddress();
        }
        catch (UnknownHostException ex) {
            throw new SetupException("server.address '" + address + "' is not an address of this machine: use an IP"
                    + " address or a host name that resolves (127.0.0.1 for this machine only)");
        }
    }
}
