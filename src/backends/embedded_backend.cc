// SPDX-License-Identifier: MIT
// EmbeddedBackend: opens a GGUF model on llama.cpp (backend modules, device,
// weights, context) and generates one answer per request.
#include "backends/embedded_backend.h"

#include <ggml-backend.h>
#include <llama.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "backends/gpu_driver_start.h"
#include "backends/grammar_sampler.h"
#include "backends/prefix_cache.h"
#include "common/interrupt.h"
#include "context/context.h"

namespace cmdai {
namespace {

using Clock = std::chrono::steady_clock;
double MsSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

struct ModelDeleter {
  void operator()(llama_model* m) const { llama_model_free(m); }
};
struct ContextDeleter {
  void operator()(llama_context* c) const { llama_free(c); }
};
using ModelPtr = std::unique_ptr<llama_model, ModelDeleter>;
using ContextPtr = std::unique_ptr<llama_context, ContextDeleter>;

// llama.cpp reports why a load failed only through its log. We keep its
// recent warnings and errors (and nothing else: the rest is noise for a
// person) to put the reason into our one-line message. This and the
// interrupt flag are cmdai's only mutable globals (STYLE.md §12).
class LlamaLog {
 public:
  static LlamaLog& Get() {
    static LlamaLog log;
    return log;
  }
  void Add(ggml_log_level level, const char* text) {
    if (level != GGML_LOG_LEVEL_ERROR && level != GGML_LOG_LEVEL_WARN) return;
    std::string line(text);
    while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.pop_back();
    if (line.empty()) return;
    std::lock_guard<std::mutex> lock(mu_);
    lines_.push_back(line);
    if (lines_.size() > 16) lines_.pop_front();
  }
  void Clear() {
    std::lock_guard<std::mutex> lock(mu_);
    lines_.clear();
  }
  // The most telling recent line: the last error that names a cause.
  std::string Reason() {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = lines_.rbegin(); it != lines_.rend(); ++it) {
      std::string l = *it;
      if (auto p = l.find(": "); p != std::string::npos && l.compare(0, 6, "llama_") == 0) l = l.substr(p + 2);
      if (l.find("failed to load model") != std::string::npos) continue;  // the symptom, not the cause
      if (!l.empty()) return l;
    }
    return "";
  }

 private:
  std::mutex mu_;
  std::deque<std::string> lines_;
};

void OnLlamaLog(ggml_log_level level, const char* text, void*) { LlamaLog::Get().Add(level, text); }

// llama_backend_init's work, less its last step: with no backend registered
// (a module build, before LoadBackendModules) it calls ggml_backend_load_all,
// which loads every module beside the executable, the GPU's too, on this
// thread and for --device cpu as well. That would undo BackendStart.
void InitLlamaOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    llama_log_set(OnLlamaLog, nullptr);
    ggml_time_init();
    ggml_init_params params = {0, nullptr, false};  // ggml_init fills its f16 tables once
    ggml_free(ggml_init(params));
  });
}

// The reusable (per-directory) prefixes' states live in this subdirectory of
// the prompt cache, at most this many (LRU): 16 directories of a 1.5B model
// take about 40 MB.
constexpr char kDirectoryStates[] = "directories";
constexpr size_t kMaxDirectoryStates = 16;
// The fixed prefixes' states: one per model, device and settings (context
// size, repack), so a few; bounded all the same, oldest unused first.
constexpr size_t kMaxFixedStates = 8;

bool AbortRequested(void*) { return Interrupted(); }
// llama.cpp calls it first just before the first weight is copied, after
// the metadata and vocabulary are read and the file is mapped: that moment
// splits model_ms for -v.
struct LoadClock {
  Clock::time_point start;
  double metadata_ms = -1;  // until the first call
};
bool LoadProgress(float, void* data) {
  auto* clock = static_cast<LoadClock*>(data);
  if (clock->metadata_ms < 0) clock->metadata_ms = MsSince(clock->start);
  return !Interrupted();
}

