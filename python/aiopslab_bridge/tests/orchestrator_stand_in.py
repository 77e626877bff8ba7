"""OrchestratorStandIn: AIOpsLab's orchestrator interface stood in for at its boundary, because a real AIOpsLab
needs a Kubernetes cluster with Helm charts, Prometheus and OpenEBS that cannot run here.

It has the members the bridge uses, with AIOpsLab's shapes (aiopslab/orchestrator/orchestrator.py,
aiopslab/session.py, aiopslab/orchestrator/parser.py, aiopslab/utils/status.py): ``register_agent``,
``init_problem`` returning (description, instructions, actions as name -> docstring), ``session`` with
``start/add/end/get_duration/set_solution/set_results/to_json``, ``solution`` and ``history``, ``async ask_env``
that accepts exactly one code block and answers ``SubmissionStatus.VALID_SUBMISSION`` to a submit,
``session.problem.eval/recover_fault/app.cleanup``, and ``probs.get_problem_ids``. Its cluster is two canned
kubectl answers; its problems are detection problems graded the way AIOpsLab's detection task grades
("Detection Accuracy": Correct / Incorrect / Invalid Format). It records every call, so tests can check the
bridge drove it in AIOpsLab's order and cleaned up.
"""

from __future__ import annotations

import ast
import asyncio
import enum
import re
import time


class SubmissionStatus(enum.Enum):
    VALID_SUBMISSION = 0
    INVALID_SUBMISSION = 1


ACTIONS = {
    "get_logs": "Collects relevant log data from a pod using Kubectl.\n\n    Args:\n        namespace (str): The "
                "namespace in which the service is running.\n        service (str): The name of the service.\n\n"
                "    Returns:\n        str | dict | list[dicts]: Log data as a structured object or a string.",
    "exec_shell": "Execute any shell command in a predefined debugging environment.\n\n    Args:\n        command "
                  "(str): The command to execute.\n\n    Returns:\n        str: The output of the command.",
    "submit": "Submit if anomalies are detected to the orchestrator for evaluation.\n\n    Args:\n        "
              "has_anomaly (str): \"Yes\" if anomalies are detected, \"No\" otherwise.\n\n    Returns:\n        "
              "SubmissionStatus: The status of the submission.",
}

PROBLEMS = {"k8s_target_port-misconfig-detection-1": "Yes", "noop_detection_hotel_reservation-1": "No"}


class _App:
    def __init__(self, calls: list):
        self.calls = calls

    def cleanup(self):
        self.calls.append("app.cleanup")


class _Problem:
    def __init__(self, problem_id: str, calls: list):
        self.problem_id, self.calls, self.app = problem_id, calls, _App(calls)
        self.namespace = "test-social-network"

    def perform_action(self, api: str, *args, **kwargs):
        self.calls.append(f"perform_action:{api}")
        if api == "exec_shell":
            if "get pods" in args[0]:
                return ("NAME                           READY   STATUS    RESTARTS   AGE\n"
                        "user-service-6d5f7c9b8-x2x4q   1/1     Running   0          5m")
            return "error: the stand-in cluster knows only `kubectl get pods`"
        if api == "get_logs":
            return f"{args[1]}: connect: connection refused (10.96.0.12:9999)"
        if api == "submit":
            return SubmissionStatus.VALID_SUBMISSION
        raise ValueError(f"Invalid action: {api}")

    def eval(self, soln, trace, duration):
        self.calls.append("eval")
        if not isinstance(soln, str) or soln.strip().lower() not in ("yes", "no"):
            accuracy = "Invalid Format"
        else:
            accuracy = "Correct" if soln.strip().lower() == PROBLEMS[self.problem_id].lower() else "Incorrect"
        return {"Detection Accuracy": accuracy, "steps": sum(1 for h in trace if h["role"] == "assistant"),
                "TTD": duration, "in_tokens": 0, "out_tokens": 0}

    def recover_fault(self):
        self.calls.append("recover_fault")


class _Session:
    def __init__(self, problem: _Problem, calls: list):
        self.problem, self.calls = problem, calls
        self.history: list[dict] = []
        self.solution = None
        self.results = None
        self.start_time = self.end_time = None

    def start(self):
        self.calls.append("session.start")
        self.start_time = time.time()

    def add(self, item):
        self.history.append(dict(item))

    def set_solution(self, solution):
        self.solution = solution

    def end(self):
        self.calls.append("session.end")
        self.end_time = time.time()

    def get_duration(self):
        return (self.end_time or time.time()) - self.start_time

    def set_results(self, results):
        self.results = results

    def to_json(self):
        self.calls.append("session.to_json")


class _Registry:
    def get_problem_ids(self, task_type=None):
        return [p for p in PROBLEMS if task_type is None or task_type in p]


class OrchestratorStandIn:
    def __init__(self):
        self.calls: list[str] = []
        self.probs = _Registry()
        self.session = None
        self.agent = self.agent_name = None
        self.loop_of_init = None

    def register_agent(self, agent, name="agent"):
        self.agent, self.agent_name = agent, name

    def init_problem(self, problem_id: str):
        if problem_id not in PROBLEMS:
            raise ValueError(f"Problem ID {problem_id} not found in registry.")
        assert self.agent_name is not None, "register_agent must come before init_problem"
        # AIOpsLab may start the workload as an asyncio task: there must be a running loop.
        self.loop_of_init = asyncio.get_running_loop()
        self.calls.append(f"init_problem:{problem_id}")
        self.session = _Session(_Problem(problem_id, self.calls), self.calls)
        return ("Service Name: Social Network\nNamespace: test-social-network\nYou are an expert DevOps engineer "
                "assigned to detect anomalies in a deployed service.",
                "You will respond with one of the above APIs as your next action.", dict(ACTIONS))

    async def ask_env(self, input: str):  # noqa: A002 - AIOpsLab's parameter name
        blocks = re.findall(r"```\s*\n(.*?)\n```", input, re.DOTALL)
        if len(blocks) != 1:
            self.session.add({"role": "env", "content": "Format validation failure."})
            return "Format validation failure. Only have one pair of three ticks in your block and check the ticks."
        call = ast.parse(blocks[0].strip(), mode="eval").body
        api = call.func.id
        args = [ast.literal_eval(a) for a in call.args]
        if api == "submit":
            self.session.set_solution(args[0] if len(args) == 1 else args)
        response = self.session.problem.perform_action(api, *args)
        self.session.add({"role": "env", "content": str(response)})
        return response
