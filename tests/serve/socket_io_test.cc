// SPDX-License-Identifier: MIT
// Socket I/O of cmdai serve and its client: frames, deadlines on both ends,
// the socket's directory, and a real server answering a real client.
#include "serve/socket_io.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <thread>

#include "common/interrupt.h"
#include "common/posix.h"
#include "serve/server.h"
#include "serve/socket_backend.h"
#include "support/subprocess.h"

namespace cmdai::serve {
namespace {

using std::chrono::milliseconds;

mode_t ModeOf(const std::string& path) {
  struct stat st = {};
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

// A listening socket in a fresh directory and one connection to it, both ends open.
struct Connected {
  std::string path = test::TempDir() + "/s.sock";
  UniqueFd listener;
  UniqueFd client;
  UniqueFd server;
  Connected() {
    auto l = ListenUnix(path, 4);
    EXPECT_TRUE(l.ok()) << l.status().ToString();
    listener = std::move(l.value());
    auto c = ConnectUnix(path);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    client = std::move(c.value());
    auto a = posix::AcceptCloexec(listener.get());
    EXPECT_TRUE(a.ok());
    server = UniqueFd(a.value());
  }
};

Clock::time_point Soon() { return Clock::now() + milliseconds(50); }
Clock::time_point Later() { return Clock::now() + std::chrono::seconds(30); }

TEST(SocketIo, FrameSentIsTheFrameReceived) {
  Connected c;
  ASSERT_TRUE(SendFrame(c.client.get(), R"({"x":"a b"})", Later()).ok());
  auto got = ReceiveFrame(c.server.get(), Later());
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got.value(), R"({"x":"a b"})");
}

TEST(SocketIo, LargeFrameCrossesWhileThePeerReads) {
  Connected c;
  const std::string big(4u << 20, 'q');
  std::thread reader([&] {
    auto got = ReceiveFrame(c.server.get(), Later());
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got.value(), big);
  });
  EXPECT_TRUE(SendFrame(c.client.get(), big, Later()).ok());
  reader.join();
}

TEST(SocketIo, FrameEndingInANewlineIsOneLine) {
  Connected c;
  ASSERT_TRUE(SendFrame(c.client.get(), "{}\n", Later()).ok());
  ASSERT_TRUE(SendFrame(c.client.get(), "[]", Later()).ok());
  EXPECT_EQ(ReceiveFrame(c.server.get(), Later()).value(), "{}");
}

TEST(SocketIo, FrameHoldingANewlineIsRefused) {
  Connected c;
  EXPECT_EQ(SendFrame(c.client.get(), "a\nb", Later()).code(), ErrorCode::kUsage);
}

TEST(SocketIo, SilentPeerEndsTheReceiveAtTheDeadline) {
  Connected c;
  auto got = ReceiveFrame(c.server.get(), Soon());
  EXPECT_EQ(got.status().code(), ErrorCode::kNetwork);
  EXPECT_NE(got.status().message().find("timed out"), std::string::npos);
}

TEST(SocketIo, PeerThatNeverReadsEndsTheSendAtTheDeadline) {
  Connected c;
  const std::string huge(64u << 20, 'q');  // far more than any socket buffer
  const Status s = SendFrame(c.client.get(), huge, Soon());
  EXPECT_EQ(s.code(), ErrorCode::kNetwork);
  EXPECT_NE(s.message().find("timed out"), std::string::npos);
}

TEST(SocketIo, PeerClosingBeforeAWholeLineIsAnError) {
  Connected c;
  ASSERT_TRUE(posix::SendAll(c.client.get(), "half a line").ok());
  c.client.reset();
  auto got = ReceiveFrame(c.server.get(), Later());
  EXPECT_EQ(got.status().code(), ErrorCode::kNetwork);
}

TEST(SocketIo, LineOverTheLimitIsAnError) {
  Connected c;
  ASSERT_TRUE(SendFrame(c.client.get(), std::string(1000, 'x'), Later()).ok());
  auto got = ReceiveFrame(c.server.get(), Later(), {}, 100);
  EXPECT_EQ(got.status().code(), ErrorCode::kNetwork);
}

TEST(SocketIo, CancelledWaitStopsAsInterrupted) {
  Connected c;
  auto got = ReceiveFrame(c.server.get(), Later(), [] { return true; });
  EXPECT_EQ(got.status().code(), ErrorCode::kInterrupted);
}

TEST(SocketIo, ConnectingWhereNothingListensIsANetworkError) {
  EXPECT_EQ(ConnectUnix(test::TempDir() + "/none.sock").status().code(), ErrorCode::kNetwork);
  EXPECT_EQ(ConnectUnix(test::TempDir() + "/" + std::string(200, 'x')).status().code(), ErrorCode::kNetwork);
}

TEST(SocketIo, ListeningSocketIsOwnerOnly) {
  Connected c;
  EXPECT_EQ(ModeOf(c.path), 0600u);
}

TEST(SocketIo, MissingDirectoriesAreMadeOwnerOnly) {
  const std::string base = test::TempDir();
  ASSERT_TRUE(MakeSocketDirectory(base + "/a/b").ok());
  EXPECT_EQ(ModeOf(base + "/a"), 0700u);
  EXPECT_EQ(ModeOf(base + "/a/b"), 0700u);
}

TEST(SocketIo, ExistingDirectoryKeepsItsMode) {
  const std::string dir = test::TempDir();
  ASSERT_EQ(chmod(dir.c_str(), 0755), 0);
  ASSERT_TRUE(MakeSocketDirectory(dir).ok());
  EXPECT_EQ(ModeOf(dir), 0755u);
}

// Answers every request with `answer`.
class FixedBackend final : public Backend {
 public:
  Result<Generation> Generate(const GenerationRequest&) override {
    Generation g;
    g.text = answer;
    return g;
  }
  std::string Describe() const override { return "fixed"; }
  BackendInfo Info() const override { return {"fixed", "fixed.gguf", "none", 0}; }
  std::string answer;
};

// A real server in a thread, on a socket in a directory the person chose.
class ServeInThread : public ::testing::Test {
 protected:
  void Start() {
    ASSERT_EQ(chmod(dir_.c_str(), 0755), 0);
    options_.socket_path = dir_ + "/serve.sock";
    server_ = std::thread([this] { status_ = Serve(backend_, options_); });
    ASSERT_TRUE(test::WaitUntil([&] { return ServerAlive(options_.socket_path); }, 30000));
  }
  void TearDown() override {
    RaiseInterruptForTest(true);
    if (server_.joinable()) server_.join();
    RaiseInterruptForTest(false);
    EXPECT_TRUE(status_.ok()) << status_.ToString();
  }

