// SPDX-License-Identifier: MIT
#include "config/config.h"

#include <unistd.h>

#include <toml++/toml.h>
#include <algorithm>
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

// Where a value is being read from: what a path in it is relative to.
struct Source {
  std::string home;      // $HOME, for ~ and $HOME
  std::string base_dir;  // the config file's directory; "" for flags and variables
};

struct KeyDef {
  KeyInfo info;
  // Parses text into the config; returns an error phrase ("must be …") or "".
  std::function<std::string(Config&, const std::string&, const Source&)> set;
  std::function<std::string(const Config&)> get;
};

std::string ParseInt(const std::string& text, long lo, long hi, long& out) {
  long v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < lo || v > hi)
    return "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
  out = v;
  return "";
}

std::string ParseBool(const std::string& text, bool& out) {
  if (text == "true" || text == "1" || text == "yes" || text == "on")
    out = true;
  else if (text == "false" || text == "0" || text == "no" || text == "off")
    out = false;
  else
    return "must be true or false (or yes/no, on/off, 1/0)";
  return "";
}

std::string FormatFloat(float f) {
  std::ostringstream s;
  s << f;
  return s.str();
}

const std::vector<std::string> kShells = {"bash", "zsh", "fish", "sh", "pwsh"};

// The index of `text` in `allowed`, or an error phrase with a suggestion.
std::string ParseChoice(const std::string& text, const std::vector<std::string>& allowed, size_t& index) {
  for (size_t i = 0; i < allowed.size(); ++i)
    if (text == allowed[i]) {
      index = i;
      return "";
    }
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  return "must be one of " + list + DidYouMean(text, allowed);
}

// A leading ~ or $HOME (${HOME}) becomes the home directory; a relative
// local path from the file is taken from the file's directory. Model ids
// (a catalog name, owner/repo:file.gguf) are left alone.
std::string ExpandPath(const std::string& v, const Source& src) {
  std::string out = v;
  for (const char* prefix : {"~", "$HOME", "${HOME}"}) {
    const std::string p = prefix;
    if (!src.home.empty() && out.compare(0, p.size(), p) == 0 && (out.size() == p.size() || out[p.size()] == '/')) {
      out = src.home + out.substr(p.size());
      break;
    }
  }
  const bool id = out.find(':') != std::string::npos || out.find('/') == std::string::npos;
  const bool local_file = out.size() > 5 && out.compare(out.size() - 5, 5, ".gguf") == 0;
  if (!src.base_dir.empty() && !out.empty() && out[0] != '/' &&
      (!id || (local_file && out.find(':') == std::string::npos)))
    out = src.base_dir + "/" + out;
  return out;
}

// The typed key helpers: each binds a key to a Config field.
KeyInfo Key(const char* name, const char* env, const char* flag, const char* short_flag, const char* doc) {
  KeyInfo k;
  k.name = name;
  k.env = env;
  k.flag = flag;
  k.short_flag = short_flag;
  k.doc = doc;
  return k;
}

KeyDef Text(KeyInfo info, std::string Config::*field) {
  info.type = KeyType::kString;
  return {std::move(info),
          [field](Config& c, const std::string& v, const Source&) {
            c.*field = v;
            return std::string();
          },
          [field](const Config& c) { return c.*field; }};
}

KeyDef Path(KeyInfo info, std::string Config::*field) {
  info.type = KeyType::kPath;
  return {std::move(info),
          [field](Config& c, const std::string& v, const Source& src) {
            c.*field = ExpandPath(v, src);
            return std::string();
          },
          [field](const Config& c) { return c.*field; }};
}

template <class T>
KeyDef Int(KeyInfo info, T Config::*field, long lo, long hi) {
  info.type = KeyType::kInt;
  return {std::move(info),
          [field, lo, hi](Config& c, const std::string& v, const Source&) {
            long n = 0;
            std::string err = ParseInt(v, lo, hi, n);
            if (err.empty()) c.*field = static_cast<T>(n);
            return err;
          },
          [field](const Config& c) { return std::to_string(c.*field); }};
}

