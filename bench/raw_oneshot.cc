// SPDX-License-Identifier: MIT
// raw-oneshot: raw llama.cpp (llama.h only, nothing of cmdai) doing the work
// of one cmdai warm one-shot, so that bench/bench.sh can pair the two: load
// the model (memory-mapped, the same threads), create a context of cmdai's
// size and batch, restore the prompt's fixed prefix from a state file (saved
// by the first run), prefill the rest of the prompt, greedy-decode N tokens.
//
//   raw-oneshot MODEL --messages FILE [--state FILE] [--prefix-tokens K] [--gen N] [--threads T]
//               [--ctx N] [--ngl N] [--repack] [--t0 EPOCH_MS]
//
// --messages: the chat messages and the answer's start, as `oneshot
// --dump-prompt FILE` writes them (records "ROLE BYTES\n", the bytes, "\n";
// the last record's role is answer_prefix). They are rendered with the
// model's own chat template, as any llama.cpp chat program does. The
// restorable prefix is everything before the last message's text, or its
// first K tokens with --prefix-tokens. --gen N: N tokens sampled, the first
// N-1 decoded (the last one ends the answer, as cmdai's closing fence does).
// --t0: the caller's clock (milliseconds since the epoch) just before it
// started this process, so that wall_ms includes process start.
// Prints one line of key=value timings; exits without freeing, as cmdai's
// one-shot does.
#include <ggml-backend.h>
#include <llama.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
double MsSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

struct ModelDeleter {
  void operator()(llama_model* m) const { llama_model_free(m); }
};
struct ContextDeleter {
  void operator()(llama_context* c) const { llama_free(c); }
};
struct SamplerDeleter {
  void operator()(llama_sampler* s) const { llama_sampler_free(s); }
};

struct Message {
  std::string role;
  std::string content;
};

struct Options {
  std::string model;
  std::string messages;
  std::string state;
  int prefix_tokens = -1;  // -1: from the template
  int gen = 4;
  int threads = 2;
  int ctx = 2048;
  int ngl = 0;
  bool repack = false;
  long long t0 = 0;
};

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "raw-oneshot: %s\n", what.c_str());
  std::fflush(stderr);
  std::_Exit(1);
}

void QuietLog(ggml_log_level level, const char* text, void*) {
  if (level == GGML_LOG_LEVEL_ERROR) std::fputs(text, stderr);
}

Options Parse(int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-')
    Fail(
        "usage: raw-oneshot MODEL --messages FILE [--state FILE] [--prefix-tokens K] [--gen N] [--threads T] "
        "[--ctx N] [--ngl N] [--repack] [--t0 EPOCH_MS]");
  Options o;
  o.model = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has = i + 1 < argc;
    if (a == "--messages" && has)
      o.messages = argv[++i];
    else if (a == "--state" && has)
      o.state = argv[++i];
    else if (a == "--prefix-tokens" && has)
      o.prefix_tokens = std::atoi(argv[++i]);
    else if (a == "--gen" && has)
      o.gen = std::atoi(argv[++i]);
    else if (a == "--threads" && has)
      o.threads = std::atoi(argv[++i]);
    else if (a == "--ctx" && has)
      o.ctx = std::atoi(argv[++i]);
    else if (a == "--ngl" && has)
      o.ngl = std::atoi(argv[++i]);
    else if (a == "--repack")
      o.repack = true;
    else if (a == "--t0" && has)
      o.t0 = std::atoll(argv[++i]);
    else
      Fail("unknown option '" + a + "'");
  }
  if (o.messages.empty()) Fail("--messages FILE is required");
  if (o.gen < 1 || o.threads < 1 || o.ctx < 16) Fail("--gen, --threads and --ctx must be positive");
  return o;
}

