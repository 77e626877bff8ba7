package dev.rolloutbatch.api;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;

import dev.rolloutbatch.RolloutBatchApplication;

/**
 * Starts the API by hand on the test-only {@code fixed-test} environment and {@code echo-test} policy, to try the
 * endpoints before {@code simulated} and {@code scripted} are merged (see docs/readme-api.md). Extra arguments
 * are passed on, e.g. {@code --server.port=8081}.
 */
final class ApiDemoServer {

    private ApiDemoServer() {
    }

    public static void main(String[] args) {
        List<String> all = new ArrayList<>();
        for (String property : ApiTestBeans.PROPERTIES) {
            all.add("--" + property);
        }
        all.addAll(List.of(args));
        new SpringApplicationBuilder(RolloutBatchApplication.class, ApiTestBeans.class).profiles("serve")
            .run(all.toArray(String[]::new));
    }
}
