// SPDX-License-Identifier: MIT
// Config: every setting cmdai reads, merged once from defaults, the user's
// TOML file, CMDAI_* environment variables and flags (later wins), and
// immutable afterwards. This is the only module that reads the environment.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace cmdai {

// Choice-valued settings are enums; each key's table entry names them
// (config.cc), and ChoiceName below turns one back into its word.
enum class Device { kAuto, kCpu, kGpu };
enum class Repack { kAuto, kOn, kOff };           // auto: on for `cmdai serve`, off for a one-shot
enum class Autostart { kAuto, kOn, kOff };        // auto: when the model runs on a GPU (docs/performance.md)
enum class ColorMode { kAuto, kAlways, kNever };  // auto: on a terminal, unless NO_COLOR or TERM=dumb
enum class BackendKind { kEmbedded, kOllama, kOpenAi };
enum class OllamaFormat { kText, kSchema };          // fenced text, or JSON through Ollama's format
enum class OpenAiGrammar { kNone, kGbnf };           // gbnf: llama-server's grammar field
enum class ModelDownload { kAsk, kAlways, kNever };  // fetching a missing model

/// Where a setting's value came from, for `cmdai config show` and messages.
struct Origin {
  std::string value;   // the effective value, as text
  std::string source;  // "default", "file PATH:LINE", "env CMDAI_X", "flag --x"
};

struct Config {
  std::string model;                   // GGUF path; "" means the default model. Default "".
  std::string shell;                   // bash|zsh|fish|sh|pwsh. Default: from $SHELL, else sh.
  Device device = Device::kAuto;       // auto: GPU when built with one and present.
  int threads = 0;                     // CPU threads; 0: one per physical core.
  int context_size = 2048;             // tokens of context; bounds prompt + answer.
  int max_tokens = 128;                // answer tokens at most; a cut-off answer is refused.
  float temperature = 0.0f;            // 0: greedy (deterministic); up to 2.
  uint32_t seed = 0;                   // sampling seed when temperature > 0.
  bool prompt_cache = true;            // save and restore the fixed prompt prefix's KV state (docs/performance.md)
  Repack repack = Repack::kAuto;       // on | off | auto (serve: on, one request: off): faster CPU prefill
  bool explain = true;                 // ask for a one-line explanation when it is shown.
  bool grounding = true;               // check each command against this machine (docs/grounding.md).
  bool verbose = false;                // device, model and timings on stderr.
  bool quiet = false;                  // nothing but errors on stderr.
  ColorMode color = ColorMode::kAuto;  // NO_COLOR or TERM=dumb make auto mean never.

  // Safety (docs/safety.md). Validated here, interpreted by src/safety.
  std::string safety_level = "moderate";            // strict | moderate | permissive
  std::vector<std::string> safety_allow;            // patterns that waive findings
  std::vector<std::string> safety_deny;             // patterns that always block
  std::map<std::string, std::string> safety_table;  // "LEVEL.RISK" -> allow|confirm|block overrides

  // Backends (docs/backends.md).
  BackendKind backend = BackendKind::kEmbedded;
  std::vector<BackendKind> fallback;                   // backends tried next, in order
  std::string ollama_host = "http://127.0.0.1:11434";  // ollama.host; default from OLLAMA_HOST
  std::string ollama_model = "qwen2.5-coder:1.5b";
  std::string ollama_keep_alive = "10m";
  OllamaFormat ollama_format = OllamaFormat::kText;
  std::string openai_base_url = "http://127.0.0.1:8080";
  std::string openai_model;  // "" lets the server pick
  std::string openai_api_key_env = "OPENAI_API_KEY";
  OpenAiGrammar openai_grammar = OpenAiGrammar::kNone;
  std::string openai_api_key;  // read from $openai_api_key_env; a secret: never printed
  int request_timeout_s = 60;
  int connect_timeout_s = 5;
  int http_retries = 3;

