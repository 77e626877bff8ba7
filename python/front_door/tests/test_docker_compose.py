"""docker-compose.yml: valid for docker compose, and it agrees with the postgres profile, the tests and the README."""

import os
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


DISTRIBUTED = {"rabbitmq", "manager", "worker-1", "worker-2"}


def compose_file(repo):
    return yaml.safe_load((repo / "docker-compose.yml").read_text())


def test_plain_up_starts_only_postgres(repo):
    """`docker compose up -d` (the tests' PostgreSQL) starts the services without a profile: postgres alone."""
    services = compose_file(repo)["services"]
    assert set(services) == {"postgres"} | DISTRIBUTED
    assert "profiles" not in services["postgres"]
    for name in DISTRIBUTED:
        assert services[name]["profiles"] == ["distributed"], name


def test_the_distributed_profile_resolves_to_a_manager_two_workers_and_rabbitmq(repo, tmp_path):
    command = compose_command()
    if command is None:
        if shutil.which("docker"):
            pytest.fail("a docker CLI is here without compose (.ci/run installs docker-compose)")
        pytest.skip("no docker CLI on this machine")
    secrets = tmp_path / "secrets.env"
    secrets.write_text("OPENAI_API_KEY=sk-compose-test-key\nRABBITMQ_PASSWORD=s3cret\nROLLOUT_POLICY=openai\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "RABBITMQ_", "ROLLOUT_"))}
    result = subprocess.run([*command, "--env-file", str(secrets), "--profile", "distributed", "config"],
                            cwd=repo, capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert set(services) == {"postgres"} | DISTRIBUTED

    manager = services["manager"]
    assert manager["image"] == "rollout-batch:latest"
    assert manager["environment"]["SPRING_PROFILES_ACTIVE"] == "postgres"
    assert manager["environment"]["ROLLOUT_DISTRIBUTION_ENABLED"] == "true"
    assert "policy=openai" in manager["command"]
    assert manager["restart"] == "no", "a finished night is not started again"
    for name in ("manager", "worker-1", "worker-2"):
        service = services[name]
        environment = service["environment"]
        assert environment["OPENAI_API_KEY"] == "sk-compose-test-key", "the key comes from the env file"
        assert environment["SPRING_RABBITMQ_HOST"] == "rabbitmq"
        assert environment["SPRING_RABBITMQ_PASSWORD"] == "s3cret"
        assert environment["SPRING_DATASOURCE_URL"].startswith("jdbc:postgresql://postgres:5432/rollouts")
        assert set(service["depends_on"]) == {"postgres", "rabbitmq"}
    for name in ("worker-1", "worker-2"):
        assert services[name]["command"] == ["--spring.profiles.active=postgres,worker"]
        assert "ROLLOUT_DISTRIBUTION_ENABLED" not in services[name]["environment"]
    assert services["rabbitmq"]["environment"]["RABBITMQ_DEFAULT_PASS"] == "s3cret"


def test_no_key_is_written_in_the_compose_file(repo):
    text = (repo / "docker-compose.yml").read_text()
    assert not re.search(r"sk-[A-Za-z0-9]", text)
    environment = compose_file(repo)["x-rollout-batch"]["environment"]
    assert environment["OPENAI_API_KEY"] == "${OPENAI_API_KEY:-}"


def test_containers_get_longer_than_the_shutdown_grace_period_to_stop(repo):
    """SIGTERM gives episodes rollout.shutdown.grace-period (20 s) and then records the stop: compose must wait longer
    before its SIGKILL (README "Stopping a run")."""
    source = (repo / "src/main/java/dev/rolloutbatch/launch/ShutdownProperties.java").read_text()
    grace = int(re.search(r'@DefaultValue\("(\d+)s"\) Duration gracePeriod', source).group(1))
    for name in ("manager", "worker-1", "worker-2"):
        stop = compose_file(repo)["services"][name].get("stop_grace_period", "10s")
        assert int(stop.rstrip("s")) >= grace + 5, name
