#!/usr/bin/env python3
"""A webhook receiver for CamProbe's tests: a real HTTP(S) server on 127.0.0.1.

Prints {"port": N} as its first stdout line once listening, then:

  POST /_script    {"path": "/hook", "responses": [{"status": 500},
                    {"status": 429, "retry_after": "2"}, {"delay": 10},
                    {"status": 302, "location": "http://..."}, {"status": 200}]}
                   Responses for that path, consumed in order; afterwards (and
                   for unscripted paths) 200. "delay" holds the response that many
                   seconds; "body" sets the response body (default "ok").
  GET  /_received  {"requests": [{method, path, headers: [[name, value]], body,
                    body_b64, time, signature_ok}], "max_concurrent": N}
                   max_concurrent: most requests being handled at once.
  POST /_reset     Forgets requests, scripts and max_concurrent.

Options: --secret S verifies X-CamProbe-Signature (t=<unix>,v1=<hex HMAC-SHA256
of "<t>." + body>) and records signature_ok; --tls-cert/--tls-key serve HTTPS.
Exits when stdin reaches end of file, so a test run that dies takes it along,
unless --ignore-stdin.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SIGNATURE_HEADER = "X-CamProbe-Signature"
SIGNATURE_TOLERANCE = 300


class State:
    def __init__(self, secret):
        self.secret = secret
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.requests = []
            self.scripts = {}
            self.in_flight = 0
            self.max_concurrent = 0

    def begin(self, record):
        with self.lock:
            self.requests.append(record)
            self.in_flight += 1
            self.max_concurrent = max(self.max_concurrent, self.in_flight)
            script = self.scripts.get(record["path"])
            return script.pop(0) if script else {}

    def end(self):
        with self.lock:
            self.in_flight -= 1


def signature_ok(secret, header, body):
    if header is None:
        return False
    fields = dict(part.strip().split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields.get("t", ""))
    except ValueError:
        return False
    if abs(time.time() - timestamp) > SIGNATURE_TOLERANCE:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields.get("v1", ""))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: State = None

    def setup(self):
        # The TLS handshake runs here, on the connection's own thread, not in
        # accept() on the serving thread where one stalled client blocks all.
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(10)
            self.request.do_handshake()
            self.request.settimeout(None)
        super().setup()

    def handle(self):
        try:
            super().handle()
        except (ssl.SSLError, ConnectionError, TimeoutError) as error:
            self.log_message("connection failed: %s", error)

    def log_message(self, format, *args):
        sys.stderr.write("webhook-receiver: " + (format % args) + "\n")

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, value):
        self.send(200, json.dumps(value).encode(), [("Content-Type", "application/json")])

    def do_GET(self):
        if self.path == "/_received":
            with self.state.lock:
                self.send_json({"requests": list(self.state.requests), "max_concurrent": self.state.max_concurrent})
            return
        self.hook()

    def do_POST(self):
        if self.path == "/_script":
            script = json.loads(self.read_body())
            with self.state.lock:
                self.state.scripts[script["path"]] = list(script["responses"])
            self.send_json({"ok": True})
        elif self.path == "/_reset":
            self.read_body()
            self.state.reset()
            self.send_json({"ok": True})
        else:
            self.hook()

    do_PUT = do_POST

    def hook(self):
        body = self.read_body()
        record = {
            "method": self.command,
            "path": self.path,
            "headers": [[name, value] for name, value in self.headers.items()],
            "body": body.decode("utf-8", errors="replace"),
            "body_b64": base64.b64encode(body).decode(),
            "time": time.time(),
        }
        if self.state.secret is not None:
            record["signature_ok"] = signature_ok(self.state.secret, self.headers.get(SIGNATURE_HEADER), body)
        response = self.state.begin(record)
        try:
            if response.get("delay"):
                time.sleep(float(response["delay"]))
            headers = [("Content-Type", "text/plain")]
            if "retry_after" in response:
                headers.append(("Retry-After", str(response["retry_after"])))
            if "location" in response:
                headers.append(("Location", response["location"]))
            self.send(int(response.get("status", 200)), response.get("body", "ok").encode(), headers)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)
        finally:
            self.state.end()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--secret")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--ignore-stdin", action="store_true")
    parser.add_argument("--port", type=int, default=0, help="listen on this port (default: any free one)")
    args = parser.parse_args()

    Handler.state = State(args.secret)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)

    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps({"port": server.server_address[1]}), flush=True)

    if args.ignore_stdin:
        threading.Event().wait()
    else:
        while sys.stdin.buffer.read(4096):
            pass
    os._exit(0)


if __name__ == "__main__":
    main()
