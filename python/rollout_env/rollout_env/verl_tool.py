"""verl multi-turn integration: a tool (``BaseTool`` interface) and an interaction (``BaseInteraction`` interface)
that step rollout-batch's environment service, one session per trajectory.

verl is not a dependency: when it is installed the classes subclass verl's own bases
(``verl.tools.base_tool.BaseTool``, ``verl.interactions.base.BaseInteraction``), otherwise stand-alone bases with the
same signatures, so the logic runs and is tested without verl. Configuration (``config`` in the YAML files under
``rollout_env/verl/``):

    base_url   the service, e.g. http://127.0.0.1:8080 (default: $ROLLOUT_ENV_URL)
    token_env  name of the environment variable holding the bearer token (default ROLLOUTS_API_TOKEN)
    model      recorded as the model of every session (default: verl-policy)
    max_steps  step budget of a session (default: the service's)

Per trajectory the dataset row's ``extra_info`` gives ``tools_kwargs.aiopslab.create_kwargs`` (tool) or
``interaction_kwargs`` (interaction) = ``{"problem_id": ..., "seed": ...}``; ``rollout_env.verl_data`` adds them
to an export of the ``verl`` format.
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from .client import EnvClient, EnvServiceError, Session

try:  # verl's own classes when verl is installed
    from verl.interactions.base import BaseInteraction as _InteractionBase  # type: ignore
    from verl.tools.base_tool import BaseTool as _ToolBase  # type: ignore
    from verl.tools.schemas import OpenAIFunctionToolSchema, ToolResponse  # type: ignore

    HAVE_VERL = True
except ImportError:  # the same interfaces, stand-alone
    HAVE_VERL = False
    OpenAIFunctionToolSchema = None  # type: ignore

    @dataclass
    class ToolResponse:  # type: ignore[no-redef]
        text: str | None = None

    class _ToolBase:  # type: ignore[no-redef]
        def __init__(self, config: dict, tool_schema: Any):
            self.config = config
            self.tool_schema = tool_schema or self.get_openai_tool_schema()
            function = self.tool_schema["function"] if isinstance(self.tool_schema, dict) else self.tool_schema.function
            self.name = function["name"] if isinstance(function, dict) else function.name

    class _InteractionBase:  # type: ignore[no-redef]
        def __init__(self, config: dict):
            self.config = config
            self.name = config.get("name", "interaction_agent")

__all__ = ["AiopsLabTool", "AiopsLabInteraction", "TOOL_SCHEMA", "HAVE_VERL"]

TOOL_SCHEMA: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "aiopslab",
        "description": "Act on the cluster with exactly one AIOpsLab API call, written in Python syntax: "
                       "get_logs(namespace, service), get_metrics(namespace, duration), read_metrics(file_path), "
                       "get_traces(namespace, duration), read_traces(file_path), exec_shell(command), or "
                       "submit(answer) to finish.",
        "parameters": {
            "type": "object",
            "properties": {
                "action": {"type": "string",
                           "description": 'One API call, e.g. exec_shell("kubectl get pods -n test-social-network")'},
            },
            "required": ["action"],
        },
    },
}


class _InstanceId(str):
    """An instance id that also unpacks as ``(instance_id, ToolResponse)``: verl versions differ in what
    ``BaseTool.create`` returns (the id alone, or the id with an initial response)."""

    def __iter__(self):  # type: ignore[override]
        return iter((str(self), ToolResponse(text=None)))


class _Driver:
    """Opens, steps, grades and closes sessions for one tool or interaction; blocking calls run in threads."""

    def __init__(self, config: dict):
        base_url = config.get("base_url") or os.environ.get("ROLLOUT_ENV_URL")
        if not base_url:
            raise ValueError("rollout_env: set config.base_url (or ROLLOUT_ENV_URL) to the environment service")
        token = os.environ.get(config.get("token_env") or "ROLLOUTS_API_TOKEN") or None
        self.client = EnvClient(base_url, token=token)
        self.model = config.get("model") or "verl-policy"
        self.max_steps = config.get("max_steps")
        self.sessions: dict[str, Session] = {}
        self.rewards: dict[str, float] = {}

    async def open(self, instance_id: str, kwargs: dict[str, Any]) -> Session:
        problem_id = kwargs.get("problem_id")
        if not problem_id:
            raise ValueError("rollout_env: create/start kwargs need 'problem_id' (and 'seed')")
        seed = kwargs.get("seed")
        session = await asyncio.to_thread(self.client.open, problem_id, None if seed is None else int(seed),
                                          self.model, self.max_steps, kwargs.get("group_id"))
        self.sessions[instance_id] = session
        return session

    async def step(self, instance_id: str, action: str | None = None, response: str | None = None):
        session = self.sessions[instance_id]
        try:
            if action is not None:
                return await asyncio.to_thread(session.step, action)
            return await asyncio.to_thread(session.respond, response or "")
        except EnvServiceError as error:
            if error.status == 409:  # budget spent or already submitted: the episode is over
                return None
            raise

    async def reward(self, instance_id: str) -> float:
        if instance_id not in self.rewards:
            session = self.sessions[instance_id]
            evaluation = await asyncio.to_thread(session.evaluate)
            self.rewards[instance_id] = float(evaluation.get("reward") or 0.0)
        return self.rewards[instance_id]

    async def close(self, instance_id: str) -> None:
        session = self.sessions.pop(instance_id, None)
        self.rewards.pop(instance_id, None)
        if session is not None:
            await asyncio.to_thread(session.close)


class AiopsLabTool(_ToolBase):
    """One tool, ``aiopslab(action)``: each call is one step of the trajectory's session. The step reward is 0;
    ``calc_reward`` grades the session (the environment's reward, both gradings logged by the service)."""

    def __init__(self, config: dict, tool_schema: Any = None):
        if tool_schema is None:
            tool_schema = (OpenAIFunctionToolSchema.model_validate(TOOL_SCHEMA) if HAVE_VERL else TOOL_SCHEMA)
        super().__init__(config, tool_schema)
        self.driver = _Driver(config)

    def get_openai_tool_schema(self):
        return self.tool_schema

    async def create(self, instance_id: str | None = None, **kwargs) -> str:
        instance_id = instance_id or str(uuid4())
        create_kwargs = dict(kwargs.get("create_kwargs") or {})
        create_kwargs.update({k: v for k, v in kwargs.items() if k != "create_kwargs"})
        await self.driver.open(instance_id, create_kwargs)
        return _InstanceId(instance_id)

    async def execute(self, instance_id: str, parameters: Any, **kwargs) -> tuple[Any, float, dict]:
        if isinstance(parameters, str):
            try:
                parameters = json.loads(parameters)
            except json.JSONDecodeError:
                parameters = {}
        action = parameters.get("action") if isinstance(parameters, dict) else None
        if not isinstance(action, str) or not action.strip():
            return ToolResponse(text="Error: call aiopslab with {\"action\": \"<one API call>\"}."), 0.0, {}
        step = await self.driver.step(instance_id, action=action)
        if step is None:
            return ToolResponse(text="The episode is over: the answer was submitted or the step budget is spent."), \
                0.0, {"done": True}
        return ToolResponse(text=step.observation), 0.0, {"done": step.done, "steps": step.steps}

    async def calc_reward(self, instance_id: str, **kwargs) -> float:
        return await self.driver.reward(instance_id)

    async def release(self, instance_id: str, **kwargs) -> None:
        await self.driver.close(instance_id)


class AiopsLabInteraction(_InteractionBase):
    """The text protocol as a verl interaction: the last assistant message is sent whole (the service takes the
    API call from its code block, as AIOpsLab does) and the observation comes back as the user's turn; the
    sequence ends at the submission or when the step budget is spent, scored with the environment's reward."""

    def __init__(self, config: dict):
        super().__init__(config)
        self.driver = _Driver(config)

    async def start_interaction(self, instance_id: str | None = None, **kwargs) -> str:
        instance_id = instance_id or str(uuid4())
        await self.driver.open(instance_id, kwargs)
        return instance_id

    async def generate_response(self, instance_id: str, messages: list[dict[str, Any]], **kwargs):
        content = next((m.get("content") or "" for m in reversed(messages) if m.get("role") == "assistant"), "")
        step = await self.driver.step(instance_id, response=content)
        if step is None or step.done or step.truncated:
            reward = await self.driver.reward(instance_id)
            text = step.observation if step is not None else "The episode is over."
            return True, text, reward, {"steps": None if step is None else step.steps}
        return False, step.observation, 0.0, {"steps": step.steps}

    async def calculate_score(self, instance_id: str, **kwargs) -> float:
        return await self.driver.reward(instance_id)

    async def finalize_interaction(self, instance_id: str, **kwargs) -> None:
        await self.driver.close(instance_id)
