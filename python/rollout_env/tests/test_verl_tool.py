import asyncio
import importlib
import json
import math
import re
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import yaml

from rollout_env import verl_data
from rollout_env.verl_tool import TOOL_SCHEMA, AiopsLabInteraction, AiopsLabTool

VERL_DIR = Path(__file__).resolve().parents[1] / "rollout_env" / "verl"


def load(path: str):
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def tool_from_yaml(service) -> AiopsLabTool:
    spec = yaml.safe_load((VERL_DIR / "aiopslab_tool_config.yaml").read_text())["tools"][0]
    assert spec["tool_schema"] == TOOL_SCHEMA
    config = dict(spec["config"], base_url=service.url)
    tool = load(spec["class_name"])(config, spec["tool_schema"])
    assert tool.name == "aiopslab"
    return tool


def test_the_tool_steps_one_session_per_trajectory_and_grades_it(service, monkeypatch):
    monkeypatch.setenv("ROLLOUTS_API_TOKEN", service.token)
    tool = tool_from_yaml(service)

    async def trajectory():
        # verl's agent loop passes the row's tools_kwargs.aiopslab.create_kwargs and unpacks (id, response).
        instance_id, _ = await tool.create(create_kwargs={"problem_id": "misconfig_app_hotel_res-analysis-1",
                                                          "seed": 21})
        look, reward, metrics = await tool.execute(instance_id, {"action": 'exec_shell("kubectl get pods -n '
                                                                           'test-hotel-reservation")'})
        assert "geo" in look.text and reward == 0.0 and metrics["done"] is False
        bad, _, _ = await tool.execute(instance_id, json.dumps({"wrong": 1}))
        assert "call aiopslab" in bad.text
        answer = 'submit({"system_level": "Application", "fault_type": "Misconfiguration"})'
        done, _, metrics = await tool.execute(instance_id, {"action": answer})
        assert metrics["done"] is True
        after, _, metrics = await tool.execute(instance_id, {"action": 'exec_shell("ls")'})
        assert metrics == {"done": True} and "over" in after.text
        score = await tool.calc_reward(instance_id)
        episode_id = tool.driver.sessions[instance_id].episode_id
        await tool.release(instance_id)
        return score, episode_id

    score, episode_id = asyncio.run(trajectory())
    assert score == 1.0
    row = service.database.query(f"SELECT status, success, model, steps_taken FROM episode WHERE id = {episode_id}")
    assert row == [["completed", "t", "verl-policy", "2"]]


def test_the_interaction_sends_whole_answers_and_ends_at_the_submission(service, monkeypatch):
    monkeypatch.setenv("ROLLOUTS_API_TOKEN", service.token)
    spec = yaml.safe_load((VERL_DIR / "aiopslab_interaction_config.yaml").read_text())["interaction"][0]
    interaction = load(spec["class_name"])(dict(spec["config"], base_url=service.url, name=spec["name"]))

    async def trajectory():
        iid = await interaction.start_interaction(problem_id="k8s_target_port-misconfig-detection-1", seed=4)
        messages = [{"role": "user", "content": "..."},
                    {"role": "assistant", "content": "Let me look.\n```\nexec_shell(\"kubectl get svc -A\")\n```"}]
        first = await interaction.generate_response(iid, messages)
        messages += [{"role": "user", "content": first[1]}, {"role": "assistant", "content": "no code block"}]
        second = await interaction.generate_response(iid, messages)
        messages += [{"role": "user", "content": second[1]},
                     {"role": "assistant", "content": "Anomalous.\n```\nsubmit(\"Yes\")\n```"}]
        last = await interaction.generate_response(iid, messages)
        score = await interaction.calculate_score(iid)
        await interaction.finalize_interaction(iid)
        return first, second, last, score

    first, second, last, score = asyncio.run(trajectory())
    assert first[0] is False and "user-service" in first[1]
    assert second[0] is False and "could not be read" in second[1]
    assert last[0] is True and last[2] == 1.0 and score == 1.0


def test_a_verl_export_is_prepared_for_the_tool_and_its_prompts_fit_the_recipe(exported, tmp_path, service,
                                                                               monkeypatch):
    target = tmp_path / "train.parquet"
    rows = verl_data.prepare(exported.partition("verl"), target)
    prepared = pq.read_table(target).to_pylist()
    assert len(prepared) == rows == 8
    kwargs = prepared[0]["extra_info"]["tools_kwargs"]["aiopslab"]["create_kwargs"]
    assert kwargs["problem_id"] == prepared[0]["extra_info"]["problem_id"]
    assert prepared[0]["extra_info"]["interaction_kwargs"]["name"] == "aiopslab"
    assert prepared[0]["reward_model"] == ds.dataset(str(exported.partition("verl")), format="parquet") \
        .to_table().to_pylist()[0]["reward_model"]

    # The recipe's max_prompt_length holds every prompt even at a conservative 3 UTF-8 bytes per token
    # (+ 8 tokens per message for the chat template's role markers).
    recipe = (VERL_DIR / "run_grpo_multiturn.sh").read_text()
    limit = int(re.search(r"data\.max_prompt_length=(\d+)", recipe).group(1))
    longest = max(sum(math.ceil(len(m["content"].encode()) / 3) + 8 for m in row["prompt"]) for row in prepared)
    assert 512 < longest <= limit

    # A prepared row drives the tool.
    monkeypatch.setenv("ROLLOUTS_API_TOKEN", service.token)
    tool = tool_from_yaml(service)

    async def open_and_close():
        instance_id = await tool.create(create_kwargs=kwargs)
        session = tool.driver.sessions[instance_id]
        await tool.release(instance_id)
        return session

    session = asyncio.run(open_and_close())
    assert session.problem_id == kwargs["problem_id"]