// Loads the compute backends on a thread of its own while llama.cpp reads the
// model's metadata and vocabulary on the caller's: on a GPU the first takes
// ~0.2-0.3 s (the GPU module, its runtime and cuBLAS, the driver's start) and
// so does the second, and neither needs the other. llama.cpp waits for the
// backends just before it chooses devices (wait_for_backends, added by
// scripts/llama-patches/0002). When a GPU is to be used, the thread then
// creates its device context (~0.2 s on an H100: a one-byte buffer makes the
// runtime create it), which the weights' first upload waits for inside the
// runtime, which is thread-safe. docs/performance.md has the timeline.
class BackendStart {
 public:
  struct Ready {
    Status status;          // kBackend: no CPU backend at all
    ModuleReport modules;   // notes for the person
    DeviceSupport devices;  // what the registry holds once the modules are in
    bool use_gpu = false;   // a GPU is wanted and present
    double ms = 0;          // loading and probing, on the thread
  };

  BackendStart(ModuleOptions options, Device device) : device_(device), ready_(promise_.get_future().share()) {
    thread_ = std::thread([this, options = std::move(options), device] {
      const auto start = Clock::now();
      // The CUDA driver starts on a thread of its own while its module loads.
      const bool cuda = options.want_gpu && std::find(options.gpu_modules.begin(), options.gpu_modules.end(), "cuda") !=
                                                options.gpu_modules.end();
      GpuDriverStart driver(cuda);
      Ready r;
      auto modules = LoadBackendModules(options);
      if (!modules.ok()) {
        r.status = modules.status();
      } else {
        r.modules = std::move(modules.value());
        r.devices = ProbeDevices();
        r.use_gpu = device != Device::kCpu && r.devices.gpu_available;
      }
      r.ms = MsSince(start);
      const bool gpu = r.use_gpu;
      promise_.set_value(std::move(r));
      if (!gpu) return;
      if (ggml_backend_dev_t dev = ggml_backend_dev_by_type(GGML_BACKEND_DEVICE_TYPE_GPU))
        if (ggml_backend_buffer_t b = ggml_backend_buft_alloc_buffer(ggml_backend_dev_buffer_type(dev), 1))
          ggml_backend_buffer_free(b);
      device_ready_ = Clock::now();
    });
  }
  ~BackendStart() { Finish(); }

  /// Waits for the thread to end: at once once the model is loaded, since
  /// the weights' upload waited for the device context the thread makes.
  void Finish() {
    if (thread_.joinable()) thread_.join();
  }
  /// When the GPU's device context was made (after Finish); nullopt: no GPU.
  std::optional<Clock::time_point> device_ready() const { return device_ready_; }
  BackendStart(const BackendStart&) = delete;
  BackendStart& operator=(const BackendStart&) = delete;

  /// Blocks until the modules are loaded and the devices known; adds the
  /// time it blocked to waited_ms. Safe from any thread.
  const Ready& Wait() {
    const auto start = Clock::now();
    ready_.wait();
    waited_ms_ += MsSince(start);
    return ready_.get();
  }
  double waited_ms() const { return waited_ms_; }

  /// For llama_model_params::wait_for_backends: true when the load may go on:
  /// a CPU backend at least is there, a GPU is there if --device gpu insists
  /// on one (Open then says so), and nobody pressed Ctrl-C.
  static bool WaitForBackends(void* self) {
    auto* start = static_cast<BackendStart*>(self);
    const Ready& r = start->Wait();
    if (!r.status.ok() || Interrupted()) return false;
    return start->device_ != Device::kGpu || r.devices.gpu_available || r.modules.gpu_module_failed;
  }

 private:
  const Device device_;
  std::promise<Ready> promise_;
  std::shared_future<Ready> ready_;
  std::thread thread_;
  double waited_ms_ = 0;                           // only the loading thread waits while llama.cpp loads
  std::optional<Clock::time_point> device_ready_;  // written by the thread, read after Finish
};

// Checks what llama.cpp would report less clearly: that the file exists, is
// a regular file, and starts with the GGUF magic.
Status CheckModelFile(const std::string& path) {
  std::error_code ec;
  if (path.empty())
    return Status::Error(ErrorCode::kNotFound, "no model given", "pass --model PATH or set CMDAI_MODEL");
  if (!std::filesystem::exists(path, ec))
    return Status::Error(ErrorCode::kNotFound, "cannot open model '" + path + "': no such file", "pass --model PATH");
  if (!std::filesystem::is_regular_file(path, ec))
    return Status::Error(ErrorCode::kInvalidModel, "cannot open model '" + path + "': not a regular file",
                         "pass --model PATH to a .gguf file");
  std::ifstream f(path, std::ios::binary);
  char magic[4] = {};
  if (!f.read(magic, 4))
    return Status::Error(ErrorCode::kInvalidModel,
                         "cannot read model '" + path + "': " + (f.gcount() == 0 ? "file is empty" : "file too short"),
                         "pass --model PATH to a .gguf file");
  if (std::memcmp(magic, "GGUF", 4) != 0)
    return Status::Error(ErrorCode::kInvalidModel, "'" + path + "' is not a GGUF model file",
                         "pass --model PATH to a .gguf file");
  return Status::Ok();
}

