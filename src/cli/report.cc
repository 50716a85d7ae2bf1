// SPDX-License-Identifier: MIT
#include "cli/report.h"

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

namespace cmdai {
namespace {

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
                  {"prompt_tokens", r.timings.prompt_tokens},
                  {"generated_tokens", r.timings.generated_tokens}};
  j["executed"] = r.executed;
  j["exit_status"] = r.exit_status ? nlohmann::ordered_json(*r.exit_status) : nlohmann::ordered_json(nullptr);
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
    out << j.get<double>();
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

}  // namespace cmdai
