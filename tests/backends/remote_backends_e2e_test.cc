// SPDX-License-Identifier: MIT
// Remote engines through the full pipeline: the OpenAI-compatible path
// against a real llama-server (built from the pinned llama.cpp) serving the
// generated model, and the Ollama path against a test server that follows
// Ollama's documented API. Faults: server down, stall past the timeout, 500,
// 429 with Retry-After, malformed JSON, wrong model name, bad key; and the
// fallback chain.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "support/hub_server.h"
#include "support/subprocess.h"

namespace cmdai {
namespace {

using nlohmann::json;
using test::HubServer;
using test::RunOptions;
using test::RunProgram;
using test::RunResult;

// llama-server comes from scripts/test.sh (setup.sh --tools); a plain
// scripts/setup.sh does not build it. tests/CMakeLists.txt names its one path.
bool LlamaServerBuilt() { return access(CMDAI_LLAMA_SERVER, X_OK) == 0; }
const char* kNotBuilt = "llama-server not built: run scripts/test.sh (looked for " CMDAI_LLAMA_SERVER ")";

// A real llama-server on 127.0.0.1, on a port the OS chose (--port 0; the
// server logs "listening on http://127.0.0.1:PORT"), for the life of the test.
class LlamaServer {
 public:
  explicit LlamaServer(const std::string& api_key = "") : log_(test::TempDir() + "/server.log") {
    std::vector<std::string> args = {
        CMDAI_LLAMA_SERVER, "-m", CMDAI_TINY_MODEL, "--host", "127.0.0.1", "--port", "0", "-c", "4096", "-t", "2"};
    if (!api_key.empty()) args.insert(args.end(), {"--api-key", api_key});
    child_ = std::make_unique<test::Child>(args, std::map<std::string, std::string>{}, log_);
    const std::string listening = "listening on http://127.0.0.1:";
    test::WaitUntil(
        [&] {
          const std::string log = test::ReadFile(log_);
          if (const size_t at = log.find(listening); at != std::string::npos)
            port_ = std::atoi(log.c_str() + at + listening.size());
          return port_ > 0 || !child_->Running();
        },
        30000);
    if (port_ == 0) {
      ADD_FAILURE() << "llama-server did not say where it listens; its log, " << log_ << ":\n" << test::ReadFile(log_);
      return;
    }
    // Then up to 30 s for the model to load.
    test::WaitUntil(
        [&] {
          const RunResult r = RunProgram({"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", url() + "/health"});
          if (r.exit_code == 127) ADD_FAILURE() << "curl not found on PATH; scripts/test.sh installs it";
          healthy_ = r.out == "200";
          return healthy_ || r.exit_code == 127 || !child_->Running();
        },
        30000);
    if (!healthy_)
      ADD_FAILURE() << "llama-server did not become healthy; its log, " << log_ << ":\n" << test::ReadFile(log_);
  }
  bool healthy() const { return healthy_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  std::string log_;
  std::unique_ptr<test::Child> child_;
  int port_ = 0;
  bool healthy_ = false;
};

RunOptions OpenAi(const std::string& url) {
  RunOptions o;
  const std::string dir = test::TempDir();
  test::WriteFile(dir + "/c.toml", "backend = \"openai\"\nmax_tokens = 1900\n[openai]\ngrammar = \"gbnf\"\n");
  o.env["CMDAI_CONFIG"] = dir + "/c.toml";
  // A random-weight model's answer length depends on every word of its
  // prompt, the working directory's too: a fixed one, no revise round, and
  // room for a long answer, so the test does not depend on where it runs.
  o.cwd = "/";
  o.env["CMDAI_GROUNDING"] = "false";
  o.env["CMDAI_OPENAI_BASE_URL"] = url;
  o.env["CMDAI_HTTP_RETRIES"] = "3";
  return o;
}

const char* kFenced = "```bash\nls -la\n```\nLists all files.";

TEST(OpenAiBackendE2E, RealLlamaServerAnswersThroughThePipeline) {
  ASSERT_TRUE(LlamaServerBuilt()) << kNotBuilt;
  LlamaServer server;
  ASSERT_TRUE(server.healthy());
  RunOptions o = OpenAi(server.url());
  RunResult r = RunProgram({CMDAI_BIN, "-o", "json", "list the ten largest files here"}, o);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["backend"], "openai");
  EXPECT_EQ(j["device"], server.url());
  EXPECT_FALSE(j["command"].get<std::string>().empty());
  EXPECT_EQ(j["command"].get<std::string>().find('\n'), std::string::npos);
  EXPECT_GT(j["timings"]["prompt_tokens"].get<int>(), 20);
  // --model is the server's model name here, and is passed through.
  RunResult named = RunProgram({CMDAI_BIN, "--model", "tiny", "--print", "list the ten largest files here"}, o);
  EXPECT_EQ(named.exit_code, 0) << named.err;
}

TEST(OpenAiBackendE2E, BadKeyIsReportedAndTheRightKeyWorks) {
  ASSERT_TRUE(LlamaServerBuilt()) << kNotBuilt;
  LlamaServer server("sekret");
  ASSERT_TRUE(server.healthy());
  RunOptions o = OpenAi(server.url());
  RunResult r = RunProgram({CMDAI_BIN, "list the ten largest files here"}, o);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("refused the API key"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("OPENAI_API_KEY"), std::string::npos);
  EXPECT_EQ(r.err.find("sekret"), std::string::npos);
  o.env["OPENAI_API_KEY"] = "sekret";
  r = RunProgram({CMDAI_BIN, "-o", "json", "list the ten largest files here"}, o);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("sekret"), std::string::npos);  // never written out
}

TEST(OpenAiBackendE2E, ServerDownSaysWhereAndWhatToDo) {
  RunOptions o = OpenAi("http://127.0.0.1:9");
  RunResult r = RunProgram({CMDAI_BIN, "list files"}, o);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("cannot reach the server at http://127.0.0.1:9"), std::string::npos) << r.err;
}

