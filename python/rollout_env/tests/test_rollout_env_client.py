import json
import pyarrow.dataset as ds
import pytest

from rollout_env_harness import free_port, run_jar
from rollout_env import EnvClient, EnvServiceError

PROBLEM = "k8s_target_port-misconfig-localization-1"


def test_a_session_is_played_over_http_and_logged_as_a_graded_episode(service):
    client = EnvClient(service.url, token=service.token)
    assert PROBLEM in client.problems()
    with client.open(PROBLEM, seed=5, model="py-client", max_steps=6) as session:
        assert session.task_description and session.instructions
        assert [m["role"] for m in session.prompt] == ["system", "user"]
        names = [a["name"] for a in session.actions]
        assert "exec_shell" in names and "submit" in names
        look = session.step('exec_shell("kubectl get svc -n test-social-network")')
        assert not look.done and "user-service" in look.observation
        wrong = session.respond("I think it is this one.\n```\nsubmit([\"text-service\"])\n```")
        assert wrong.done and wrong.steps == 2
        evaluation = session.evaluate()
    assert evaluation["success"] is False
    assert evaluation["results"]["Localization Accuracy"] == 0.0
    assert evaluation["aiopslab"]["results"] == evaluation["results"]
    assert isinstance(evaluation["reward"], float)

    db = service.database
    row = db.query(f"SELECT source, status, success, steps_taken, model, evaluation FROM episode "
                   f"WHERE id = {session.episode_id}")[0]
    assert row[:5] == ["session", "completed", "f", "2", "py-client"]
    stored = json.loads(row[5])
    assert stored["aiopslab"]["results"]["Localization Accuracy"] == 0.0
    assert stored["submission"] == 'submit(["text-service"])'
    assert db.scalar(f"SELECT COUNT(*) FROM message m JOIN conversation c ON c.id = m.conversation_id "
                     f"WHERE c.episode_id = {session.episode_id}") == "6"


def test_refusals_are_clear_errors(service):
    client = EnvClient(service.url, token=service.token)
    with pytest.raises(EnvServiceError) as unknown:
        client.open("no-such-problem", seed=1)
    assert unknown.value.status == 404 and unknown.value.message == "unknown problem 'no-such-problem'"
    with pytest.raises(EnvServiceError) as unauthorised:
        EnvClient(service.url, token="wrong").problems()
    assert unauthorised.value.status == 401
    with pytest.raises(EnvServiceError) as unreachable:
        EnvClient(f"http://127.0.0.1:{free_port()}", retries=1, backoff=0.01).problems()
    assert unreachable.value.status == 0 and "unreachable after 2 attempt(s)" in str(unreachable.value)
    session = client.open(PROBLEM, seed=9)
    session.close()
    with pytest.raises(EnvServiceError) as closed:
        session.evaluate()
    assert closed.value.status == 404


def test_online_sessions_land_in_the_trajectories_dataset(service, tmp_path):
    client = EnvClient(service.url, token=service.token)
    with client.open("k8s_target_port-misconfig-detection-1", seed=3, model="online-policy") as session:
        assert session.step('submit("Yes")').done
        assert session.evaluate()["success"] is True
    today = service.database.scalar("SELECT CAST(created_at AT TIME ZONE 'UTC' AS DATE) FROM episode "
                                    f"WHERE id = {session.episode_id}")
    run_jar(service.database, tmp_path, "--spring.batch.job.name=export", f"runDate={today}",
            "format=trajectories", f"output={tmp_path / 'datasets'}")
    table = ds.dataset(str(tmp_path / "datasets" / "trajectories" / "data" / str(today)),
                       format="parquet").to_table().to_pylist()
    online = [r for r in table if r["model"] == "online-policy"]
    assert len(online) == 1
    assert online[0]["success"] is True and online[0]["policy"] == "external"
    assert [m["role"] for m in online[0]["messages"]] == ["system", "user", "assistant", "user"]