// Renders messages with the model's own chat template (llama.cpp recognises
// the template's family; Qwen2.5's is ChatML). Grows the buffer once if needed.
Result<std::string> RenderChat(const llama_model* model, const std::vector<ChatMessage>& messages) {
  const char* tmpl = llama_model_chat_template(model, nullptr);
  if (!tmpl)
    return Status::Error(ErrorCode::kInvalidModel, "the model has no chat template (tokenizer.chat_template)",
                         "use an instruction-tuned GGUF model");
  std::vector<llama_chat_message> msgs;
  size_t total = 0;
  for (const auto& m : messages) {
    msgs.push_back({m.role.c_str(), m.content.c_str()});
    total += m.content.size() + m.role.size();
  }
  std::vector<char> buf(2 * total + 256);
  int32_t n =
      llama_chat_apply_template(tmpl, msgs.data(), msgs.size(), true, buf.data(), static_cast<int32_t>(buf.size()));
  if (n > static_cast<int32_t>(buf.size())) {
    buf.resize(static_cast<size_t>(n));
    n = llama_chat_apply_template(tmpl, msgs.data(), msgs.size(), true, buf.data(), static_cast<int32_t>(buf.size()));
  }
  if (n < 0)
    return Status::Error(ErrorCode::kInvalidModel, "llama.cpp does not support this model's chat template",
                         "use a model with a common template (ChatML, Llama 3, Gemma, …)");
  return std::string(buf.data(), static_cast<size_t>(n));
}

std::vector<llama_token> Tokenize(const llama_vocab* vocab, const std::string& text) {
  int32_t n = -llama_tokenize(vocab, text.data(), static_cast<int32_t>(text.size()), nullptr, 0, true, true);
  if (n <= 0) return {};
  std::vector<llama_token> t(static_cast<size_t>(n));
  llama_tokenize(vocab, text.data(), static_cast<int32_t>(text.size()), t.data(), n, true, true);
  return t;
}

// `text`'s tokens as answer text: no special tokens added or parsed.
std::vector<llama_token> AnswerTokens(const llama_vocab* vocab, const std::string& text) {
  std::vector<llama_token> t(text.size() + 1);
  const int32_t k = llama_tokenize(vocab, text.data(), static_cast<int32_t>(text.size()), t.data(),
                                   static_cast<int32_t>(t.size()), false, false);
  t.resize(static_cast<size_t>(std::max(k, 0)));
  return t;
}

