// SPDX-License-Identifier: MIT
#include "config/config.h"

#include <unistd.h>

#include <toml++/toml.h>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/suggest.h"

namespace cmdai {
namespace {

enum class Kind { kString, kInt, kFloat, kBool, kStringList };

// Lists travel between TOML and the setters as lines.
std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : s) {
    if (ch == '\n') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::string ShowList(const std::vector<std::string>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::string("\"") + v[i] + "\"";
  return s + "]";
}

struct KeyDef {
  KeyInfo info;
  Kind kind;
  // Parses text into the config; returns an error phrase ("must be …") or "".
  std::function<std::string(Config&, const std::string&)> set;
  std::function<std::string(const Config&)> get;
};

std::string ParseInt(const std::string& text, long lo, long hi, int& out) {
  long v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < lo || v > hi)
    return "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
  out = static_cast<int>(v);
  return "";
}

std::string ParseBool(const std::string& text, bool& out) {
  if (text == "true" || text == "1" || text == "yes" || text == "on")
    out = true;
  else if (text == "false" || text == "0" || text == "no" || text == "off")
    out = false;
  else
    return "must be true or false";
  return "";
}

std::string FormatFloat(float f) {
  std::ostringstream s;
  s << f;
  return s.str();
}

const std::vector<std::string> kShells = {"bash", "zsh", "fish", "sh", "pwsh"};

std::string ParseChoice(const std::string& text, const std::vector<std::string>& allowed, std::string& out) {
  for (const auto& a : allowed)
    if (text == a) {
      out = a;
      return "";
    }
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  return "must be one of " + list + DidYouMean(text, allowed);
}

std::vector<KeyDef> MakeDefs();

const std::vector<KeyDef>& Defs() {
  static const std::vector<KeyDef> defs = MakeDefs();
  return defs;
}

std::vector<KeyDef> MakeDefs() {
  std::vector<KeyDef> defs = {
      {{"model", "CMDAI_MODEL", "--model", "path of a local GGUF model; default: the built-in default model"},
       Kind::kString,
       [](Config& c, const std::string& v) {
         c.model = v;
         return std::string();
       },
       [](const Config& c) { return c.model; }},
      {{"shell", "CMDAI_SHELL", "--shell",
        "shell to write commands for: bash, zsh, fish, sh or pwsh; default: from $SHELL"},
       Kind::kString,
       [](Config& c, const std::string& v) { return ParseChoice(v, kShells, c.shell); },
       [](const Config& c) { return c.shell; }},
      {{"device", "CMDAI_DEVICE", "--device",
        "auto, cpu or gpu; default auto (GPU when the build has one and it is present)"},
       Kind::kString,
       [](Config& c, const std::string& v) {
         std::string d;
         std::string err = ParseChoice(v, {"auto", "cpu", "gpu"}, d);
         if (err.empty()) c.device = d == "cpu" ? Device::kCpu : d == "gpu" ? Device::kGpu : Device::kAuto;
         return err;
       },
       [](const Config& c) { return std::string(DeviceName(c.device)); }},
      {{"threads", "CMDAI_THREADS", "--threads", "CPU threads, 0 for one per physical core; default 0"},
       Kind::kInt,
       [](Config& c, const std::string& v) { return ParseInt(v, 0, 1024, c.threads); },
       [](const Config& c) { return std::to_string(c.threads); }},
      {{"context_size", "CMDAI_CONTEXT_SIZE", "--context-size",
        "context window in tokens (prompt plus answer); default 2048"},
       Kind::kInt,
       [](Config& c, const std::string& v) { return ParseInt(v, 256, 131072, c.context_size); },
       [](const Config& c) { return std::to_string(c.context_size); }},
      {{"max_tokens", "CMDAI_MAX_TOKENS", "--max-tokens", "longest answer in tokens; default 128"},
       Kind::kInt,
       [](Config& c, const std::string& v) { return ParseInt(v, 1, 8192, c.max_tokens); },
       [](const Config& c) { return std::to_string(c.max_tokens); }},
      {{"temperature", "CMDAI_TEMPERATURE", "--temperature", "sampling temperature, 0 (greedy) to 2; default 0"},
       Kind::kFloat,
       [](Config& c, const std::string& v) {
         char* end = nullptr;
         errno = 0;
         float f = std::strtof(v.c_str(), &end);
         if (v.empty() || *end != '\0' || errno != 0 || !std::isfinite(f) || f < 0 || f > 2)
           return std::string("must be a number from 0 to 2");
         c.temperature = f;
         return std::string();
       },
       [](const Config& c) { return FormatFloat(c.temperature); }},
      {{"seed", "CMDAI_SEED", "--seed", "random seed for temperature > 0; default 0"},
       Kind::kInt,
       [](Config& c, const std::string& v) {
         int s = 0;
         std::string err = ParseInt(v, 0, 2147483647, s);
         if (err.empty()) c.seed = static_cast<uint32_t>(s);
         return err;
       },
       [](const Config& c) { return std::to_string(c.seed); }},
      {{"explain", "CMDAI_EXPLAIN", "", "ask the model for a one-line explanation when it is shown; default true"},
       Kind::kBool,
       [](Config& c, const std::string& v) { return ParseBool(v, c.explain); },
       [](const Config& c) { return std::string(c.explain ? "true" : "false"); }},
      {{"verbose", "CMDAI_VERBOSE", "--verbose", "print device, model and timings on stderr; default false"},
       Kind::kBool,
       [](Config& c, const std::string& v) { return ParseBool(v, c.verbose); },
       [](const Config& c) { return std::string(c.verbose ? "true" : "false"); }},
      {{"quiet", "CMDAI_QUIET", "--quiet", "print nothing but errors on stderr; default false"},
       Kind::kBool,
       [](Config& c, const std::string& v) { return ParseBool(v, c.quiet); },
       [](const Config& c) { return std::string(c.quiet ? "true" : "false"); }},
      {{"backend", "CMDAI_BACKEND", "--backend", "embedded, ollama or openai; default embedded"},
       Kind::kString,
       [](Config& c, const std::string& v) {
         return ParseChoice(v, {"embedded", "ollama", "openai"}, c.backend);
       },
       [](const Config& c) { return c.backend; }},
      {{"fallback", "", "", "backends to try next when the first fails, e.g. [\"embedded\"]; default []"},
       Kind::kStringList,
       [](Config& c, const std::string& v) {
         c.fallback = SplitLines(v);
         for (const auto& b : c.fallback) {
           std::string ok;
           if (std::string err = ParseChoice(b, {"embedded", "ollama", "openai"}, ok); !err.empty()) return err;
         }
         return std::string();
       },
       [](const Config& c) { return ShowList(c.fallback); }},
      {{"ollama.host", "CMDAI_OLLAMA_HOST", "", "Ollama's address; default $OLLAMA_HOST, else http://127.0.0.1:11434"},
       Kind::kString,
       [](Config& c, const std::string& v) {
         c.ollama_host = v;
         return std::string();
       },
       [](const Config& c) { return c.ollama_host; }},
      {{"ollama.model", "CMDAI_OLLAMA_MODEL", "", "Ollama model name; default qwen2.5-coder:1.5b"},
       Kind::kString,
       [](Config& c, const std::string& v) {
         c.ollama_model = v;
         return std::string();
       },
       [](const Config& c) { return c.ollama_model; }},
      {{"ollama.keep_alive", "", "", "how long Ollama keeps the model loaded; default 10m"},
       Kind::kString,
       [](Config& c, const std::string& v) {
         c.ollama_keep_alive = v;
         return std::string();
       },
       [](const Config& c) { return c.ollama_keep_alive; }},
      {{"ollama.format", "", "", "text (fenced answer) or schema (JSON via format); default text"},
       Kind::kString,
       [](Config& c, const std::string& v) {
         return ParseChoice(v, {"text", "schema"}, c.ollama_format);
       },
       [](const Config& c) { return c.ollama_format; }},
      {{"openai.base_url", "CMDAI_OPENAI_BASE_URL", "",
        "OpenAI-compatible server, without /v1; default http://127.0.0.1:8080"},
       Kind::kString,
       [](Config& c, const std::string& v) {
         c.openai_base_url = v;
         return std::string();
       },
       [](const Config& c) { return c.openai_base_url; }},
      {{"openai.model", "CMDAI_OPENAI_MODEL", "", "model name on that server; default: the server's"},
       Kind::kString,
       [](Config& c, const std::string& v) {
         c.openai_model = v;
         return std::string();
       },
       [](const Config& c) { return c.openai_model; }},
      {{"openai.api_key_env", "", "", "the variable that holds the API key; default OPENAI_API_KEY"},
       Kind::kString,
       [](Config& c, const std::string& v) {
         c.openai_api_key_env = v;
         return std::string();
       },
       [](const Config& c) { return c.openai_api_key_env; }},
      {{"openai.grammar", "", "", "none, or gbnf to send the answer grammar (llama-server); default none"},
       Kind::kString,
       [](Config& c, const std::string& v) {
         return ParseChoice(v, {"none", "gbnf"}, c.openai_grammar);
       },
       [](const Config& c) { return c.openai_grammar; }},
      {{"request_timeout_s", "CMDAI_REQUEST_TIMEOUT_S", "", "seconds a remote request may take; default 60"},
       Kind::kInt,
       [](Config& c, const std::string& v) { return ParseInt(v, 1, 3600, c.request_timeout_s); },
       [](const Config& c) { return std::to_string(c.request_timeout_s); }},
      {{"connect_timeout_s", "CMDAI_CONNECT_TIMEOUT_S", "", "seconds to connect to a remote server; default 5"},
       Kind::kInt,
       [](Config& c, const std::string& v) { return ParseInt(v, 1, 300, c.connect_timeout_s); },
       [](const Config& c) { return std::to_string(c.connect_timeout_s); }},
      {{"http_retries", "CMDAI_HTTP_RETRIES", "", "attempts per remote request; default 3"},
       Kind::kInt,
       [](Config& c, const std::string& v) { return ParseInt(v, 1, 10, c.http_retries); },
       [](const Config& c) { return std::to_string(c.http_retries); }},
      {{"prompt_cache", "CMDAI_PROMPT_CACHE", "", "reuse the saved state of the fixed prompt prefix; default true"},
       Kind::kBool,
       [](Config& c, const std::string& v) { return ParseBool(v, c.prompt_cache); },
       [](const Config& c) { return std::string(c.prompt_cache ? "true" : "false"); }},
      {{"repack", "CMDAI_REPACK", "",
        "on, off or auto (= off): repack weights for faster CPU prefill at more memory and load time"},
       Kind::kString,
       [](Config& c, const std::string& v) {
         return ParseChoice(v, {"auto", "on", "off"}, c.repack);
       },
       [](const Config& c) { return c.repack; }},
      {{"serve.socket", "CMDAI_SERVE_SOCKET", "",
        "Unix socket of cmdai serve; default $XDG_RUNTIME_DIR/cmdai/serve.sock"},
       Kind::kString,
       [](Config& c, const std::string& v) {
         c.serve_socket = v;
         return std::string();
       },
       [](const Config& c) { return c.serve_socket; }},
      {{"serve.autostart", "CMDAI_SERVE_AUTOSTART", "",
        "start cmdai serve in the background on first use; default false"},
       Kind::kBool,
       [](Config& c, const std::string& v) { return ParseBool(v, c.serve_autostart); },
       [](const Config& c) { return std::string(c.serve_autostart ? "true" : "false"); }},
      {{"serve.idle_timeout_s", "CMDAI_SERVE_IDLE_TIMEOUT_S", "",
        "seconds without requests before cmdai serve stops, 0 never; default 900"},
       Kind::kInt,
       [](Config& c, const std::string& v) { return ParseInt(v, 0, 604800, c.serve_idle_timeout_s); },
       [](const Config& c) { return std::to_string(c.serve_idle_timeout_s); }},
      {{"offline", "CMDAI_OFFLINE", "--offline", "never use the network (HF_HUB_OFFLINE=1 too); default false"},
       Kind::kBool,
       [](Config& c, const std::string& v) { return ParseBool(v, c.offline); },
       [](const Config& c) { return std::string(c.offline ? "true" : "false"); }},
      {{"model_download", "CMDAI_MODEL_DOWNLOAD", "", "ask, always or never: fetching a missing model; default ask"},
       Kind::kString,
       [](Config& c, const std::string& v) {
         return ParseChoice(v, {"ask", "always", "never"}, c.model_download);
       },
       [](const Config& c) { return c.model_download; }},
      {{"download_stall_s", "CMDAI_DOWNLOAD_STALL_S", "",
        "seconds without data before a download is retried; default 30"},
       Kind::kInt,
       [](Config& c, const std::string& v) { return ParseInt(v, 1, 3600, c.download_stall_s); },
       [](const Config& c) { return std::to_string(c.download_stall_s); }},
      {{"download_retries", "CMDAI_DOWNLOAD_RETRIES", "", "attempts per download step (with backoff); default 5"},
       Kind::kInt,
       [](Config& c, const std::string& v) { return ParseInt(v, 1, 20, c.download_retries); },
       [](const Config& c) { return std::to_string(c.download_retries); }},
      {{"color", "CMDAI_COLOR", "--color",
        "auto, always or never; auto is never when NO_COLOR is set or TERM=dumb; default auto"},
       Kind::kString,
       [](Config& c, const std::string& v) {
         return ParseChoice(v, {"auto", "always", "never"}, c.color);
       },
       [](const Config& c) { return c.color; }},
      {{"safety.level", "CMDAI_SAFETY", "--safety",
        "strict, moderate or permissive: how risk maps to allow/confirm/block; default moderate"},
       Kind::kString,
       [](Config& c, const std::string& v) {
         return ParseChoice(v, {"strict", "moderate", "permissive"}, c.safety_level);
       },
       [](const Config& c) { return c.safety_level; }},
      {{"safety.allow", "", "",
        "patterns of commands whose findings you accept (a name, or a glob over the command); default []"},
       Kind::kStringList,
       [](Config& c, const std::string& v) {
         c.safety_allow = SplitLines(v);
         return std::string();
       },
       [](const Config& c) { return ShowList(c.safety_allow); }},
      {{"safety.deny", "", "", "patterns of commands that are always blocked; default []"},
       Kind::kStringList,
       [](Config& c, const std::string& v) {
         c.safety_deny = SplitLines(v);
         return std::string();
       },
       [](const Config& c) { return ShowList(c.safety_deny); }},
  };
  for (const char* level : {"strict", "moderate", "permissive"})
    for (const char* risk : {"safe", "moderate", "high", "critical"}) {
      const std::string key = std::string(level) + "." + risk;
      defs.push_back(
          {{"safety.table." + key, "", "",
            "decision for " + std::string(risk) + " risk at the " + level + " level: allow, confirm or block"},
           Kind::kString,
           [key](Config& c, const std::string& v) {
             std::string d;
             std::string err = ParseChoice(v, {"allow", "confirm", "block"}, d);
             if (err.empty()) c.safety_table[key] = d;
             return err;
           },
           [key](const Config& c) {
             auto it = c.safety_table.find(key);
             return it == c.safety_table.end() ? std::string("(default)") : it->second;
           }});
    }
  return defs;
}

std::vector<std::string> KeyNames() {
  std::vector<std::string> names;
  for (const auto& d : Defs()) names.push_back(d.info.name);
  return names;
}

std::string DefaultShell(const EnvLookup& env) {
  auto sh = env("SHELL");
  if (!sh || sh->empty()) return "sh";
  std::string base = std::filesystem::path(*sh).filename().string();
  if (base == "powershell") base = "pwsh";
  if (base == "dash" || base == "ash" || base == "ksh" || base == "mksh") base = "sh";
  for (const auto& s : kShells)
    if (base == s) return s;
  return "sh";
}

std::string XdgDir(const EnvLookup& env, const char* var, const char* fallback) {
  auto v = env(var);
  if (v && !v->empty() && v->front() == '/') return *v;  // XDG: relative paths are ignored
  auto home = env("HOME");
  return (home ? *home : std::string("/tmp")) + "/" + fallback;
}

// A TOML value as the text a flag or variable would carry, or "" with ok=false.
std::string TomlText(const toml::node& n, Kind kind, bool& ok) {
  ok = true;
  switch (kind) {
    case Kind::kString:
      if (auto s = n.as_string()) return s->get();
      break;
    case Kind::kInt:
      if (auto i = n.as_integer()) return std::to_string(i->get());
      break;
    case Kind::kFloat:
      if (auto f = n.as_floating_point()) return FormatFloat(static_cast<float>(f->get()));
      if (auto i = n.as_integer()) return std::to_string(i->get());
      break;
    case Kind::kBool:
      if (auto b = n.as_boolean()) return b->get() ? "true" : "false";
      break;
    case Kind::kStringList:
      if (auto a = n.as_array()) {
        std::string out;
        for (const auto& e : *a) {
          auto str = e.as_string();
          if (!str || str->get().find('\n') != std::string::npos) {
            ok = false;
            return "";
          }
          out += str->get() + "\n";
        }
        return out;
      }
      break;
  }
  ok = false;
  return "";
}

const char* KindName(Kind k) {
  switch (k) {
    case Kind::kString: return "a string";
    case Kind::kInt: return "an integer";
    case Kind::kFloat: return "a number";
    case Kind::kBool: return "true or false";
    case Kind::kStringList: return "an array of strings";
  }
  return "";
}

Status ApplyTable(Config& c, const std::string& path, const toml::table& table, const std::string& prefix) {
  for (const auto& [k, node] : table) {
    const std::string key = prefix + std::string(k.str());
    const auto& src = node.source().begin;
    const std::string where = path + ":" + std::to_string(src.line) + ":" + std::to_string(src.column);
    const KeyDef* def = nullptr;
    for (const auto& d : Defs())
      if (d.info.name == key) def = &d;
    if (!def && node.is_table()) {
      if (Status s = ApplyTable(c, path, *node.as_table(), key + "."); !s.ok()) return s;
      continue;
    }
    if (!def)
      return Status::Error(ErrorCode::kConfig, "unknown key '" + key + "' in " + where + DidYouMean(key, KeyNames()),
                           "see docs/configuration.md for the keys");
    bool ok = false;
    std::string text = TomlText(node, def->kind, ok);
    if (!ok)
      return Status::Error(ErrorCode::kConfig,
                           "key '" + def->info.name + "' in " + where + " must be " + KindName(def->kind),
                           "fix the file (it was not changed)");
    if (std::string err = def->set(c, text); !err.empty())
      return Status::Error(ErrorCode::kConfig, "key '" + def->info.name + "' in " + where + " " + err,
                           "fix the file (it was not changed)");
    c.origins[def->info.name].source = "file " + path + ":" + std::to_string(src.line);
  }
  return Status::Ok();
}

Status ApplyFile(Config& c, const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    return Status::Error(ErrorCode::kConfig,
                         "invalid config file " + path + ":" + std::to_string(b.line) + ":" + std::to_string(b.column) +
                             ": " + std::string(e.description()),
                         "fix the file (it was not changed), or pass --config PATH");
  }
  return ApplyTable(c, path, table, "");
}

}  // namespace

