"""The benchmark's Python peer on a tiny configuration: a fake OpenAI server over real HTTP, a private database."""

import json
import os
import subprocess
import sys
import threading
import uuid
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
import pytest

PEER = Path(__file__).resolve().parents[1] / "collect_peer.py"
STEPS = 3
PG = os.environ.get("ROLLOUT_PG", "host=127.0.0.1 port=5432 user=postgres")


class FakeOpenAi(BaseHTTPRequestHandler):
    """Answers exec_shell until the conversation holds STEPS - 1 answers, then submit, as the Java fixture does."""

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        request = json.loads(body)
        answers = sum(1 for m in request["messages"] if m["role"] == "assistant")
        action = 'exec_shell("kubectl get pods")' if answers < STEPS - 1 else 'submit("Yes")'
        reply = json.dumps({
            "id": "chatcmpl-fake", "object": "chat.completion", "created": 1, "model": request["model"] + "-fake",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": f"```\n{action}\n```"}}],
            "usage": {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150,
                      "prompt_tokens_details": {"cached_tokens": 20},
                      "completion_tokens_details": {"reasoning_tokens": 5}}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("x-request-id", "req-fake")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAi)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()


@pytest.fixture
def database():
    name = "rollout_peer_" + uuid.uuid4().hex[:10]
    with psycopg.connect(PG + " dbname=postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(PG + " dbname=postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def script(tmp_path):
    problems = [{"problem_id": f"p{i}", "seed": i,
                 "opening": [{"role": "system", "content": f"system {i}"}, {"role": "user", "content": "task"}],
                 "replies": [[{"role": "user", "content": f"pods {i}.{k}"}] for k in range(1, STEPS + 1)]}
                for i in range(2)]
    path = tmp_path / "script.json"
    path.write_text(json.dumps({"model": "gpt-4o-mini", "problems": problems,
                                "price": {"input_uncached": "0.15", "cache_read": "0.075", "output": "0.60"}}))
    return path


def peer(*args):
    return subprocess.run([sys.executable, str(PEER), *map(str, args)], capture_output=True, text=True, timeout=120)


def test_every_episode_logs_its_steps_messages_and_costs(server, database, tmp_path):
    user = dict(part.split("=") for part in PG.split())
    dsn = f"postgresql://{user['user']}@{user['host']}:{user['port']}/{database}"

    result = peer("--base-url", server, "--dsn", dsn, "--script", script(tmp_path), "--episodes", 5,
                  "--concurrency", 3, "--steps", STEPS, "--pool", 2)

    assert result.returncode == 0, result.stderr
    assert "5 of 5 episodes completed" in result.stdout
    with psycopg.connect(PG + f" dbname={database}") as db:
        episodes = db.execute("SELECT problem_id, sample_index, status, steps_taken, solution FROM peer.episode"
                              " ORDER BY problem_id, sample_index").fetchall()
        assert episodes == [("p0", 0, "completed", STEPS, 'submit("Yes")'),
                            ("p0", 1, "completed", STEPS, 'submit("Yes")'),
                            ("p0", 2, "completed", STEPS, 'submit("Yes")'),
                            ("p1", 0, "completed", STEPS, 'submit("Yes")'),
                            ("p1", 1, "completed", STEPS, 'submit("Yes")')]
        calls = db.execute("SELECT COUNT(*), SUM(input_uncached_tokens), SUM(cache_read_tokens),"
                           " SUM(output_tokens), SUM(cost_usd), MIN(request_id), MIN(model_reported)"
                           " FROM peer.llm_call").fetchone()
        per_call = (Decimal(100) * Decimal("0.15") + 20 * Decimal("0.075") + 30 * Decimal("0.60")) / 1_000_000
        assert calls == (5 * STEPS, 5 * STEPS * 100, 5 * STEPS * 20, 5 * STEPS * 30, 5 * STEPS * per_call,
                         "req-fake", "gpt-4o-mini-fake")
        # opening (2) + per step the answer and the environment's reply, numbered without gaps
        conversation = db.execute("SELECT c.id FROM peer.conversation c JOIN peer.episode e ON e.id = c.episode_id"
                                  " WHERE e.problem_id = 'p1' AND e.sample_index = 0").fetchone()[0]
        messages = db.execute("SELECT seq, role, content, step FROM peer.message WHERE conversation_id = %s"
                              " ORDER BY seq", (conversation,)).fetchall()
        assert [m[0] for m in messages] == list(range(2 + 2 * STEPS))
        assert messages[3] == (3, "user", "pods 1.1", 1)
        assert messages[-2][1:] == ("assistant", '```\nsubmit("Yes")\n```', STEPS)
        totals = db.execute("SELECT SUM(llm_calls), SUM(total_messages), SUM(cost_usd) FROM peer.conversation"
                            " WHERE status = 'completed'").fetchone()
        assert totals == (5 * STEPS, 5 * (2 + 2 * STEPS), 5 * STEPS * per_call)


def test_an_unreadable_script_is_one_line_and_a_non_zero_exit(tmp_path):
    result = peer("--base-url", "http://127.0.0.1:9/v1", "--dsn", "postgresql://nobody@127.0.0.1:9/none",
                  "--script", tmp_path / "missing.json", "--episodes", 1, "--concurrency", 1, "--steps", 1)

    assert result.returncode != 0
    assert result.stderr.strip().startswith("collect_peer: unreadable script")
    assert len(result.stderr.strip().splitlines()) == 1
