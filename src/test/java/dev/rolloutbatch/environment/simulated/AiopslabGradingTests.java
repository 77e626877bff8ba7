package dev.rolloutbatch.environment.simulated;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.TaskType;
import dev.rolloutbatch.environment.EnvironmentSession;
import dev.rolloutbatch.environment.Evaluation;

import static dev.rolloutbatch.environment.simulated.SimTestSupport.sh;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each test states one rule of AIOpsLab's own grading as a fact, with the AIOpsLab file it comes from, and checks
 * the twin's {@code aiopslab} grading against it (and, where they part, what the project's reward does instead).
 */
class AiopslabGradingTests {

    private static Evaluation answer(String problemId, String... actions) {
        try (EnvironmentSession session = SimTestSupport.start(problemId, 3)) {
            for (String action : actions) {
                session.step(action);
            }
            return session.evaluate();
        }
    }

    // ---- detection ----

    @Test
    void detectionComparesAStrippedCaseInsensitiveYes() {
        // AIOpsLab: aiopslab/orchestrator/problems/k8s_target_port_misconfig/target_port.py (detection eval():
        // soln.strip().lower() == "yes")
        Evaluation e = answer("k8s_target_port-misconfig-detection-1", "submit(\"  yES \")");
        assertThat(e.results()).containsEntry("Detection Accuracy", "Correct");
        assertThat(e.aiopslabSuccess()).isTrue();
        assertThat(e.success()).isTrue();
    }

    @Test
    void detectionAnswersOtherThanYesOrNoAreIncorrectNotInvalid() {
        // AIOpsLab: aiopslab/orchestrator/problems/pod_kill/pod_kill.py (detection eval(): any str that is not "yes"
        // is "Incorrect"; only a non-str is "Invalid Format")
        Evaluation e = answer("pod_kill_hotel_res-detection-1", "submit(\"maybe\")");
        assertThat(e.results()).containsEntry("Detection Accuracy", "Incorrect");
        assertThat(e.aiopslabSuccess()).isFalse();
        // the project's reward calls it a malformed answer
        assertThat(e.rewardComponents()).containsEntry("invalid_format", -0.1);

        Evaluation list = answer("pod_kill_hotel_res-detection-1", "submit([\"Yes\"])");
        assertThat(list.results()).containsEntry("Detection Accuracy", "Invalid Format");
    }

    @Test
    void noOpProblemsExpectNo() {
        // AIOpsLab: aiopslab/orchestrator/problems/no_op/no_op.py (expected_solution = "No")
        assertThat(answer("noop_detection_social_network-1", "submit(\"No\")").results())
            .containsEntry("Detection Accuracy", "Correct");
        Evaluation yes = answer("noop_detection_social_network-1", "submit(\"Yes\")");
        assertThat(yes.results()).containsEntry("Detection Accuracy", "Incorrect");
        assertThat(yes.success()).isFalse();
    }

    @Test
    void aKeywordOnlySubmissionEndsTheEpisodeButIsGradedAsAnEmptyList() {
        // AIOpsLab: aiopslab/orchestrator/orchestrator.py ask_env (set_solution(args[0] if len(args) == 1 else args):
        // keyword arguments are dropped) and actions/detection.py (submit(has_anomaly) accepts the keyword)
        try (EnvironmentSession session = SimTestSupport.start("pod_kill_hotel_res-detection-1", 3)) {
            assertThat(session.step("submit(has_anomaly=\"Yes\")").done()).isTrue();
            Evaluation e = session.evaluate();
            assertThat(e.results()).containsEntry("Detection Accuracy", "Invalid Format");
            assertThat(e.submission()).isEqualTo("submit(has_anomaly=\"Yes\")");
            assertThat(e.success()).isFalse();
            assertThat(e.rewardComponents()).containsEntry("invalid_format", -0.1);
        }
    }

