import json

import pyarrow.dataset as ds
import pytest

from rollout_env.aiopslab_reward import compute_score, grade, last_submission

DETECTION = json.dumps({"task_type": "detection", "detection": "Yes"})
LOCALIZATION = json.dumps({"task_type": "localization", "faulty_services": ["user-service"]})
ANALYSIS = json.dumps({"task_type": "analysis", "system_level": "Application", "fault_type": "Misconfiguration"})
MITIGATION = json.dumps({"task_type": "mitigation", "faulty_service": "geo", "fault_type": "x", "namespace": "n"})


def test_detection_is_case_insensitive_and_a_malformed_answer_costs_the_format_penalty():
    assert compute_score("aiopslab", "Thought.\n```\nsubmit(\"yes\")\n```", DETECTION) == 1.0
    assert compute_score("aiopslab", "```\nsubmit(\"No\")\n```", DETECTION) == 0.0
    assert compute_score("aiopslab", "```\nsubmit(\"maybe\")\n```", DETECTION) == pytest.approx(-0.1)
    assert compute_score("aiopslab", "I give up.", DETECTION) == pytest.approx(-0.1)


def test_localization_gives_partial_credit_when_the_faulty_service_is_among_several():
    assert compute_score("aiopslab", 'submit(["user-service"])', LOCALIZATION) == 1.0
    assert compute_score("aiopslab", 'submit(["user-service", "text-service"])', LOCALIZATION) == pytest.approx(0.25)
    assert compute_score("aiopslab", 'submit(["text-service"])', LOCALIZATION) == 0.0
    assert compute_score("aiopslab", 'submit("user-service")', LOCALIZATION) == 1.0


def test_analysis_needs_both_fields_and_the_last_submission_counts():
    both = 'submit({"system_level": "application", "fault_type": "misconfiguration"})'
    one = 'submit({"system_level": "Application", "fault_type": "Network"})'
    assert compute_score("aiopslab", both, ANALYSIS) == 1.0
    assert compute_score("aiopslab", one, ANALYSIS) == pytest.approx(0.25)
    assert compute_score("aiopslab", one + "\n...\n" + both, ANALYSIS) == 1.0
    tool_call = '<tool_call>{"name": "submit", "arguments": {"analysis": {"system_level": "Application", ' \
                '"fault_type": "Misconfiguration"}}}</tool_call>'
    assert compute_score("aiopslab", tool_call, ANALYSIS) == 1.0


def test_mitigation_takes_the_environments_reward():
    assert compute_score("aiopslab", "submit()", MITIGATION, {"env_reward": 1.0}) == 1.0
    assert compute_score("aiopslab", "submit()", MITIGATION, {"reward_scores": {"aiopslab": [0.0, 1.0]}}) == 1.0
    assert compute_score("aiopslab", "submit()", MITIGATION) == 0.0
    assert compute_score("aiopslab", "nothing", MITIGATION) == pytest.approx(-0.1)


def test_parentheses_inside_strings_do_not_end_the_call_and_other_sources_are_refused():
    assert last_submission('submit(["a (b)"]) trailing') == [["a (b)"]]
    with pytest.raises(ValueError, match="data_source 'aiopslab'"):
        compute_score("gsm8k", "submit(\"Yes\")", DETECTION)


def test_on_a_real_verl_export_the_score_agrees_with_the_twins_grade(exported):
    verl = ds.dataset(str(exported.partition("verl")), format="parquet").to_table().to_pylist()
    trajectories = ds.dataset(str(exported.partition("trajectories")), format="parquet").to_table().to_pylist()
    assert verl and trajectories
    truth = {row["extra_info"]["group_id"]: row["reward_model"]["ground_truth"] for row in verl}
    assert {row["data_source"] for row in verl} == {"aiopslab"}
    checked = 0
    for episode in trajectories:
        ground_truth = truth[episode["group_id"]]
        task = json.loads(ground_truth)["task_type"]
        solution = "\n".join(m["content"] or "" for m in episode["messages"] if m["role"] == "assistant")
        extra = {"env_reward": episode["reward"]} if task == "mitigation" else None
        result = grade(solution, ground_truth, extra)
        assert result["success"] == episode["success"], (episode["problem_id"], result)
        assert result["score"] == pytest.approx(episode["reward"]), (episode["problem_id"], result)
        checked += 1
    assert checked == len(trajectories) == 16
    # A correct answer built from each row's ground truth scores 1.0; the wrong one does not.
    for row in verl:
        gt = json.loads(row["reward_model"]["ground_truth"])
        if gt["task_type"] == "detection":
            right, wrong = f'submit("{gt["detection"]}")', 'submit("perhaps")'
        elif gt["task_type"] == "localization":
            right, wrong = f"submit({json.dumps(gt['faulty_services'])})", 'submit(["nothing"])'
        elif gt["task_type"] == "analysis":
            right = f"submit({json.dumps({'system_level': gt['system_level'], 'fault_type': gt['fault_type']})})"
            wrong = 'submit({"system_level": "x", "fault_type": "y"})'
        else:
            continue
        assert compute_score("aiopslab", right, row["reward_model"]["ground_truth"], row["extra_info"]) == 1.0
        assert compute_score("aiopslab", wrong, row["reward_model"]["ground_truth"], row["extra_info"]) < 1.0
