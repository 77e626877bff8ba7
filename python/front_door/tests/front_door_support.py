"""Helpers of the front-door tests (a module name of its own: other folders under python/ have a conftest too)."""

import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]
JAVA_17 = pathlib.Path("/usr/lib/jvm/java-17-openjdk-amd64")


def java_major(java: str, env=None) -> int:
    """The major version of a java executable, as `java -version` prints it ("1.8.0" is 1, "25.0.1" is 25)."""
    text = subprocess.run([java, "-version"], capture_output=True, text=True, env=env, check=True).stderr
    version = text.split('"')[1]
    return 1 if version.startswith("1.") else int(version.split(".")[0].split("-")[0])


def new_user_env() -> dict:
    """The environment of a shell on the project's machines: JAVA_HOME unset, Java 17 the `java` found first."""
    if not (JAVA_17 / "bin" / "java").is_file():
        pytest.fail(f"these tests need a Java 17 at {JAVA_17} to stand for the machine's default java")
    env = {k: v for k, v in os.environ.items() if k not in ("JAVA_HOME", "ROLLOUT_JAR", "JAVA_OPTS")}
    env["PATH"] = f"{JAVA_17 / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}"
    assert java_major("java", env) == 17
    return env
