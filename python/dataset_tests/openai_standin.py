"""A stand-in for an OpenAI-compatible Chat Completions server (what vLLM or OpenAI would be), so a collect run
with native tool calling works offline.

It plays a two-step agent: the first turn inspects the pods with ``exec_shell``, the second submits an answer built
from the ``submit`` tool's parameter schema (so every task type gets a well-formed call). With ``tools`` in the
request it answers with ``tool_calls`` (finish_reason ``tool_calls``); without, with AIOpsLab's text protocol (one
API call in a code block). The first ``fail_first`` requests get a non-retryable HTTP 400, so a run has failed
episodes too. Usage is reported the OpenAI way (cached tokens inside prompt_tokens).
"""

import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class OpenAiStandIn:
    def __init__(self, fail_first: int = 1):
        self.fail_first = fail_first
        self.requests = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
                    return
                with standin._lock:
                    standin.requests.append(body)
                    number = len(standin.requests)
                if number <= standin.fail_first:
                    self._send(400, {"error": {"message": "stand-in: request rejected on purpose",
                                               "type": "invalid_request_error", "code": "rejected"}})
                    return
                self._send(200, standin.completion(body, next(standin._ids)))

            def _send(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def completion(self, body: dict, number: int) -> dict:
        messages = body.get("messages", [])
        turn = sum(1 for m in messages if m.get("role") == "assistant")
        tools = body.get("tools") or []
        name, arguments = ("exec_shell", {"command": "kubectl get pods -A"}) if turn == 0 \
            else ("submit", self._submission(tools))
        prompt_tokens = 40 * len(messages) + 200
        cached = 64 if turn > 0 else 0
        if tools:
            message = {"role": "assistant", "content": None, "tool_calls": [{
                "id": f"call_{number}", "type": "function",
                "function": {"name": name, "arguments": json.dumps(arguments)}}]}
            finish = "tool_calls"
        else:
            rendered = ", ".join(json.dumps(v) for v in arguments.values())
            message = {"role": "assistant", "content": f"Next step.\n\n```\n{name}({rendered})\n```"}
            finish = "stop"
        return {
            "id": f"chatcmpl-standin-{number}", "object": "chat.completion", "created": 1764460800,
            "model": body.get("model", "standin"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": 17, "total_tokens": prompt_tokens + 17,
                      "prompt_tokens_details": {"cached_tokens": cached}},
        }

    @staticmethod
    def _submission(tools: list) -> dict:
        submit = next((t["function"] for t in tools if t.get("function", {}).get("name") == "submit"), None)
        properties = (submit or {}).get("parameters", {}).get("properties", {})
        values = {"string": "Yes", "array": ["user-service", "mongodb-geo"],
                  "object": {"system_level": "Application", "fault_type": "Misconfiguration"}}
        return {name: values.get(spec.get("type"), "Yes") for name, spec in properties.items()}
