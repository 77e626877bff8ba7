"""verl reward function for rollout-batch's ``verl`` export (``data_source == "aiopslab"``).

Self-contained (standard library only) so that verl can load it by path:

    custom_reward_function.path=python/rollout_env/rollout_env/aiopslab_reward.py
    custom_reward_function.name=compute_score

``ground_truth`` is the export's ``reward_model.ground_truth``, a JSON string per task type:
detection ``{"task_type": "detection", "detection": "Yes"|"No"}``, localization ``{"task_type": "localization",
"faulty_services": [...]}``, analysis ``{"task_type": "analysis", "system_level": ..., "fault_type": ...}``,
mitigation ``{"task_type": "mitigation", "faulty_service", "fault_type", "namespace"}``.

The agent's answer is the last ``submit(...)`` call in ``solution_str``: a Python call as AIOpsLab's text protocol
writes it (inside a code block or not), or a ``<tool_call>{"name": "submit", "arguments": {...}}</tool_call>`` of a
tool-calling chat template. It is graded by AIOpsLab's rules, as the twin grades it (case-insensitive detection;
localization exact when the answer is exactly the faulty services, partial when it contains some; analysis needs
both fields), and scored with the project's default reward weights (README, "Grading and reward"):

    score = 1.0 when solved, else 0.5 x partial credit, minus 0.1 when there is no well-formed submission

Mitigation is judged on the cluster's state, which a text cannot show: its score is the environment's reward when
``extra_info`` carries it (``env_reward``, or the ``aiopslab`` tool's entry of verl's ``reward_scores``, which the
rollout_env verl tool's ``calc_reward`` fills), else only the format part.
"""

from __future__ import annotations

import ast
import json
import re
from typing import Any

DATA_SOURCE = "aiopslab"
SUCCESS = 1.0
PARTIAL = 0.5
INVALID_FORMAT = 0.1

_TOOL_CALL = re.compile(r"<tool_call>\s*(\{.*?\})\s*</tool_call>", re.DOTALL)


def compute_score(data_source: str, solution_str: str, ground_truth: str, extra_info: dict | None = None) -> float:
    if data_source != DATA_SOURCE:
        raise ValueError(f"aiopslab_reward scores data_source 'aiopslab', not {data_source!r}")
    return grade(solution_str, ground_truth, extra_info)["score"]


def grade(solution_str: str, ground_truth: str | dict, extra_info: dict | None = None) -> dict[str, Any]:
    """The score with its parts: ``{score, success, partial, invalid, answer}``."""
    truth = json.loads(ground_truth) if isinstance(ground_truth, str) else dict(ground_truth or {})
    task = truth.get("task_type") or _infer_task(truth)
    args = last_submission(solution_str or "")
    answer = args[0] if args else None
    success, partial, invalid = False, 0.0, args is None
    if task == "detection":
        text = answer.strip().lower() if isinstance(answer, str) else None
        if text not in ("yes", "no"):
            invalid = True
        else:
            success = text == str(truth.get("detection", "")).strip().lower()
    elif task == "localization":
        items = answer if isinstance(answer, list) else [answer] if isinstance(answer, str) else None
        if items is None:
            invalid, items = True, []
        given = {str(i).strip().lower() for i in items if isinstance(i, str)}
        expected = {str(s).strip().lower() for s in truth.get("faulty_services", [])}
        hits = given & expected
        success = bool(hits) and given == expected and len(items) == len(expected)
        partial = len(hits) / len(items) if hits and items else 0.0
    elif task == "analysis":
        if not isinstance(answer, dict):
            invalid, answer_map = True, {}
        else:
            answer_map = answer
        level = _same(answer_map.get("system_level"), truth.get("system_level"))
        fault = _same(answer_map.get("fault_type"), truth.get("fault_type"))
        success = level and fault
        partial = 0.5 if level != fault else 0.0
    elif task == "mitigation":
        env_reward = _env_reward(extra_info or {})
        if env_reward is not None:
            return {"score": float(env_reward), "success": float(env_reward) >= SUCCESS, "partial": 0.0,
                    "invalid": invalid, "answer": args}
    else:
        raise ValueError(f"ground_truth has no known task_type: {ground_truth!r}")
    score = SUCCESS if success else PARTIAL * partial
    if invalid:
        score -= INVALID_FORMAT
    return {"score": score, "success": success, "partial": partial, "invalid": invalid, "answer": args}


def last_submission(text: str) -> list[Any] | None:
    """The arguments of the last well-formed ``submit(...)`` in ``text`` (positional, then keyword), or None."""
    found: list[tuple[int, list[Any]]] = []
    for match in _TOOL_CALL.finditer(text):
        try:
            call = json.loads(match.group(1))
        except json.JSONDecodeError:
            continue
        if isinstance(call, dict) and call.get("name") == "submit":
            arguments = call.get("arguments") or {}
            if isinstance(arguments, str):
                try:
                    arguments = json.loads(arguments)
                except json.JSONDecodeError:
                    continue
            found.append((match.start(), list(arguments.values()) if isinstance(arguments, dict) else []))
    for start in (m.start() for m in re.finditer(r"\bsubmit\s*\(", text)):
        call = _balanced_call(text, start)
        args = _literal_args(call) if call else None
        if args is not None:
            found.append((start, args))
    return max(found, key=lambda item: item[0])[1] if found else None


def _balanced_call(text: str, start: int) -> str | None:
    """``submit(...)`` from ``start`` up to its closing parenthesis, skipping parentheses inside string literals."""
    depth, quote, i = 0, None, text.index("(", start)
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return text[start:i + 1]
        i += 1
    return None


def _literal_args(call: str) -> list[Any] | None:
    try:
        node = ast.parse(call.strip(), mode="eval").body
        if not isinstance(node, ast.Call):
            return None
        return [ast.literal_eval(a) for a in node.args] + [ast.literal_eval(k.value) for k in node.keywords]
    except (SyntaxError, ValueError):
        return None


def _env_reward(extra_info: dict) -> float | None:
    """The environment's reward: ``env_reward``, or the last score of the ``aiopslab`` tool in ``reward_scores``."""
    if extra_info.get("env_reward") is not None:
        return float(extra_info["env_reward"])
    scores = (extra_info.get("reward_scores") or {}).get("aiopslab")
    if isinstance(scores, (list, tuple)):
        scores = scores[-1] if scores else None
    return float(scores) if scores is not None else None


def _same(given: Any, expected: Any) -> bool:
    return isinstance(given, str) and expected is not None and given.strip().lower() == str(expected).strip().lower()


def _infer_task(truth: dict) -> str | None:
    if "detection" in truth:
        return "detection"
    if "faulty_services" in truth:
        return "localization"
    if "system_level" in truth:
        return "analysis"
    if "namespace" in truth:
        return "mitigation"
    return None
