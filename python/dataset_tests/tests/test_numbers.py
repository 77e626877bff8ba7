"""Every number in the datasets and their manifests agrees with the database the export read."""

import csv
import hashlib
import json
import math
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[3]
FINAL = ("completed", "failed", "timeout")
DAYS = ("2026-11-25", "2026-11-26")


@pytest.fixture(scope="module")
def trajectories(export):
    return pd.read_parquet(export.root("trajectories"))


@pytest.fixture(scope="module")
def episodes(export):
    """Exported episodes by id: each with its one conversation (completed one for completed episodes)."""
    has_failure_class = bool(export.query(
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'episode' AND column_name = 'failure_class'"))
    rows = export.query(f"""
        SELECT e.id, e.status, e.success, e.reward, e.evaluation, e.solution, e.max_steps, e.steps_taken,
               {"e.failure_class" if has_failure_class else "NULL"}, e.problem_id, r.run_date::text, e.run_id,
               c.id::text, c.protocol, c.input_uncached_tokens, c.cache_read_tokens, c.cache_write_tokens,
               c.output_tokens, c.reasoning_tokens, c.usage_estimated, c.cost_usd, e.group_id
        FROM episode e JOIN run r ON r.id = e.run_id
        JOIN conversation c ON c.episode_id = e.id AND c.attempt = (
            SELECT max(c2.attempt) FROM conversation c2
            WHERE c2.episode_id = e.id AND (c2.status = 'completed' OR e.status <> 'completed'))
        WHERE e.status IN ('completed', 'failed', 'timeout')""")
    keys = ("id status success reward evaluation solution max_steps steps_taken failure_class problem_id run_date "
            "run_id conversation_id protocol input_uncached cache_read cache_write output reasoning estimated cost "
            "group_id").split()
    return {row[0]: dict(zip(keys, row)) for row in rows}


def calls_of(export, conversation_id):
    return export.query("""SELECT finish_reason, input_uncached_tokens, output_tokens, cost_usd FROM llm_call
                           WHERE conversation_id = %s::uuid ORDER BY seq""", conversation_id)


def messages_of(export, conversation_id):
    return export.query("""SELECT role, content, tool_calls, tool_call_id FROM message
                           WHERE conversation_id = %s::uuid ORDER BY seq""", conversation_id)


def family(problem_id):
    with open(REPO / "src/main/resources/catalog/aiopslab-problems.csv") as f:
        families = {row["problem_id"]: row["fault_family"] for row in csv.DictReader(f)}
    return families.get(problem_id) or problem_id


def expected_split(problem_id, ratios=(0.1, 0.1)):
    """The card's rule, by fault family (the export's default)."""
    key = family(problem_id)
    u = (int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") >> 11) / 2 ** 53
    validation, test = ratios
    return "test" if u < test else "validation" if u < test + validation else "train"


def test_the_collect_made_both_protocols_and_a_failure(trajectories):
    assert set(trajectories["protocol"]) == {"text", "tools"}
    assert set(trajectories.loc[trajectories["protocol"] == "tools", "policy"]) == {"openai"}
    assert (trajectories["status"] == "failed").any(), "the stand-in rejects the first request: one failed episode"
    assert trajectories.groupby("group_id").size().max() == 2, "two samples per problem"


def test_trajectories_are_the_database_episodes(export, trajectories, episodes):
    assert sorted(trajectories["index"]) == sorted(episodes)
    assert trajectories["index"].is_unique
    for row in trajectories.itertuples():
        e = episodes[row.index]
        assert row.trajectory_id == e["conversation_id"]
        assert str(row.run_date) == e["run_date"] and row.run_id == e["run_id"]
        assert row.status == e["status"] and row.protocol == e["protocol"]
        assert row.success == (e["status"] == "completed" and bool(e["success"]))
        expected_reward = e["reward"] if e["status"] == "completed" and e["reward"] is not None else 0.0
        assert row.reward == pytest.approx(expected_reward)
        assert (None if pd.isna(row.submission) else row.submission) == e["solution"]
        assert row.max_steps == e["max_steps"] and row.steps_taken == e["steps_taken"]
        assert (None if pd.isna(row.failure_class) else row.failure_class) == e["failure_class"]
        assert row.usage_estimated == e["estimated"]
        assert row.usage == {"input_uncached": e["input_uncached"], "cache_read": e["cache_read"],
                             "cache_write": e["cache_write"], "output": e["output"], "reasoning": e["reasoning"]}
        if e["cost"] is None:
            assert row.cost_usd is None or math.isnan(row.cost_usd)
        else:
            assert row.cost_usd == pytest.approx(float(e["cost"]))
        evaluation = None if pd.isna(row.evaluation) else json.loads(row.evaluation)
        if e["evaluation"] is not None:
            assert evaluation == json.loads(e["evaluation"])
            aiopslab = evaluation.get("aiopslab") if isinstance(evaluation, dict) else None
            assert row.aiopslab_success == (aiopslab.get("success") if isinstance(aiopslab, dict) else None)
        elif e["status"] != "completed":
            assert evaluation["status"] == e["status"]
        calls = calls_of(export, e["conversation_id"])
        assert list(row.finish_reasons) == [c[0] for c in calls]
        assert sum(c[1] for c in calls) == e["input_uncached"] and sum(c[2] for c in calls) == e["output"]
        logged = messages_of(export, e["conversation_id"])
        assert len(row.messages) == len(logged) and row.num_turns == sum(m[0] == "assistant" for m in logged)
        for exported, (role, content, tool_calls, tool_call_id) in zip(row.messages, logged):
            assert (exported["role"], exported["content"], exported["tool_call_id"]) == (role, content, tool_call_id)
            stored = json.loads(tool_calls) if tool_calls else None
            if stored is None:
                assert exported["tool_calls"] is None
            else:
                assert [json.loads(c["function"]["arguments"]) for c in exported["tool_calls"]] \
                    == [json.loads(c["function"]["arguments"]) for c in stored]
                assert [c["function"]["name"] for c in exported["tool_calls"]] \
                    == [c["function"]["name"] for c in stored]


def test_split_is_the_documented_stable_hash(trajectories):
    for row in trajectories.itertuples():
        assert row.split == expected_split(row.problem_id), row.problem_id
    # a fault family never straddles two splits
    assert (trajectories.assign(family=trajectories["problem_id"].map(family))
            .groupby("family")["split"].nunique() == 1).all()


@pytest.mark.parametrize("fmt", ("trajectories", "sft", "verl"))
def test_manifests_add_up(export, fmt, episodes):
    frame = pd.read_parquet(export.root(fmt))
    for manifest in export.manifests(fmt):
        day = frame[frame["run_date"].astype(str) == manifest["run_date"]]
        assert manifest["schema_version"] == 2 and manifest["format"] == fmt
        assert manifest["total_rows"] == len(day) == sum(f["rows"] for f in manifest["files"])
        for f in manifest["files"]:
            assert (export.output / fmt / f["path"]).stat().st_size == f["bytes"]
        ids = day["extra_info"].map(lambda x: x["index"]) if fmt == "verl" else day["index"]
        rows = [episodes[i] for i in ids]
        assert manifest["rows_by_status"] == dict(Counter(e["status"] for e in rows))
        splits = day["extra_info"].map(lambda x: x["split"]) if fmt == "verl" else day["split"]
        assert manifest["split"]["rows"] == dict(Counter(splits))
        assert manifest["tokens"] == {k: sum(e[k] for e in rows)
                                      for k in ("input_uncached", "cache_read", "cache_write", "output", "reasoning")}
        assert manifest["cost_usd"] == pytest.approx(sum(float(e["cost"]) for e in rows if e["cost"] is not None))
        assert manifest["source_run_ids"] == sorted({e["run_id"] for e in rows})
        without = export.query("""
            SELECT count(*) FROM episode e JOIN run r ON r.id = e.run_id
            WHERE r.run_date = %s::date AND e.status IN ('completed', 'failed', 'timeout')
              AND NOT EXISTS (SELECT 1 FROM conversation c WHERE c.episode_id = e.id)""", manifest["run_date"])
        assert manifest["episodes_without_conversation"] == without[0][0]


def test_sft_rows_are_completed_successes_ending_on_the_assistant(export, episodes):
    sft = pd.read_parquet(export.root("sft"))
    expected = {i for i, e in episodes.items() if e["status"] == "completed" and e["success"]}
    assert set(sft["index"]) == expected
    for row in sft.itertuples():
        logged = messages_of(export, episodes[row.index]["conversation_id"])
        last = max(i for i, m in enumerate(logged) if m[0] == "assistant")
        assert [m["role"] for m in row.messages] == [m[0] for m in logged[:last + 1]]
        assert row.messages[-1]["role"] == "assistant"
        assert row.reward == pytest.approx(episodes[row.index]["reward"])
        assert row.split == expected_split(row.problem_id)


def test_verl_has_one_prompt_per_group(export, episodes):
    verl = pd.read_parquet(export.root("verl"))
    groups = {(e["run_id"], e["group_id"]) for e in episodes.values()}
    assert len(verl) == len(groups)
    for row in verl.itertuples():
        e = episodes[row.extra_info["index"]]
        assert row.extra_info["group_id"] == e["group_id"] and row.extra_info["split"] == expected_split(e["problem_id"])
        assert [m["role"] for m in row.prompt] == ["system", "user"]
        assert json.loads(row.reward_model["ground_truth"])["task_type"] == row.ability.removeprefix("aiops/")