// Reads the records written by `oneshot --dump-prompt`; the last one, role
// answer_prefix, is the start of the assistant's answer.
std::vector<Message> ReadMessages(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail("cannot read " + path);
  std::vector<Message> out;
  std::string header;
  while (std::getline(in, header)) {
    std::istringstream h(header);
    Message m;
    size_t n = 0;
    if (!(h >> m.role >> n)) Fail("bad record header in " + path + ": " + header);
    m.content.resize(n);
    char nl = 0;
    if (!in.read(m.content.data(), static_cast<std::streamsize>(n)) || !in.get(nl) || nl != '\n')
      Fail("truncated record in " + path);
    out.push_back(std::move(m));
  }
  if (out.size() < 2 || out.back().role != "answer_prefix") Fail(path + " holds no messages and answer_prefix");
  return out;
}

std::string Render(const llama_model* model, const std::vector<Message>& messages) {
  const char* tmpl = llama_model_chat_template(model, nullptr);
  if (!tmpl) Fail("the model has no chat template");
  std::vector<llama_chat_message> msgs;
  size_t total = 0;
  for (const auto& m : messages) {
    msgs.push_back({m.role.c_str(), m.content.c_str()});
    total += m.role.size() + m.content.size();
  }
  std::vector<char> buf(2 * total + 256);
  int32_t n =
      llama_chat_apply_template(tmpl, msgs.data(), msgs.size(), true, buf.data(), static_cast<int32_t>(buf.size()));
  if (n > static_cast<int32_t>(buf.size())) {
    buf.resize(static_cast<size_t>(n));
    n = llama_chat_apply_template(tmpl, msgs.data(), msgs.size(), true, buf.data(), static_cast<int32_t>(buf.size()));
  }
  if (n < 0) Fail("llama.cpp cannot apply the model's chat template");
  return std::string(buf.data(), static_cast<size_t>(n));
}

std::vector<llama_token> Tokenize(const llama_vocab* vocab, const std::string& text) {
  const int32_t n = -llama_tokenize(vocab, text.data(), static_cast<int32_t>(text.size()), nullptr, 0, true, true);
  if (n <= 0) Fail("cannot tokenize the prompt");
  std::vector<llama_token> t(static_cast<size_t>(n));
  llama_tokenize(vocab, text.data(), static_cast<int32_t>(text.size()), t.data(), n, true, true);
  return t;
}

void Decode(llama_context* ctx, std::vector<llama_token>& tokens, size_t from, size_t to) {
  const size_t n_batch = llama_n_batch(ctx);
  for (size_t i = from; i < to; i += n_batch) {
    const int len = static_cast<int>(std::min(n_batch, to - i));
    if (llama_decode(ctx, llama_batch_get_one(tokens.data() + i, len)) != 0) Fail("llama_decode failed");
  }
}

}  // namespace