    @Test
    void noSubmissionIsInvalidFormatAndStillGetsANumericReward() {
        // AIOpsLab: orchestrator.py start_problem (eval() runs after max_steps with solution None)
        Evaluation e = answer("container_kill-detection", "exec_shell(\"kubectl get pods -n test-hotel-reservation\")");
        assertThat(e.results()).containsEntry("Detection Accuracy", "Invalid Format").containsEntry("steps", 1);
        assertThat(e.submission()).isNull();
        assertThat(e.reward()).isEqualTo(-0.1);
    }

    // ---- localization ----

    @Test
    void localizationIsAnExactCaseSensitiveListMatch() {
        // AIOpsLab: aiopslab/orchestrator/evaluators/quantitative.py is_exact_match (list ==) and the localization
        // eval() of problems/k8s_target_port_misconfig/target_port.py
        Evaluation upper = answer("k8s_target_port-misconfig-localization-1", "submit([\"User-Service\"])");
        assertThat(upper.results()).containsEntry("Localization Accuracy", 0.0).containsEntry("success", false)
            .containsEntry("is_subset", false);
        assertThat(upper.success()).isFalse();

        Evaluation bare = answer("k8s_target_port-misconfig-localization-1", "submit(\"user-service\")");
        assertThat(bare.results()).containsEntry("Localization Accuracy", 100.0).containsEntry("success", true);

        Evaluation two = answer("k8s_target_port-misconfig-localization-1", "submit([\"user-service\", \"text-service\"])");
        assertThat(two.results()).containsEntry("Localization Accuracy", 50.0).containsEntry("success", false)
            .containsEntry("is_subset", true);
        assertThat(two.reward()).isEqualTo(0.25);
    }

    @Test
    void mongoDbProblemsAcceptTheServiceWithoutItsMongodbPrefix() {
        // AIOpsLab: aiopslab/orchestrator/problems/revoke_auth/revoke_auth.py and
        // problems/storage_user_unregistered/storage_user_unregistered.py (faulty_service.removeprefix("mongodb-"))
        assertThat(answer("revoke_auth_mongodb-localization-1", "submit([\"geo\"])").aiopslabSuccess()).isTrue();
        assertThat(answer("user_unregistered_mongodb-localization-2", "submit([\"rate\"])").aiopslabSuccess()).isTrue();
        assertThat(answer("user_unregistered_mongodb-localization-2", "submit([\"rate\"])").success()).isTrue();
        // auth_miss_mongodb has the plain eval(): no alias
        assertThat(answer("auth_miss_mongodb-localization-1", "submit([\"url-shorten\"])").aiopslabSuccess()).isFalse();
    }

    @Test
    void aDictAnswerIsJudgedByItsKeysButTheRewardRejectsIt() {
        // AIOpsLab: evaluators/quantitative.py is_subset (set(soln) of a dict is its keys) with the localization
        // eval() success = is_exact or (is_sub and len(soln) == 1)
        Evaluation e = answer("k8s_target_port-misconfig-localization-1", "submit({\"user-service\": 1})");
        assertThat(e.aiopslabSuccess()).isTrue();
        assertThat(e.success()).isFalse();
        assertThat(e.rewardComponents()).containsEntry("invalid_format", -0.1);
    }

    @Test
    void theEmptyListIsTheNoFaultAnswerAndAnUnhashableItemMakesEvalRaise() {
        // AIOpsLab: aiopslab/orchestrator/tasks/localization.py (list[]: no fault) and evaluators/quantitative.py
        // is_subset (set() of a list holding a list raises TypeError)
        Evaluation empty = answer("pod_kill_hotel_res-localization-1", "submit([])");
        assertThat(empty.results()).containsEntry("Localization Accuracy", 0.0).containsEntry("is_subset", false);
        Evaluation nested = answer("pod_kill_hotel_res-localization-1", "submit([[\"user\"]])");
        assertThat(nested.aiopslabSuccess()).isFalse();
        assertThat(nested.results()).containsKey("eval_error");
    }

    // ---- analysis ----

