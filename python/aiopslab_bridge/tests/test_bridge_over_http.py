import json
import threading
import urllib.error
import urllib.request

import pytest

from aiopslab_bridge import BridgeServer, OrchestratorBackend
from orchestrator_stand_in import ACTIONS, OrchestratorStandIn

PROBLEM = "k8s_target_port-misconfig-detection-1"


@pytest.fixture
def bridge():
    orchestrator = OrchestratorStandIn()
    server = BridgeServer(OrchestratorBackend(orchestrator, max_steps=5, idle_timeout=600), port=0, token="bridge-token")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, orchestrator
    server.shutdown()
    server.server_close()


def call(server, method, path, body=None, token="bridge-token"):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_session_runs_on_the_orchestrator_in_aiopslabs_order_and_is_cleaned_up(bridge):
    server, orchestrator = bridge
    assert call(server, "GET", "/problems")[1] == {"problems": [{"id": p} for p in orchestrator.probs.get_problem_ids()]}
    status, opened = call(server, "POST", f"/problems/{PROBLEM}/sessions", {"seed": 1})
    assert status == 201 and opened["actions"] == ACTIONS and "detect anomalies" in opened["task_description"]
    sid = opened["session_id"]
    assert orchestrator.loop_of_init is not None

    status, look = call(server, "POST", f"/sessions/{sid}/actions",
                        {"action": 'exec_shell("kubectl get pods -n test-social-network")'})
    assert status == 200 and look["done"] is False and "user-service" in look["observation"]
    malformed = call(server, "POST", f"/sessions/{sid}/actions", {"response": "just prose"})[1]
    assert malformed["done"] is False and "Format validation failure" in malformed["observation"]
    submitted = call(server, "POST", f"/sessions/{sid}/actions", {"response": "Anomaly.\n```\nsubmit(\"Yes\")\n```"})[1]
    assert submitted == {"observation": "VALID_SUBMISSION", "done": True, "steps": 3, "truncated": False}
    assert call(server, "POST", f"/sessions/{sid}/actions", {"action": 'submit("No")'})[0] == 409

    status, evaluation = call(server, "POST", f"/sessions/{sid}/evaluation", {})
    assert status == 200
    assert evaluation["results"]["Detection Accuracy"] == "Correct" and evaluation["results"]["steps"] == 3
    assert evaluation["success"] is True and evaluation["reward"] == 1.0
    assert evaluation["aiopslab"] == {"success": True, "results": evaluation["results"]}
    assert call(server, "POST", f"/sessions/{sid}/evaluation", {})[1] == evaluation
    assert orchestrator.session.history[0] == {"role": "assistant",
                                               "content": '```\nexec_shell("kubectl get pods -n test-social-network")\n```'}

    assert call(server, "DELETE", f"/sessions/{sid}")[0] == 204
    assert orchestrator.calls == [f"init_problem:{PROBLEM}", "session.start", "perform_action:exec_shell",
                                  "perform_action:submit", "session.end", "eval", "session.to_json", "recover_fault",
                                  "app.cleanup"]
    assert call(server, "POST", f"/sessions/{sid}/evaluation", {})[0] == 404


def test_one_problem_at_a_time_and_clear_errors(bridge):
    server, orchestrator = bridge
    assert call(server, "GET", "/problems", token=None) == (401, {"status": 401, "error": "missing or wrong bearer token"})
    assert call(server, "GET", "/health", token=None)[0] == 200
    assert call(server, "POST", "/problems/nope/sessions", {}) == (404, {"status": 404, "error": "unknown problem 'nope'"})
    sid = call(server, "POST", f"/problems/{PROBLEM}/sessions", {})[1]["session_id"]
    status, busy = call(server, "POST", "/problems/noop_detection_hotel_reservation-1/sessions", {})
    assert status == 429 and "one problem at a time" in busy["error"]
    assert call(server, "POST", f"/sessions/{sid}/actions", {})[0] == 400
    for _ in range(5):
        call(server, "POST", f"/sessions/{sid}/actions", {"action": 'exec_shell("kubectl get svc")'})
    status, spent = call(server, "POST", f"/sessions/{sid}/actions", {"action": 'submit("Yes")'})
    assert status == 409 and "step budget of 5" in spent["error"]
    evaluation = call(server, "POST", f"/sessions/{sid}/evaluation", {})[1]
    assert evaluation["results"]["Detection Accuracy"] == "Invalid Format" and evaluation["success"] is False
    assert call(server, "DELETE", f"/sessions/{sid}")[0] == 204
    assert call(server, "POST", "/problems/noop_detection_hotel_reservation-1/sessions", {})[0] == 201


def test_an_idle_session_is_cleaned_up_so_the_cluster_does_not_stay_faulted():
    orchestrator = OrchestratorStandIn()
    backend = OrchestratorBackend(orchestrator, idle_timeout=0.2)
    sid = backend.open(PROBLEM)["session_id"]
    assert backend.expire_idle() is False
    import time
    time.sleep(0.3)
    assert backend.expire_idle() is True
    assert orchestrator.calls[-2:] == ["recover_fault", "app.cleanup"]
    with pytest.raises(Exception, match="not found"):
        backend.evaluate(sid)
