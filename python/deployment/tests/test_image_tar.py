"""The container image tar (`./mvnw -Pimage package`, target/jib-image.tar): in the format `docker load` reads,
and it runs. No Docker engine runs on the project's machines, so the layers are unpacked in order into a root file
system and the image's entrypoint runs there under chroot, in new mount and PID namespaces, as the image's user
and with its environment and working directory (image_entrypoint.py): --version, then a collect run on the
embedded H2 database and an export, whose Parquet file is read back."""

import gzip
import hashlib
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile
import uuid

import pyarrow.parquet as pq
import pytest

BUILD_COMMAND = "./mvnw -B -Pimage package -DskipTests"


@pytest.fixture(scope="module")
def image_tar(repo) -> pathlib.Path:
    tar = pathlib.Path(os.environ.get("ROLLOUT_IMAGE_TAR", repo / "target" / "jib-image.tar"))
    if not tar.is_file():
        message = f"no image tar at {tar}: build it with `{BUILD_COMMAND}` (CI's `./run-tests -Pimage` does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return tar


@pytest.fixture(scope="module")
def image(image_tar, tmp_path_factory) -> pathlib.Path:
    """The tar's members, unpacked as they are."""
    folder = tmp_path_factory.mktemp("image")
    with tarfile.open(image_tar) as tar:
        tar.extractall(folder, filter="data")
    return folder


@pytest.fixture(scope="module")
def manifest(image) -> dict:
    entries = json.loads((image / "manifest.json").read_text())
    assert len(entries) == 1, "one image in the tar"
    return entries[0]


@pytest.fixture(scope="module")
def config(image, manifest) -> dict:
    return json.loads((image / manifest["Config"]).read_text())


def pom_version(repo) -> str:
    pom = (repo / "pom.xml").read_text()
    return re.search(r"<artifactId>rollout-batch</artifactId>\s*<version>([^<]+)</version>", pom).group(1)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_the_manifest_names_the_image_and_its_config(repo, manifest, image):
    assert f"rollout-batch:{pom_version(repo)}" in manifest["RepoTags"]
    assert "rollout-batch:latest" in manifest["RepoTags"]
    assert (image / manifest["Config"]).is_file()
    assert manifest["Layers"], "an image has layers"


def test_each_layer_is_the_file_its_digests_name(image, manifest, config):
    """A layer file is named by the SHA-256 of its bytes, and the config's diff_ids are those of its uncompressed
    tar, in the manifest's order: what `docker load` verifies."""
    diff_ids = []
    for layer in manifest["Layers"]:
        data = (image / layer).read_bytes()
        assert layer.startswith(sha256(data)), f"{layer} is not named by its digest"
        diff_ids.append("sha256:" + sha256(gzip.decompress(data)))
    assert config["rootfs"] == {"type": "layers", "diff_ids": diff_ids}
    layer_history = [h for h in config["history"] if not h.get("empty_layer")]
    assert len(layer_history) == len(manifest["Layers"])


def test_the_config_runs_java_as_a_user_that_is_not_root(config):
    assert (config["os"], config["architecture"]) == ("linux", "amd64")
    run = config["config"]
    assert run["Entrypoint"][0] == "java"
    assert run["Entrypoint"][-1] == "dev.rolloutbatch.RolloutBatchApplication"
    assert run["User"].split(":")[0] not in ("", "0", "root")
    assert run["WorkingDir"] == "/workspace"
    env = dict(e.split("=", 1) for e in run["Env"])
    assert env["PATH"].split(":")[0] == env["JAVA_HOME"] + "/bin" == "/opt/java/openjdk/bin"
    assert not any(k in env for k in ("OPENAI_API_KEY", "SPRING_DATASOURCE_PASSWORD")), "no secret in the image"


def test_docker_loads_and_runs_it_where_a_docker_engine_runs(repo, image_tar):
    """The real thing where it can be had; the project's machines have the docker client but no engine."""
    if shutil.which("docker") is None or subprocess.run(["docker", "info"], capture_output=True).returncode != 0:
        pytest.skip("no Docker engine here (the tests below run the image without one)")
    loaded = subprocess.run(["docker", "load", "-i", str(image_tar)], capture_output=True, text=True, timeout=600)
    assert loaded.returncode == 0, loaded.stderr
    tag = f"rollout-batch:{pom_version(repo)}"
    assert tag in loaded.stdout
    version = subprocess.run(["docker", "run", "--rm", tag, "--version"], capture_output=True, text=True, timeout=300)
    assert version.stdout.strip() == f"rollout-batch {pom_version(repo)}", version.stderr


