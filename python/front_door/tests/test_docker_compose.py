"""docker-compose.yml: valid for docker compose, and it agrees with the postgres profile, the tests and the README."""

import re
import shutil
import subprocess

import pytest
import yaml


def compose_command():
    """`docker compose` (the plugin) or the standalone `docker-compose`, whichever this machine has."""
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def postgres_service(repo):
    return yaml.safe_load((repo / "docker-compose.yml").read_text())["services"]["postgres"]


def test_docker_compose_config_accepts_the_file(repo):
    command = compose_command()
    if command is None:
        if shutil.which("docker"):
            pytest.fail("a docker CLI is here without compose: install the compose plugin or "
                        "'apt-get install --no-install-recommends docker-compose' (.ci/run does)")
        pytest.skip("no docker CLI on this machine")
    result = subprocess.run([*command, "config"], cwd=repo, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    resolved = yaml.safe_load(result.stdout)["services"]["postgres"]
    assert resolved["environment"]["POSTGRES_DB"] == "rollouts"
    assert any(str(v).endswith(":/docker-entrypoint-initdb.d:ro") or
               (isinstance(v, dict) and v.get("target") == "/docker-entrypoint-initdb.d") for v in resolved["volumes"])


def test_the_database_user_and_password_are_those_of_the_postgres_profile(repo):
    env = postgres_service(repo)["environment"]
    profile = yaml.safe_load((repo / "src/main/resources/application-postgres.yml").read_text())
    datasource = profile["spring"]["datasource"]
    url = re.match(r"jdbc:postgresql://([^:/]+):(\d+)/(\w+)", datasource["url"])
    assert url.group(3) == env["POSTGRES_DB"]
    assert datasource["username"] == env["POSTGRES_USER"]
    assert datasource["password"] == env["POSTGRES_PASSWORD"]
    assert f"127.0.0.1:{url.group(2)}:5432" in postgres_service(repo)["ports"]


def test_it_creates_the_test_database_the_tests_use_without_a_password(repo):
    service = postgres_service(repo)
    assert service["environment"]["POSTGRES_HOST_AUTH_METHOD"] == "trust", "the tests connect with no password"
    init_dir = next(v.split(":")[0] for v in service["volumes"] if ":/docker-entrypoint-initdb.d" in v)
    scripts = " ".join(p.read_text() for p in (repo / init_dir).glob("*.sql"))
    test_profile = (repo / "src/test/resources/application-pgtest.yml").read_text()
    test_db = re.search(r"jdbc:postgresql://127\.0\.0\.1:5432/(\w+)", test_profile).group(1)
    assert re.search(rf"CREATE DATABASE {test_db}\b", scripts)


def test_the_readme_names_the_same_database_user_and_password(repo):
    env = postgres_service(repo)["environment"]
    readme = (repo / "README.md").read_text()
    line = next(l for l in readme.splitlines() if l.startswith("docker compose up -d "))
    assert f"database named {env['POSTGRES_DB']}" in line
    assert f"user {env['POSTGRES_USER']}, password {env['POSTGRES_PASSWORD']}" in line
    assert f"jdbc:postgresql://127.0.0.1:5432/{env['POSTGRES_DB']}" in readme
