// SPDX-License-Identifier: MIT
#include "backends/remote_backends.h"

#include <chrono>
#include <nlohmann/json.hpp>

#include "net/http_client.h"
#include "net/retry_policy.h"

namespace cmdai {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct HttpResponse {
  long status = 0;
  std::string body;
};

// Sends `body` as JSON (POST, when non-empty) or GETs `url`, retrying by the
// net rules. Returns the final response for any HTTP status but a transient
// one (the caller interprets 4xx), or fails with kNetwork (cannot connect,
// timed out, 5xx/429 after retries) or kInterrupted. `what` names the
// server in messages ("Ollama at …").
Result<HttpResponse> Call(const std::string& url, const std::string& body, const HttpOptions& o,
                          const std::string& what) {
  net::HttpRequest req;
  req.method = body.empty() ? "GET" : "POST";
  req.url = url;
  req.body = body;
  req.headers = {"Content-Type: application/json"};
  req.headers.insert(req.headers.end(), o.headers.begin(), o.headers.end());
  req.connect_timeout_s = o.connect_timeout_s;
  req.total_timeout_s = o.total_timeout_s;
  net::RetryPolicy policy;
  policy.max_attempts = std::max(1, o.max_attempts);
  int attempts = 0;
  const net::Exchange ex = net::RunWithRetries(
      policy,
      [&](int n) {
        attempts = n;
        return net::Perform(req);
      },
      [&](const net::RetryNotice& n) {
        if (o.note) o.note("retrying " + what + " " + net::RetryTail(n) + ": " + net::Describe(*n.failed, req));
      });
  switch (ex.failure) {
    case net::Failure::kNone: break;
    case net::Failure::kInterrupted: return Status::Error(ErrorCode::kInterrupted, "interrupted");
    case net::Failure::kTimeout:
      return Status::Error(ErrorCode::kNetwork,
                           what + " did not answer within " + std::to_string(o.total_timeout_s) + " s",
                           "check the server's load, or raise request_timeout_s");
    default:
      return Status::Error(ErrorCode::kNetwork, "cannot reach " + what + ": " + ex.detail,
                           "start the server or fix its address, or use --backend embedded");
  }
  if (net::IsTransient(ex))  // 429 or 5xx, and no attempts left
    return Status::Error(
        ErrorCode::kNetwork,
        what + " answered HTTP " + std::to_string(ex.status) + " after " + std::to_string(attempts) + " attempts",
        ex.status == 429 ? "the server is rate-limiting; try again later" : "check the server's log");
  return HttpResponse{ex.status, ex.body};
}

json Messages(const GenerationRequest& r) {
  json m = json::array();
  for (const auto& msg : r.messages) m.push_back({{"role", msg.role}, {"content", msg.content}});
  return m;
}

std::string ServerError(const std::string& body) {
  try {
    auto j = json::parse(body);
    if (j.contains("error")) {
      const auto& e = j["error"];
      if (e.is_string()) return e.get<std::string>();
      if (e.is_object() && e.contains("message")) return e["message"].get<std::string>();
    }
  } catch (const json::exception&) {
  }
  return body.substr(0, 200);
}

Status Refused(const std::string& what, const HttpResponse& r) {
  return Status::Error(ErrorCode::kBackend,
                       what + " refused the request (HTTP " + std::to_string(r.status) + "): " + ServerError(r.body));
}

std::string GbnfLiteral(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\n')
      out += "\\n";
    else if (c == '"' || c == '\\')
      out += std::string("\\") + c;
    else
      out += c;
  }
  return out + "\"";
}

}  // namespace

std::string FullAnswerGrammar(const GenerationRequest& r) {
  std::string g = r.grammar;
  const auto root = g.find("root ::=");
  if (root == std::string::npos) return g;
  g.replace(root, 8, "answer ::=");
  return "root ::= " + GbnfLiteral(r.answer_prefix) + " answer\n" + g;
}

// ---- Ollama ---------------------------------------------------------------

Result<std::unique_ptr<OllamaBackend>> OllamaBackend::Open(const OllamaOptions& o) {
  const std::string what = "Ollama at " + o.host;
  auto tags = Call(o.host + "/api/tags", "", o.http, what);
  if (!tags.ok()) return tags.status();
  if (tags->status != 200)
    return Status::Error(ErrorCode::kNetwork, what + " answered HTTP " + std::to_string(tags->status) + " to /api/tags",
                         "is this an Ollama server? check ollama.host / OLLAMA_HOST");
  try {
    const auto j = json::parse(tags->body);
    const std::string want = o.model.find(':') == std::string::npos ? o.model + ":latest" : o.model;
    for (const auto& m : j.at("models")) {
      const std::string name = m.value("name", m.value("model", ""));
      if (name == o.model || name == want) return std::unique_ptr<OllamaBackend>(new OllamaBackend(o));
    }
  } catch (const json::exception& e) {
    return Status::Error(ErrorCode::kBackend, "malformed answer from " + what + " to /api/tags",
                         "check that ollama.host points at Ollama");
  }
  return Status::Error(ErrorCode::kNotFound, "the model '" + o.model + "' is not available in " + what,
                       "run: ollama pull " + o.model);
}

