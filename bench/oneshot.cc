// SPDX-License-Identifier: MIT
// oneshot: cmdai's request path (context → prompt → embedded backend →
// extraction) without the CLI around it, so it builds where only llama.cpp
// and a compiler exist (the GPU machine). Prints one line of timings per
// request. With --requests N, the model stays loaded for N requests, as in
// `cmdai serve`.
//
//   oneshot MODEL [--device auto|cpu|gpu] [--cache DIR] [--requests N] [--repack] [--request TEXT]
//                 [--load auto|mmap|read|direct] [--grammar-cost] [--realistic]
//   oneshot --dump-prompt FILE [--request TEXT] [--explain]
//
// --dump-prompt: writes the prompt the real CLI builds for TEXT here (its
// configuration, shell, working directory, userland; no explanation unless
// --explain, as off a terminal) and exits without a model: each message as
// "ROLE BYTES\n", its text, "\n", then the answer's start as role
// answer_prefix. bench/raw_oneshot.cc reads it.
// --grammar-cost: ms per generated token with and without the answer grammar
// on free generation (32 tokens). --realistic: the same on a realistic answer
// decoded by teacher forcing (kRealisticAnswer: a command and a one-sentence
// explanation, the length a trained model writes), through the same sampling
// and grammar path: random-weight models stop after 3-5 tokens by themselves.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "backends/embedded_backend.h"
#include "cli/pipeline.h"
#include "context/context.h"
#include "prompt/prompt.h"

