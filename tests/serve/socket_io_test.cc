// SPDX-License-Identifier: MIT
// Socket I/O of cmdai serve and its client: frames, deadlines on both ends,
// the socket's directory, the one-server lock, and a real server answering a
// real client, streamed or not.
#include "serve/socket_io.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "common/interrupt.h"
#include "common/posix.h"
#include "serve/protocol.h"
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

TEST(SocketIo, FramesSentTogetherAreReceivedOneByOne) {
  Connected c;
  ASSERT_TRUE(SendFrame(c.client.get(), "one", Later()).ok());
  ASSERT_TRUE(SendFrame(c.client.get(), "two", Later()).ok());
  ASSERT_TRUE(SendFrame(c.client.get(), "", Later()).ok());
  FrameReader reader(c.server.get());
  EXPECT_EQ(reader.Next(Later()).value(), "one");  // both may arrive in one read
  EXPECT_EQ(reader.Next(Later()).value(), "two");
  EXPECT_EQ(reader.Next(Later()).value(), "");
  EXPECT_EQ(reader.Next(Soon()).status().code(), ErrorCode::kNetwork);  // nothing more
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

TEST(ServerLock, OneHolderPerSocketUntilItGoes) {
  const std::string socket = test::TempDir() + "/run/cmdai/serve.sock";
  EXPECT_FALSE(ServerStartingOrAlive(socket));  // no lock file yet
  {
    auto first = ServerLock::Acquire(socket);  // makes the directory too
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    EXPECT_TRUE(ServerStartingOrAlive(socket));
    auto second = ServerLock::Acquire(socket);
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.status().code(), ErrorCode::kUsage);
    EXPECT_NE(second.status().message().find("already running or starting"), std::string::npos);
    EXPECT_TRUE(ServerStartingOrAlive(socket));  // asking does not take it away
  }
  EXPECT_FALSE(ServerStartingOrAlive(socket));
  EXPECT_TRUE(ServerLock::Acquire(socket).ok());
}

// Answers every request with `answer`; streamed, it grows one character at
// a time through on_text, stopping where on_text says so, and records what
// the server's on_text made of it.
class FixedBackend final : public Backend {
 public:
  Result<Generation> Generate(const GenerationRequest& r) override {
    Generation g;
    g.text = answer;
    if (r.on_text) {
      g.text.clear();
      for (char ch : answer) {
        g.text += ch;
        if (!r.on_text(g.text)) {
          g.stopped = true;
          break;
        }
        if (pause_between.count() > 0) std::this_thread::sleep_for(pause_between);
      }
      stopped_after = g.stopped ? static_cast<int>(g.text.size()) : -1;
    }
    generations++;
    return g;
  }
  std::string Describe() const override { return "fixed"; }
  BackendInfo Info() const override { return {"fixed", "fixed.gguf", "none", 0}; }
  std::string answer;
  // Streaming as a model does, a token every few ms: a client's close
  // reaches the server while the answer still grows.
  milliseconds pause_between{0};
  std::atomic<int> stopped_after{0};
  std::atomic<int> generations{0};
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

TEST_F(ServeInThread, StreamsEachGrowthBeforeTheAnswer) {
  backend_.answer = "ls -la";
  Start();
  SocketBackend client(options_.socket_path, "");
  std::vector<std::string> seen;
  GenerationRequest req;
  req.on_text = [&](const std::string& so_far) {
    seen.push_back(so_far);
    return true;
  };
  auto got = client.Generate(req);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->text, "ls -la");
  EXPECT_FALSE(got->stopped);
  EXPECT_EQ(seen, (std::vector<std::string>{"l", "ls", "ls ", "ls -", "ls -l", "ls -la"}));
  EXPECT_EQ(client.Info().model, "fixed.gguf");
}

TEST_F(ServeInThread, AClientThatWantsNoMoreStopsTheServersGenerationAndOthersAreServed) {
  backend_.answer = std::string(400, 'x');
  backend_.pause_between = milliseconds(5);
  Start();
  SocketBackend client(options_.socket_path, "");
  int calls = 0;
  GenerationRequest req;
  req.on_text = [&](const std::string&) { return ++calls < 3; };
  auto got = client.Generate(req);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(got->stopped);
  EXPECT_EQ(got->text, "xxx");
  EXPECT_EQ(calls, 3);
  // The server learns from its next failing send and stops well before the
  // end of the answer (400 characters, 2 s at this pace).
  ASSERT_TRUE(test::WaitUntil([&] { return backend_.stopped_after.load() > 0; }, 30000));
  EXPECT_LT(backend_.stopped_after.load(), 400);
  backend_.pause_between = milliseconds(0);
  SocketBackend other(options_.socket_path, "");
  auto next = other.Generate(GenerationRequest{});
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->text, std::string(400, 'x'));
}

// A server from before streaming: it ignores "stream" and sends the response
// alone; a client that streams still gets the answer (on_text never called).
TEST(SocketBackend, AServerWithoutStreamingStillAnswersAStreamingClient) {
  const std::string path = test::TempDir() + "/old.sock";
  auto listener = ListenUnix(path, 4);
  ASSERT_TRUE(listener.ok());
  std::thread old_server([&] {
    auto a = posix::AcceptCloexec(listener->get());
    ASSERT_TRUE(a.ok());
    UniqueFd conn(a.value());
    ASSERT_TRUE(ReceiveFrame(conn.get(), Later()).ok());
    Generation g;
    g.text = "pwd";
    ASSERT_TRUE(SendFrame(conn.get(), EncodeResponse(g, {"embedded", "old.gguf", "cpu", 0}), Later()).ok());
  });
  SocketBackend client(path, "");
  int calls = 0;
  GenerationRequest req;
  req.on_text = [&](const std::string&) { return ++calls > 0; };
  auto got = client.Generate(req);
  old_server.join();
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->text, "pwd");
  EXPECT_FALSE(got->stopped);
  EXPECT_EQ(calls, 0);
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