std::string TokenPiece(const llama_vocab* vocab, llama_token t) {
  char buf[256];
  int32_t n = llama_token_to_piece(vocab, t, buf, sizeof(buf), 0, false);
  if (n < 0) {
    std::string big(static_cast<size_t>(-n), '\0');
    n = llama_token_to_piece(vocab, t, big.data(), static_cast<int32_t>(big.size()), 0, false);
    return n < 0 ? std::string() : big.substr(0, static_cast<size_t>(n));
  }
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace

DeviceSupport ProbeDevices() {
  InitLlamaOnce();
  DeviceSupport s;
  for (size_t i = 0; i < ggml_backend_dev_count(); ++i) {
    ggml_backend_dev_t dev = ggml_backend_dev_get(i);
    if (ggml_backend_dev_type(dev) == GGML_BACKEND_DEVICE_TYPE_GPU) {
      s.gpu_available = true;
      s.gpu_name = ggml_backend_dev_description(dev);
      break;
    }
  }
  return s;
}

struct EmbeddedBackend::Impl {
  detail::PrefixCache cache{"", ""};            // the prompt-state cache on disk: fixed prefixes
  detail::PrefixCache directory_cache{"", ""};  // and the reusable (per-directory) prefixes, bounded
  std::vector<llama_token> resident_prefix;     // prefix whose state the context holds now
  std::vector<llama_token> unsaved_reusable;    // reusable prefix computed by this request, saved after it
  std::string prefix_source = "off";
  ModelPtr model;
  ContextPtr ctx;
  const llama_vocab* vocab = nullptr;
  std::string model_path;
  std::string device;
  double load_ms = 0;
  double backends_ms = 0;
  double model_ms = 0;
  double metadata_ms = 0;
  double backends_wait_ms = 0;
  double device_ready_ms = 0;
  double context_ms = 0;
  int context_size = 0;
  std::unique_ptr<detail::TokenIndex> token_index;  // built on the grammar's first slow step

  // Generate's steps, in order.
  Result<std::vector<llama_token>> PromptTokens(const GenerationRequest& req) const;
  // The prompt's starts whose state is worth keeping: `fixed`, everything
  // before the last message's text (the same for every request in a shell),
  // and `reusable`, longer, up to GenerationRequest::reusable_chars of that
  // text (the same for every request from one directory). Each is empty when
  // the cache is off or the full prompt's tokens do not start with its own.
  struct Prefixes {
    std::vector<llama_token> fixed;
    std::vector<llama_token> reusable;
  };
  Prefixes FixedPrefixes(const GenerationRequest& req, const std::vector<llama_token>& tokens) const;
  Status Prefill(const GenerationRequest& req, const std::vector<llama_token>& tokens, Timings& timings);
  Status Decode(const std::vector<llama_token>& tokens, size_t from, size_t to);
  Status Answer(const GenerationRequest& req, int max_tokens, Generation& out);
  void SaveReusable();
};

EmbeddedBackend::EmbeddedBackend(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EmbeddedBackend::~EmbeddedBackend() = default;

Result<std::unique_ptr<EmbeddedBackend>> EmbeddedBackend::Open(const EmbeddedOptions& o) {
  const auto start = Clock::now();
  if (Status s = CheckModelFile(o.model_path); !s.ok()) return s;
  InitLlamaOnce();

  // Backends (in a GPU build, modules beside the executable, loaded only now,
  // and the GPU's not at all for --device cpu) load alongside the metadata.
  [[maybe_unused]] const bool gpu_likely = o.device != Device::kCpu && GpuInstalled(o.module_dir);  // a stat or two
  BackendStart backends({o.module_dir, o.gpu_modules, o.device != Device::kCpu}, o.device);
  const auto model_start = Clock::now();
  LoadClock load_clock;
  auto load = [&](bool gpu) {
    LlamaLog::Get().Clear();
    load_clock = {Clock::now(), -1};
    llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = gpu ? -1 : 0;  // all layers (on whatever GPU the registry holds then), or none
    mp.progress_callback = LoadProgress;
    mp.progress_callback_user_data = &load_clock;
#ifdef CMDAI_LLAMA_WAIT_FOR_BACKENDS
    mp.wait_for_backends = BackendStart::WaitForBackends;
    mp.wait_for_backends_user_data = &backends;
#else  // a llama.cpp without cmdai's patch 0002: the backends first
    if (!BackendStart::WaitForBackends(&backends)) return ModelPtr();
#endif
#ifdef CMDAI_LLAMA_VOCAB_ALONGSIDE
    // Patch 0003: on a GPU the vocabulary (~0.25 s) is read while the weights
    // upload (~0.2 s). On the CPU the weights are only mapped, so there is
    // nothing to overlap, and the 2-core VM measured it 30-40 ms slower.
    mp.vocab_alongside_tensors = gpu && gpu_likely;
#endif
    mp.use_extra_bufts = o.repack;
    switch (o.weight_load) {
      case WeightLoad::kAuto: break;
      case WeightLoad::kMmap: mp.load_mode = LLAMA_LOAD_MODE_MMAP; break;
      case WeightLoad::kRead: mp.load_mode = LLAMA_LOAD_MODE_NONE; break;
      case WeightLoad::kDirect: mp.load_mode = LLAMA_LOAD_MODE_DIRECT_IO; break;
    }
    return ModelPtr(llama_model_load_from_file(o.model_path.c_str(), mp));
  };
  ModelPtr model = load(o.device != Device::kCpu);
  const double metadata_ms = std::max(0.0, load_clock.metadata_ms - backends.waited_ms());
  const BackendStart::Ready& ready = backends.Wait();  // at once, unless the load failed before it waited
  if (!ready.status.ok()) return ready.status;
  if (o.note)
    for (const std::string& n : ready.modules.notes) o.note(n);
  if (o.device == Device::kGpu && !ready.devices.gpu_available && !ready.modules.gpu_module_failed)
    return Status::Error(ErrorCode::kUsage, "no GPU is available to this build of cmdai",
                         "use --device cpu, or rebuild with scripts/setup.sh --cuda|--vulkan|--metal");
  bool use_gpu = ready.use_gpu;
  const DeviceSupport& devices = ready.devices;
  const int threads = o.threads > 0 ? o.threads : PhysicalCores();
  if (!model && use_gpu && !Interrupted()) {
    if (o.note) o.note("GPU start failed (" + LlamaLog::Get().Reason() + "); using the CPU");
    use_gpu = false;
    model = load(false);
  }
  if (Interrupted()) return Status::Error(ErrorCode::kInterrupted, "interrupted");
  if (!model) {
    std::string reason = LlamaLog::Get().Reason();
    return Status::Error(ErrorCode::kInvalidModel,
                         "cannot load model '" + o.model_path + "'" + (reason.empty() ? "" : ": " + reason),
                         "check that the file is a complete GGUF model of a supported architecture");
  }

  const double model_ms = MsSince(model_start);
  const auto context_start = Clock::now();
  llama_context_params cp = llama_context_default_params();
  cp.n_ctx = static_cast<uint32_t>(o.context_size);
  cp.n_batch = std::min<uint32_t>(cp.n_ctx, 512);
  cp.n_ubatch = cp.n_batch;
  cp.n_seq_max = 1;
  cp.n_threads = threads;
  cp.n_threads_batch = threads;
  cp.abort_callback = AbortRequested;
  cp.abort_callback_data = nullptr;
  cp.no_perf = true;
  LlamaLog::Get().Clear();
  ContextPtr ctx(llama_init_from_model(model.get(), cp));
  if (!ctx) {
    std::string reason = LlamaLog::Get().Reason();
    return Status::Error(ErrorCode::kBackend,
                         "cannot create a llama.cpp context" + (reason.empty() ? "" : ": " + reason),
                         "lower context_size or use --device cpu");
  }

  auto impl = std::make_unique<Impl>();
  impl->vocab = llama_model_get_vocab(model.get());
  impl->token_index = std::make_unique<detail::TokenIndex>(impl->vocab);
  impl->model = std::move(model);
  impl->ctx = std::move(ctx);
  impl->model_path = o.model_path;
  impl->device = use_gpu ? "GPU " + devices.gpu_name : "CPU (" + std::to_string(threads) + " threads)";
  impl->context_size = o.context_size;
  {
    // What a saved state depends on besides its tokens: part of every key.
    std::error_code ec;
    const auto size = std::filesystem::file_size(o.model_path, ec);
    const auto mtime = std::filesystem::last_write_time(o.model_path, ec).time_since_epoch().count();
    const std::string identity = std::filesystem::absolute(o.model_path, ec).string() + "|" + std::to_string(size) +
                                 "|" + std::to_string(mtime) + "|" + llama_print_system_info() + "|" + impl->device +
                                 "|ctx" + std::to_string(o.context_size) + "|repack" + std::to_string(o.repack);
    impl->cache = detail::PrefixCache(o.prompt_cache_dir, identity, kMaxFixedStates);
    // One state per working directory, a few MB each: the disk is bounded by
    // keeping the most recently used.
    impl->directory_cache = detail::PrefixCache(
        o.prompt_cache_dir.empty() ? "" : o.prompt_cache_dir + "/" + kDirectoryStates, identity, kMaxDirectoryStates);
  }
  impl->context_ms = MsSince(context_start);
  impl->model_ms = model_ms;
  impl->metadata_ms = metadata_ms;
  impl->backends_ms = ready.ms;
  impl->backends_wait_ms = backends.waited_ms();
  backends.Finish();
  if (use_gpu && backends.device_ready())
    impl->device_ready_ms = std::chrono::duration<double, std::milli>(*backends.device_ready() - start).count();
  impl->load_ms = MsSince(start);
  return std::unique_ptr<EmbeddedBackend>(new EmbeddedBackend(std::move(impl)));
}

double EmbeddedBackend::load_ms() const { return impl_->load_ms; }
const std::string& EmbeddedBackend::prefix_source() const { return impl_->prefix_source; }

BackendInfo EmbeddedBackend::Info() const {
  BackendInfo info;
  info.name = "embedded";
  info.model = impl_->model_path;
  info.device = impl_->device;
  info.load_ms = impl_->load_ms;
  info.backends_ms = impl_->backends_ms;
  info.model_ms = impl_->model_ms;
  info.metadata_ms = impl_->metadata_ms;
  info.backends_wait_ms = impl_->backends_wait_ms;
  info.device_ready_ms = impl_->device_ready_ms;
  info.context_ms = impl_->context_ms;
  return info;
}
const std::string& EmbeddedBackend::device_description() const { return impl_->device; }

std::string EmbeddedBackend::Describe() const {
  char desc[128] = {};
  llama_model_desc(impl_->model.get(), desc, sizeof(desc));
  return "embedded llama.cpp, model " + impl_->model_path + " (" + desc + "), " + impl_->device;
}

Result<Generation> EmbeddedBackend::Generate(const GenerationRequest& req) {
  Impl& m = *impl_;
  auto tokens = m.PromptTokens(req);
  if (!tokens.ok()) return tokens.status();
  // The answer needs room: a request that leaves fewer than 16 tokens for it
  // cannot produce a useful command.
  const int n = static_cast<int>(tokens->size());
  const int room = m.context_size - n;
  if (room < 16)
    return Status::Error(ErrorCode::kTooLong,
                         "the request is too long: the prompt takes " + std::to_string(n) + " tokens of a " +
                             std::to_string(m.context_size) + "-token context",
                         "shorten the request or raise context_size");

  Generation out;
  out.timings.prompt_tokens = n;
  const auto prefill_start = Clock::now();
  if (Status s = m.Prefill(req, tokens.value(), out.timings); !s.ok()) return s;
  out.timings.prefill_ms = MsSince(prefill_start);

  const auto generation_start = Clock::now();
  if (Status s = m.Answer(req, std::min(req.max_tokens, room), out); !s.ok()) return s;
  out.timings.generation_ms = MsSince(generation_start);
  m.SaveReusable();  // after the answer, which the person may already see streamed
  return out;
}

Result<std::vector<llama_token>> EmbeddedBackend::Impl::PromptTokens(const GenerationRequest& req) const {
  auto rendered = RenderChat(model.get(), req.messages);
  if (!rendered.ok()) return rendered.status();
  auto tokens = Tokenize(vocab, rendered.value() + req.answer_prefix);
  if (tokens.empty()) return Status::Error(ErrorCode::kBackend, "cannot tokenize the prompt");
  return tokens;
}

EmbeddedBackend::Impl::Prefixes EmbeddedBackend::Impl::FixedPrefixes(const GenerationRequest& req,
                                                                     const std::vector<llama_token>& tokens) const {
  // Each is the prompt rendered with a marker at its end, cut there; used
  // only when the full prompt starts with exactly its tokens (a cut that
  // splits what the whole text tokenizes as one token is not).
  Prefixes p;
  if (!cache.enabled() || req.messages.empty()) return p;
  auto up_to = [&](size_t chars) -> std::vector<llama_token> {
    auto msgs = req.messages;
    const std::string marker = "\x01cmdai-prefix-end\x01";
    msgs.back().content = msgs.back().content.substr(0, chars) + marker;
    auto r = RenderChat(model.get(), msgs);
    if (!r.ok() || r->find(marker) == std::string::npos) return {};
    auto prefix = Tokenize(vocab, r->substr(0, r->find(marker)));
    if (prefix.size() >= tokens.size() || !std::equal(prefix.begin(), prefix.end(), tokens.begin())) return {};
    return prefix;
  };
  p.fixed = up_to(0);
  const size_t chars = req.reusable_chars;
  if (!p.fixed.empty() && chars > 0 && chars < req.messages.back().content.size()) {
    p.reusable = up_to(chars);
    if (p.reusable.size() <= p.fixed.size()) p.reusable.clear();  // not aligned, or nothing more to keep
  }
  return p;
}

Status EmbeddedBackend::Impl::Decode(const std::vector<llama_token>& tokens, size_t from, size_t to) {
  const size_t n_batch = llama_n_batch(ctx.get());
  for (size_t i = from; i < to; i += n_batch) {
    const int len = static_cast<int>(std::min(n_batch, to - i));
    // llama_batch_get_one takes a non-const pointer but only reads it.
    int32_t rc = llama_decode(ctx.get(), llama_batch_get_one(const_cast<llama_token*>(tokens.data()) + i, len));
    if (Interrupted() || rc == 2) return Status::Error(ErrorCode::kInterrupted, "interrupted");
    if (rc != 0)
      return Status::Error(ErrorCode::kBackend,
                           "llama.cpp failed to evaluate the prompt (code " + std::to_string(rc) + ")",
                           "lower context_size, or use --device cpu");
  }
  return Status::Ok();
}

Status EmbeddedBackend::Impl::Prefill(const GenerationRequest& req, const std::vector<llama_token>& tokens,
                                      Timings& timings) {
  // Two states are reused: the fixed prefix's (every request) and the longer
  // reusable prefix's (every request from the same directory). Each comes,
  // best first, from memory (resident), from a file, or is computed and
  // saved; then the rest is decoded. The model sees the same tokens either way.
  const Prefixes p = FixedPrefixes(req, tokens);
  const std::vector<llama_token>& longest = p.reusable.empty() ? p.fixed : p.reusable;
  llama_memory_t mem = llama_get_memory(ctx.get());
  auto holds = [&](const std::vector<llama_token>& prefix) {
    return !prefix.empty() && resident_prefix.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), resident_prefix.begin());
  };
  size_t have = holds(p.reusable) ? p.reusable.size() : holds(p.fixed) ? p.fixed.size() : 0;
  prefix_source = p.fixed.empty() ? "off" : have > 0 ? "resident" : "computed";
  if (have > 0) {
    llama_memory_seq_rm(mem, 0, static_cast<llama_pos>(have), -1);  // keep the prefix, drop the rest
  } else {
    llama_memory_clear(mem, true);
  }
  auto restore = [&](const detail::PrefixCache& from, const std::vector<llama_token>& prefix) {
    const auto start = Clock::now();
    if (from.Restore(ctx.get(), prefix)) {
      have = prefix.size();
      timings.restore_ms += MsSince(start);
      return true;
    }
    // A missing file left the memory as it was; a rejected one cleared it.
    if (llama_memory_seq_pos_max(mem, 0) + 1 != static_cast<llama_pos>(have)) {
      llama_memory_clear(mem, true);
      have = 0;
    }
    return false;
  };
  const bool reusable_restored =
      !p.reusable.empty() && have < p.reusable.size() && restore(directory_cache, p.reusable);
  if (reusable_restored) prefix_source = "file (directory)";
  if (!p.fixed.empty() && have == 0) prefix_source = restore(cache, p.fixed) ? "file" : "computed";
  timings.cached_tokens = static_cast<int>(have);
  resident_prefix.clear();
  // The fixed prefix, when missing (a cold cache), is decoded and saved at its
  // end; a failed save only costs speed.
  if (!p.fixed.empty() && have < p.fixed.size()) {
    if (Status s = Decode(tokens, have, p.fixed.size()); !s.ok()) return s;
    have = p.fixed.size();
    (void)cache.Save(ctx.get(), p.fixed);
  }
  // The reusable prefix, when it is computed here, is decoded with the rest
  // in one batch, not a batch of its own (each batch is another pass over the
  // weights: ~50 ms for a 1.5B model on 2 CPU cores), and saved after the
  // answer (SaveReusable). One restored is not saved again: that would
  // rewrite the same bytes.
  unsaved_reusable.clear();
  if (!p.reusable.empty() && have < p.reusable.size()) unsaved_reusable = p.reusable;
  resident_prefix = longest;
  if (Status s = Decode(tokens, have, tokens.size()); !s.ok()) {
    resident_prefix.clear();
    return s;
  }
  return Status::Ok();
}

