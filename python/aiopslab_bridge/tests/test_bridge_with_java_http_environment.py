"""rollout-batch's own ``http`` environment (the jar, a separate JVM) collects through the bridge, with AIOpsLab's
orchestrator stood in for by OrchestratorStandIn: the protocol the bridge serves is the one the Java side speaks."""

import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from aiopslab_bridge import BridgeServer, OrchestratorBackend
from orchestrator_stand_in import PROBLEMS, OrchestratorStandIn

REPO = Path(__file__).resolve().parents[3]


def java() -> str:
    home = os.environ.get("JAVA_HOME")
    if home and Path(home, "bin", "java").exists():
        return str(Path(home, "bin", "java"))
    return shutil.which("java") or pytest.fail("no JDK: set JAVA_HOME to a JDK >= 21")


def jar() -> Path:
    path = Path(os.environ.get("ROLLOUT_JAR") or REPO / "target" / "rollout-batch.jar")
    return path if path.exists() else pytest.fail(f"{path} not found: build it with ./mvnw -q -B package -DskipTests")


def test_a_collect_run_with_environment_http_plays_every_problem_through_the_bridge(tmp_path):
    orchestrator = OrchestratorStandIn()
    server = BridgeServer(OrchestratorBackend(orchestrator, max_steps=20), port=0, token="java-side-token")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        problems = tmp_path / "problems.csv"
        problems.write_text("problem_id,samples,max_steps\n" + "".join(f"{p},,\n" for p in PROBLEMS))
        # The embedded H2 database in a temporary folder; one problem at a time, as the bridge serves them.
        result = subprocess.run(
            [java(), "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", str(jar()), "--spring.batch.job.name=collect",
             f"--rollout.environment.http.base-url={server.url}", "--rollout.environment.http.token=java-side-token",
             f"problems={problems}", "runDate=2026-11-25", "environment=http", "concurrency=1", "maxSteps=8"],
            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "java-side-token" not in result.stdout + result.stderr
    inits = [c for c in orchestrator.calls if c.startswith("init_problem:")]
    assert sorted(inits) == sorted(f"init_problem:{p}" for p in PROBLEMS)
    assert orchestrator.calls.count("eval") == len(PROBLEMS)
    assert orchestrator.calls.count("recover_fault") == orchestrator.calls.count("app.cleanup") == len(PROBLEMS)
    # Each episode was stepped through AIOpsLab's parser (one code block per answer) up to a submission.
    assert orchestrator.calls.count("perform_action:submit") == len(PROBLEMS)
    assert orchestrator.session.results["Detection Accuracy"] in ("Correct", "Incorrect")
