#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A small HTTP server for the unit tests of src/net: each rule of the client
and the retry policy meets a real socket.

  any method, any path:
    -> the next of "statuses" (consumed in order), with "retry_after" as its
       Retry-After header when set; then
    -> "redirect": 302 to that path, for paths other than it;
    -> 200 (206 with a Range) with "body", sliced from the Range's start;
       "echo": true answers with the request as JSON instead;
  faults: "silent": [N, …] (accept, then answer nothing for N s; one element
  a request, consumed in order); each once: "stall_after": N (send N body bytes, then nothing), "drop_after": N (send N
  body bytes, then close).
Every request is logged (local_server.py) with method, path, range and body.
"""
import json
import time

from local_server import Handler, config, once, record, serve, take


class Net(Handler):
    def do_GET(self):
        self.answer()

    def do_HEAD(self):
        self.answer(head=True)

    def do_POST(self):
        self.answer()

    def answer(self, head=False):
        length = int(self.headers.get("Content-Length", "0"))
        sent = self.rfile.read(length).decode() if length else ""
        record({"method": self.command, "path": self.path, "range": self.headers.get("Range"), "body": sent})
        cfg = config()
        silence = take("silent")
        if silence:
            time.sleep(silence)
            self.close_connection = True
            return
        status = take("statuses")
        if status:
            body = ("error %d" % status).encode()
            self.send_response(status)
            if cfg.get("retry_after") is not None:
                self.send_header("Retry-After", cfg["retry_after"])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)
            return
        if cfg.get("redirect") and self.path != cfg["redirect"]:
            self.send_response(302)
            self.send_header("Location", cfg["redirect"])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if cfg.get("echo"):
            data = json.dumps({"method": self.command, "path": self.path, "body": sent,
                               "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
        else:
            data = cfg.get("body", "").encode()
        data = self.start_body(data, {"X-Test": "yes"})
        if data is None or head:
            return
        cut = None
        if cfg.get("stall_after") is not None and once("stall"):
            cut, stall = cfg["stall_after"], True
        elif cfg.get("drop_after") is not None and once("drop"):
            cut, stall = cfg["drop_after"], False
        if cut is None:
            self.wfile.write(data)
            return
        self.cut_short(data[:cut], stall)


serve(Net)
