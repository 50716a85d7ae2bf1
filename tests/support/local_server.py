# SPDX-License-Identifier: MIT
"""The one bootstrap of cmdai's stand-in HTTP servers (hub_server.py,
llm_server.py, net_server.py), started by tests/support/hub_server.cc as

    python3 SCRIPT CONFIG.json LOG PORT_FILE

- serve() binds 127.0.0.1 on a port the OS chooses (port 0) and reports it by
  writing PORT_FILE atomically, so the test reads it only when it is whole and
  the server already listens;
- config() reads CONFIG.json on every call, so a test can change behaviour
  between requests;
- record() appends one JSON line per request to LOG;
- take(key) hands out config()[key] (a list) one element per call, in order,
  then None: "fail the first two requests, then succeed";
- once(key) is True the first time only: "stall once".
Nothing here listens beyond 127.0.0.1.
"""
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CONFIG, LOG, PORT_FILE = sys.argv[1], sys.argv[2], sys.argv[3]
lock = threading.Lock()
_taken = {}
_done = set()


def config():
    with open(CONFIG) as f:
        return json.load(f)


def record(entry):
    with lock, open(LOG, "a") as f:
        f.write(json.dumps(entry) + "\n")


def take(key):
    seq = config().get(key, [])
    with lock:
        n = _taken.get(key, 0)
        if n < len(seq):
            _taken[key] = n + 1
            return seq[n]
    return None


def once(key):
    with lock:
        if key in _done:
            return False
        _done.add(key)
        return True


class Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 and quiet: the tests read LOG, not stderr."""
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def start_body(self, data, headers=None):
        """Answers 200 with `data`, or 206 with its tail for "Range: bytes=N-"
        (416 past the end), sends the headers, and returns the bytes still to
        write (None after a 416)."""
        start = 0
        rng = self.headers.get("Range")
        if rng and rng.startswith("bytes="):
            start = int(rng[6:].split("-")[0])
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            self.send_response(206)
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data)))
        else:
            self.send_response(200)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data) - start))
        self.end_headers()
        return data[start:]

    def cut_short(self, data, stall):
        """Writes `data`, then stalls (stays connected, sends nothing) or, when
        `stall` is False, drops the connection: a transfer broken midway."""
        if data:
            self.wfile.write(data)
            self.wfile.flush()
        if stall:
            time.sleep(3600)
        self.close_connection = True
        self.connection.shutdown(2)


def serve(handler):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    with open(PORT_FILE + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(PORT_FILE + ".tmp", PORT_FILE)
    server.serve_forever()
