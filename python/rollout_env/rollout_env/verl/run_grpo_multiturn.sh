#!/usr/bin/env bash
# GRPO with multi-turn rollouts that step rollout-batch's environment service (see the top README, "Environment
# service (for online trainers)"). Needs verl with SGLang on a GPU machine; run from the repository root.
#
#   ROLLOUT_ENV_URL=http://127.0.0.1:8080 MODEL=Qwen/Qwen2.5-7B-Instruct TRAIN=train.parquet \
#     bash python/rollout_env/rollout_env/verl/run_grpo_multiturn.sh
#
# Lengths (tokens): the opening prompt of every one of the 89 problems is 830-963 tokens with the cl100k/o200k
# encodings and at most 4379 UTF-8 bytes (1460 tokens even at a conservative 3 bytes per token), so
# max_prompt_length=2048 leaves room for the chat template and the tool schema (verl's default, 512, cuts
# every prompt). Observations run to ~8400 tokens (kubectl describe, metrics CSVs): each is cut to
# max_tool_response_length characters, and the whole multi-turn response (answers + observations) must fit
# max_response_length.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export PYTHONPATH="${here}/../..${PYTHONPATH:+:$PYTHONPATH}"
: "${MODEL:=Qwen/Qwen2.5-7B-Instruct}" "${TRAIN:=train.parquet}" "${VAL:=$TRAIN}"
sed "s#http://127.0.0.1:8080#${ROLLOUT_ENV_URL:-http://127.0.0.1:8080}#" "${here}/aiopslab_tool_config.yaml" \
  > /tmp/aiopslab_tool_config.yaml

python3 -m verl.trainer.main_ppo \
  algorithm.adv_estimator=grpo \
  data.train_files="['${TRAIN}']" data.val_files="['${VAL}']" \
  data.prompt_key=prompt data.return_raw_chat=True \
  data.max_prompt_length=2048 data.max_response_length=12288 data.filter_overlong_prompts=True \
  data.train_batch_size=16 \
  actor_rollout_ref.model.path="${MODEL}" \
  actor_rollout_ref.rollout.name=sglang actor_rollout_ref.rollout.mode=async \
  actor_rollout_ref.rollout.n=4 \
  actor_rollout_ref.rollout.prompt_length=2048 actor_rollout_ref.rollout.response_length=12288 \
  actor_rollout_ref.rollout.multi_turn.enable=True \
  actor_rollout_ref.rollout.multi_turn.format=hermes \
  actor_rollout_ref.rollout.multi_turn.max_assistant_turns=20 \
  actor_rollout_ref.rollout.multi_turn.max_tool_response_length=4096 \
  actor_rollout_ref.rollout.multi_turn.tool_response_truncate_side=middle \
  actor_rollout_ref.rollout.multi_turn.tool_config_path=/tmp/aiopslab_tool_config.yaml \
  actor_rollout_ref.actor.ppo_mini_batch_size=16 \
  custom_reward_function.path="${here}/../aiopslab_reward.py" custom_reward_function.name=compute_score \
  trainer.total_epochs=1 "$@"
