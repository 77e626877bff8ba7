"""Drives one AIOpsLab orchestrator through a session of the step-wise protocol.

What the orchestrator offers and how a run goes, from AIOpsLab's own code
(aiopslab/orchestrator/orchestrator.py, aiopslab/orchestrator/rl_env.py, aiopslab/orchestrator/parser.py,
aiopslab/orchestrator/problems/registry.py):

- ``register_agent(agent, name)`` must come first: ``init_problem`` records the agent's name on its session.
- ``init_problem(problem_id)`` deploys the application, injects the fault, starts the workload (possibly as an
  asyncio task, hence one event loop for every call here) and returns ``(task_description, instructions,
  actions)``, ``actions`` being a map API name -> docstring. It leaves ``orchestrator.session`` idle:
  ``session.start()`` starts its clock.
- ``await ask_env(response)`` parses the agent's answer (exactly one ```` ``` ```` block holding one API call;
  anything else is a parsing error returned as the observation), records a submission and returns the
  observation, or ``SubmissionStatus.VALID_SUBMISSION`` / ``INVALID_SUBMISSION`` for a submit. The agent's own
  message is added to ``session.history`` by the caller (``session.add``), as ``ask_agent`` does.
- Grading: ``session.end()``, then ``session.problem.eval(session.solution, session.history,
  session.get_duration())``, ``session.set_results(results)``, ``session.to_json()``.
- Cleanup: ``session.problem.recover_fault()`` and ``session.problem.app.cleanup()``; ``init_problem`` registered
  ``exit_cleanup_fault`` with atexit, which is unregistered once the fault is recovered.
- ``probs.get_problem_ids()`` lists the registry; ``get_problem_instance`` raises ValueError for an unknown id.

One orchestrator drives one cluster, so the backend serves one session at a time.
"""

from __future__ import annotations

import asyncio
import atexit
import sys
import threading
import time
import uuid
from typing import Any, Callable


class BridgeError(Exception):
    """A refused request: the HTTP status and a one-line reason."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class _Agent:
    """What ``register_agent`` needs: the bridge's client is the agent, it never asks the orchestrator."""

    async def get_action(self, input: str) -> str:  # noqa: A002 - AIOpsLab's parameter name
        raise RuntimeError("the bridge's agent is remote; the orchestrator must not ask it")


class _Loop:
    """One event loop on its own thread: every orchestrator call runs there, so tasks it creates keep running."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="aiopslab-loop", daemon=True)
        self.thread.start()

    def call(self, function: Callable[..., Any], *args: Any) -> Any:
        async def run():
            result = function(*args)
            return await result if asyncio.iscoroutine(result) else result

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result()


def _status_name(response: Any) -> str | None:
    """``VALID_SUBMISSION`` / ``INVALID_SUBMISSION`` for AIOpsLab's SubmissionStatus, without importing it."""
    name = getattr(response, "name", None)
    return name if name in ("VALID_SUBMISSION", "INVALID_SUBMISSION") else None


def aiopslab_success(results: dict[str, Any]) -> bool:
    """AIOpsLab's verdict: detection's "Detection Accuracy" is "Correct"; the other tasks report "success"."""
    if "Detection Accuracy" in results:
        return results["Detection Accuracy"] == "Correct"
    return results.get("success") is True


class OrchestratorBackend:
    def __init__(self, orchestrator: Any, max_steps: int = 30, idle_timeout: float = 600.0):
        self.orchestrator = orchestrator
        self.max_steps = max_steps
        self.idle_timeout = idle_timeout
        self.loop = _Loop()
        self.lock = threading.RLock()
        self.session_id: str | None = None
        self.problem_id: str | None = None
        self.steps = 0
        self.done = False
        self.results: dict[str, Any] | None = None
        self.last_used = time.monotonic()
        self.loop.call(orchestrator.register_agent, _Agent(), "rollout-batch-bridge")

    def problems(self) -> list[str]:
        return list(self.loop.call(self.orchestrator.probs.get_problem_ids))

    def open(self, problem_id: str) -> dict[str, Any]:
        with self.lock:
            if self.session_id is not None:
                raise BridgeError(429, f"the bridge runs one problem at a time: session {self.session_id} is open;"
                                       " delete it or retry later")
            if problem_id not in self.problems():
                raise BridgeError(404, f"unknown problem '{problem_id}'")
            task, instructions, actions = self.loop.call(self.orchestrator.init_problem, problem_id)
            self.loop.call(self.orchestrator.session.start)
            self.session_id, self.problem_id = str(uuid.uuid4()), problem_id
            self.steps, self.done, self.results = 0, False, None
            self.last_used = time.monotonic()
            return {"session_id": self.session_id, "problem_id": problem_id, "max_steps": self.max_steps,
                    "task_description": task, "instructions": instructions, "actions": dict(actions)}

    def act(self, session_id: str, action: str | None, response: str | None) -> dict[str, Any]:
        with self.lock:
            self._check(session_id)
            if self.results is not None or self.done:
                raise BridgeError(409, f"session {session_id} already has a submission; request its evaluation")
            if self.steps >= self.max_steps:
                raise BridgeError(409, f"session {session_id} has spent its step budget of {self.max_steps};"
                                       " request its evaluation")
            self.last_used = time.monotonic()
            # AIOpsLab's parser takes an answer with exactly one code block; a bare call is put in one.
            text = response if response is not None else f"```\n{action.strip()}\n```"
            session = self.orchestrator.session
            self.loop.call(session.add, {"role": "assistant", "content": text})
            observation = self.loop.call(self.orchestrator.ask_env, text)
            self.steps += 1
            status = _status_name(observation)
            self.done = status is not None
            self.last_used = time.monotonic()
            return {"observation": status or str(observation), "done": self.done, "steps": self.steps,
                    "truncated": not self.done and self.steps >= self.max_steps}

    def evaluate(self, session_id: str) -> dict[str, Any]:
        with self.lock:
            self._check(session_id)
            self.last_used = time.monotonic()
            if self.results is None:
                session = self.orchestrator.session
                self.loop.call(session.end)
                results = self.loop.call(session.problem.eval, session.solution, session.history,
                                         session.get_duration())
                self.loop.call(session.set_results, results)
                self.loop.call(session.to_json)
                self.results = dict(results)
            success = aiopslab_success(self.results)
            # The bridge has AIOpsLab's grading only: the project reward is 1 for a success, else 0.
            return {"results": self.results, "success": success, "reward": 1.0 if success else 0.0,
                    "aiopslab": {"success": success, "results": self.results}, "reward_components": {}}

    def close(self, session_id: str) -> None:
        with self.lock:
            self._check(session_id)
            self._cleanup()

    def expire_idle(self) -> bool:
        """Cleans up a session idle for longer than ``idle_timeout``: a faulted cluster must not stay faulted."""
        with self.lock:
            if self.session_id is not None and time.monotonic() - self.last_used > self.idle_timeout:
                self._cleanup()
                return True
            return False

    def shutdown(self) -> None:
        with self.lock:
            if self.session_id is not None:
                self._cleanup()

    def _check(self, session_id: str) -> None:
        if session_id != self.session_id:
            raise BridgeError(404, f"session '{session_id}' not found (never opened, deleted, or expired)")

    def _cleanup(self) -> None:
        session = self.orchestrator.session
        try:
            self.loop.call(session.problem.recover_fault)
            cleanup = getattr(sys.modules.get(type(self.orchestrator).__module__), "exit_cleanup_fault", None)
            if cleanup is not None:
                atexit.unregister(cleanup)
            self.loop.call(session.problem.app.cleanup)
        finally:
            self.session_id, self.problem_id = None, None
