package dev.rolloutbatch.episode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/** {@link RunOutcomes} on PostgreSQL (AIOpsLab's verdict read with jsonb). */
@SpringBootTest
@ActiveProfiles("pgtest")
class RunOutcomesIntegrationTests extends RunOutcomesContract {
}
