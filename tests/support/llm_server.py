#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A test server that follows Ollama's documented API (no Ollama can run in
CI) and, for fault injection, the OpenAI chat completions API.

Ollama (docs/api.md of ollama/ollama):
  GET  /api/tags  -> {"models": [{"name", "model", "modified_at", "size", "digest", "details"}]}
  POST /api/chat  {"model", "messages", "stream": false, "format"?, "options"?, "keep_alive"?}
                  -> {"model", "created_at", "message": {"role", "content"}, "done": true, "done_reason",
                      "total_duration", "load_duration", "prompt_eval_count", "prompt_eval_duration",
                      "eval_count", "eval_duration"}
                  -> 404 {"error": "model \"x\" not found, try pulling it first"} for unknown models
OpenAI:
  POST /v1/chat/completions -> {"id", "object": "chat.completion", "created", "model",
                                "choices": [{"index", "message": {"role", "content"}, "finish_reason"}], "usage"}

Behaviour comes from a JSON file read on every request:
  {"answer": "...", "json_answer": {"command": "...", "explanation": "..."},
   "models": ["qwen2.5-coder:1.5b"], "key": null,
   "status": [500], "retry_after": "1", "stall_seconds": 0, "malformed": false}
Requests (with bodies) are appended to the log file as JSON lines
(local_server.py).
"""
import json
import time

from local_server import Handler, config, record, serve, take


class Llm(Handler):
    def reply(self, code, obj=None, raw=None, headers=None):
        body = raw.encode() if raw is not None else json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def common(self, body):
        c = config()
        record({"method": self.command, "path": self.path, "body": body, "auth": self.headers.get("Authorization")})
        status = take("status")
        if status:
            self.reply(status, {"error": "injected %d" % status}, headers={"Retry-After": c.get("retry_after", "0")})
            return None
        if c.get("stall_seconds"):
            time.sleep(c["stall_seconds"])
        if c.get("malformed"):
            self.reply(200, raw='{"message": {"content": "unterminated')
            return None
        return c

    def do_GET(self):
        c = self.common(None)
        if c is None:
            return
        if self.path == "/api/tags":
            return self.reply(200, {"models": [{"name": m, "model": m, "modified_at": "2026-11-01T00:00:00Z",
                                                "size": 986000000, "digest": "0" * 64,
                                                "details": {"format": "gguf", "family": "qwen2"}}
                                               for m in c.get("models", [])]})
        self.reply(404, {"error": "not found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        c = self.common(body)
        if c is None:
            return
        if self.path == "/api/chat":
            model = body.get("model", "")
            names = c.get("models", [])
            if model not in names and model + ":latest" not in names:
                return self.reply(404, {"error": 'model "%s" not found, try pulling it first' % model})
            content = json.dumps(c["json_answer"]) if body.get("format") and "json_answer" in c else c["answer"]
            return self.reply(200, {"model": model, "created_at": "2026-11-27T00:00:00Z",
                                    "message": {"role": "assistant", "content": content}, "done": True,
                                    "done_reason": "stop", "total_duration": 5000000, "load_duration": 1000000,
                                    "prompt_eval_count": 42, "prompt_eval_duration": 2000000,
                                    "eval_count": 12, "eval_duration": 3000000})
        if self.path == "/v1/chat/completions":
            if c.get("key") and self.headers.get("Authorization") != "Bearer " + c["key"]:
                return self.reply(401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}})
            if c.get("openai_models") and body.get("model") not in c["openai_models"]:
                return self.reply(404, {"error": {"message": "The model `%s` does not exist" % body.get("model"),
                                                  "type": "invalid_request_error", "code": "model_not_found"}})
            return self.reply(200, {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": body.get("model", "m"),
                                    "choices": [{"index": 0, "message": {"role": "assistant", "content": c["answer"]},
                                                 "finish_reason": "stop"}],
                                    "usage": {"prompt_tokens": 42, "completion_tokens": 12, "total_tokens": 54}})
        self.reply(404, {"error": "not found"})


serve(Llm)
