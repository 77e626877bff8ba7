package dev.rolloutbatch.api;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/** With a token set, everything but /health needs {@code Authorization: Bearer <token>}. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.hikari.maximum-pool-size=8",
        "rollout.api.environment=fixed-test", "rollout.api.offline-policy=echo-test", "rollout.api.workers=0",
        "rollout.api.token=s3cret-token" })
@ActiveProfiles({ "pgtest", "serve" })
@DirtiesContext // stops this server's workers: a cached context would keep claiming other tests' tasks
@Import(ApiTestBeans.class)
class ApiTokenIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void everyEndpointButHealthNeedsTheToken() {
        Http anonymous = Http.local(port);
        for (String path : new String[] { "/api/v1/tasks", "/api/v1/tasks/stats", "/api/v1/llm-conversations",
                "/api/v1/llm-conversations/stats/summary", "/actuator/prometheus" }) {
            Http.Response response = anonymous.get(path);
            assertThat(response.status()).as(path).isEqualTo(401);
            assertThat(anonymous.withToken("wrong").get(path).status()).as(path).isEqualTo(401);
            assertThat(anonymous.withToken("s3cret-token").get(path).status()).as(path).isEqualTo(200);
        }
        assertThat(anonymous.post("/api/v1/tasks", "{\"problem_id\": \"k8s_target_port-misconfig-detection-1\"}")
            .status()).isEqualTo(401);
        assertThat(anonymous.get("/health").status()).isEqualTo(200);
        assertThat(anonymous.get("/health").json().get("status").stringValue()).isEqualTo("UP");
    }
}
