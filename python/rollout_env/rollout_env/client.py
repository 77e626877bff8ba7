"""A client of the step-wise environment protocol (rollout-batch's ``serve`` profile, or the AIOpsLab bridge).

    GET    /problems                      -> {"problems": [{"id", "task_type", "application"}, ...]}
    POST   /problems/{id}/sessions        {"seed", "model", "max_steps", "group_id", "sampling"}
                                          -> {session_id, task_description, instructions, actions, prompt, ...}
    POST   /sessions/{sid}/actions        {"action": "<one API call>"} or {"response": "<whole answer>"}
                                          -> {observation, done, steps, truncated}
    POST   /sessions/{sid}/evaluation     -> {results, success, reward, aiopslab, reward_components}
    DELETE /sessions/{sid}

Standard library only, so that it runs inside any trainer's environment. Opening a session is retried when the
service answers 429 or 503 (full, or briefly unavailable) or cannot be reached; an action is never retried,
because the service may have run it.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

__all__ = ["EnvClient", "EnvServiceError", "Session", "Step"]


class EnvServiceError(RuntimeError):
    """The service refused a request or could not be reached; ``status`` is the HTTP status (0: unreachable)."""

    def __init__(self, status: int, message: str, url: str):
        super().__init__(f"{url}: HTTP {status}: {message}" if status else f"{url}: {message}")
        self.status = status
        self.message = message
        self.url = url


@dataclass(frozen=True)
class Step:
    observation: str
    done: bool
    steps: int | None = None
    truncated: bool = False


@dataclass
class Session:
    """One open problem instance. Use as a context manager to delete it at the end."""

    client: "EnvClient"
    session_id: str
    problem_id: str
    task_description: str
    instructions: str
    actions: Any
    prompt: list[dict[str, str]] = field(default_factory=list)
    episode_id: int | None = None
    max_steps: int | None = None
    evaluation: dict[str, Any] | None = None
    closed: bool = False

    def step(self, action: str) -> Step:
        """Sends one API call, e.g. ``exec_shell("kubectl get pods -n test-social-network")``."""
        return self._step({"action": action})

    def respond(self, response: str) -> Step:
        """Sends the agent's whole answer; the service takes the API call from its code block."""
        return self._step({"response": response})

    def _step(self, body: dict[str, Any]) -> Step:
        answer = self.client._call("POST", f"/sessions/{_quote(self.session_id)}/actions", body, retry=False)
        if "observation" not in answer:
            raise EnvServiceError(200, "answer has no 'observation'", self.client.base_url)
        observation = answer["observation"]
        return Step(observation if isinstance(observation, str) else json.dumps(observation),
                    bool(answer.get("done", False)), answer.get("steps"), bool(answer.get("truncated", False)))

    def evaluate(self) -> dict[str, Any]:
        """Grades the session: ``{results, success, reward, aiopslab, reward_components}`` (idempotent)."""
        self.evaluation = self.client._call("POST", f"/sessions/{_quote(self.session_id)}/evaluation", {},
                                            retry=True)
        for key in ("results", "success"):
            if key not in self.evaluation:
                raise EnvServiceError(200, f"evaluation has no '{key}'", self.client.base_url)
        return self.evaluation

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            try:
                self.client._call("DELETE", f"/sessions/{_quote(self.session_id)}", None, retry=True)
            except EnvServiceError as error:
                if error.status != 404:
                    raise

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class EnvClient:
    """Talks to one service. ``token`` defaults to the ``ROLLOUTS_API_TOKEN`` environment variable."""

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 120.0, retries: int = 5,
                 backoff: float = 0.5):
        self.base_url = base_url.rstrip("/")
        self.token = token if token is not None else os.environ.get("ROLLOUTS_API_TOKEN") or None
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff

    def problems(self) -> list[str]:
        answer = self._call("GET", "/problems", None, retry=True)
        items = answer if isinstance(answer, list) else answer.get("problems", [])
        return [item if isinstance(item, str) else item.get("id") or item.get("problem_id") for item in items]

    def open(self, problem_id: str, seed: int | None = None, model: str | None = None, max_steps: int | None = None,
             group_id: str | None = None, sampling: dict[str, Any] | None = None) -> Session:
        body: dict[str, Any] = {}
        for key, value in (("seed", seed), ("model", model), ("max_steps", max_steps), ("group_id", group_id),
                           ("sampling", sampling)):
            if value is not None:
                body[key] = value
        answer = self._call("POST", f"/problems/{_quote(problem_id)}/sessions", body, retry=True)
        for key in ("session_id", "task_description", "instructions", "actions"):
            if key not in answer:
                raise EnvServiceError(200, f"session answer has no '{key}'", self.base_url)
        return Session(self, answer["session_id"], problem_id, answer["task_description"], answer["instructions"],
                       answer["actions"], answer.get("prompt") or [], answer.get("episode_id"),
                       answer.get("max_steps"))

    def _call(self, method: str, path: str, body: Any, retry: bool) -> Any:
        url = self.base_url + path
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        attempts = self.retries + 1 if retry else 1
        for attempt in range(1, attempts + 1):
            request = urllib.request.Request(url, data=data, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    raw = response.read().decode("utf-8")
                    if not raw.strip():
                        return {}
                    try:
                        return json.loads(raw)
                    except json.JSONDecodeError:
                        raise EnvServiceError(response.status, f"answer is not JSON: {raw[:200]}", url) from None
            except urllib.error.HTTPError as error:
                message = _error_message(error)
                if attempt < attempts and error.code in (429, 503):
                    time.sleep(_retry_after(error) or self.backoff * 2 ** (attempt - 1))
                    continue
                raise EnvServiceError(error.code, message, url) from None
            except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                if attempt < attempts:
                    time.sleep(self.backoff * 2 ** (attempt - 1))
                    continue
                reason = getattr(error, "reason", error)
                raise EnvServiceError(0, f"unreachable after {attempts} attempt(s): {reason}", url) from None
        raise AssertionError("unreachable")


def _quote(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def _error_message(error: urllib.error.HTTPError) -> str:
    try:
        raw = error.read().decode("utf-8")
    except Exception:  # noqa: BLE001 - the status alone still says enough
        return error.reason or ""
    try:
        parsed = json.loads(raw)
        if isinstance(parsed, dict) and "error" in parsed:
            return str(parsed["error"])
    except json.JSONDecodeError:
        pass
    return raw.strip()[:200] or str(error.reason)


def _retry_after(error: urllib.error.HTTPError) -> float | None:
    value = error.headers.get("Retry-After") if error.headers else None
    try:
        return min(float(value), 30.0) if value else None
    except ValueError:
        return None
