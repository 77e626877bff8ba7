"""The bridge's HTTP server (standard library only): rollout-batch's step-wise protocol on top of an
:class:`~aiopslab_bridge.backend.OrchestratorBackend`.

    python -m aiopslab_bridge --host 127.0.0.1 --port 8000        # beside an AIOpsLab checkout, its cluster up

Every request but ``GET /health`` needs ``Authorization: Bearer <token>`` when ``ROLLOUTS_API_TOKEN`` (or
``--token-env``'s variable) is set.
"""

from __future__ import annotations

import argparse
import hmac
import json
import os
import re
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .backend import BridgeError, OrchestratorBackend

_SESSIONS = re.compile(r"^/problems/([^/]+)/sessions$")
_ACTIONS = re.compile(r"^/sessions/([^/]+)/actions$")
_EVALUATION = re.compile(r"^/sessions/([^/]+)/evaluation$")
_SESSION = re.compile(r"^/sessions/([^/]+)$")


class BridgeServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, backend: OrchestratorBackend, host: str = "127.0.0.1", port: int = 8000,
                 token: str | None = None, sweep_interval: float = 5.0):
        super().__init__((host, port), _Handler)
        self.backend = backend
        self.token = token or None
        self._stop = threading.Event()
        self._sweeper = threading.Thread(target=self._sweep, args=(sweep_interval,), name="bridge-sweeper",
                                         daemon=True)
        self._sweeper.start()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def _sweep(self, interval: float) -> None:
        while not self._stop.wait(interval):
            try:
                self.backend.expire_idle()
            except Exception as error:  # noqa: BLE001 - keep sweeping; the next request reports the state
                print(f"aiopslab-bridge: idle cleanup failed: {error}", file=sys.stderr)

    def server_close(self) -> None:
        self._stop.set()
        super().server_close()


class _Handler(BaseHTTPRequestHandler):
    server: BridgeServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        path = urllib.parse.urlsplit(self.path).path
        try:
            body = self._body()
            if method == "GET" and path == "/health":
                return self._send(200, {"status": "UP"})
            self._authorise()
            backend = self.server.backend
            if method == "GET" and path == "/problems":
                return self._send(200, {"problems": [{"id": p} for p in backend.problems()]})
            if method == "POST" and (m := _SESSIONS.match(path)):
                # AIOpsLab's problems are not seedable: a seed is accepted and has no effect.
                return self._send(201, backend.open(urllib.parse.unquote(m.group(1))))
            if method == "POST" and (m := _ACTIONS.match(path)):
                action, response = body.get("action"), body.get("response")
                if not isinstance(action, str) and not isinstance(response, str):
                    raise BridgeError(400, 'action: required, e.g. {"action": "exec_shell(\\"kubectl get pods -A\\")"}')
                if isinstance(action, str) and not action.strip():
                    raise BridgeError(400, "action: must not be blank")
                return self._send(200, backend.act(m.group(1), action if isinstance(action, str) else None,
                                                   None if isinstance(action, str) else response))
            if method == "POST" and (m := _EVALUATION.match(path)):
                return self._send(200, backend.evaluate(m.group(1)))
            if method == "DELETE" and (m := _SESSION.match(path)):
                backend.close(m.group(1))
                return self._send(204, None)
            raise BridgeError(404, f"no such endpoint: {method} {path}")
        except BridgeError as error:
            self._send(error.status, {"status": error.status, "error": error.message})
        except Exception as error:  # noqa: BLE001 - AIOpsLab failed: say so, keep serving
            self._send(502, {"status": 502, "error": f"AIOpsLab failed: {type(error).__name__}: {error}"})

    def _authorise(self) -> None:
        token = self.server.token
        if token is None:
            return
        given = self.headers.get("Authorization", "")
        if not hmac.compare_digest(given.strip().encode(), f"Bearer {token}".encode()):
            raise BridgeError(401, "missing or wrong bearer token")

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        if not length:
            return {}
        try:
            body = json.loads(self.rfile.read(length).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise BridgeError(400, "body: not valid JSON") from None
        if not isinstance(body, dict):
            raise BridgeError(400, "body: expected a JSON object")
        return body

    def _send(self, status: int, body: Any) -> None:
        data = b"" if body is None else json.dumps(body, default=str).encode("utf-8")
        self.send_response(status)
        if status in (429, 503):
            self.send_header("Retry-After", "5")
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="aiopslab-bridge", description="rollout-batch's environment protocol on "
                                     "top of AIOpsLab's orchestrator")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--max-steps", type=int, default=30, help="step budget of a session")
    parser.add_argument("--idle-timeout", type=float, default=600, help="seconds before an idle session is "
                        "cleaned up (fault recovered, application removed)")
    parser.add_argument("--token-env", default="ROLLOUTS_API_TOKEN", help="variable holding the bearer token")
    parser.add_argument("--results-dir", default=None, help="where AIOpsLab writes its session JSON files")
    args = parser.parse_args(argv)
    try:
        from aiopslab.orchestrator import Orchestrator  # AIOpsLab: aiopslab/orchestrator/__init__.py
    except ImportError as error:
        print(f"aiopslab-bridge: cannot import AIOpsLab ({error}); run inside AIOpsLab's environment "
              "(poetry shell in its checkout)", file=sys.stderr)
        return 2
    backend = OrchestratorBackend(Orchestrator(results_dir=args.results_dir), args.max_steps, args.idle_timeout)
    server = BridgeServer(backend, args.host, args.port, os.environ.get(args.token_env))
    print(f"aiopslab-bridge: serving on {server.url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        backend.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