void EmbeddedBackend::Impl::SaveReusable() {
  if (unsaved_reusable.empty()) return;
  // The cells before the reusable prefix's end hold exactly its state (a
  // token's keys and values depend only on the tokens before it); what
  // follows is dropped, as the next request drops it anyway.
  llama_memory_seq_rm(llama_get_memory(ctx.get()), 0, static_cast<llama_pos>(unsaved_reusable.size()), -1);
  (void)directory_cache.Save(ctx.get(), unsaved_reusable);  // a failure only costs speed
  unsaved_reusable.clear();
}

Status EmbeddedBackend::Impl::Answer(const GenerationRequest& req, int max_tokens, Generation& out) {
  // Sampling: the chain picks a token, the grammar checks it (grammar_sampler.h).
  auto sampler = detail::GrammarSampler::Make(vocab, req.grammar, req.temperature, req.seed, token_index.get());
  if (!sampler.ok()) return sampler.status();

  std::vector<llama_token> forced_answer = AnswerTokens(vocab, req.forced_answer);

  // What the grammar forces after the command's newline (the closing fence)
  // is written here, not generated: when the answer ends there (a stop string)
  // the newline is not even decoded, and otherwise it is decoded together with
  // the fence, in one batch (one pass over the weights instead of two). Only a
  // rest that is one token the grammar accepts: the grammar's state moves by
  // that token alone.
  const bool may_force = !req.grammar.empty() && !req.forced_after.empty() && !req.forced_rest.empty();
  bool forced_done = false;
  auto force = [&](std::string& text) -> std::optional<llama_token> {
    const size_t at = text.find(req.forced_after);
    if (at == std::string::npos) return std::nullopt;
    forced_done = true;  // the first occurrence decides, whatever follows
    const std::string tail = text.substr(at + req.forced_after.size());
    if (tail.size() >= req.forced_rest.size() || req.forced_rest.compare(0, tail.size(), tail) != 0)
      return std::nullopt;
    const std::string add = req.forced_rest.substr(tail.size());
    const std::vector<llama_token> t = AnswerTokens(vocab, add);
    if (t.size() != 1 || !sampler->Check(t[0])) return std::nullopt;
    text += add;
    return t[0];
  };

  std::string generated;
  size_t forced_pos = 0;  // teacher forcing: the next of forced_answer's tokens
  out.truncated = true;
  for (int step = 0; step < max_tokens; ++step) {
    if (Interrupted()) return Status::Error(ErrorCode::kInterrupted, "interrupted");
    const float* logits = llama_get_logits_ith(ctx.get(), -1);
    llama_token id = 0;
    if (!req.forced_answer.empty()) {
      // Teacher forcing (benchmarks): the model's pick is paid for; the
      // answer's token takes its place, as a trained model would have picked
      // it, and goes through the grammar's check like any pick.
      (void)sampler->Pick(logits);
      if (forced_pos >= forced_answer.size()) {
        out.truncated = false;
        break;
      }
      id = forced_answer[forced_pos++];
      if (!sampler->Check(id))
        return Status::Error(ErrorCode::kBackend,
                             "the forced answer leaves the grammar at token " + std::to_string(forced_pos - 1));
    } else {
      const auto next = sampler->Sample(logits);
      if (!next) break;  // grammar dead end
      id = *next;
    }
    sampler->Accept(id);

    if (llama_vocab_is_eog(vocab, id)) {
      out.truncated = false;
      break;
    }
    generated += TokenPiece(vocab, id);
    out.timings.generated_tokens++;
    llama_token batch[2] = {id, 0};
    int32_t batch_size = 1;
    if (may_force && !forced_done) {
      std::string text = generated;
      // Teacher forcing goes on from the forced answer's text after the fence
      // (its own tokens may have joined the fence to what follows, "```\n").
      if (const auto f = force(text);
          f && (req.forced_answer.empty() || req.forced_answer.compare(0, text.size(), text) == 0)) {
        sampler->Accept(*f);
        generated = std::move(text);
        if (!req.forced_answer.empty()) {
          forced_answer = AnswerTokens(vocab, req.forced_answer.substr(generated.size()));
          forced_pos = 0;
        }
        out.timings.generated_tokens++;
        out.timings.forced_tokens++;
        batch[batch_size++] = *f;
      }
    }
    bool stop = false;
    for (const auto& s : req.stop)
      if (generated.find(s) != std::string::npos) stop = true;
    if (stop) {
      out.truncated = false;
      break;
    }
    if (req.on_text && !req.on_text(req.answer_prefix + generated)) {
      out.truncated = false;
      out.stopped = true;
      break;
    }
    // The last step's logits would never be read: no decode.
    if (step + 1 >= max_tokens) break;
    int32_t rc = llama_decode(ctx.get(), llama_batch_get_one(batch, batch_size));
    if (Interrupted() || rc == 2) return Status::Error(ErrorCode::kInterrupted, "interrupted");
    if (rc != 0)
      return Status::Error(ErrorCode::kBackend, "llama.cpp failed during generation (code " + std::to_string(rc) + ")");
  }
  out.text = req.answer_prefix + generated;
  return Status::Ok();
}

}  // namespace cmdai
