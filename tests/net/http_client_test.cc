// SPDX-License-Identifier: MIT
// net::Perform against a real HTTP server on 127.0.0.1 (tests/support/
// net_server.py): methods, headers, redirects, Range, the streaming sink,
// and each way an exchange can fail — no connection, a stall, a total
// timeout, a cut connection, a refusing sink, Ctrl-C.
#include "net/http_client.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "common/interrupt.h"
#include "support/hub_server.h"

namespace cmdai::net {
namespace {

using nlohmann::json;
using test::HubServer;

HttpRequest Get(const HubServer& server, const std::string& path = "/x") {
  HttpRequest r;
  r.url = server.endpoint() + path;
  r.connect_timeout_s = 5;
  r.total_timeout_s = 30;  // a broken test ends; nothing asserts on time
  return r;
}

// A port the OS gave to a socket that is bound but never listens: connecting
// to it is refused, for as long as the object lives.
class RefusingPort {
 public:
  RefusingPort() : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a = {};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    socklen_t len = sizeof(a);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~RefusingPort() { close(fd_); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

 private:
  int fd_;
  int port_ = 0;
};

TEST(HttpClient, GetReturnsStatusBodyAndLowerCaseHeaders) {
  HubServer server({{"body", "hello"}}, "net_server.py");
  const Exchange ex = Perform(Get(server));
  ASSERT_TRUE(ex.ok()) << ex.detail;
  EXPECT_EQ(ex.status, 200);
  EXPECT_EQ(ex.body, "hello");
  EXPECT_EQ(ex.body_bytes, 5u);
  EXPECT_EQ(ex.Header("x-test"), "yes");
  EXPECT_EQ(ex.Header("content-length"), "5");
  EXPECT_EQ(ex.Header("absent"), "");
}

TEST(HttpClient, PostSendsTheBodyAndTheHeaders) {
  HubServer server({{"echo", true}}, "net_server.py");
  HttpRequest r = Get(server, "/api");
  r.method = "POST";
  r.body = R"({"a":1})";
  r.headers = {"Content-Type: application/json", "Authorization: Bearer k"};
  const Exchange ex = Perform(r);
  ASSERT_TRUE(ex.ok()) << ex.detail;
  const json echo = json::parse(ex.body);
  EXPECT_EQ(echo["method"], "POST");
  EXPECT_EQ(echo["body"], R"({"a":1})");
  EXPECT_EQ(echo["headers"]["content-type"], "application/json");
  EXPECT_EQ(echo["headers"]["authorization"], "Bearer k");
}

TEST(HttpClient, ErrorStatusIsAnAnswerNotAFailure) {
  HubServer server({{"statuses", {404}}}, "net_server.py");
  const Exchange ex = Perform(Get(server));
  EXPECT_TRUE(ex.ok());
  EXPECT_EQ(ex.status, 404);
  EXPECT_EQ(ex.body, "error 404");
  EXPECT_EQ(Describe(ex, Get(server)), "HTTP 404");
}

TEST(HttpClient, RedirectsAreReportedOrFollowedAsAsked) {
  HubServer server({{"redirect", "/there"}, {"body", "arrived"}}, "net_server.py");
  HttpRequest head = Get(server, "/here");
  head.method = "HEAD";
  Exchange ex = Perform(head);
  ASSERT_TRUE(ex.ok()) << ex.detail;
  EXPECT_EQ(ex.status, 302);
  EXPECT_EQ(ex.Header("location"), "/there");
  HttpRequest follow = Get(server, "/here");
  follow.follow_redirects = true;
  ex = Perform(follow);
  EXPECT_EQ(ex.status, 200);
  EXPECT_EQ(ex.body, "arrived");
  EXPECT_EQ(ex.Header("location"), "");  // the headers are the final response's
}

TEST(HttpClient, RangeAsksForTheRest) {
  HubServer server({{"body", "0123456789"}}, "net_server.py");
  HttpRequest r = Get(server);
  r.range_from = 4;
  const Exchange ex = Perform(r);
  EXPECT_EQ(ex.status, 206);
  EXPECT_EQ(ex.body, "456789");
  EXPECT_EQ(server.Requests().back()["range"], "bytes=4-");
}

TEST(HttpClient, SinkGetsTheStatusFirstThenEveryByteInOrder) {
  std::string big(300000, 'x');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
  HubServer server({{"body", big}}, "net_server.py");
  std::string got;
  long started_with = 0;
  BodySink sink;
  sink.start = [&](long status) {
    started_with = status;
    return got.empty();
  };
  sink.write = [&](std::string_view piece) {
    got.append(piece);
    return true;
  };
  const Exchange ex = Perform(Get(server), &sink);
  ASSERT_TRUE(ex.ok()) << ex.detail;
  EXPECT_EQ(started_with, 200);
  EXPECT_EQ(got, big);
  EXPECT_EQ(ex.body_bytes, big.size());
  EXPECT_TRUE(ex.body.empty());
}

TEST(HttpClient, AnErrorBodyNeverReachesTheSink) {
  HubServer server({{"statuses", {503}}}, "net_server.py");
  bool called = false;
  BodySink sink;
  sink.start = [&](long) { return called = true; };
  sink.write = [&](std::string_view) { return called = true; };
  const Exchange ex = Perform(Get(server), &sink);
  EXPECT_EQ(ex.status, 503);
  EXPECT_EQ(ex.body, "error 503");
  EXPECT_FALSE(called);
}

TEST(HttpClient, ARefusingSinkStopsTheTransfer) {
  HubServer server({{"body", std::string(100000, 'z')}}, "net_server.py");
  BodySink sink;
  sink.write = [](std::string_view) { return false; };
  const Exchange ex = Perform(Get(server), &sink);
  EXPECT_EQ(ex.failure, Failure::kSink);
  EXPECT_EQ(ex.body_bytes, 0u);
}

TEST(HttpClient, NoListenerIsAConnectFailure) {
  RefusingPort port;
  HttpRequest r;
  r.url = port.url();
  const Exchange ex = Perform(r);
  EXPECT_EQ(ex.failure, Failure::kConnect);
  EXPECT_FALSE(ex.detail.empty());
  EXPECT_EQ(ex.status, 0);
}

// The same silent server, under each deadline: which one ran out is told apart.
TEST(HttpClient, SilenceIsAStallOrATimeoutByTheDeadlineThatRanOut) {
  HubServer server({{"silent", {3600, 3600}}}, "net_server.py");
  HttpRequest stall = Get(server);
  stall.stall_timeout_s = 1;
  Exchange ex = Perform(stall);
  EXPECT_EQ(ex.failure, Failure::kStalled);
  EXPECT_EQ(Describe(ex, stall), "no data for 1 s");
  HttpRequest total = Get(server);
  total.total_timeout_s = 1;
  ex = Perform(total);
  EXPECT_EQ(ex.failure, Failure::kTimeout);
  EXPECT_EQ(Describe(ex, total), "no answer within 1 s");
}

TEST(HttpClient, ABodyThatStopsMidwayIsAStall) {
  HubServer server({{"body", std::string(200000, 'q')}, {"stall_after", 1000}}, "net_server.py");
  HttpRequest r = Get(server);
  r.stall_timeout_s = 1;
  const Exchange ex = Perform(r);
  EXPECT_EQ(ex.failure, Failure::kStalled);
  EXPECT_EQ(ex.body_bytes, 1000u);
}

TEST(HttpClient, AConnectionCutMidBodyIsATransportFailure) {
  HubServer server({{"body", std::string(200000, 'q')}, {"drop_after", 5000}}, "net_server.py");
  const Exchange ex = Perform(Get(server));
  EXPECT_EQ(ex.failure, Failure::kTransport);
  EXPECT_EQ(ex.body_bytes, 5000u);
}

TEST(HttpClient, CtrlCStopsAWaitingExchange) {
  HubServer server({{"silent", {3600}}}, "net_server.py");
  std::thread press([&] {  // once the server has the request, as a person would press it
    test::WaitUntil([&] { return !server.Requests().empty(); }, 10000);
    RaiseInterruptForTest(true);
  });
  const Exchange ex = Perform(Get(server));
  press.join();
  EXPECT_EQ(ex.failure, Failure::kInterrupted);
  // And nothing starts while the flag is up.
  EXPECT_EQ(Perform(Get(server)).failure, Failure::kInterrupted);
  EXPECT_EQ(server.Requests().size(), 1u);
  RaiseInterruptForTest(false);
}

}  // namespace
}  // namespace cmdai::net