    @Test
    void analysisComparesBothFieldsStrippedAndCaseInsensitive() {
        // AIOpsLab: aiopslab/orchestrator/problems/scale_pod/scale_pod_social_net.py (analysis eval())
        Evaluation e = answer("scale_pod_zero_social_net-analysis-1",
                "submit({\"system_level\": \" virtualization\", \"fault_type\": \"OPERATION ERROR\"})");
        assertThat(e.results()).containsEntry("system_level_correct", true).containsEntry("fault_type_correct", true)
            .containsEntry("success", true);
        Evaluation half = answer("scale_pod_zero_social_net-analysis-1",
                "submit({\"system_level\": \"Virtualization\", \"fault_type\": \"Code Defect\"})");
        assertThat(half.aiopslabSuccess()).isFalse();
        assertThat(half.reward()).isEqualTo(0.25);
    }

    @Test
    void theAnalysisNoFaultAnswerSubmitIsRejectedBySubmitsOwnSignature() {
        // AIOpsLab: aiopslab/orchestrator/tasks/analysis.py tells the agent to call submit() when there is no fault,
        // but actions/analysis.py submit(analysis) needs its argument: the call fails and the episode goes on
        try (EnvironmentSession session = SimTestSupport.start("scale_pod_zero_social_net-analysis-1", 3)) {
            assertThat(session.brief().instructions()).contains("```\nsubmit()\n```");
            assertThat(session.step("submit()").done()).isFalse();
            Evaluation e = session.evaluate();
            assertThat(e.results()).containsEntry("system_level_correct", false).containsEntry("success", false);
            assertThat(e.submission()).isNull();
        }
    }

    @Test
    void aNonStringAnalysisFieldMakesEvalRaise() {
        // AIOpsLab: problems/auth_miss_mongodb/auth_miss_mongodb.py (soln.get("system_level", "").strip())
        Evaluation e = answer("auth_miss_mongodb-analysis-1", "submit({\"system_level\": None, \"fault_type\": \"x\"})");
        assertThat(e.results()).containsEntry("success", false).containsKey("eval_error");
    }

    // ---- mitigation, per family ----