  // Resident mode (docs/performance.md).
  std::string serve_socket;  // serve.socket; default $XDG_RUNTIME_DIR/cmdai/serve.sock, else CACHE_DIR/serve.sock
  // Start `cmdai serve` in the background when a request loads the model: auto = when it runs on a GPU.
  Autostart serve_autostart = Autostart::kAuto;
  int serve_idle_timeout_s = 900;  // a server stops after this long without requests (0: never)

  // Models (docs/models.md).
  bool offline = false;  // never touch the network (also HF_HUB_OFFLINE=1).
  ModelDownload model_download = ModelDownload::kAsk;
  int download_stall_s = 30;    // abort and retry a download that moves no data this long.
  int download_retries = 5;     // attempts per download step before giving up.
  std::string hub_dir;          // $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub
  std::string llama_cache_dir;  // $LLAMA_CACHE, else ~/.cache/llama.cpp
  std::string hf_endpoint = "https://huggingface.co";  // $HF_ENDPOINT (mirrors)
  std::string hf_token;                                // $HF_TOKEN; a secret: never printed or written out

  /// Test hook (docs/testing.md): model answers to use instead of any model,
  /// from CMDAI_TEST_ANSWERS, separated by lines "@@next@@". Never set in use.
  std::vector<std::string> test_answers;
  int test_token_ms = 0;  // CMDAI_TEST_TOKEN_MS: the scripted answers stream a piece per this many ms

  std::string config_file;                // the file read (or that would be read).
  std::string data_dir;                   // $XDG_DATA_HOME/cmdai
  std::string cache_dir;                  // $XDG_CACHE_HOME/cmdai
  std::string cwd;                        // the working directory at start.
  std::string path;                       // $PATH at start: where grounding looks commands up.
  std::string home;                       // $HOME at start: whose shell startup files define aliases.
  std::map<std::string, Origin> origins;  // per key, in key order.
};

/// Looks up an environment variable; nullopt when unset. Tests pass a map.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

/// The process environment (the one call to getenv in cmdai).
EnvLookup ProcessEnvironment();

/// What a key's value is: how it is parsed, checked, shown and completed.
enum class KeyType { kString, kPath, kInt, kFloat, kBool, kChoice, kStringList };

/// Description of one configurable key: the one place its flag, variable,
/// type, default and help are written. The command line's option table
/// (cli/options.h), `config show`, the completions and docs/cli.md read it.
struct KeyInfo {
  std::string name;                  // TOML key, e.g. "max_tokens"
  std::string env;                   // e.g. "CMDAI_MAX_TOKENS", or ""
  std::string flag;                  // e.g. "--max-tokens", or "" when there is none
  std::string short_flag;            // e.g. "-t", or ""
  std::string doc;                   // one line: what it does
  KeyType type = KeyType::kString;   //
  std::vector<std::string> choices;  // the allowed words (kChoice, and lists of choices)
  std::string default_text;          // the default as `config show` prints it; "" when computed at start
};
const std::vector<KeyInfo>& ConfigKeys();

/// The word for an enum value ("ollama", "never").
const char* ChoiceName(Device v);
const char* ChoiceName(Repack v);
const char* ChoiceName(Autostart v);
const char* ChoiceName(ColorMode v);
const char* ChoiceName(BackendKind v);
const char* ChoiceName(OllamaFormat v);
const char* ChoiceName(OpenAiGrammar v);
const char* ChoiceName(ModelDownload v);

struct ConfigInputs {
  /// Values given as flags, by key name (already split from the flag syntax).
  std::map<std::string, std::string> flags;
  /// --config PATH; otherwise CMDAI_CONFIG, else $XDG_CONFIG_HOME/cmdai/config.toml.
  std::optional<std::string> config_file;
  EnvLookup env;
};

/// Merges defaults < file < environment < flags. In path values (`model`,
/// `serve.socket`) a leading `~` or `$HOME` is expanded, and a relative path
/// from the file is taken from the file's directory. Fails with kConfig (file or
/// environment) or kUsage (flag) naming the bad key, its source — with line
/// and column for the file — and the allowed values. A missing file is not an
/// error unless it was named explicitly. The file is only ever read.
Result<Config> LoadConfig(const ConfigInputs& inputs);

const char* DeviceName(Device d);

}  // namespace cmdai
