package dev.rolloutbatch.episode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/** {@link RunOutcomes} on the embedded H2 default (no jsonb: AIOpsLab's verdict matched in the text). */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:outcomes;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
        "spring.datasource.hikari.maximum-pool-size=2" })
@DirtiesContext
class RunOutcomesH2IntegrationTests extends RunOutcomesContract {
}
