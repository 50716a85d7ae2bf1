// SPDX-License-Identifier: MIT
// The `cmdai serve` wire format: what a client encodes the server decodes
// unchanged and back; errors cross as the same Status; one line per message;
// streaming is asked for by on_text and its partial frames never pass for a
// response; malformed or foreign input is an error, never a crash.
#include "serve/protocol.h"

#include <gtest/gtest.h>

namespace cmdai::serve {
namespace {

GenerationRequest Sample() {
  GenerationRequest r;
  r.messages = {{"system", "You write shell commands.\nOne line."}, {"user", "list files"}};
  r.answer_prefix = "```bash\n";
  r.grammar = "root ::= [a-z]+";
  r.stop = {"```", "\n\n"};
  r.max_tokens = 128;
  r.temperature = 0.5f;
  r.seed = 42;
  r.reusable_chars = 7;
  r.forced_after = "\n";
  r.forced_rest = "```";
  return r;
}

TEST(Protocol, ARequestCrossesUnchangedWithItsModel) {
  const std::string line = EncodeRequest(Sample(), "/models/m.gguf");
  auto decoded = DecodeRequest(line);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  const GenerationRequest& r = decoded->request;
  EXPECT_EQ(decoded->model, "/models/m.gguf");
  EXPECT_FALSE(decoded->stream);  // no on_text: the response alone
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0].role, "system");
  EXPECT_EQ(r.messages[0].content, "You write shell commands.\nOne line.");
  EXPECT_EQ(r.messages[1].content, "list files");
  EXPECT_EQ(r.answer_prefix, "```bash\n");
  EXPECT_EQ(r.grammar, "root ::= [a-z]+");
  EXPECT_EQ(r.stop, (std::vector<std::string>{"```", "\n\n"}));
  EXPECT_EQ(r.max_tokens, 128);
  EXPECT_FLOAT_EQ(r.temperature, 0.5f);
  EXPECT_EQ(r.reusable_chars, 7u);
  EXPECT_EQ(r.seed, 42u);
  EXPECT_EQ(r.forced_after, "\n");
  EXPECT_EQ(r.forced_rest, "```");
}

// A request without it (a client before it) forces nothing, and says nothing.
TEST(Protocol, NothingForcedCrossesAsNothing) {
  GenerationRequest s = Sample();
  s.forced_after.clear();
  s.forced_rest.clear();
  const std::string line = EncodeRequest(s, "m");
  EXPECT_EQ(line.find("forced"), std::string::npos) << line;
  auto decoded = DecodeRequest(line);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_TRUE(decoded->request.forced_after.empty());
  EXPECT_TRUE(decoded->request.forced_rest.empty());
}

TEST(Protocol, EveryMessageIsOneLine) {
  const std::string req = EncodeRequest(Sample(), "m");
  EXPECT_EQ(req.back(), '\n');
  EXPECT_EQ(req.find('\n'), req.size() - 1);
  Generation g;
  g.text = "ls\n```\nLists.";
  const std::string resp = EncodeResponse(g, {"embedded", "m", "cpu", 0});
  EXPECT_EQ(resp.find('\n'), resp.size() - 1);
}

TEST(Protocol, AnAnswerCrossesWithTimingsAndTheServersModel) {
  Generation g;
  g.text = "ls -la\n```\nLists all files.";
  g.truncated = true;
  g.timings.prefill_ms = 12.5;
  g.timings.generation_ms = 80.25;
  g.timings.prompt_tokens = 40;
  g.timings.generated_tokens = 9;
  g.timings.cached_tokens = 30;
  g.timings.restore_ms = 1.75;
  g.timings.forced_tokens = 1;
  BackendInfo info;
  auto back = DecodeResponse(EncodeResponse(g, {"embedded", "/m.gguf", "cpu (2 threads)", 0}), &info);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->text, g.text);
  EXPECT_TRUE(back->truncated);
  EXPECT_DOUBLE_EQ(back->timings.prefill_ms, 12.5);
  EXPECT_DOUBLE_EQ(back->timings.generation_ms, 80.25);
  EXPECT_EQ(back->timings.prompt_tokens, 40);
  EXPECT_EQ(back->timings.generated_tokens, 9);
  EXPECT_EQ(back->timings.cached_tokens, 30);
  EXPECT_DOUBLE_EQ(back->timings.restore_ms, 1.75);
  EXPECT_EQ(back->timings.forced_tokens, 1);
  EXPECT_EQ(info.name, "serve");
  EXPECT_EQ(info.model, "/m.gguf");
  EXPECT_EQ(info.device, "cpu (2 threads)");
}