TEST(OpenAiBackendE2E, FaultsFromAFakeServer) {
  HubServer fake({{"answer", kFenced}, {"status", {500}}}, "llm_server.py");
  RunOptions o = OpenAi(fake.endpoint());
  RunResult r = RunProgram({CMDAI_BIN, "list"}, o);  // 500, then success
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ls -la\n");

  fake.Configure({{"answer", kFenced}, {"key", "k1"}});
  r = RunProgram({CMDAI_BIN, "list"}, o);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("refused the API key"), std::string::npos) << r.err;

  fake.Configure({{"answer", kFenced}, {"openai_models", {"gpt-x"}}});
  r = RunProgram({CMDAI_BIN, "--model", "nope", "list"}, o);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("the model 'nope' is not served"), std::string::npos) << r.err;

  fake.Configure({{"answer", kFenced}, {"malformed", true}});
  r = RunProgram({CMDAI_BIN, "list"}, o);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("malformed answer"), std::string::npos) << r.err;
}

// What models without a grammar answer (issue 13's sample through an
// OpenAI-compatible server): each shape gives the command a person would
// read in it; prose, a refusal and an empty answer give none (exit 4).
TEST(OpenAiBackendE2E, AnswersInEveryShapeAModelWrites) {
  HubServer fake({{"answer", kFenced}}, "llm_server.py");
  const RunOptions o = OpenAi(fake.endpoint());
  const std::vector<std::pair<std::string, std::string>> shapes = {
      {"`du -sh * | sort -h`", "du -sh * | sort -h"},
      {"df -h", "df -h"},
      {"$ df -h", "df -h"},
      {"{\"cmd\": \"ls -la\"}", "ls -la"},
      {"Command: `uptime`", "uptime"},
      {"1. Open a terminal.\n2. Run `df -h` to see the free space.", "df -h"},
      {"To see the processes, run:\n\n    ps aux\n", "ps aux"},
      {"```console\n$ git status\nOn branch main\n```", "git status"},
      {"```bash\n# list everything, hidden files too\nls -la\n```", "ls -la"},
      {"<think>\nThe user wants the uptime.\n</think>\nuptime", "uptime"},
  };
  for (const auto& [answer, command] : shapes) {
    fake.Configure({{"answer", answer}});
    const RunResult r = RunProgram({CMDAI_BIN, "--print", "do", "it"}, o);
    EXPECT_EQ(r.exit_code, 0) << answer << "\n" << r.err;
    EXPECT_EQ(r.out, command + "\n") << answer;
  }
  for (const char* none : {"Open a terminal.", "I'm sorry, but I can't help with that.", "",
                           "rm -rf / would delete everything, so I will not do that."}) {
    fake.Configure({{"answer", none}});
    const RunResult r = RunProgram({CMDAI_BIN, "--print", "do", "it"}, o);
    EXPECT_EQ(r.exit_code, 4) << none << "\n" << r.out;
    EXPECT_EQ(r.out, "") << none;
  }
}

RunOptions Ollama(const std::string& host) {
  RunOptions o;
  o.env["OLLAMA_HOST"] = host;
  o.env["CMDAI_BACKEND"] = "ollama";
  o.env["CMDAI_HTTP_RETRIES"] = "3";
  return o;
}

