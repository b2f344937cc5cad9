"""A real HTTP receiver for the outbound tests: http.server in a thread on a free port of the
loopback, answering as it is told — ok, fail (500), slow (stores the record, then sleeps past
the sender's timeout before answering) — and, like a well-behaved receiver, answering 409
duplicate to a record key it already holds."""

from __future__ import annotations

import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self):
        self.modes: deque[str] = deque()
        self.default = "ok"
        self.requests: list[dict] = []
        self.stored: dict[str, dict] = {}
        self.slow_seconds = 2.0
        self._release = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        port = self.server.server_address[1]
        return f"http://127.0.0.1:{port}/records"

    def answer(self, *modes: str) -> None:
        """The next answers, in order; then `default`."""
        self.modes.extend(modes)

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver.requests.append({"headers": headers, "body": body, "path": self.path})
                mode = receiver.modes.popleft() if receiver.modes else receiver.default
                key = headers.get("idempotency-key", "")
                if mode == "fail":
                    return self._answer(500, {"error": "internal error"})
                if key in receiver.stored:
                    return self._answer(409, {"code": "duplicate"})
                receiver.stored[key] = json.loads(body)
                if mode == "slow":
                    # Stored, but the answer comes after the sender gave up.
                    receiver._release.wait(receiver.slow_seconds)
                return self._answer(200, {"ok": True})

            def _answer(self, status, data):
                payload = json.dumps(data).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:  # the sender hung up (it timed out)
                    pass

        return Handler

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