TEST(Protocol, AnAnswerFromAServerBeforeRestoreTimesHasNone) {
  std::string line = EncodeResponse(Generation{}, {"embedded", "/m.gguf", "cpu", 0});
  const auto at = line.find(",\"restore_ms\"");
  ASSERT_NE(at, std::string::npos) << line;
  line.erase(at, line.find_first_of(",}", at + 1) - at);
  auto back = DecodeResponse(line, nullptr);
  ASSERT_TRUE(back.ok()) << line;
  EXPECT_DOUBLE_EQ(back->timings.restore_ms, 0.0);
}

TEST(Protocol, AnErrorCrossesAsTheSameStatus) {
  const Result<Generation> err = Status::Error(ErrorCode::kTooLong, "the request is too long", "shorten it");
  auto back = DecodeResponse(EncodeResponse(err, {}), nullptr);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.status().code(), ErrorCode::kTooLong);
  EXPECT_EQ(back.status().message(), "the request is too long");
  EXPECT_EQ(back.status().hint(), "shorten it");
}

TEST(Protocol, AnotherVersionIsRefusedWithAHint) {
  std::string line = EncodeRequest(Sample(), "m");
  const std::string mine = "\"version\":" + std::to_string(kProtocolVersion);
  ASSERT_NE(line.find(mine), std::string::npos) << line;
  line.replace(line.find(mine), mine.size(), "\"version\":" + std::to_string(kProtocolVersion + 1));
  auto r = DecodeRequest(line);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("version"), std::string::npos);
  EXPECT_EQ(r.status().hint(), "restart cmdai serve");
}

TEST(Protocol, MalformedInputIsAnErrorNotACrash) {
  for (const std::string bad : {"", "{", "null", "[]", R"({"version":1})", R"({"version":"1"})"})
    EXPECT_EQ(DecodeRequest(bad).status().code(), ErrorCode::kBackend) << bad;
  for (const std::string bad : {"", "{", R"({"ok":true})", R"({"ok":false,"code":"x"})"})
    EXPECT_EQ(DecodeResponse(bad, nullptr).status().code(), ErrorCode::kBackend) << bad;
}

TEST(Protocol, OnTextAsksForAStreamAndNothingElseDoes) {
  GenerationRequest r = Sample();
  r.on_text = [](const std::string&) { return true; };
  auto streamed = DecodeRequest(EncodeRequest(r, "m"));
  ASSERT_TRUE(streamed.ok()) << streamed.status().ToString();
  EXPECT_TRUE(streamed->stream);
  EXPECT_FALSE(streamed->request.on_text);  // a function does not cross; the server sets its own
  // A client from before streaming sends no "stream" key: the response alone.
  const std::string old = EncodeRequest(Sample(), "m");
  EXPECT_EQ(old.find("stream"), std::string::npos);
  EXPECT_FALSE(DecodeRequest(old)->stream);
}

TEST(Protocol, APartialFrameIsOneLineWithTheAnswerSoFar) {
  const std::string frame = EncodePartial("```bash\nls -l\n```\nLists");
  EXPECT_EQ(frame.find('\n'), frame.size() - 1);
  EXPECT_EQ(DecodePartial(frame.substr(0, frame.size() - 1)), "```bash\nls -l\n```\nLists");
  EXPECT_EQ(DecodePartial(R"({"partial":""})"), "");
}

TEST(Protocol, AResponseOrGarbageIsNoPartialFrame) {
  Generation g;
  g.text = "partial";
  std::string resp = EncodeResponse(g, {"embedded", "m", "cpu", 0});
  resp.pop_back();
  EXPECT_EQ(DecodePartial(resp), std::nullopt);
  const Result<Generation> err = Status::Error(ErrorCode::kBackend, "x");
  EXPECT_EQ(DecodePartial(EncodeResponse(err, {})), std::nullopt);
  for (const std::string bad : {"", "{", "[]", R"({"partial":3})", R"({"partial")"})
    EXPECT_EQ(DecodePartial(bad), std::nullopt) << bad;
}

TEST(Protocol, InvalidUtf8IsReplacedNotThrown) {
  GenerationRequest r = Sample();
  r.messages[1].content = "list \xff files";
  auto back = DecodeRequest(EncodeRequest(r, "m"));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->request.messages[1].content, "list \xEF\xBF\xBD files");  // U+FFFD
}

TEST(Protocol, APartialFrameCarriesOnlyWholeCharacters) {
  // "é" split between two tokens: the first frame waits for its rest, so
  // every frame grows from the one before (no U+FFFD to take back).
  const std::string e_acute = "\xc3\xa9";
  auto first = DecodePartial(EncodePartial("caf" + e_acute.substr(0, 1)));
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, "caf");
  auto second = DecodePartial(EncodePartial("caf" + e_acute));
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, "caf" + e_acute);
}

}  // namespace
}  // namespace cmdai::serve