TEST(OllamaBackendE2E, AnswersThroughThePipelineWithKeepAlive) {
  HubServer fake({{"answer", kFenced}, {"models", {"qwen2.5-coder:1.5b"}}}, "llm_server.py");
  RunResult r = RunProgram({CMDAI_BIN, "-o", "json", "list all files"}, Ollama(fake.endpoint()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["command"], "ls -la");
  EXPECT_EQ(j["explanation"], "Lists all files.");
  EXPECT_EQ(j["backend"], "ollama");
  EXPECT_EQ(j["risk"], "safe");
  EXPECT_EQ(j["timings"]["generated_tokens"], 12);
  bool saw_tags = false, saw_chat = false;
  for (const auto& req : fake.Requests()) {
    if (req["path"] == "/api/tags") saw_tags = true;
    if (req["path"] == "/api/chat") {
      saw_chat = true;
      EXPECT_EQ(req["body"]["stream"], false);
      EXPECT_EQ(req["body"]["keep_alive"], "10m");
      EXPECT_EQ(req["body"]["model"], "qwen2.5-coder:1.5b");
      EXPECT_EQ(req["body"]["messages"][0]["role"], "system");
    }
  }
  EXPECT_TRUE(saw_tags && saw_chat);
}

TEST(OllamaBackendE2E, JsonSchemaFormatIsUsedWhenConfigured) {
  HubServer fake({{"answer", "unused"},
                  {"json_answer", {{"command", "df -h"}, {"explanation", "Shows disk usage."}}},
                  {"models", {"qwen2.5-coder:1.5b"}}},
                 "llm_server.py");
  RunOptions o = Ollama(fake.endpoint());
  const std::string dir = test::TempDir();
  test::WriteFile(dir + "/c.toml", "[ollama]\nformat = \"schema\"\n");
  o.env["CMDAI_CONFIG"] = dir + "/c.toml";
  RunResult r = RunProgram({CMDAI_BIN, "disk usage"}, o);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "df -h\n");
  bool schema = false;
  for (const auto& req : fake.Requests())
    if (req["path"] == "/api/chat") schema = req["body"]["format"]["required"][0] == "command";
  EXPECT_TRUE(schema);
}

TEST(OllamaBackendE2E, MissingModelNamesOllamaPull) {
  HubServer fake({{"answer", kFenced}, {"models", {"llama3:8b"}}}, "llm_server.py");
  RunResult r = RunProgram({CMDAI_BIN, "--model", "qwen2.5-coder:7b", "list"}, Ollama(fake.endpoint()));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("run: ollama pull qwen2.5-coder:7b"), std::string::npos) << r.err;
}

TEST(OllamaBackendE2E, RetriesHonourRetryAfterAndStallsTimeOut) {
  HubServer fake({{"answer", kFenced}, {"models", {"qwen2.5-coder:1.5b"}}, {"status", {429}}, {"retry_after", "1"}},
                 "llm_server.py");
  RunResult r = RunProgram({CMDAI_BIN, "list"}, Ollama(fake.endpoint()));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("retrying"), std::string::npos) << r.err;

  fake.Configure({{"answer", kFenced}, {"models", {"qwen2.5-coder:1.5b"}}, {"stall_seconds", 4}});
  RunOptions o = Ollama(fake.endpoint());
  o.env["CMDAI_REQUEST_TIMEOUT_S"] = "1";
  r = RunProgram({CMDAI_BIN, "list"}, o);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("did not answer within 1 s"), std::string::npos) << r.err;

  fake.Configure({{"answer", kFenced}, {"models", {"qwen2.5-coder:1.5b"}}, {"malformed", true}});
  r = RunProgram({CMDAI_BIN, "list"}, Ollama(fake.endpoint()));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("malformed"), std::string::npos) << r.err;
}

TEST(OllamaBackendE2E, DownServerFallsBackToTheEmbeddedModel) {
  RunOptions o = Ollama("http://127.0.0.1:9");
  const std::string dir = test::TempDir();
  test::WriteFile(dir + "/c.toml", "fallback = [\"embedded\"]\nmax_tokens = 1900\n");
  o.env["CMDAI_CONFIG"] = dir + "/c.toml";
  o.cwd = "/";  // the random model's answer, as in OpenAi() above
  o.env["CMDAI_GROUNDING"] = "false";
  o.env["HF_HUB_OFFLINE"] = "1";
  o.env["CMDAI_HTTP_RETRIES"] = "1";
  // The embedded fallback uses its default model; point the cache at the tiny one.
  o.env["LLAMA_CACHE"] = test::TempDir();
  std::filesystem::copy_file(
      CMDAI_TINY_MODEL,
      o.env["LLAMA_CACHE"] + "/Qwen_Qwen2.5-Coder-1.5B-Instruct-GGUF_qwen2.5-coder-1.5b-instruct-q4_k_m.gguf");
  RunResult r = RunProgram({CMDAI_BIN, "-o", "json", "list the ten largest files here"}, o);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("ollama backend unavailable"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("answering with the embedded backend"), std::string::npos) << r.err;
  EXPECT_EQ(json::parse(r.out)["backend"], "embedded");
}

}  // namespace
}  // namespace cmdai
