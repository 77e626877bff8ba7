"""One real collect -> export for the whole session.

Two collect runs of the project's jar against a private PostgreSQL database (created here, dropped at the end):
the scripted baseline (text protocol) on the smoke list with 2 samples per problem on DAY_TEXT, and the openai
policy with native tool calling against a local OpenAI-compatible stand-in on DAY_TOOLS (2 samples, the first
request rejected so one episode fails). Then one ``format=all`` export of both days.

Environment: ``ROLLOUT_JAR`` (default target/rollout-batch.jar), ``JAVA_HOME`` (else ``java`` on PATH),
``ROLLOUT_PG`` (default ``host=127.0.0.1 port=5432 user=postgres``). For working on the tests themselves:
``DATASET_TESTS_KEEP=1`` keeps the database and the export and prints where ``DATASET_TESTS_REUSE`` can find them
next time (``DATASET_TESTS_REUSE=<.../fixture.json>`` then runs the tests against them without collecting again).
"""

import csv
import datetime
import json
import os
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import sys

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # python/, so that dataset_tests imports
os.environ.setdefault("HF_HUB_OFFLINE", "1")                   # nothing may be downloaded
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

from dataset_tests.openai_standin import OpenAiStandIn  # noqa: E402

REPO = Path(__file__).resolve().parents[3]
DAY_TEXT = datetime.date(2026, 11, 25)
DAY_TOOLS = datetime.date(2026, 11, 26)
FORMATS = ("trajectories", "sft", "verl")
TOOLS_PROBLEMS = ("k8s_target_port-misconfig-detection-1", "revoke_auth_mongodb-localization-1",
                  "misconfig_app_hotel_res-analysis-1", "scale_pod_zero_social_net-mitigation-1")


@dataclass
class Export:
    output: Path          # the export's output= (holds one directory per format)
    dsn: str              # the private database
    standin_requests: int

    def root(self, fmt: str) -> Path:
        """What a reader is given: the format's data/ folder."""
        return self.output / fmt / "data"

    def manifests(self, fmt: str) -> list:
        return [json.loads(p.read_text()) for p in sorted((self.output / fmt / "_manifests").glob("*/_manifest.json"))]

    def query(self, sql: str, *args):
        with psycopg.connect(self.dsn) as conn:
            return conn.execute(sql, args).fetchall()


def _java() -> str:
    home = os.environ.get("JAVA_HOME")
    java = Path(home) / "bin" / "java" if home else shutil.which("java")
    if not java or not Path(java).exists():
        pytest.fail("no JDK: set JAVA_HOME (a JDK >= 21)")
    return str(java)


def _jar() -> Path:
    jar = Path(os.environ.get("ROLLOUT_JAR", REPO / "target" / "rollout-batch.jar"))
    if not jar.exists():
        pytest.fail(f"no jar at {jar}: build it (./mvnw -B -o package -DskipTests) or set ROLLOUT_JAR")
    return jar


def _admin_dsn() -> str:
    return os.environ.get("ROLLOUT_PG", "host=127.0.0.1 port=5432 user=postgres") + " dbname=postgres"


def _run(args, env, log: Path, cwd: Path):
    with open(log, "w") as out:
        result = subprocess.run(args, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, timeout=900)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(map(str, args[3:]))} exited {result.returncode}; last lines of {log}:\n"
                    + "\n".join(log.read_text().splitlines()[-30:]))


@pytest.fixture(scope="session")
def export(tmp_path_factory) -> Export:
    reuse = os.environ.get("DATASET_TESTS_REUSE")
    if reuse:
        saved = json.loads(Path(reuse).read_text())
        yield Export(Path(saved["output"]), saved["dsn"], saved["standin_requests"])
        return
    keep = os.environ.get("DATASET_TESTS_KEEP") == "1"
    work = tmp_path_factory.mktemp("rollout")
    name = "rollout_py_" + uuid.uuid4().hex[:10]
    with psycopg.connect(_admin_dsn(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    dsn = os.environ.get("ROLLOUT_PG", "host=127.0.0.1 port=5432 user=postgres") + f" dbname={name}"
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SPRING_"))}
        env.update(SPRING_PROFILES_ACTIVE="postgres",
                   SPRING_DATASOURCE_URL=f"jdbc:postgresql://127.0.0.1:5432/{name}?reWriteBatchedInserts=true")
        java, jar = _java(), _jar()
        base = [java, "-jar", str(jar)]
        # the scripted baseline speaks the text protocol
        _run(base + ["--spring.batch.job.name=collect", f"problems={REPO / 'jobs' / 'smoke.csv'}",
                     f"runDate={DAY_TEXT}", "samples=2", "policy=scripted"], env, work / "collect-text.log", work)
        tools_list = work / "tools.csv"
        with open(tools_list, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["problem_id"])
            writer.writerows([p] for p in TOOLS_PROBLEMS)
        with OpenAiStandIn(fail_first=1) as llm:
            _run(base + ["--spring.batch.job.name=collect", f"problems={tools_list}", f"runDate={DAY_TOOLS}",
                         "samples=2", "policy=openai", "protocol=tools", "model=Qwen/Qwen2.5-7B-Instruct",
                         "concurrency=4",
                         # the stand-in's rejected request is an infrastructure failure, which by default fails the
                         # night (exit 1); this run keeps it as the dataset's one failed episode
                         "--rollout.collect.max-infrastructure-failures=1"],
                 dict(env, OPENAI_BASE_URL=llm.base_url, OPENAI_API_KEY="stand-in-key"),
                 work / "collect-tools.log", work)
            served = len(llm.requests)
        _run(base + ["--spring.batch.job.name=export", f"from={DAY_TEXT}", f"to={DAY_TOOLS}", "format=all",
                     f"output={work / 'datasets'}"], env, work / "export.log", work)
        if keep:
            (work / "fixture.json").write_text(json.dumps(
                {"output": str(work / "datasets"), "dsn": dsn, "standin_requests": served}))
            print(f"\nDATASET_TESTS_REUSE={work / 'fixture.json'} (database {name} kept)")
        yield Export(work / "datasets", dsn, served)
    finally:
        if not keep:
            with psycopg.connect(_admin_dsn(), autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