const char* DeviceName(Device d) {
  switch (d) {
    case Device::kAuto: return "auto";
    case Device::kCpu: return "cpu";
    case Device::kGpu: return "gpu";
  }
  return "auto";
}

EnvLookup ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
}

const std::vector<KeyInfo>& ConfigKeys() {
  static const std::vector<KeyInfo> keys = [] {
    std::vector<KeyInfo> k;
    for (const auto& d : Defs()) k.push_back(d.info);
    return k;
  }();
  return keys;
}

Result<Config> LoadConfig(const ConfigInputs& in) {
  const EnvLookup env = in.env ? in.env : ProcessEnvironment();
  Config c;
  c.shell = DefaultShell(env);
  for (const auto& d : Defs()) c.origins[d.info.name].source = "default";
  c.data_dir = XdgDir(env, "XDG_DATA_HOME", ".local/share") + "/cmdai";
  c.cache_dir = XdgDir(env, "XDG_CACHE_HOME", ".cache") + "/cmdai";
  std::error_code ec;
  c.cwd = std::filesystem::current_path(ec).string();

  // The Hugging Face ecosystem's own variables, so caches are shared.
  {
    auto hf_home = env("HF_HOME");
    auto hub = env("HF_HUB_CACHE");
    const std::string home_dir =
        hf_home && !hf_home->empty() ? *hf_home : XdgDir(env, "XDG_CACHE_HOME", ".cache") + "/huggingface";
    c.hub_dir = hub && !hub->empty() ? *hub : home_dir + "/hub";
    auto llama = env("LLAMA_CACHE");
    c.llama_cache_dir = llama && !llama->empty() ? *llama : XdgDir(env, "XDG_CACHE_HOME", ".cache") + "/llama.cpp";
    if (auto e = env("HF_ENDPOINT"); e && !e->empty()) {
      c.hf_endpoint = *e;
      while (!c.hf_endpoint.empty() && c.hf_endpoint.back() == '/') c.hf_endpoint.pop_back();
    }
    if (auto t = env("HF_TOKEN"); t && !t->empty()) c.hf_token = *t;
    if (auto h = env("OLLAMA_HOST"); h && !h->empty())
      c.ollama_host = h->find("://") == std::string::npos ? "http://" + *h : *h;
    if (auto off = env("HF_HUB_OFFLINE"); off && (*off == "1" || *off == "true" || *off == "yes" || *off == "on")) {
      c.offline = true;
      c.origins["offline"].source = "env HF_HUB_OFFLINE";
    }
  }

  {
    auto run = env("XDG_RUNTIME_DIR");
    c.serve_socket = (run && !run->empty() && run->front() == '/' ? *run + "/cmdai" : c.cache_dir) + "/serve.sock";
  }
  bool explicit_file = true;
  if (in.config_file) {
    c.config_file = *in.config_file;
  } else if (auto e = env("CMDAI_CONFIG"); e && !e->empty()) {
    c.config_file = *e;
  } else {
    c.config_file = XdgDir(env, "XDG_CONFIG_HOME", ".config") + "/cmdai/config.toml";
    explicit_file = false;
  }
  if (std::filesystem::exists(c.config_file, ec)) {
    if (Status s = ApplyFile(c, c.config_file); !s.ok()) return s;
  } else if (explicit_file) {
    return Status::Error(ErrorCode::kConfig, "config file '" + c.config_file + "' does not exist",
                         "create it or pass an existing --config PATH");
  }

  for (const auto& d : Defs()) {
    if (d.info.env.empty()) continue;
    auto v = env(d.info.env);
    if (!v) continue;
    if (std::string err = d.set(c, *v); !err.empty())
      return Status::Error(ErrorCode::kConfig, d.info.env + "='" + *v + "' " + err, "fix or unset the variable");
    c.origins[d.info.name].source = "env " + d.info.env;
  }

  for (const auto& [key, value] : in.flags) {
    const KeyDef* def = nullptr;
    for (const auto& d : Defs())
      if (d.info.name == key) def = &d;
    if (!def) return Status::Error(ErrorCode::kUsage, "unknown setting '" + key + "'" + DidYouMean(key, KeyNames()));
    const std::string flag = def->info.flag.empty() ? key : def->info.flag;
    if (std::string err = def->set(c, value); !err.empty())
      return Status::Error(ErrorCode::kUsage, flag + " '" + value + "' " + err);
    c.origins[key].source = "flag " + flag;
  }

  if (auto t = env("CMDAI_TEST_ANSWERS"); t && !t->empty()) {
    std::string rest = *t;
    const std::string sep = "\n@@next@@\n";
    for (size_t at; (at = rest.find(sep)) != std::string::npos; rest.erase(0, at + sep.size()))
      c.test_answers.push_back(rest.substr(0, at));
    c.test_answers.push_back(rest);
  }
  // The API key: from the variable the config names; kept out of origins.
  if (auto k = env(c.openai_api_key_env); k) c.openai_api_key = *k;
  while (!c.openai_base_url.empty() && c.openai_base_url.back() == '/') c.openai_base_url.pop_back();
  if (c.openai_base_url.size() > 3 && c.openai_base_url.substr(c.openai_base_url.size() - 3) == "/v1")
    c.openai_base_url.resize(c.openai_base_url.size() - 3);

  // https://no-color.org: a non-empty NO_COLOR turns colour off unless asked for.
  if (c.color == "auto") {
    auto no_color = env("NO_COLOR");
    auto term = env("TERM");
    if ((no_color && !no_color->empty()) || (term && *term == "dumb")) c.color = "never";
  }
  for (const auto& d : Defs()) c.origins[d.info.name].value = d.get(c);
  return c;
}

}  // namespace cmdai
