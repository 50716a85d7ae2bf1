// SPDX-License-Identifier: MIT
#include "serve/protocol.h"

#include <nlohmann/json.hpp>

#include "common/visible_text.h"

namespace cmdai::serve {

using nlohmann::json;

std::string EncodeRequest(const GenerationRequest& r, const std::string& model) {
  json m = json::array();
  for (const auto& msg : r.messages) m.push_back({{"role", msg.role}, {"content", msg.content}});
  json j = {{"version", kProtocolVersion},
            {"model", model},
            {"messages", m},
            {"answer_prefix", r.answer_prefix},
            {"grammar", r.grammar},
            {"stop", r.stop},
            {"max_tokens", r.max_tokens},
            {"temperature", r.temperature},
            {"seed", r.seed}};
  // Omitted when 0, as by a client before it; a server before it ignores it.
  if (r.reusable_chars > 0) j["reusable_chars"] = r.reusable_chars;
  if (!r.forced_after.empty()) j["forced"] = {{"after", r.forced_after}, {"rest", r.forced_rest}};  // likewise
  if (r.on_text) j["stream"] = true;  // omitted otherwise: the request of a client before streaming
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

Result<ServeRequest> DecodeRequest(const std::string& line) {
  try {
    const auto j = json::parse(line);
    if (j.at("version").get<int>() != kProtocolVersion)
      return Status::Error(ErrorCode::kBackend, "protocol version mismatch", "restart cmdai serve");
    GenerationRequest r;
    for (const auto& m : j.at("messages")) r.messages.push_back({m.at("role"), m.at("content")});
    r.answer_prefix = j.at("answer_prefix");
    r.grammar = j.at("grammar");
    r.stop = j.at("stop").get<std::vector<std::string>>();
    r.max_tokens = j.at("max_tokens");
    r.temperature = j.at("temperature");
    r.seed = j.at("seed");
    r.reusable_chars = j.value("reusable_chars", size_t{0});
    if (j.contains("forced")) {
      r.forced_after = j.at("forced").at("after").get<std::string>();
      r.forced_rest = j.at("forced").at("rest").get<std::string>();
    }
    return ServeRequest{r, j.at("model").get<std::string>(), j.value("stream", false)};
  } catch (const json::exception& e) {
    return Status::Error(ErrorCode::kBackend, std::string("malformed request: ") + e.what());
  }
}

std::string EncodePartial(const std::string& answer_so_far) {
  // Only whole characters: a tail split between tokens would become U+FFFD
  // here and its rest something else in the next frame, so the frames would
  // no longer grow one from the other (the live card prints only growth).
  const std::string_view whole(answer_so_far.data(), WholeUtf8Prefix(answer_so_far));
  return json{{"partial", whole}}.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::optional<std::string> DecodePartial(const std::string& line) {
  try {
    const auto j = json::parse(line);
    if (!j.is_object() || !j.contains("partial") || !j.at("partial").is_string()) return std::nullopt;
    return j.at("partial").get<std::string>();
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

std::string EncodeResponse(const Result<Generation>& r, const BackendInfo& info) {
  json j;
  j["model"] = info.model;
  j["device"] = info.device;
  if (r.ok()) {
    const Generation& g = r.value();
    j["ok"] = true;
    j["text"] = g.text;
    j["truncated"] = g.truncated;
    j["timings"] = {{"prefill_ms", g.timings.prefill_ms},       {"generation_ms", g.timings.generation_ms},
                    {"prompt_tokens", g.timings.prompt_tokens}, {"generated_tokens", g.timings.generated_tokens},
                    {"cached_tokens", g.timings.cached_tokens}, {"restore_ms", g.timings.restore_ms},
                    {"forced_tokens", g.timings.forced_tokens}};
  } else {
    j["ok"] = false;
    j["code"] = static_cast<int>(r.status().code());
    j["message"] = r.status().message();
    j["hint"] = r.status().hint();
  }
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

Result<Generation> DecodeResponse(const std::string& line, BackendInfo* info) {
  try {
    const auto j = json::parse(line);
    if (info) {
      info->name = "serve";
      info->model = j.value("model", "");
      info->device = j.value("device", "");
    }
    if (!j.at("ok").get<bool>())
      return Status::Error(static_cast<ErrorCode>(j.at("code").get<int>()), j.at("message"), j.value("hint", ""));
    Generation g;
    g.text = j.at("text");
    g.truncated = j.at("truncated");
    const auto& t = j.at("timings");
    g.timings.prefill_ms = t.at("prefill_ms");
    g.timings.generation_ms = t.at("generation_ms");
    g.timings.prompt_tokens = t.at("prompt_tokens");
    g.timings.generated_tokens = t.at("generated_tokens");
    g.timings.cached_tokens = t.at("cached_tokens");
    g.timings.restore_ms = t.value("restore_ms", 0.0);      // absent from a server before it
    g.timings.forced_tokens = t.value("forced_tokens", 0);  // likewise
    return g;
  } catch (const json::exception& e) {
    return Status::Error(ErrorCode::kBackend, "malformed answer from cmdai serve", "restart cmdai serve");
  }
}

}  // namespace cmdai::serve
