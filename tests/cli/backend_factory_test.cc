// SPDX-License-Identifier: MIT
// The backend chain: which backends are tried, in what order, with which
// model, and what the person is told when one gives way to the next; and
// when the embedded model leaves `cmdai serve` behind (a GPU simulated by a
// fake backend's device, since CI has none).
#include "cli/backend_factory.h"

#include <gtest/gtest.h>

#include "support/fake_backend.h"

namespace cmdai {
namespace {

// Records every open; the names in `failing` fail to open.
struct Opener {
  std::vector<std::string> failing;
  std::vector<std::pair<std::string, std::string>> opened;  // name, model
  ErrorCode failure = ErrorCode::kBackend;

  BackendOpener Fn() {
    return [this](BackendKind kind, const std::string& model) -> Result<std::unique_ptr<Backend>> {
      const std::string name = ChoiceName(kind);
      opened.push_back({name, model});
      for (const auto& f : failing)
        if (f == name) return Status::Error(failure, name + " is down");
      auto b = std::make_unique<test::FakeBackend>();
      b->PushText("```bash\nls\n```");
      return std::unique_ptr<Backend>(std::move(b));
    };
  }
};

constexpr BackendKind kEmbedded = BackendKind::kEmbedded;
constexpr BackendKind kOllama = BackendKind::kOllama;
constexpr BackendKind kOpenAi = BackendKind::kOpenAi;

Config WithChain(BackendKind backend, std::vector<BackendKind> fallback) {
  Config c;
  c.backend = backend;
  c.fallback = std::move(fallback);
  c.model = "m.gguf";
  return c;
}

TEST(BackendFactory, OrderIsTheBackendThenEachFallbackOnce) {
  EXPECT_EQ(BackendOrder(WithChain(kOllama, {kEmbedded, kOllama, kOpenAi, kEmbedded})),
            (std::vector<BackendKind>{kOllama, kEmbedded, kOpenAi}));
  EXPECT_EQ(BackendOrder(WithChain(kEmbedded, {})), (std::vector<BackendKind>{kEmbedded}));
}

TEST(BackendFactory, ASingleBackendOpensWithTheModelFlagAndNoNotes) {
  Opener o;
  std::vector<std::string> notes;
  auto b = OpenBackendChain(WithChain(kOpenAi, {}), o.Fn(), [&](const std::string& n) { notes.push_back(n); });
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(o.opened, (std::vector<std::pair<std::string, std::string>>{{"openai", "m.gguf"}}));
  EXPECT_TRUE(notes.empty());
}

TEST(BackendFactory, FallbacksOpenOnlyWhenNeededWithTheirOwnModel) {
  Opener o;
  auto b = OpenBackendChain(WithChain(kOllama, {kEmbedded}), o.Fn(), [](const std::string&) {});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(o.opened.size(), 1u);  // the first opened: the fallback is never touched
  o.failing = {"ollama"};
  o.opened.clear();
  std::vector<std::string> notes;
  b = OpenBackendChain(WithChain(kOllama, {kEmbedded}), o.Fn(), [&](const std::string& n) { notes.push_back(n); });
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(o.opened, (std::vector<std::pair<std::string, std::string>>{{"ollama", "m.gguf"}, {"embedded", ""}}));
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0], "ollama backend unavailable (ollama is down); trying embedded");
  EXPECT_EQ(notes[1], "answering with the embedded backend");
  auto g = b.value()->Generate(GenerationRequest{});
  EXPECT_TRUE(g.ok());
}

TEST(BackendFactory, WhenEveryBackendFailsTheLastErrorIsReturned) {
  Opener o;
  o.failing = {"ollama", "openai"};
  auto b = OpenBackendChain(WithChain(kOllama, {kOpenAi}), o.Fn(), [](const std::string&) {});
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().message(), "openai is down");
}

TEST(BackendFactory, AnInterruptStopsTheChain) {
  Opener o;
  o.failing = {"ollama"};
  o.failure = ErrorCode::kInterrupted;
  auto b = OpenBackendChain(WithChain(kOllama, {kEmbedded}), o.Fn(), [](const std::string&) {});
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), ErrorCode::kInterrupted);
  EXPECT_EQ(o.opened.size(), 1u);
}

// A backend on a device of the test's choosing ("GPU …" or "CPU (…)").
class OnDevice : public test::FakeBackend {
 public:
  explicit OnDevice(std::string device) : device_(std::move(device)) { PushText("```bash\nls\n```"); }
  BackendInfo Info() const override { return {"embedded", "m.gguf", device_, 0}; }

 private:
  std::string device_;
};

// The world OpenEmbeddedWith sees: whether a server is alive, the device a
// model loaded here runs on, and what was opened or started.
struct World {
  bool alive = false;
  std::string device = "GPU NVIDIA H100 80GB HBM3";
  bool served_fails = false;
  int served = 0, here = 0, starts = 0;