int main(int argc, char** argv) {
  const auto t_main = Clock::now();
  const Options o = Parse(argc, argv);

  llama_log_set(QuietLog, nullptr);
  llama_backend_init();
  if (ggml_backend_dev_count() == 0) ggml_backend_load_all();  // a build with backends as modules

  const auto t_load = Clock::now();
  llama_model_params mp = llama_model_default_params();
  mp.n_gpu_layers = o.ngl;
  mp.use_extra_bufts = o.repack;
  std::unique_ptr<llama_model, ModelDeleter> model(llama_model_load_from_file(o.model.c_str(), mp));
  if (!model) Fail("cannot load " + o.model);
  const double model_ms = MsSince(t_load);

  const auto t_context = Clock::now();
  llama_context_params cp = llama_context_default_params();
  cp.n_ctx = static_cast<uint32_t>(o.ctx);
  cp.n_batch = std::min<uint32_t>(cp.n_ctx, 512);
  cp.n_ubatch = cp.n_batch;
  cp.n_seq_max = 1;
  cp.n_threads = o.threads;
  cp.n_threads_batch = o.threads;
  cp.no_perf = true;
  std::unique_ptr<llama_context, ContextDeleter> ctx(llama_init_from_model(model.get(), cp));
  if (!ctx) Fail("cannot create a context");
  const double context_ms = MsSince(t_context);

  // The prompt, and its restorable prefix.
  const auto t_prompt = Clock::now();
  const llama_vocab* vocab = llama_model_get_vocab(model.get());
  std::vector<Message> messages = ReadMessages(o.messages);
  const std::string answer_prefix = messages.back().content;
  messages.pop_back();
  std::vector<llama_token> tokens = Tokenize(vocab, Render(model.get(), messages) + answer_prefix);
  size_t k = 0;
  if (o.prefix_tokens >= 0) {
    k = static_cast<size_t>(o.prefix_tokens);
  } else {
    const std::string marker = "\x01raw-prefix-end\x01";
    auto marked = messages;
    marked.back().content = marker;
    const std::string r = Render(model.get(), marked);
    k = Tokenize(vocab, r.substr(0, r.find(marker))).size();
  }
  if (k >= tokens.size()) Fail("the prefix is not shorter than the prompt");
  if (static_cast<int>(tokens.size()) + o.gen > o.ctx) Fail("the prompt and answer do not fit the context");
  const double prompt_ms = MsSince(t_prompt);

  // Restore the prefix's state, or compute it and save it for the next run.
  const auto t_restore = Clock::now();
  size_t have = 0;
  std::error_code ec;
  if (!o.state.empty() && std::filesystem::exists(o.state, ec)) {
    std::vector<llama_token> stored(k);
    size_t n_stored = 0;
    if (llama_state_seq_load_file(ctx.get(), o.state.c_str(), 0, stored.data(), stored.size(), &n_stored) > 0 &&
        n_stored == k && std::equal(stored.begin(), stored.end(), tokens.begin()))
      have = k;
    else
      llama_memory_clear(llama_get_memory(ctx.get()), true);
  }
  const double restore_ms = have ? MsSince(t_restore) : 0.0;
  const char* source = have ? "file" : o.state.empty() ? "off" : "computed";

  const auto t_prefill = Clock::now();
  if (have == 0 && !o.state.empty()) {
    Decode(ctx.get(), tokens, 0, k);
    if (llama_state_seq_save_file(ctx.get(), o.state.c_str(), 0, tokens.data(), k) == 0)
      Fail("cannot save the state to " + o.state);
    have = k;
  }
  Decode(ctx.get(), tokens, have, tokens.size());
  const double prefill_ms = MsSince(t_prefill);

  // Greedy generation of exactly gen tokens.
  const auto t_gen = Clock::now();
  std::unique_ptr<llama_sampler, SamplerDeleter> sampler(
      llama_sampler_chain_init(llama_sampler_chain_default_params()));
  llama_sampler_chain_add(sampler.get(), llama_sampler_init_greedy());
  for (int i = 0; i < o.gen; ++i) {
    llama_token id = llama_sampler_sample(sampler.get(), ctx.get(), -1);
    if (i + 1 < o.gen && llama_decode(ctx.get(), llama_batch_get_one(&id, 1)) != 0) Fail("llama_decode failed");
  }
  const double gen_ms = MsSince(t_gen);

  const double total_ms = MsSince(t_main);
  std::string wall;
  if (o.t0 > 0) {
    const long long now =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    wall = " wall_ms=" + std::to_string(now - o.t0);
  }
  std::printf(
      "raw-oneshot: load_ms=%.1f model_ms=%.1f context_ms=%.1f prompt_ms=%.1f prompt_tokens=%zu prefix_tokens=%zu "
      "source=%s restore_ms=%.1f prefilled=%zu prefill_ms=%.1f gen_tokens=%d gen_ms=%.1f total_ms=%.1f%s\n",
      model_ms + context_ms, model_ms, context_ms, prompt_ms, tokens.size(), k, source, restore_ms,
      tokens.size() - (std::strcmp(source, "file") == 0 ? k : 0), prefill_ms, o.gen, gen_ms, total_ms, wall.c_str());
  std::fflush(stdout);
  std::_Exit(0);  // no teardown, as cmdai's one-shot
}
