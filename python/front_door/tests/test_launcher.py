"""./rollout-batch: the JDK it picks, its one-line refusal without a JDK 21, and the runs view through it."""

import json
import os
import pathlib
import subprocess

from front_door_support import java_major


def run_launcher(repo, args, env, timeout=600):
    return subprocess.run([str(repo / "rollout-batch"), *args], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_it_picks_a_jdk_21_or_newer_over_java_17_in_java_home_and_on_path(repo, new_user_env):
    new_user_env["JAVA_HOME"] = "/usr/lib/jvm/java-17-openjdk-amd64"
    result = run_launcher(repo, ["java-home"], new_user_env)
    assert result.returncode == 0, result.stderr
    home = result.stdout.strip()
    assert java_major(f"{home}/bin/java") >= 21
    assert os.access(f"{home}/bin/javac", os.X_OK)


def test_a_java_home_of_21_or_newer_is_taken_as_it_is(repo, new_user_env):
    chosen = run_launcher(repo, ["java-home"], new_user_env).stdout.strip()
    new_user_env["JAVA_HOME"] = chosen
    assert run_launcher(repo, ["java-home"], new_user_env).stdout.strip() == chosen


def test_without_a_jdk_21_it_says_what_to_install_in_one_line_and_fails(repo, new_user_env, tmp_path):
    new_user_env["ROLLOUT_JVM_DIRS"] = str(tmp_path)  # no JDK there; PATH's java is 17
    result = run_launcher(repo, ["--spring.batch.job.name=runs"], new_user_env)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "needs a JDK 21 or newer" in lines[0] and "install" in lines[0]


def test_runs_json_through_the_launcher_prints_json_only(repo, new_user_env, tmp_path):
    jar = pathlib.Path(os.environ.get("ROLLOUT_JAR", repo / "target" / "rollout-batch.jar"))
    assert jar.is_file(), f"no jar at {jar}: run the Maven suite first (./run-tests does)"
    db = f"jdbc:h2:file:{tmp_path / 'db'};MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
    result = run_launcher(repo, ["runs", "--json", f"--spring.datasource.url={db}"], new_user_env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert json.loads(result.stdout) == {"runs": []}

    missing = run_launcher(repo, ["runs", "--run=5", f"--spring.datasource.url={db}"], new_user_env)
    assert missing.returncode == 2
    assert "There is no run 5" in missing.stderr


def final_flags(repo, env, java_opts):
    """The JVM's final flags (name to value) when the launcher starts it with these JAVA_OPTS."""
    env["JAVA_OPTS"] = java_opts + " -XX:+PrintFlagsFinal"
    result = run_launcher(repo, ["--version"], env)
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines() if line.startswith(" ") and "=" in line]
    return {row[1]: row[3] for row in rows if len(row) >= 4}


def max_heap_bytes(repo, env, java_opts):
    return int(final_flags(repo, env, java_opts)["MaxHeapSize"])


def collector(repo, env, java_opts):
    flags = final_flags(repo, env, java_opts)
    chosen = [name for name in ("UseSerialGC", "UseParallelGC", "UseG1GC", "UseZGC", "UseShenandoahGC")
              if flags.get(name) == "true"]
    assert len(chosen) == 1, chosen
    return chosen[0]


def test_the_collector_is_serial_unless_java_opts_sizes_the_heap_or_names_one(repo, new_user_env):
    assert collector(repo, new_user_env, "") == "UseSerialGC"
    assert collector(repo, new_user_env, "-XX:+UseCompressedOops") == "UseSerialGC"
    assert collector(repo, new_user_env, "-XX:+UseG1GC") == "UseG1GC"
    assert collector(repo, new_user_env, "-XX:+UseParallelGC") == "UseParallelGC"
    # A sized heap is a big run: the JVM's own choice for this machine (two cores: G1).
    assert collector(repo, new_user_env, "-Xmx1g") == "UseG1GC"


def test_the_jit_is_c1_only_unless_java_opts_chooses(repo, new_user_env):
    assert final_flags(repo, new_user_env, "")["TieredStopAtLevel"] == "1"
    assert final_flags(repo, new_user_env, "-Xmx1g")["TieredStopAtLevel"] == "1"
    assert final_flags(repo, new_user_env, "-XX:TieredStopAtLevel=4")["TieredStopAtLevel"] == "4"
    assert final_flags(repo, new_user_env, "-XX:-TieredCompilation")["TieredCompilation"] == "false"


def test_the_heap_is_capped_at_320_mb_unless_java_opts_sizes_it(repo, new_user_env):
    assert max_heap_bytes(repo, new_user_env, "") == 320 * 1024 * 1024
    assert max_heap_bytes(repo, new_user_env, "-XX:+UseSerialGC") == 320 * 1024 * 1024
    assert max_heap_bytes(repo, new_user_env, "-XX:+UseG1GC") == 320 * 1024 * 1024
    assert max_heap_bytes(repo, new_user_env, "-Xmx1g") == 1024 * 1024 * 1024
    assert max_heap_bytes(repo, new_user_env, "-XX:MaxRAM=8g -XX:MaxRAMPercentage=25") == 2 * 1024 * 1024 * 1024