  EmbeddedSeams Seams() {
    EmbeddedSeams s;
    s.server_alive = [this] { return alive; };
    s.open_served = [this]() -> Result<std::unique_ptr<Backend>> {
      ++served;
      if (served_fails) return Status::Error(ErrorCode::kBackend, "cmdai serve holds another model");
      return std::unique_ptr<Backend>(new OnDevice("GPU served"));
    };
    s.open_here = [this]() -> Result<std::unique_ptr<Backend>> {
      ++here;
      return std::unique_ptr<Backend>(new OnDevice(device));
    };
    s.start_server = [this] { ++starts; };
    return s;
  }
};

Config Autostarting(Autostart policy) {
  Config c;
  c.serve_autostart = policy;
  return c;
}

TEST(BackendFactory, AutostartOnAGpuStartsAServerAndAnswersHere) {
  World w;
  auto b = OpenEmbeddedWith(Autostarting(Autostart::kAuto), w.Seams());
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(w.here, 1);
  EXPECT_EQ(w.starts, 1);
  EXPECT_EQ(w.served, 0);
  EXPECT_EQ(b.value()->Info().device, "GPU NVIDIA H100 80GB HBM3");  // this request is answered here
  EXPECT_TRUE(b.value()->Generate(GenerationRequest{}).ok());
}

TEST(BackendFactory, AutostartOnACpuStartsNothingUnlessOn) {
  World w;
  w.device = "CPU (2 threads)";
  ASSERT_TRUE(OpenEmbeddedWith(Autostarting(Autostart::kAuto), w.Seams()).ok());
  EXPECT_EQ(w.starts, 0);
  ASSERT_TRUE(OpenEmbeddedWith(Autostarting(Autostart::kOn), w.Seams()).ok());
  EXPECT_EQ(w.starts, 1);
  EXPECT_EQ(w.here, 2);
}

TEST(BackendFactory, AutostartOffNeverStartsAServerEvenOnAGpu) {
  World w;
  ASSERT_TRUE(OpenEmbeddedWith(Autostarting(Autostart::kOff), w.Seams()).ok());
  EXPECT_EQ(w.starts, 0);
  EXPECT_EQ(w.here, 1);
}

TEST(BackendFactory, AnAliveServerIsUsedAndNothingLoadsOrStarts) {
  for (Autostart policy : {Autostart::kAuto, Autostart::kOn, Autostart::kOff}) {
    World w;
    w.alive = true;
    auto b = OpenEmbeddedWith(Autostarting(policy), w.Seams());
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    EXPECT_EQ(w.served, 1);
    EXPECT_EQ(w.here, 0);
    EXPECT_EQ(w.starts, 0);
    EXPECT_TRUE(b.value()->Generate(GenerationRequest{}).ok());
  }
}

TEST(BackendFactory, AServerThatCannotAnswerGivesWayToThisProcessWithoutAStart) {
  World w;
  w.alive = true;
  w.served_fails = true;
  auto b = OpenEmbeddedWith(Autostarting(Autostart::kOn), w.Seams());
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(w.here, 1);
  EXPECT_EQ(w.starts, 0);  // one runs already
}

TEST(BackendFactory, AutostartDecidesFromTheDeviceTheModelRunsOn) {
  const auto info = [](const std::string& device) { return BackendInfo{"embedded", "m", device, 0}; };
  EXPECT_TRUE(ShouldAutostart(Autostart::kAuto, info("GPU Apple M2")));
  EXPECT_FALSE(ShouldAutostart(Autostart::kAuto, info("CPU (8 threads)")));
  EXPECT_TRUE(ShouldAutostart(Autostart::kOn, info("CPU (8 threads)")));
  EXPECT_FALSE(ShouldAutostart(Autostart::kOff, info("GPU Apple M2")));
}

TEST(BackendFactory, WakeStartsAServerOnAGpuInstallationOrWhenOn) {
  Config c = Autostarting(Autostart::kAuto);
  EXPECT_TRUE(WakeStartsServer(c, /*gpu_installed=*/true));
  EXPECT_FALSE(WakeStartsServer(c, false));  // opt-in on a CPU-only build
  c.device = Device::kCpu;
  EXPECT_FALSE(WakeStartsServer(c, true));
  c.serve_autostart = Autostart::kOn;
  EXPECT_TRUE(WakeStartsServer(c, false));
  c.serve_autostart = Autostart::kOff;
  c.device = Device::kGpu;
  EXPECT_FALSE(WakeStartsServer(c, true));
}

TEST(BackendFactory, TestAnswersNeedNoEngine) {
  Config c = WithChain(kOllama, {});
  c.test_answers = {"```bash\nls\n```"};
  auto b = OpenBackend(c, false);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
}

}  // namespace
}  // namespace cmdai
