"""Test harness of python/rollout_env (imported by its conftest.py; a unique module name, since several packages'
tests run in one pytest session): the environment service started from the built jar (``$ROLLOUT_JAR`` or target/rollout-batch.jar)
as a separate process on a free port, against a private PostgreSQL database created for the test session and
dropped afterwards."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parents[1]
REPO = HERE.parents[1]

PG_HOST, PG_PORT, PG_USER = "127.0.0.1", "5432", os.environ.get("ROLLOUT_TEST_DB_USER", "postgres")


def java() -> str:
    home = os.environ.get("JAVA_HOME")
    candidate = Path(home, "bin", "java") if home else None
    if candidate and candidate.exists():
        return str(candidate)
    found = shutil.which("java")
    if not found:
        pytest.fail("no JDK: set JAVA_HOME to a JDK >= 21")
    return found


def jar() -> Path:
    path = Path(os.environ.get("ROLLOUT_JAR") or REPO / "target" / "rollout-batch.jar")
    if not path.exists():
        pytest.fail(f"{path} not found: build it with ./mvnw -q -B package -DskipTests (or set ROLLOUT_JAR)")
    return path


def psql(database: str, sql: str) -> str:
    if shutil.which("psql") is None:
        pytest.fail("psql not found: the tests create their PostgreSQL database with it (apt-get install postgresql-client)")
    result = subprocess.run(["psql", "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, "-d", database, "-v",
                             "ON_ERROR_STOP=1", "-At", "-c", sql], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"psql failed: {result.stderr.strip()}")
    return result.stdout.strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Database:
    name: str

    @property
    def jdbc_url(self) -> str:
        return f"jdbc:postgresql://{PG_HOST}:{PG_PORT}/{self.name}"

    def query(self, sql: str) -> list[list[str]]:
        out = psql(self.name, sql)
        return [line.split("|") for line in out.splitlines()] if out else []

    def scalar(self, sql: str) -> str:
        rows = self.query(sql)
        return rows[0][0] if rows else ""

    def spring_args(self) -> list[str]:
        return [f"--spring.datasource.url={self.jdbc_url}", f"--spring.datasource.username={PG_USER}",
                "--spring.datasource.password="]


@pytest.fixture(scope="session")
def database():
    name = "rollout_py_env_" + uuid.uuid4().hex[:10]
    psql("postgres", f"CREATE DATABASE {name}")
    try:
        yield Database(name)
    finally:
        psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run_jar(database: Database, workdir: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    command = [java(), "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", str(jar()), "--spring.profiles.active=postgres",
               *database.spring_args(), *args]
    result = subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited {result.returncode}:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}")
    return result


@dataclass
class Service:
    url: str
    token: str
    database: Database
    log: Path


@pytest.fixture(scope="session")
def service(database, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("service")
    port, token = free_port(), "py-test-" + uuid.uuid4().hex[:8]
    log = workdir / "service.log"
    command = [java(), "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", str(jar()),
               "--spring.profiles.active=serve,postgres", *database.spring_args(), f"--server.port={port}",
               "--rollout.api.workers=0", f"--rollout.api.token={token}", "--rollout.envservice.max-sessions=64"]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=workdir, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                pytest.fail(f"the service exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the service did not start in 180 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield Service(f"http://127.0.0.1:{port}", token, database, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Export:
    root: Path
    run_date: str

    def partition(self, fmt: str) -> Path:
        return self.root / fmt / "data" / self.run_date


@pytest.fixture(scope="session")
def exported(database, tmp_path_factory):
    """A collect run of the smoke list (2 samples) and its ``verl`` and ``trajectories`` exports, made by the jar."""
    workdir = tmp_path_factory.mktemp("export")
    run_date = "2026-11-25"
    run_jar(database, workdir, "--spring.batch.job.name=collect", f"problems={REPO / 'jobs' / 'smoke.csv'}",
            f"runDate={run_date}", "samples=2", "concurrency=4", "seed=11")
    for fmt in ("verl", "trajectories"):
        run_jar(database, workdir, "--spring.batch.job.name=export", f"runDate={run_date}", f"format={fmt}",
                f"output={workdir / 'datasets'}")
    return Export(workdir / "datasets", run_date)
