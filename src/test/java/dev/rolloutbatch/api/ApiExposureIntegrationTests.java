package dev.rolloutbatch.api;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.rolloutbatch.RolloutBatchApplication;
import dev.rolloutbatch.launch.SetupException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A server that would listen beyond loopback needs a token, or an explicit, logged opt-out; on loopback it needs
 * neither. Real servers on random ports, over real HTTP.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiExposureIntegrationTests {

    private final List<ConfigurableApplicationContext> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void allInterfacesWithoutATokenIsRefusedBeforeListening() {
        for (String address : new String[] { "0.0.0.0", "::" }) {
            Throwable failure = catchThrowable(() -> start("--server.address=" + address));
            Throwable cause = failure;
            while (cause != null && !(cause instanceof SetupException)) {
                cause = cause.getCause();
            }
            assertThat(cause).as(address).isNotNull();
            assertThat(cause.getMessage()).contains("would listen on " + address + " without a token")
                .contains("ROLLOUTS_API_TOKEN").contains("rollout.api.allow-unauthenticated=true");
        }
    }

    @Test
    void allInterfacesWithATokenServesAndAsksForIt() {
        ConfigurableApplicationContext server = start("--server.address=0.0.0.0", "--rollout.api.token=t0ken");
        Http http = http(server);
        assertThat(http.get("/api/v1/tasks").status()).isEqualTo(401);
        assertThat(http.withToken("t0ken").get("/api/v1/tasks").status()).isEqualTo(200);
    }

    @Test
    void theOptOutServesOpenlyAndSaysSoInTheLog(CapturedOutput output) {
        ConfigurableApplicationContext server = start("--server.address=0.0.0.0",
                "--rollout.api.allow-unauthenticated=true");
        assertThat(http(server).get("/api/v1/tasks").status()).isEqualTo(200);
        assertThat(output).contains("Serving on 0.0.0.0 WITHOUT a token (rollout.api.allow-unauthenticated=true)");
    }

    @Test
    void loopbackNeedsNoToken(CapturedOutput output) {
        ConfigurableApplicationContext server = start("--server.address=127.0.0.1");
        assertThat(http(server).get("/api/v1/tasks").status()).isEqualTo(200);
        assertThat(output).doesNotContain("WITHOUT a token");
    }

    private ConfigurableApplicationContext start(String... arguments) {
        List<String> args = new ArrayList<>();
        for (String property : ApiTestBeans.PROPERTIES) {
            args.add("--" + property);
        }
        args.addAll(List.of("--server.port=0", "--rollout.api.workers=0"));
        args.addAll(List.of(arguments));
        if (args.stream().noneMatch(a -> a.startsWith("--rollout.api.token="))) {
            // No token, even when ROLLOUTS_API_TOKEN is set around the build (a repeated argument would join).
            args.add("--rollout.api.token=");
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(RolloutBatchApplication.class,
                ApiTestBeans.class)
            .profiles("pgtest", "serve")
            .run(args.toArray(String[]::new));
        servers.add(context);
        return context;
    }

    private static Http http(ConfigurableApplicationContext context) {
        return Http.local(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }
}