    static List<Problem> mitigationProblems() {
        return SimTestSupport.CATALOG.problems().stream().filter(p -> p.taskType() == TaskType.MITIGATION).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mitigationProblems")
    void aRealFixPassesBothGradings(Problem problem) {
        // AIOpsLab: each problem's mitigation eval() under aiopslab/orchestrator/problems/
        try (EnvironmentSession session = SimTestSupport.ENV.start(problem, 11)) {
            for (String action : SimulatedFaultFamilyTests.correct(session, problem)) {
                session.step(action);
            }
            Evaluation e = session.evaluate();
            assertThat(e.success()).as("%s %s", problem.id(), e.results()).isTrue();
            assertThat(e.aiopslabSuccess()).as("%s %s", problem.id(), e.results()).isTrue();
        }
    }

    @Test
    void scalePodZeroNeedsExactlyOneReplicaAvailable() {
        // AIOpsLab: aiopslab/orchestrator/problems/scale_pod/scale_pod_social_net.py (desired_replicas != 1 or
        // available_replicas != 1 fails)
        String ns = "test-social-network";
        try (EnvironmentSession session = SimTestSupport.start("scale_pod_zero_social_net-mitigation-1", 3)) {
            sh(session, "kubectl scale deployment user-service --replicas=2 -n " + ns);
            session.step("submit()");
            Evaluation two = session.evaluate();
            assertThat(two.aiopslabSuccess()).isFalse();
            assertThat(two.success()).as("the reward never passes what AIOpsLab fails").isFalse();
        }
        try (EnvironmentSession session = SimTestSupport.start("scale_pod_zero_social_net-mitigation-1", 3)) {
            sh(session, "kubectl scale deployment user-service --replicas=1 -n " + ns);
            session.step("submit()");
            assertThat(session.evaluate().aiopslabSuccess()).isTrue();
        }
    }

    @Test
    void wrongBinUsageNeedsProfileInTheCommand() {
        // AIOpsLab: aiopslab/orchestrator/problems/wrong_bin_usage/wrong_bin_usage.py ("profile" in container.command)
        String ns = "test-hotel-reservation";
        try (EnvironmentSession session = SimTestSupport.start("wrong_bin_usage-mitigation-1", 3)) {
            sh(session, "kubectl patch deployment profile -n " + ns + " --type=json -p='[{\"op\":\"replace\","
                    + "\"path\":\"/spec/template/spec/containers/0/command\",\"value\":[\"profile\"]}]'");
            session.step("submit()");
            assertThat(session.evaluate().aiopslabSuccess()).isTrue();
        }
        Evaluation untouched = answer("wrong_bin_usage-mitigation-1", "submit()");
        assertThat(untouched.aiopslabSuccess()).isFalse();
    }

    @Test
    void targetPortNeeds9090() {
        // AIOpsLab: aiopslab/orchestrator/problems/k8s_target_port_misconfig/target_port.py (targetPort == 9090)
        Evaluation untouched = answer("k8s_target_port-misconfig-mitigation-1", "submit()");
        assertThat(untouched.aiopslabSuccess()).isFalse();
        assertThat(untouched.results()).containsEntry("success", false);
    }

    @Test
    void familiesThatCheckOnlyPodHealthPassWhenNothingWasDoneButTheRewardDoesNot() {
        // AIOpsLab: problems/kafka_queue_problems/kafka_queue_problems.py (pod health only) and
        // problems/assign_non_existent_node/assign_non_existent_node_social_net.py (a Pending pod has no container
        // statuses and is skipped)
        for (String id : List.of("astronomy_shop_kafka_queue_problems-mitigation-1",
                "assign_to_non_existent_node_social_net-mitigation-1")) {
            Evaluation noOp = answer(id, "submit()");
            assertThat(noOp.aiopslabSuccess()).as(id).isTrue();
            assertThat(noOp.success()).as(id).isFalse();
            assertThat(noOp.reward()).as(id).isZero();
        }
    }

    @Test
    void unguardedPodLoopsRaiseOnAPendingPod() {
        // AIOpsLab: problems/redeploy_without_pv/redeploy_without_pv.py (for container_status in
        // pod.status.container_statuses, which is None for a Pending pod)
        Evaluation e = answer("redeploy_without_PV-mitigation-1", "submit()");
        assertThat(e.aiopslabSuccess()).isFalse();
        assertThat((String) e.results().get("eval_error")).contains("no container statuses");
    }

    @Test
    void mitigationIsJudgedOnTheClusterEvenWithoutASubmission() {
        // AIOpsLab: aiopslab/orchestrator/orchestrator.py start_problem (eval() after the last step, submitted or not)
        Problem problem = SimTestSupport.problem("scale_pod_zero_social_net-mitigation-1");
        try (EnvironmentSession session = SimTestSupport.ENV.start(problem, 3)) {
            sh(session, "kubectl scale deployment user-service --replicas=1 -n test-social-network");
            Evaluation e = session.evaluate();
            assertThat(e.aiopslabSuccess()).isTrue();
            assertThat(e.success()).isFalse();
            assertThat(e.rewardComponents()).containsEntry("partial_credit", 0.5).containsEntry("invalid_format", -0.1);
            assertThat(e.reward()).isEqualTo(0.4);
        }
    }

    @Test
    void aMitigationSubmitWithArgumentsIsRejectedAndTheEpisodeGoesOn() {
        // AIOpsLab: aiopslab/orchestrator/actions/mitigation.py (submit() takes no parameters; the TypeError is the
        // observation and the loop continues)
        try (EnvironmentSession session = SimTestSupport.start("scale_pod_zero_social_net-mitigation-1", 3)) {
            assertThat(session.step("submit(\"done\")").done()).isFalse();
            assertThat(session.step("submit()").done()).isTrue();
        }
    }
}