@pytest.fixture(scope="module")
def rootfs(image, manifest, tmp_path_factory) -> pathlib.Path:
    """The layers unpacked in order (whiteouts applied) into one root file system, with owners and modes."""
    if os.geteuid() != 0:
        pytest.skip("running the image under chroot needs root (CI runs as root)")
    for tool in ("unshare", "mount"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: apt-get install util-linux mount")
    root = tmp_path_factory.mktemp("rootfs")
    root.chmod(0o755)
    for layer in manifest["Layers"]:
        with tarfile.open(image / layer) as tar:
            members = []
            for member in tar.getmembers():
                name = pathlib.PurePosixPath(member.name)
                if name.name.startswith(".wh."):
                    shutil.rmtree(root / name.parent / name.name[4:], ignore_errors=True)
                else:
                    members.append(member)
            tar.extractall(root, members=members, filter=safe_paths_image_modes, numeric_owner=True)
    for mount_point in ("proc", "dev"):
        (root / mount_point).mkdir(exist_ok=True)
    return root


def safe_paths_image_modes(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo:
    """tarfile's `tar` filter (nothing lands outside the root), but with the layer's modes: a world-writable
    folder stays one, as a container runtime unpacks it."""
    return tarfile.tar_filter(member, path).replace(mode=member.mode, deep=False)


def run_in_image(rootfs, image, manifest, *arguments, env=None, read_only=False, timeout=240):
    """The image's entrypoint with these arguments, in new mount and PID namespaces (the host's network). With
    read_only, the root file system is mounted read-only and /tmp is a tmpfs, as deploy/kubernetes runs it."""
    runner = pathlib.Path(__file__).with_name("image_entrypoint.py")
    mounts = 'mount -t proc proc "$1/proc" && mount --rbind /dev "$1/dev"'
    if read_only:
        mounts = ('mount --bind "$1" "$1" && mount -t tmpfs -o mode=1777 tmpfs "$1/tmp" && '
                  f'{mounts} && mount -o remount,bind,ro "$1"')
    script = f'{mounts} && exec "{sys.executable}" "{runner}" "$@"'
    options = [word for key, value in (env or {}).items() for word in ("-e", f"{key}={value}")]
    command = ["unshare", "--mount", "--pid", "--fork", "sh", "-c", script, "sh",
               str(rootfs), str(image / manifest["Config"]), *options, "--", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def test_the_image_runs_only_what_it_carries(rootfs):
    """The runtime is the image's own: java, the C library and the loader, and no shell."""
    for path in ("opt/java/openjdk/bin/java", "lib64/ld-linux-x86-64.so.2", "lib/x86_64-linux-gnu/libc.so.6",
                 "usr/bin/chmod", "app/jib-classpath-file", "workspace/jobs/smoke.csv"):
        assert (rootfs / path).is_file(), path
    assert not (rootfs / "bin/sh").exists()
    assert (rootfs / "workspace").stat().st_mode & 0o777 == 0o777, "the user writes its H2 file and datasets there"


def test_version(repo, rootfs, image, manifest):
    result = run_in_image(rootfs, image, manifest, "--version", timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"rollout-batch {pom_version(repo)}"


def test_a_collect_run_and_its_export_in_the_image(rootfs, image, manifest, config):
    collect = run_in_image(rootfs, image, manifest, "runDate=2026-11-26")
    assert collect.returncode == 0, collect.stdout[-3000:] + collect.stderr[-3000:]
    assert "Run 1 planned: 8 episodes of 8 problems from jobs/smoke.csv" in collect.stdout
    assert "The collect job completed" in collect.stdout

    export = run_in_image(rootfs, image, manifest, "--spring.batch.job.name=export", "runDate=2026-11-26")
    assert export.returncode == 0, export.stdout[-3000:] + export.stderr[-3000:]
    parquet = rootfs / "workspace/datasets/trajectories/data/2026-11-26/part-00000.zstd.parquet"
    table = pq.read_table(parquet)
    assert table.num_rows == 8
    uid = int(config["config"]["User"].split(":")[0])
    assert parquet.stat().st_uid == uid, "written by the image's user"
    assert (rootfs / "workspace/data/rollout-batch.mv.db").stat().st_uid == uid


def psql(database, sql):
    return subprocess.run(["psql", "-X", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-Atc", sql],
                          capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture()
def private_database():
    name = f"rollout_py_image_{uuid.uuid4().hex[:8]}"
    psql("postgres", f"CREATE DATABASE {name}")
    yield name
    psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_the_postgres_profile_on_a_read_only_root_file_system(rootfs, image, manifest, private_database):
    """As deploy/kubernetes runs it: configured by environment variables only, nothing written but /tmp."""
    env = {"SPRING_PROFILES_ACTIVE": "postgres",
           "SPRING_DATASOURCE_URL": f"jdbc:postgresql://127.0.0.1:5432/{private_database}",
           "ROLLOUT_SHUTDOWN_GRACE_PERIOD": "20s"}
    collect = run_in_image(rootfs, image, manifest, "runDate=2026-11-27", env=env, read_only=True)
    assert collect.returncode == 0, collect.stdout[-3000:] + collect.stderr[-3000:]
    assert psql(private_database, "SELECT status || ' ' || episodes_completed FROM run") == "completed 8"