KeyDef Float(KeyInfo info, float Config::*field, float lo, float hi) {
  info.type = KeyType::kFloat;
  return {std::move(info),
          [field, lo, hi](Config& c, const std::string& v, const Source&) {
            char* end = nullptr;
            errno = 0;
            const float f = std::strtof(v.c_str(), &end);
            if (v.empty() || *end != '\0' || errno != 0 || !std::isfinite(f) || f < lo || f > hi)
              return "must be a number from " + FormatFloat(lo) + " to " + FormatFloat(hi);
            c.*field = f;
            return std::string();
          },
          [field](const Config& c) { return FormatFloat(c.*field); }};
}

KeyDef Bool(KeyInfo info, bool Config::*field) {
  info.type = KeyType::kBool;
  return {std::move(info), [field](Config& c, const std::string& v, const Source&) { return ParseBool(v, c.*field); },
          [field](const Config& c) { return std::string(c.*field ? "true" : "false"); }};
}

// A choice kept as its word (the shell, the safety level: other modules
// take them by name).
KeyDef Word(KeyInfo info, std::string Config::*field, std::vector<std::string> choices) {
  info.type = KeyType::kChoice;
  info.choices = choices;
  return {std::move(info),
          [field, choices](Config& c, const std::string& v, const Source&) {
            size_t i = 0;
            std::string err = ParseChoice(v, choices, i);
            if (err.empty()) c.*field = choices[i];
            return err;
          },
          [field](const Config& c) { return c.*field; }};
}

template <class E>
std::vector<std::string> Names(const std::vector<E>& values) {
  std::vector<std::string> names;
  for (E v : values) names.push_back(ChoiceName(v));
  return names;
}

template <class E>
KeyDef Enum(KeyInfo info, E Config::*field, std::vector<E> values) {
  info.type = KeyType::kChoice;
  info.choices = Names(values);
  return {std::move(info),
          [field, values](Config& c, const std::string& v, const Source&) {
            size_t i = 0;
            std::string err = ParseChoice(v, Names(values), i);
            if (err.empty()) c.*field = values[i];
            return err;
          },
          [field](const Config& c) { return std::string(ChoiceName(c.*field)); }};
}

KeyDef List(KeyInfo info, std::vector<std::string> Config::*field) {
  info.type = KeyType::kStringList;
  return {std::move(info),
          [field](Config& c, const std::string& v, const Source&) {
            c.*field = SplitLines(v);
            return std::string();
          },
          [field](const Config& c) { return ShowList(c.*field); }};
}

template <class E>
KeyDef EnumList(KeyInfo info, std::vector<E> Config::*field, std::vector<E> values) {
  info.type = KeyType::kStringList;
  info.choices = Names(values);
  return {std::move(info),
          [field, values](Config& c, const std::string& v, const Source&) {
            std::vector<E> out;
            for (const auto& word : SplitLines(v)) {
              size_t i = 0;
              if (std::string err = ParseChoice(word, Names(values), i); !err.empty()) return err;
              out.push_back(values[i]);
            }
            c.*field = out;
            return std::string();
          },
          [field](const Config& c) { return ShowList(Names(c.*field)); }};
}

// serve.autostart was a switch before it was a choice: true and false (and
// the other spellings of a switch) still mean on and off.
KeyDef AutostartKey(KeyInfo info) {
  const std::vector<Autostart> values = {Autostart::kAuto, Autostart::kOn, Autostart::kOff};
  KeyDef def = Enum(std::move(info), &Config::serve_autostart, values);
  def.set = [values](Config& c, const std::string& v, const Source&) {
    size_t i = 0;
    std::string err = ParseChoice(v, Names(values), i);
    if (err.empty()) {
      c.serve_autostart = values[i];
    } else if (bool b = false; ParseBool(v, b).empty()) {
      c.serve_autostart = b ? Autostart::kOn : Autostart::kOff;
      err.clear();
    }
    return err;
  };
  return def;
}

std::vector<KeyDef> MakeDefs();

const std::vector<KeyDef>& Defs() {
  static const std::vector<KeyDef> defs = MakeDefs();
  return defs;
}

const std::vector<BackendKind> kBackends = {BackendKind::kEmbedded, BackendKind::kOllama, BackendKind::kOpenAi};

