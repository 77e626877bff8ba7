"""The README's two commands, verbatim, in a fresh clone of the repository, as a new user on the project's
machines runs them: JAVA_HOME unset, Java 17 the `java` on PATH, no jar built yet."""

import os
import re
import subprocess
import uuid

import pytest

# The test command runs the whole suite, this test included: inside it, it runs one Maven test class and one
# Python file (README "Tests" documents both variables).
CHEAP_TEST_COMMAND = {"ROLLOUT_TESTS": "RunsViewIntegrationTests",
                      "ROLLOUT_PYTESTS": "python/front_door/tests/test_launcher.py"}


def quick_start_commands(readme: str):
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)\n```", section, re.S)
    run, test = blocks[0].strip(), blocks[1].strip()
    assert "\n" not in run and "\n" not in test, "each is one command"
    return run, test


def psql(*args):
    return subprocess.run(["psql", "-X", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-Atc", *args],
                          capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture()
def private_test_database():
    name = f"rollout_py_frontdoor_{uuid.uuid4().hex[:8]}"
    yield name
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_the_readme_commands_work_in_a_fresh_clone_with_java_17_on_path(repo, tmp_path, new_user_env,
                                                                         private_test_database):
    run_command, test_command = quick_start_commands((repo / "README.md").read_text())
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(repo), str(clone)], check=True, timeout=300)
    assert not (clone / "target").exists()

    # The main command: builds the jar with the JDK it found (Maven would refuse Java 17), then runs the smoke
    # list offline on the embedded H2 database.
    run = subprocess.run(["bash", "-c", run_command], cwd=clone, env=new_user_env, capture_output=True, text=True,
                         timeout=1200)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-6000:]
    assert "building target/rollout-batch.jar" in output
    assert "The collect job completed" in output
    assert "release version 21 not supported" not in output and "class file version" not in output
    assert (clone / "data" / "rollout-batch.mv.db").is_file()

    # The test command: creates the database it is pointed at, runs the Maven suite (which leaves the jar), then
    # pytest, whose summary closes the output.
    assert psql(f"SELECT 1 FROM pg_database WHERE datname = '{private_test_database}'") == ""
    env = dict(new_user_env, **CHEAP_TEST_COMMAND,
               ROLLOUT_TEST_DB_URL=f"jdbc:postgresql://127.0.0.1:5432/{private_test_database}")
    tests = subprocess.run(["bash", "-c", test_command], cwd=clone, env=env, capture_output=True, text=True,
                           timeout=1800)
    output = tests.stdout + tests.stderr
    assert tests.returncode == 0, output[-6000:]
    assert f"creating database {private_test_database}" in output
    assert re.search(r"Tests run: [1-9]\d*, Failures: 0, Errors: 0, Skipped: 0", output), output[-4000:]
    assert "BUILD SUCCESS" in output
    assert re.search(r"\b[1-9]\d* passed\b", tests.stdout.strip().splitlines()[-1]), tests.stdout[-2000:]
    assert (clone / "target" / "rollout-batch.jar").is_file()
