// SPDX-License-Identifier: MIT
#include "cli/report.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/visible_text.h"

namespace cmdai {
namespace {

nlohmann::ordered_json GroundingJson(const std::vector<ground::GroundFinding>& findings) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const auto& f : findings)
    a.push_back({{"kind", ground::KindName(f.kind)},
                 {"utility", f.utility},
                 {"item", f.item},
                 {"message", f.message},
                 {"hint", f.hint},
                 {"start", f.start},
                 {"end", f.end}});
  return a;
}

nlohmann::ordered_json ToJson(const Report& r) {
  nlohmann::ordered_json j;
  j["request"] = r.request;
  j["command"] = r.command;
  j["explanation"] = r.explanation;
  j["shell"] = r.shell;
  j["risk"] = safety::RiskName(r.assessment.risk);
  j["decision"] = safety::DecisionName(r.assessment.decision);
  j["safety_level"] = safety::LevelName(r.assessment.level);
  j["findings"] = nlohmann::ordered_json::array();
  for (const auto& f : r.assessment.findings)
    j["findings"].push_back({{"rule", f.rule},
                             {"risk", safety::RiskName(f.risk)},
                             {"message", f.message},
                             {"start", f.start},
                             {"end", f.end}});
  j["backend"] = r.backend.name;
  j["model"] = r.backend.model;
  j["device"] = r.backend.device;
  j["timings"] = {{"load_ms", r.backend.load_ms},
                  {"prefill_ms", r.timings.prefill_ms},
                  {"generation_ms", r.timings.generation_ms},
                  {"total_ms", r.total_ms},
                  {"command_ms", r.command_ms},
                  {"explanation_ms", r.explanation_ms},
                  {"prompt_tokens", r.timings.prompt_tokens},
                  {"generated_tokens", r.timings.generated_tokens}};
  j["timings"]["grounding_ms"] = r.grounding_stats.ms;
  j["executed"] = r.executed;
  j["exit_status"] = r.exit_status ? nlohmann::ordered_json(*r.exit_status) : nlohmann::ordered_json(nullptr);
  j["grounding"] = GroundingJson(r.grounding);
  if (r.grounding_revision) {
    const auto& g = *r.grounding_revision;
    j["grounding_revision"] = {{"first_command", g.first_command},
                               {"first_findings", GroundingJson(g.first_findings)},
                               {"second_command", g.second_command},
                               {"used", g.used_second ? "second" : "first"},
                               {"note", g.note}};
  } else {
    j["grounding_revision"] = nullptr;
  }
  return j;
}

void Emit(YAML::Emitter& out, const nlohmann::ordered_json& j) {
  if (j.is_object()) {
    out << YAML::BeginMap;
    for (auto it = j.begin(); it != j.end(); ++it) {
      out << YAML::Key << it.key() << YAML::Value;
      Emit(out, it.value());
    }
    out << YAML::EndMap;
  } else if (j.is_array()) {
    out << YAML::BeginSeq;
    for (const auto& e : j) Emit(out, e);
    out << YAML::EndSeq;
  } else if (j.is_string()) {
    out << YAML::DoubleQuoted << j.get<std::string>();
  } else if (j.is_boolean()) {
    out << j.get<bool>();
  } else if (j.is_number_integer()) {
    out << j.get<long long>();
  } else if (j.is_number()) {
    // JSON's shortest form that reads back the same (0.721367, as in -o
    // json), not yaml-cpp's 17 digits (0.72136699999999998); a plain scalar.
    out << j.dump();
  } else {
    out << YAML::Null;
  }
}

}  // namespace

std::string ReportJson(const Report& r) {
  return ToJson(r).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string ReportYaml(const Report& r) {
  // Through JSON first so both formats carry the same fields, and invalid
  // UTF-8 is replaced the same way.
  const auto j = nlohmann::ordered_json::parse(ReportJson(r));
  YAML::Emitter out;
  Emit(out, j);
  return std::string(out.c_str()) + "\n";
}

std::string ProductText(const Report& r, Output output, bool stdout_tty) {
  if (output == Output::kJson) return ReportJson(r) + "\n";
  if (output == Output::kYaml) return ReportYaml(r);
  return (stdout_tty ? VisibleText(r.command) : r.command) + "\n";
}

std::string TimingLines(const Report& r, const std::string& describe) {
  const Timings& t = r.timings;
  const BackendInfo& b = r.backend;
  const int fresh = t.prompt_tokens - t.cached_tokens;
  const double fresh_ms = t.prefill_ms - t.restore_ms;
  // On a GPU, when its device context was there: the weights' buffer waits for it.
  const std::string device =
      b.device_ready_ms > 0 ? "; device ready at " + std::to_string(static_cast<long>(b.device_ready_ms + 0.5)) : "";
  // Tokens the grammar forced (the closing fence) are part of the answer but
  // took no model step.
  const std::string forced = t.forced_tokens > 0 ? " (" + std::to_string(t.forced_tokens) + " forced)" : "";
  const int stepped = t.generated_tokens - t.forced_tokens;
  char line[768];
  std::snprintf(line, sizeof(line),
                "cmdai: %s\n"
                "cmdai: load %.0f ms (metadata %.0f alongside backends %.0f, then waited %.0f, weights %.0f, context "
                "%.0f%s) | prompt %d tokens: %d "
                "restored in %.1f ms, %d prefilled in %.0f ms (%.1f tok/s) | generation %d tokens%s in %.0f ms "
                "(%.1f tok/s) | total %.0f ms\n",
                describe.c_str(), b.load_ms, b.metadata_ms, b.backends_ms, b.backends_wait_ms,
                std::max(0.0, b.model_ms - b.metadata_ms - b.backends_wait_ms), b.context_ms, device.c_str(),
                t.prompt_tokens, t.cached_tokens, t.restore_ms, fresh, fresh_ms,
                fresh_ms > 0 ? fresh * 1000.0 / fresh_ms : 0.0, t.generated_tokens, forced.c_str(), t.generation_ms,
                t.generation_ms > 0 ? stepped * 1000.0 / t.generation_ms : 0.0, r.total_ms);
  std::string out = line;
  if (r.command_ms > 0) {
    std::snprintf(line, sizeof(line), "cmdai: time to command %.0f ms, to explanation %.0f ms\n", r.command_ms,
                  r.explanation_ms);
    out += line;
  }
  // Grounding is its own phase: the checks, then the revise round if any.
  const ground::GroundStats& g = r.grounding_stats;
  if (g.commands > 0 || g.ms > 0) {
    std::snprintf(line, sizeof(line),
                  "cmdai: grounding %.1f ms (%d commands, %d help texts read, %d from the cache), %zu findings\n", g.ms,
                  g.commands, g.probes_run, g.probes_cached, r.grounding.size());
    out += line;
  }
  if (r.grounding_revision) {
    const Timings& rt = r.revise_timings;
    std::snprintf(line, sizeof(line), "cmdai: revise round: %d tokens in %.0f ms, showing the %s answer\n",
                  rt.generated_tokens, rt.prefill_ms + rt.generation_ms,
                  r.grounding_revision->used_second ? "second" : "first");
    out += line;
  }
  return out;
}

}  // namespace cmdai