  std::string dir_ = test::TempDir();
  FixedBackend backend_;
  ServerOptions options_;
  std::thread server_;
  Status status_ = Status::Ok();
};

TEST_F(ServeInThread, AnswersAClientAndLeavesTheChosenDirectoryAlone) {
  backend_.answer = "ls -la";
  Start();
  EXPECT_EQ(ModeOf(dir_), 0755u);
  EXPECT_EQ(ModeOf(options_.socket_path), 0600u);
  SocketBackend client(options_.socket_path, "");
  GenerationRequest req;
  req.answer_prefix = "`";
  auto got = client.Generate(req);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->text, "ls -la");
  EXPECT_EQ(client.Info().model, "fixed.gguf");
}

TEST_F(ServeInThread, ServesOthersWhileAClientStaysSilent) {
  backend_.answer = "pwd";
  Start();
  auto silent = ConnectUnix(options_.socket_path);  // never sends a request
  ASSERT_TRUE(silent.ok());
  SocketBackend client(options_.socket_path, "");
  auto got = client.Generate(GenerationRequest{});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->text, "pwd");
}

TEST(SocketBackend, ServerThatNeverAnswersEndsAtTheTimeout) {
  const std::string path = test::TempDir() + "/mute.sock";
  auto listener = ListenUnix(path, 4);  // accepts (through the backlog), never answers
  ASSERT_TRUE(listener.ok());
  SocketBackend client(path, "", std::chrono::seconds(1));
  auto got = client.Generate(GenerationRequest{});
  EXPECT_EQ(got.status().code(), ErrorCode::kNetwork);
  EXPECT_NE(got.status().message().find("did not answer"), std::string::npos) << got.status().ToString();
}

TEST(SocketBackend, NoServerIsANetworkError) {
  SocketBackend client(test::TempDir() + "/none.sock", "");
  EXPECT_EQ(client.Generate(GenerationRequest{}).status().code(), ErrorCode::kNetwork);
}

}  // namespace
}  // namespace cmdai::serve
