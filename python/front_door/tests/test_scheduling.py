"""The scheduling files in deploy/: the cron line as cron's sh runs it, the systemd units as systemd reads them."""

import configparser
import os
import re
import shlex
import shutil
import stat
import subprocess

import pytest

INSTALL_DIR = "/opt/rollout-batch"

# Stands in for ./rollout-batch in an installation: records how it was called, then exits with $STAND_IN_EXIT.
LAUNCHER_STAND_IN = """#!/bin/sh
echo "stand-in launcher: cwd=$(pwd) args=$* profile=${SPRING_PROFILES_ACTIVE:-} key=${OPENAI_API_KEY:-} base=${OPENAI_BASE_URL:-}"
echo "stand-in launcher: an error line" >&2
exit "${STAND_IN_EXIT:-0}"
"""


def cron_line(repo):
    lines = [l for l in (repo / "deploy/cron/rollout-batch.crontab").read_text().splitlines()
             if l.strip() and not l.startswith("#")]
    assert len(lines) == 1, lines
    return lines[0]


def split_cron(line):
    fields = line.split(None, 5)
    assert len(fields) == 6, f"a crontab line has 5 time fields and a command: {line}"
    return fields[:5], fields[5]


def launcher_arguments(command):
    """The arguments the scheduled command gives ./rollout-batch (up to the end of its simple command)."""
    words = shlex.split(command)
    start = next(i for i, w in enumerate(words) if w == "./rollout-batch" or w.endswith("/rollout-batch/rollout-batch"))
    args = []
    for word in words[start + 1:]:
        if word in ("}", ">", ">>", "&&", "||", "|"):
            break
        args.append(word.rstrip(";"))
        if word.endswith(";"):
            break
    return args


def assert_valid_job_arguments(repo, args):
    assert args, "the schedule runs the collect job with its parameters"
    values = dict(a.split("=", 1) for a in args)
    assert (repo / values["problems"]).is_file(), f"{values['problems']} is not in the repository"
    assert int(values["samples"]) >= 1 and 1 <= int(values["concurrency"]) <= 4096


def install(tmp_path, secrets="OPENAI_API_KEY=sk-test-not-a-key\nOPENAI_BASE_URL=http://127.0.0.1:9/v1\n"):
    """A stand-in installation: the launcher stand-in and secrets.env, no logs/ folder."""
    home = tmp_path / "rollout-batch"
    home.mkdir()
    launcher = home / "rollout-batch"
    launcher.write_text(LAUNCHER_STAND_IN)
    launcher.chmod(0o755)
    if secrets is not None:
        (home / "secrets.env").write_text(secrets)
        (home / "secrets.env").chmod(0o600)
    return home


