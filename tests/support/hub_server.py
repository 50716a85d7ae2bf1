#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A local stand-in for the Hugging Face hub, for cmdai's download tests.

It speaks the hub's protocol as cmdai (and huggingface_hub) use it:
  HEAD/GET /OWNER/REPO/resolve/REVISION/FILE
      -> 302 to /cdn/SHA256 with X-Repo-Commit, X-Linked-Etag, X-Linked-Size, ETag
      -> 401 when a token is required and missing or wrong; 404 for unknown files
  GET /cdn/SHA256  -> the bytes, honouring Range (206 + Content-Range)

Faults are read from a JSON file on every request, so a test can change them:
  {"files": {"owner/repo/file": {"path": "...", "commit": "abc"}},
   "token": "secret",                 # require "Authorization: Bearer secret"
   "meta_status": [500],              # statuses answered first by resolve/, consumed in order
   "meta_stall": 3600,                # accept the first resolve/ request, then answer nothing this long
   "cdn_status": [429],               # same for /cdn/
   "retry_after": "1",                # Retry-After header on 429s
   "drop_after": 1000000,             # close the first body connection after N bytes
   "stall_after": 1000000,            # stop sending (but stay connected) after N bytes, once
   "bytes_per_second": 0,             # throttle bodies when > 0
   "corrupt": false,                  # serve different bytes than the SHA-256 says
   "fake_size": 0}                    # announce this size instead of the real one
Every request is appended to the log file as one JSON line (local_server.py).
"""
import hashlib
import os
import time

from local_server import Handler, config, once, record, serve, take

sha_cache = {}


def sha256(path):
    if path not in sha_cache:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        sha_cache[path] = h.hexdigest()
    return sha_cache[path]


class Hub(Handler):
    def status_only(self, code, headers=None):
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self):
        self.handle_request(head=True)

    def do_GET(self):
        self.handle_request(head=False)

    def handle_request(self, head):
        record({"method": self.command, "path": self.path, "range": self.headers.get("Range"),
                "auth": self.headers.get("Authorization")})
        cfg = config()
        parts = self.path.split("/")
        if len(parts) >= 6 and parts[3] == "resolve":
            return self.resolve(cfg, "/".join(parts[1:3]), parts[4], "/".join(parts[5:]))
        if len(parts) == 3 and parts[1] == "cdn":
            return self.cdn(cfg, parts[2], head)
        self.status_only(404)

    def resolve(self, cfg, repo, revision, name):
        if cfg.get("meta_stall") and once("meta_stall"):
            time.sleep(cfg["meta_stall"])
            self.close_connection = True
            return
        status = take("meta_status")
        if status:
            return self.status_only(status, {"Retry-After": cfg.get("retry_after", "0")})
        token = cfg.get("token")
        if token and self.headers.get("Authorization") != "Bearer " + token:
            return self.status_only(401, {"X-Error-Code": "GatedRepo"})
        entry = cfg["files"].get(repo + "/" + name)
        if not entry or revision not in ("main", entry.get("commit", "")):
            return self.status_only(404, {"X-Error-Code": "EntryNotFound"})
        sha = sha256(entry["path"])
        size = cfg.get("fake_size") or os.path.getsize(entry["path"])
        # Another host name for the same server, as the hub redirects to a CDN.
        cdn = "http://localhost:%d/cdn/%s" % (self.server.server_address[1], sha)
        self.status_only(302, {"Location": cdn, "X-Repo-Commit": entry.get("commit", "c0ffee"),
                               "X-Linked-Etag": '"%s"' % sha, "X-Linked-Size": str(size), "ETag": '"%s"' % sha})

    def cdn(self, cfg, sha, head):
        status = take("cdn_status")
        if status:
            return self.status_only(status, {"Retry-After": cfg.get("retry_after", "0")})
        path = next((e["path"] for e in cfg["files"].values() if sha256(e["path"]) == sha), None)
        if not path:
            return self.status_only(404)
        with open(path, "rb") as f:
            data = f.read()
        if cfg.get("corrupt"):
            data = bytes([data[0] ^ 0xFF]) + data[1:]
        body = self.start_body(data, {"Accept-Ranges": "bytes"})
        if body is None:
            return
        if head:
            return
        drop = cfg.get("drop_after")
        stall = cfg.get("stall_after")
        bps = cfg.get("bytes_per_second", 0)
        sent = 0
        chunk = 64 * 1024
        while sent < len(body):
            piece = body[sent:sent + chunk]
            absolute = len(data) - len(body) + sent
            do_drop = drop and absolute + len(piece) > drop and once("drop")
            do_stall = not do_drop and stall and absolute + len(piece) > stall and once("stall")
            if do_drop or do_stall:
                cut = (drop if do_drop else stall) - absolute
                return self.cut_short(piece[:max(cut, 0)], stall=do_stall)
            try:
                self.wfile.write(piece)
            except (BrokenPipeError, ConnectionResetError):
                return
            sent += len(piece)
            if bps:
                time.sleep(len(piece) / bps)


serve(Hub)