std::vector<KeyDef> MakeDefs() {
  using C = Config;
  std::vector<KeyDef> defs = {
      Path(Key("model", "CMDAI_MODEL", "--model", "-m",
               "GGUF model: a path, a catalog id or owner/repo:file.gguf; default: the built-in default model"),
           &C::model),
      Word(Key("shell", "CMDAI_SHELL", "--shell", "-s",
               "shell to write commands for: bash, zsh, fish, sh or pwsh; default: from $SHELL"),
           &C::shell, kShells),
      Enum(Key("device", "CMDAI_DEVICE", "--device", "",
               "auto, cpu or gpu; default auto (GPU when the build has one and it is present)"),
           &C::device, std::vector<Device>{Device::kAuto, Device::kCpu, Device::kGpu}),
      Int(Key("threads", "CMDAI_THREADS", "--threads", "-t", "CPU threads, 0 for one per physical core; default 0"),
          &C::threads, 0, 1024),
      Int(Key("context_size", "CMDAI_CONTEXT_SIZE", "--context-size", "",
              "context window in tokens (prompt plus answer); default 2048"),
          &C::context_size, 256, 131072),
      Int(Key("max_tokens", "CMDAI_MAX_TOKENS", "--max-tokens", "",
              "longest answer in tokens the model generates (the closing fence, which the grammar forces, is "
              "written without one); an answer cut off is refused; default 128"),
          &C::max_tokens, 1, 8192),
      Float(Key("temperature", "CMDAI_TEMPERATURE", "--temperature", "",
                "sampling temperature, 0 (greedy) to 2; default 0"),
            &C::temperature, 0.0f, 2.0f),
      Int(Key("seed", "CMDAI_SEED", "--seed", "", "random seed for temperature > 0; default 0"), &C::seed, 0,
          2147483647),
      Bool(Key("explain", "CMDAI_EXPLAIN", "", "",
               "ask the model for a one-line explanation when it is shown; default true"),
           &C::explain),
      Bool(Key("grounding", "CMDAI_GROUNDING", "", "",
               "check each command against this machine (installed tools, their options, the shell's syntax) "
               "and let the model revise it once; default true"),
           &C::grounding),
      Bool(Key("verbose", "CMDAI_VERBOSE", "--verbose", "-v",
               "print device, model, the raw answer and timings on stderr; default false"),
           &C::verbose),
      Bool(Key("quiet", "CMDAI_QUIET", "--quiet", "-q", "print nothing but errors on stderr; default false"),
           &C::quiet),
      Enum(Key("backend", "CMDAI_BACKEND", "--backend", "", "embedded, ollama or openai; default embedded"),
           &C::backend, kBackends),
      EnumList(
          Key("fallback", "", "", "", "backends to try next when the first fails, e.g. [\"embedded\"]; default []"),
          &C::fallback, kBackends),
      Text(Key("ollama.host", "CMDAI_OLLAMA_HOST", "", "",
               "Ollama's address; default $OLLAMA_HOST, else http://127.0.0.1:11434"),
           &C::ollama_host),
      Text(Key("ollama.model", "CMDAI_OLLAMA_MODEL", "", "", "Ollama model name; default qwen2.5-coder:1.5b"),
           &C::ollama_model),
      Text(Key("ollama.keep_alive", "", "", "", "how long Ollama keeps the model loaded; default 10m"),
           &C::ollama_keep_alive),
      Enum(Key("ollama.format", "", "", "", "text (fenced answer) or schema (JSON via format); default text"),
           &C::ollama_format, std::vector<OllamaFormat>{OllamaFormat::kText, OllamaFormat::kSchema}),
      Text(Key("openai.base_url", "CMDAI_OPENAI_BASE_URL", "", "",
               "OpenAI-compatible server, without /v1; default http://127.0.0.1:8080"),
           &C::openai_base_url),
      Text(Key("openai.model", "CMDAI_OPENAI_MODEL", "", "", "model name on that server; default: the server's"),
           &C::openai_model),
      Text(Key("openai.api_key_env", "", "", "", "the variable that holds the API key; default OPENAI_API_KEY"),
           &C::openai_api_key_env),
      Enum(Key("openai.grammar", "", "", "", "none, or gbnf to send the answer grammar (llama-server); default none"),
           &C::openai_grammar, std::vector<OpenAiGrammar>{OpenAiGrammar::kNone, OpenAiGrammar::kGbnf}),
      Int(Key("request_timeout_s", "CMDAI_REQUEST_TIMEOUT_S", "", "", "seconds a remote request may take; default 60"),
          &C::request_timeout_s, 1, 3600),
      Int(Key("connect_timeout_s", "CMDAI_CONNECT_TIMEOUT_S", "", "",
              "seconds to connect to a remote server; default 5"),
          &C::connect_timeout_s, 1, 300),
      Int(Key("http_retries", "CMDAI_HTTP_RETRIES", "", "", "attempts per remote request; default 3"), &C::http_retries,
          1, 10),
      Bool(Key("prompt_cache", "CMDAI_PROMPT_CACHE", "", "",
               "reuse the saved state of the fixed prompt prefix; default true"),
           &C::prompt_cache),
      Enum(Key("repack", "CMDAI_REPACK", "", "",
               "on, off or auto (on in cmdai serve, off for one request): repack weights for faster CPU prefill "
               "at more memory and load time"),
           &C::repack, std::vector<Repack>{Repack::kAuto, Repack::kOn, Repack::kOff}),
      Path(Key("serve.socket", "CMDAI_SERVE_SOCKET", "--socket", "",
               "Unix socket of cmdai serve; default $XDG_RUNTIME_DIR/cmdai/serve.sock"),
           &C::serve_socket),
      AutostartKey(Key("serve.autostart", "CMDAI_SERVE_AUTOSTART", "", "",
                       "auto, on or off: start cmdai serve in the background when a request loads the model; "
                       "auto only when it runs on a GPU; default auto")),
      Int(Key("serve.idle_timeout_s", "CMDAI_SERVE_IDLE_TIMEOUT_S", "--idle-timeout", "",
              "seconds without requests before cmdai serve stops, 0 never; default 900"),
          &C::serve_idle_timeout_s, 0, 604800),
      Bool(Key("offline", "CMDAI_OFFLINE", "--offline", "",
               "never use the network (HF_HUB_OFFLINE=1 too); default false"),
           &C::offline),
      Enum(Key("model_download", "CMDAI_MODEL_DOWNLOAD", "", "",
               "ask, always or never: fetching a missing model; default ask"),
           &C::model_download,
           std::vector<ModelDownload>{ModelDownload::kAsk, ModelDownload::kAlways, ModelDownload::kNever}),
      Int(Key("download_stall_s", "CMDAI_DOWNLOAD_STALL_S", "", "",
              "seconds without data before a download is retried; default 30"),
          &C::download_stall_s, 1, 3600),
      Int(Key("download_retries", "CMDAI_DOWNLOAD_RETRIES", "", "",
              "attempts per download step (with backoff); default 5"),
          &C::download_retries, 1, 20),
      Enum(Key("color", "CMDAI_COLOR", "--color", "",
               "auto, always or never; auto is never when NO_COLOR is set or TERM=dumb; default auto"),
           &C::color, std::vector<ColorMode>{ColorMode::kAuto, ColorMode::kAlways, ColorMode::kNever}),
      Word(Key("safety.level", "CMDAI_SAFETY", "--safety", "",
               "strict, moderate or permissive: how risk maps to allow/confirm/block; default moderate"),
           &C::safety_level, {"strict", "moderate", "permissive"}),
      List(Key("safety.allow", "", "", "",
               "patterns of commands whose findings you accept (a name, or a glob over the command); default []"),
           &C::safety_allow),
      List(Key("safety.deny", "", "", "", "patterns of commands that are always blocked; default []"), &C::safety_deny),
  };
  for (const char* level : {"strict", "moderate", "permissive"})
    for (const char* risk : {"safe", "moderate", "high", "critical"}) {
      const std::string key = std::string(level) + "." + risk;
      KeyInfo info;
      info.name = "safety.table." + key;
      info.doc = "decision for " + std::string(risk) + " risk at the " + level + " level: allow, confirm or block";
      info.type = KeyType::kChoice;
      info.choices = {"allow", "confirm", "block"};
      defs.push_back({info,
                      [key, choices = info.choices](Config& c, const std::string& v, const Source&) {
                        size_t i = 0;
                        std::string err = ParseChoice(v, choices, i);
                        if (err.empty()) c.safety_table[key] = choices[i];
                        return err;
                      },
                      [key](const Config& c) {
                        auto it = c.safety_table.find(key);
                        return it == c.safety_table.end() ? std::string("(default)") : it->second;
                      }});
    }
  const Config defaults;
  for (auto& d : defs) d.info.default_text = d.get(defaults);
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
std::string TomlText(const toml::node& n, KeyType kind, bool& ok) {
  ok = true;
  switch (kind) {
    case KeyType::kString:
    case KeyType::kPath:
    case KeyType::kChoice:
      if (auto s = n.as_string()) return s->get();
      // A switch become a choice (AutostartKey) still takes true and false.
      if (auto b = n.as_boolean(); b && kind == KeyType::kChoice) return b->get() ? "true" : "false";
      break;
    case KeyType::kInt:
      if (auto i = n.as_integer()) return std::to_string(i->get());
      break;
    case KeyType::kFloat:
      if (auto f = n.as_floating_point()) return FormatFloat(static_cast<float>(f->get()));
      if (auto i = n.as_integer()) return std::to_string(i->get());
      break;
    case KeyType::kBool:
      if (auto b = n.as_boolean()) return b->get() ? "true" : "false";
      break;
    case KeyType::kStringList:
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

const char* KindName(KeyType k) {
  switch (k) {
    case KeyType::kString:
    case KeyType::kPath:
    case KeyType::kChoice: return "a string";
    case KeyType::kInt: return "an integer";
    case KeyType::kFloat: return "a number";
    case KeyType::kBool: return "true or false";
    case KeyType::kStringList: return "an array of strings";
  }
  return "";
}

Status ApplyTable(Config& c, const std::string& path, const toml::table& table, const std::string& prefix,
                  const Source& from) {
  for (const auto& [k, node] : table) {
    const std::string key = prefix + std::string(k.str());
    const auto& src = node.source().begin;
    const std::string where = path + ":" + std::to_string(src.line) + ":" + std::to_string(src.column);
    const KeyDef* def = nullptr;
    for (const auto& d : Defs())
      if (d.info.name == key) def = &d;
    if (!def && node.is_table()) {
      if (Status s = ApplyTable(c, path, *node.as_table(), key + ".", from); !s.ok()) return s;
      continue;
    }
    if (!def)
      return Status::Error(ErrorCode::kConfig, "unknown key '" + key + "' in " + where + DidYouMean(key, KeyNames()),
                           "see docs/configuration.md for the keys");
    bool ok = false;
    std::string text = TomlText(node, def->info.type, ok);
    if (!ok)
      return Status::Error(ErrorCode::kConfig,
                           "key '" + def->info.name + "' in " + where + " must be " + KindName(def->info.type),
                           "fix the file (it was not changed)");
    if (std::string err = def->set(c, text, from); !err.empty())
      return Status::Error(ErrorCode::kConfig, "key '" + def->info.name + "' in " + where + " " + err,
                           "fix the file (it was not changed)");
    c.origins[def->info.name].source = "file " + path + ":" + std::to_string(src.line);
  }
  return Status::Ok();
}

Status ApplyFile(Config& c, const std::string& path, const std::string& home) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return Status::Error(ErrorCode::kConfig, "config file '" + path + "' is a directory",
                         "pass the file itself, e.g. --config " + path + "/config.toml");
  if (std::ifstream probe(path); !probe)
    return Status::Error(ErrorCode::kConfig,
                         "cannot read config file '" + path + "': " + std::generic_category().message(errno),
                         "check its permissions, or pass another --config PATH");
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
  Source from;
  from.home = home;
  from.base_dir = std::filesystem::absolute(path, ec).parent_path().string();
  return ApplyTable(c, path, table, "", from);
}

}  // namespace

const char* ChoiceName(Device v) { return DeviceName(v); }

const char* ChoiceName(Repack v) { return v == Repack::kOn ? "on" : v == Repack::kOff ? "off" : "auto"; }

const char* ChoiceName(Autostart v) { return v == Autostart::kOn ? "on" : v == Autostart::kOff ? "off" : "auto"; }

const char* ChoiceName(ColorMode v) {
  return v == ColorMode::kAlways ? "always" : v == ColorMode::kNever ? "never" : "auto";
}

const char* ChoiceName(BackendKind v) {
  return v == BackendKind::kOllama ? "ollama" : v == BackendKind::kOpenAi ? "openai" : "embedded";
}

const char* ChoiceName(OllamaFormat v) { return v == OllamaFormat::kSchema ? "schema" : "text"; }

const char* ChoiceName(OpenAiGrammar v) { return v == OpenAiGrammar::kGbnf ? "gbnf" : "none"; }

const char* ChoiceName(ModelDownload v) {
  return v == ModelDownload::kAlways ? "always" : v == ModelDownload::kNever ? "never" : "ask";
}

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
  Source outside;  // flags and variables: paths as given, ~ and $HOME expanded
  if (auto home = env("HOME")) outside.home = *home;
  Config c;
  c.shell = DefaultShell(env);
  for (const auto& d : Defs()) c.origins[d.info.name].source = "default";
  c.data_dir = XdgDir(env, "XDG_DATA_HOME", ".local/share") + "/cmdai";
  c.cache_dir = XdgDir(env, "XDG_CACHE_HOME", ".cache") + "/cmdai";
  std::error_code ec;
  c.cwd = std::filesystem::current_path(ec).string();
  if (auto p = env("PATH"); p && !p->empty()) c.path = *p;
  if (auto h = env("HOME"); h && !h->empty() && h->front() == '/') c.home = *h;

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
    c.config_file = ExpandPath(*in.config_file, outside);
  } else if (auto e = env("CMDAI_CONFIG"); e && !e->empty()) {
    c.config_file = ExpandPath(*e, outside);
  } else {
    c.config_file = XdgDir(env, "XDG_CONFIG_HOME", ".config") + "/cmdai/config.toml";
    explicit_file = false;
  }
  if (std::filesystem::exists(c.config_file, ec)) {
    if (Status s = ApplyFile(c, c.config_file, outside.home); !s.ok()) return s;
  } else if (explicit_file) {
    return Status::Error(ErrorCode::kConfig, "config file '" + c.config_file + "' does not exist",
                         "create it or pass an existing --config PATH");
  }

  for (const auto& d : Defs()) {
    if (d.info.env.empty()) continue;
    auto v = env(d.info.env);
    if (!v) continue;
    if (std::string err = d.set(c, *v, outside); !err.empty())
      return Status::Error(ErrorCode::kConfig, d.info.env + "='" + *v + "' " + err, "fix or unset the variable");
    c.origins[d.info.name].source = "env " + d.info.env;
  }

  for (const auto& [key, value] : in.flags) {
    const KeyDef* def = nullptr;
    for (const auto& d : Defs())
      if (d.info.name == key) def = &d;
    if (!def) return Status::Error(ErrorCode::kUsage, "unknown setting '" + key + "'" + DidYouMean(key, KeyNames()));
    const std::string flag = def->info.flag.empty() ? key : def->info.flag;
    if (std::string err = def->set(c, value, outside); !err.empty())
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
  if (auto t = env("CMDAI_TEST_TOKEN_MS"); t && !t->empty())
    c.test_token_ms = std::clamp(std::atoi(t->c_str()), 0, 10000);
  // The API key: from the variable the config names; kept out of origins.
  if (auto k = env(c.openai_api_key_env); k) c.openai_api_key = *k;
  while (!c.openai_base_url.empty() && c.openai_base_url.back() == '/') c.openai_base_url.pop_back();
  if (c.openai_base_url.size() > 3 && c.openai_base_url.substr(c.openai_base_url.size() - 3) == "/v1")
    c.openai_base_url.resize(c.openai_base_url.size() - 3);

  // https://no-color.org: a non-empty NO_COLOR turns colour off unless asked for.
  if (c.color == ColorMode::kAuto) {
    auto no_color = env("NO_COLOR");
    auto term = env("TERM");
    if ((no_color && !no_color->empty()) || (term && *term == "dumb")) c.color = ColorMode::kNever;
  }
  for (const auto& d : Defs()) c.origins[d.info.name].value = d.get(c);
  return c;
}

}  // namespace cmdai