def run_as_cron(command, home, exit_code=0):
    """Runs the crontab command the way cron does: /bin/sh -c, cron's minimal environment."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "SHELL": "/bin/sh", "LOGNAME": "rollout",
           "STAND_IN_EXIT": str(exit_code)}
    return subprocess.run(["/bin/sh", "-c", command.replace(INSTALL_DIR, str(home))], env=env,
                          capture_output=True, text=True, timeout=60)


def test_the_cron_line_has_a_valid_nightly_schedule(repo):
    schedule, command = split_cron(cron_line(repo))
    minute, hour, day, month, weekday = schedule
    assert 0 <= int(minute) <= 59 and 0 <= int(hour) <= 23
    assert (day, month, weekday) == ("*", "*", "*"), "every night"
    assert "%" not in command, "cron turns % into a newline"
    assert_valid_job_arguments(repo, launcher_arguments(command))


def test_the_cron_line_creates_its_log_folder_and_logs_the_run_there(repo, tmp_path):
    _, command = split_cron(cron_line(repo))
    home = install(tmp_path)
    assert not (home / "logs").exists()

    result = run_as_cron(command, home)
    assert result.returncode == 0, result.stderr
    log = (home / "logs" / "collect.log").read_text()
    assert f"cwd={home} args=problems=jobs/nightly.csv samples=4 concurrency=64" in log
    assert "profile=postgres key=sk-test-not-a-key base=http://127.0.0.1:9/v1" in log
    assert "an error line" in log, "stderr goes to the log too"
    assert result.stdout == "" and result.stderr == "", "cron would mail anything printed"

    assert run_as_cron(command, home).returncode == 0
    assert (home / "logs" / "collect.log").read_text().count("stand-in launcher: cwd=") == 2, "appended"


def test_the_cron_line_passes_the_exit_code_on_and_logs_a_missing_secrets_file(repo, tmp_path):
    _, command = split_cron(cron_line(repo))
    home = install(tmp_path)
    assert run_as_cron(command, home, exit_code=3).returncode == 3

    (home / "secrets.env").unlink()
    result = run_as_cron(command, home)
    assert result.returncode != 0
    assert "secrets.env" in (home / "logs" / "collect.log").read_text().splitlines()[-1]


def test_the_readme_shows_the_cron_line_of_the_repository(repo):
    readme = (repo / "README.md").read_text()
    section = readme.split("## Scheduling a nightly run", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```cron\n(.*?)\n```", section, re.S).group(1).strip()
    assert block == cron_line(repo)
    assert "deploy/systemd/rollout-batch.service" in section and "deploy/systemd/rollout-batch.timer" in section


def read_unit(path):
    parser = configparser.ConfigParser(strict=False, interpolation=None, comment_prefixes=("#", ";"))
    parser.optionxform = str
    parser.read(path)
    return parser


def test_the_service_runs_the_launcher_of_the_installation_with_valid_parameters(repo):
    service = read_unit(repo / "deploy/systemd/rollout-batch.service")["Service"]
    assert service["Type"] == "oneshot"
    assert service["WorkingDirectory"] == INSTALL_DIR
    assert service["EnvironmentFile"] == f"{INSTALL_DIR}/secrets.env"
    assert "SPRING_PROFILES_ACTIVE=postgres" in service["Environment"]
    program, *args = shlex.split(service["ExecStart"])
    assert program.startswith(INSTALL_DIR + "/")
    in_repo = repo / program[len(INSTALL_DIR) + 1:]
    assert in_repo.is_file() and os.stat(in_repo).st_mode & stat.S_IXUSR, f"{in_repo} is not an executable file"
    assert_valid_job_arguments(repo, args)
    assert "3" in service["SuccessExitStatus"].split(), "an already complete night is no failure"
    assert args == launcher_arguments(split_cron(cron_line(repo))[1]), "cron and systemd run the same night"


def test_the_timer_starts_the_service_every_night(repo):
    timer = read_unit(repo / "deploy/systemd/rollout-batch.timer")
    assert timer["Timer"]["Unit"] == "rollout-batch.service"
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"
    if shutil.which("systemd-analyze"):
        result = subprocess.run(["systemd-analyze", "calendar", timer["Timer"]["OnCalendar"]], capture_output=True,
                                text=True)
        assert result.returncode == 0, result.stderr
        assert "02:00:00 UTC" in result.stdout


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here")
def test_the_units_pass_systemd_analyze_verify(repo, tmp_path):
    # The units as installed from this checkout: /opt/rollout-batch is the repository.
    for name in ("rollout-batch.service", "rollout-batch.timer"):
        text = (repo / "deploy/systemd" / name).read_text().replace(INSTALL_DIR, str(repo))
        (tmp_path / name).write_text(text)
    result = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "rollout-batch.service"),
                             str(tmp_path / "rollout-batch.timer")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rollout-batch" not in result.stderr, result.stderr

    # and it does catch a unit that would not start: a launcher that is not there
    broken = (tmp_path / "rollout-batch.service").read_text().replace(f"{repo}/rollout-batch ",
                                                                       f"{repo}/no-such-launcher ")
    (tmp_path / "rollout-batch.service").write_text(broken)
    result = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "rollout-batch.service")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "no-such-launcher" in result.stderr