Result<Generation> OllamaBackend::Generate(const GenerationRequest& r) {
  const std::string what = "Ollama at " + o_.host;
  json body = {{"model", o_.model},
               {"messages", Messages(r)},
               {"stream", false},
               {"keep_alive", o_.keep_alive},
               {"options", {{"temperature", r.temperature}, {"num_predict", r.max_tokens}, {"seed", r.seed}}}};
  const bool schema = o_.json_schema && !r.grammar.empty();
  if (schema)
    body["format"] = {{"type", "object"},
                      {"properties", {{"command", {{"type", "string"}}}, {"explanation", {{"type", "string"}}}}},
                      {"required", {"command", "explanation"}}};
  const auto start = Clock::now();
  auto resp = Call(o_.host + "/api/chat", body.dump(), o_.http, what);
  if (!resp.ok()) return resp.status();
  if (resp->status == 404)
    return Status::Error(ErrorCode::kNotFound, what + ": " + ServerError(resp->body), "run: ollama pull " + o_.model);
  if (resp->status != 200) return Refused(what, *resp);
  Generation g;
  try {
    const auto j = json::parse(resp->body);
    std::string content = j.at("message").at("content").get<std::string>();
    if (schema) {
      const auto obj = json::parse(content);
      content = r.answer_prefix + obj.at("command").get<std::string>() + "\n```\n" + obj.value("explanation", "");
    }
    g.text = content;
    g.truncated = j.value("done_reason", "") == "length";
    g.timings.prompt_tokens = j.value("prompt_eval_count", 0);
    g.timings.generated_tokens = j.value("eval_count", 0);
    g.timings.prefill_ms = j.value("prompt_eval_duration", 0.0) / 1e6;
    g.timings.generation_ms = j.value("eval_duration", 0.0) / 1e6;
  } catch (const json::exception&) {
    return Status::Error(ErrorCode::kBackend, "malformed answer from " + what, "check the Ollama version and its log");
  }
  if (g.timings.generation_ms == 0)
    g.timings.generation_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return g;
}

std::string OllamaBackend::Describe() const { return "Ollama at " + o_.host + ", model " + o_.model; }
BackendInfo OllamaBackend::Info() const { return {"ollama", o_.model, o_.host, 0}; }

// ---- OpenAI-compatible ---------------------------------------------------

Result<Generation> OpenAiBackend::Generate(const GenerationRequest& r) {
  const std::string what = "the server at " + o_.base_url;
  json body = {
      {"messages", Messages(r)}, {"max_tokens", r.max_tokens}, {"temperature", r.temperature}, {"stream", false}};
  if (!o_.model.empty()) body["model"] = o_.model;
  if (r.temperature > 0) body["seed"] = r.seed;
  if (o_.gbnf && !r.grammar.empty()) body["grammar"] = FullAnswerGrammar(r);
  HttpOptions http = o_.http;
  if (!o_.api_key.empty()) http.headers.push_back("Authorization: Bearer " + o_.api_key);
  const auto start = Clock::now();
  auto resp = Call(o_.base_url + "/v1/chat/completions", body.dump(), http, what);
  if (!resp.ok()) return resp.status();
  if (resp->status == 401 || resp->status == 403)
    return Status::Error(
        ErrorCode::kPermission, what + " refused the API key (HTTP " + std::to_string(resp->status) + ")",
        "set " + (o_.api_key_env.empty() ? std::string("the API key variable") : o_.api_key_env) + " to a valid key");
  if (resp->status == 404) {
    const std::string msg = ServerError(resp->body);
    if (msg.find("model") != std::string::npos)
      return Status::Error(ErrorCode::kNotFound, "the model '" + o_.model + "' is not served by " + what + ": " + msg,
                           "set openai.model (or --model) to one the server lists at /v1/models");
    return Status::Error(ErrorCode::kNotFound, o_.base_url + "/v1/chat/completions was not found",
                         "check openai.base_url (without /v1)");
  }
  if (resp->status != 200) return Refused(what, *resp);
  Generation g;
  try {
    const auto j = json::parse(resp->body);
    const auto& choice = j.at("choices").at(0);
    g.text = choice.at("message").at("content").get<std::string>();
    g.truncated = choice.value("finish_reason", "") == "length";
    if (j.contains("usage")) {
      g.timings.prompt_tokens = j["usage"].value("prompt_tokens", 0);
      g.timings.generated_tokens = j["usage"].value("completion_tokens", 0);
    }
  } catch (const json::exception&) {
    return Status::Error(ErrorCode::kBackend, "malformed answer from " + what,
                         "check that openai.base_url points at an OpenAI-compatible server");
  }
  g.timings.generation_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return g;
}

std::string OpenAiBackend::Describe() const {
  return "OpenAI-compatible server at " + o_.base_url + (o_.model.empty() ? "" : ", model " + o_.model);
}
BackendInfo OpenAiBackend::Info() const { return {"openai", o_.model, o_.base_url, 0}; }

}  // namespace cmdai
