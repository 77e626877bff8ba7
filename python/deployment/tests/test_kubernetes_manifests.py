"""deploy/kubernetes: the nightly manager's CronJob and the workers' Deployment agree with the application (its exit
codes, its SIGTERM grace period, its profiles, the image's user) and keep secrets in a Secret. Rendered with
`kubectl kustomize` where kubectl exists."""

import re
import shutil
import subprocess

import pytest
import yaml

SECRET = "rollout-batch-secrets"
SECRET_VARIABLES = {"OPENAI_API_KEY", "SPRING_DATASOURCE_PASSWORD", "SPRING_RABBITMQ_PASSWORD"}


@pytest.fixture(scope="module")
def folder(repo):
    return repo / "deploy" / "kubernetes"


@pytest.fixture(scope="module")
def resources(folder):
    documents = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name != "kustomization.yaml":
            for document in yaml.safe_load_all(path.read_text()):
                documents[document["kind"]] = document
    return documents


@pytest.fixture(scope="module")
def cronjob(resources):
    return resources["CronJob"]


@pytest.fixture(scope="module")
def manager(cronjob):
    return cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]


@pytest.fixture(scope="module")
def worker(resources):
    return resources["Deployment"]["spec"]["template"]["spec"]


def grace_period_seconds(repo) -> int:
    source = (repo / "src/main/java/dev/rolloutbatch/launch/ShutdownProperties.java").read_text()
    return int(re.search(r'@DefaultValue\("(\d+)s"\) Duration gracePeriod', source).group(1))


def pom_version(repo) -> str:
    pom = (repo / "pom.xml").read_text()
    return re.search(r"<artifactId>rollout-batch</artifactId>\s*<version>([^<]+)</version>", pom).group(1)


def image_user(repo) -> int:
    return int(re.search(r"<user>(\d+):\d+</user>", (repo / "pom.xml").read_text()).group(1))


def example_secret_keys(folder) -> set:
    lines = (folder / "secrets.env.example").read_text().splitlines()
    return {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}


def test_the_kustomization_lists_every_manifest_and_names_the_built_image(repo, folder):
    kustomization = yaml.safe_load((folder / "kustomization.yaml").read_text())
    manifests = {p.name for p in folder.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == manifests
    assert kustomization["images"] == [{"name": "rollout-batch", "newTag": pom_version(repo)}]
    [generator] = kustomization["secretGenerator"]
    assert generator == {"name": SECRET, "envs": ["secrets.env"]}


def test_the_real_secret_file_stays_out_of_git(repo):
    ignored = subprocess.run(["git", "check-ignore", "-q", "deploy/kubernetes/secrets.env"], cwd=repo)
    assert ignored.returncode == 0, "deploy/kubernetes/secrets.env must be ignored by git"


def test_the_cronjob_runs_one_night_at_a_time_and_retries_only_what_a_retry_can_fix(cronjob, manager):
    spec = cronjob["spec"]
    job = spec["jobTemplate"]["spec"]
    assert spec["concurrencyPolicy"] == "Forbid"
    assert spec["timeZone"] == "Etc/UTC"
    assert 0 < spec["startingDeadlineSeconds"] <= 3 * 3600
    assert manager["restartPolicy"] == "Never", "podFailurePolicy needs it"
    assert job["backoffLimit"] <= 1
    rules = job["podFailurePolicy"]["rules"]
    fail_job = next(r for r in rules if r["action"] == "FailJob")
    # README "Exit codes": 2 invalid input, 3 already completed, 4 running in another process.
    assert fail_job["onExitCodes"] == {"containerName": "manager", "operator": "In", "values": [2, 3, 4]}
    assert {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]} in rules


def test_every_pod_of_a_night_runs_the_same_run_date(cronjob, manager):
    """runDate defaults to today in UTC: the job and its retries must end on the day the schedule started it."""
    spec = cronjob["spec"]
    minute, hour = (int(x) for x in spec["schedule"].split()[:2])
    latest_end = hour * 3600 + minute * 60 + spec["startingDeadlineSeconds"] + \
        spec["jobTemplate"]["spec"]["activeDeadlineSeconds"]
    assert latest_end < 24 * 3600
    args = manager["containers"][0]["args"]
    assert not any(a.startswith("runDate=") for a in args)
    assert "problems=jobs/nightly.csv" in args