namespace {

// The CLI's prompt for `request` on this machine, as Session builds it.
int DumpPrompt(int argc, char** argv) {
  const std::string file = argv[2];
  std::string request = "list the ten largest files in this directory";
  bool explain = false;
  for (int i = 3; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--request" && i + 1 < argc)
      request = argv[++i];
    else if (a == "--explain")
      explain = true;
  }
  cmdai::ConfigInputs inputs;
  inputs.env = cmdai::ProcessEnvironment();
  auto config = cmdai::LoadConfig(inputs);
  auto normalized = cmdai::NormalizeRequest(request);
  if (!config.ok() || !normalized.ok()) {
    std::fprintf(stderr, "oneshot: %s\n", (config.ok() ? normalized.status() : config.status()).ToString().c_str());
    return 2;
  }
  cmdai::Context ctx = cmdai::DetectContext(config->shell, config->cwd);
  cmdai::DetectTools(ctx, config->path, cmdai::GroundOptionsFor(config.value(), ctx).cache_dir);
  const cmdai::Prompt p = cmdai::BuildPrompt(ctx, normalized.value(), explain);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  for (const auto& m : p.messages) out << m.role << ' ' << m.content.size() << '\n' << m.content << '\n';
  out << "answer_prefix " << p.answer_prefix.size() << '\n' << p.answer_prefix << '\n';
  if (!out.flush()) {
    std::fprintf(stderr, "oneshot: cannot write %s\n", file.c_str());
    return 2;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  if (argc >= 3 && std::strcmp(argv[1], "--dump-prompt") == 0) return DumpPrompt(argc, argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: oneshot MODEL [--device D] [--cache DIR] [--requests N] [--repack] [--request T]\n");
    return 2;
  }
  cmdai::EmbeddedOptions o;
  o.model_path = argv[1];
  int requests = 1;
  bool grammar_cost = false;
  bool realistic = false;
  std::string request = "list the ten largest files in this directory";
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--device" && i + 1 < argc) {
      std::string d = argv[++i];
      o.device = d == "gpu" ? cmdai::Device::kGpu : d == "cpu" ? cmdai::Device::kCpu : cmdai::Device::kAuto;
    } else if (a == "--cache" && i + 1 < argc) {
      o.prompt_cache_dir = argv[++i];
    } else if (a == "--requests" && i + 1 < argc) {
      requests = std::atoi(argv[++i]);
    } else if (a == "--load" && i + 1 < argc) {
      std::string l = argv[++i];
      o.weight_load = l == "mmap"     ? cmdai::WeightLoad::kMmap
                      : l == "read"   ? cmdai::WeightLoad::kRead
                      : l == "direct" ? cmdai::WeightLoad::kDirect
                                      : cmdai::WeightLoad::kAuto;
    } else if (a == "--realistic") {
      realistic = true;
    } else if (a == "--grammar-cost") {
      grammar_cost = true;
    } else if (a == "--repack") {
      o.repack = true;
    } else if (a == "--request" && i + 1 < argc) {
      request = argv[++i];
    }
  }
  auto backend = cmdai::EmbeddedBackend::Open(o);
  if (!backend.ok()) {
    std::fprintf(stderr, "oneshot: %s\n", backend.status().ToString().c_str());
    return 3;
  }
  cmdai::Config config;
  config.max_tokens = 64;
  const cmdai::Context ctx = cmdai::DetectContext("bash", "/home/user/project");
  const cmdai::BackendInfo info = backend.value()->Info();
  std::printf(
      "device=%s load_ms=%.1f backends_ms=%.1f metadata_ms=%.1f backends_wait_ms=%.1f weights_ms=%.1f "
      "context_ms=%.1f\n",
      backend.value()->device_description().c_str(), info.load_ms, info.backends_ms, info.metadata_ms,
      info.backends_wait_ms, info.model_ms - info.metadata_ms - info.backends_wait_ms, info.context_ms);
  for (int r = 0; r < requests; ++r) {
    const auto s = Clock::now();
    auto result = cmdai::RunPipeline(config, ctx, request, *backend.value(), false);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - s).count();
    if (!result.ok()) {
      std::printf("request=%d error=\"%s\" ms=%.1f\n", r, result.status().ToString().c_str(), ms);
      continue;
    }
    const auto& t = result->generation.timings;
    std::printf("request=%d ms=%.1f prefill_ms=%.1f prompt_tokens=%d cached=%d gen_ms=%.1f gen_tokens=%d source=%s\n",
                r, ms, t.prefill_ms, t.prompt_tokens, t.cached_tokens, t.generation_ms, t.generated_tokens,
                backend.value()->prefix_source().c_str());
  }
  if (grammar_cost) {
    // Per-token generation time with and without the answer grammar, same
    // prompt and length (no stop strings): the cost of constraining.
    cmdai::Prompt p = cmdai::BuildPrompt(ctx, request, false);
    for (int with = 0; with < 2; ++with) {
      double ms = 0;
      int tokens = 0;
      for (int k = 0; k < 10; ++k) {
        cmdai::GenerationRequest g;
        g.messages = p.messages;
        g.answer_prefix = p.answer_prefix;
        g.grammar = with ? p.grammar : "";
        g.max_tokens = 32;
        auto r = backend.value()->Generate(g);
        if (!r.ok()) continue;
        ms += r->timings.generation_ms;
        tokens += r->timings.generated_tokens;
      }
      std::printf("grammar=%s gen_ms_per_token=%.3f tokens=%d\n", with ? "on" : "off", tokens ? ms / tokens : 0.0,
                  tokens);
    }
  }
  if (realistic) {
    // The answer a trained model gives (15 command + 25 explanation tokens
    // in Qwen2's vocabulary), forced through the explanation grammar.
    static const char kRealisticAnswer[] =
        "du -ah . | sort -rh | head -n 10\n```\n"
        "Lists every file and folder below here with its disk usage, sorts them from largest to smallest and shows "
        "the first ten.";
    cmdai::Prompt p = cmdai::BuildPrompt(ctx, request, true);
    for (int with = 0; with < 2; ++with) {
      double ms = 0, first = 0;
      int tokens = 0, runs = 0;
      for (int k = 0; k < 10; ++k) {
        cmdai::GenerationRequest g;
        g.messages = p.messages;
        g.answer_prefix = p.answer_prefix;
        g.grammar = with ? p.grammar : "";
        g.forced_answer = kRealisticAnswer;
        g.max_tokens = 128;
        auto r = backend.value()->Generate(g);
        if (!r.ok()) {
          std::printf("realistic error=\"%s\"\n", r.status().ToString().c_str());
          break;
        }
        ms += r->timings.generation_ms;
        tokens += r->timings.generated_tokens;
        first = r->timings.generated_tokens;
        ++runs;
      }
      std::printf("realistic grammar=%s tokens=%.0f gen_ms=%.1f gen_ms_per_token=%.3f\n", with ? "on" : "off", first,
                  runs ? ms / runs : 0.0, tokens ? ms / tokens : 0.0);
    }
  }
  std::printf("process_ms=%.1f\n", std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  std::fflush(stdout);
  std::_Exit(0);  // a one-shot needs no teardown
}