def test_the_manager_distributes_and_the_workers_take_partitions(manager, worker, resources):
    [manager_container] = manager["containers"]
    [worker_container] = worker["containers"]
    manager_env = {e["name"]: e for e in manager_container["env"]}
    assert manager_env["ROLLOUT_DISTRIBUTION_ENABLED"]["value"] == "true"
    assert not any("worker" in a for a in manager_container["args"])
    assert worker_container["args"] == ["--spring.profiles.active=postgres,worker"]
    assert resources["Deployment"]["spec"]["replicas"] == 2
    config = resources["ConfigMap"]["data"]
    assert config["SPRING_PROFILES_ACTIVE"] == "postgres"
    assert config["SPRING_DATASOURCE_URL"].startswith("jdbc:postgresql://")
    assert config["SPRING_RABBITMQ_HOST"]


def test_pods_outlast_the_sigterm_grace_period(repo, manager, worker, resources):
    grace = grace_period_seconds(repo)
    assert resources["ConfigMap"]["data"]["ROLLOUT_SHUTDOWN_GRACE_PERIOD"] == f"{grace}s"
    for pod in (manager, worker):
        assert pod["terminationGracePeriodSeconds"] >= grace + 5


def test_secrets_come_from_the_secret_only(folder, manager, worker, resources):
    keys = example_secret_keys(folder)
    assert keys == SECRET_VARIABLES
    assert not any(re.search(r"KEY|PASSWORD|TOKEN|SECRET", k) for k in resources["ConfigMap"]["data"])
    for pod in (manager, worker):
        [container] = pod["containers"]
        env = {e["name"]: e for e in container["env"]}
        for name in SECRET_VARIABLES:
            reference = env[name]["valueFrom"]["secretKeyRef"]
            assert "value" not in env[name]
            assert (reference["name"], reference["key"]) == (SECRET, name)
        assert env["OPENAI_API_KEY"]["valueFrom"]["secretKeyRef"]["optional"] is True, "scripted runs need no key"
    for path in folder.iterdir():
        assert not re.search(r"sk-[A-Za-z0-9_-]{20,}", path.read_text()), f"a key-like literal in {path.name}"


def test_containers_run_the_image_as_its_user_on_a_read_only_root(repo, manager, worker):
    for pod in (manager, worker):
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] == image_user(repo)
        [container] = pod["containers"]
        assert container["image"] == "rollout-batch"
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]


def test_kubectl_kustomize_renders_them(repo, folder, tmp_path):
    if shutil.which("kubectl") is None:
        pytest.skip("no kubectl on this machine")
    copy = tmp_path / "kubernetes"
    shutil.copytree(folder, copy)
    shutil.copy(copy / "secrets.env.example", copy / "secrets.env")
    result = subprocess.run(["kubectl", "kustomize", str(copy)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    rendered = {d["kind"]: d for d in yaml.safe_load_all(result.stdout)}
    assert set(rendered) == {"Namespace", "ConfigMap", "Secret", "CronJob", "Deployment"}
    for kind in ("ConfigMap", "Secret", "CronJob", "Deployment"):
        assert rendered[kind]["metadata"]["namespace"] == "rollout-batch", kind
    assert rendered["Secret"]["metadata"]["name"] == SECRET
    assert set(rendered["Secret"]["data"]) == SECRET_VARIABLES
    image = f"rollout-batch:{pom_version(repo)}"
    assert rendered["Deployment"]["spec"]["template"]["spec"]["containers"][0]["image"] == image
    manager = rendered["CronJob"]["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert manager["containers"][0]["image"] == image


def test_the_readme_resume_command_adds_the_run_date_to_the_nightly_job(repo, folder, tmp_path):
    """The README's pipeline for resuming a past night: its `kubectl patch --local` stage, applied to the Job that
    `kubectl create job --from=cronjob/...` makes from this CronJob, gives the manager a runDate argument."""
    if shutil.which("kubectl") is None:
        pytest.skip("no kubectl on this machine")
    readme = (repo / "README.md").read_text()
    section = readme.split("### Kubernetes", 1)[1].split("\n## ", 1)[0]
    block = next(b for b in re.findall(r"```bash\n(.*?)```", section, re.S) if "patch --local" in b)
    stages = [s.strip() for s in block.replace("\\\n", " ").split("|")]
    assert stages[0].startswith("kubectl -n rollout-batch create job") and "--from=cronjob/rollout-batch-collect" in \
        stages[0]
    assert stages[-1] == "kubectl create -f -"
    [patch] = [s for s in stages if s.startswith("kubectl patch --local")]

    cronjob = yaml.safe_load((folder / "cronjob.yaml").read_text())
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "rollout-batch-resume"},
           "spec": cronjob["spec"]["jobTemplate"]["spec"]}
    result = subprocess.run(["sh", "-c", patch], input=yaml.safe_dump(job), capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    [container] = yaml.safe_load(result.stdout)["spec"]["template"]["spec"]["containers"]
    assert container["args"] == cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["args"] \
        + ["runDate=2026-11-25"]
