// SPDX-License-Identifier: MIT
// The retry rules, each on its own: what is transient, Retry-After in both
// forms, the capped jittered backoff, and RunWithRetries against a real
// server on 127.0.0.1 (tests/support/net_server.py) — retried statuses,
// Retry-After read from the response, attempts running out, errors that are
// final, and Ctrl-C ending a wait.
#include "net/retry_policy.h"

#include <gtest/gtest.h>

#include "common/interrupt.h"
#include "support/hub_server.h"

namespace cmdai::net {
namespace {

using std::chrono::milliseconds;
using test::HubServer;

Exchange With(Failure f, long status = 0) {
  Exchange ex;
  ex.failure = f;
  ex.status = status;
  return ex;
}

TEST(RetryPolicy, TransientAreConnectionTransportStall429And5xx) {
  EXPECT_TRUE(IsTransient(With(Failure::kConnect)));
  EXPECT_TRUE(IsTransient(With(Failure::kTransport)));
  EXPECT_TRUE(IsTransient(With(Failure::kStalled)));
  EXPECT_TRUE(IsTransient(With(Failure::kNone, 429)));
  EXPECT_TRUE(IsTransient(With(Failure::kNone, 500)));
  EXPECT_TRUE(IsTransient(With(Failure::kNone, 503)));
}

TEST(RetryPolicy, FinalAreSuccessOther4xxTimeoutInterruptSinkAndOther) {
  EXPECT_FALSE(IsTransient(With(Failure::kNone, 200)));
  EXPECT_FALSE(IsTransient(With(Failure::kNone, 302)));
  EXPECT_FALSE(IsTransient(With(Failure::kNone, 401)));
  EXPECT_FALSE(IsTransient(With(Failure::kNone, 404)));
  EXPECT_FALSE(IsTransient(With(Failure::kTimeout)));
  EXPECT_FALSE(IsTransient(With(Failure::kInterrupted)));
  EXPECT_FALSE(IsTransient(With(Failure::kSink)));
  EXPECT_FALSE(IsTransient(With(Failure::kOther)));
}

TEST(RetryPolicy, RetryAfterInSeconds) {
  const auto now = std::chrono::system_clock::now();
  EXPECT_EQ(ParseRetryAfter("120", now), milliseconds(120000));
  EXPECT_EQ(ParseRetryAfter(" 0 ", now), milliseconds(0));
  EXPECT_GE(*ParseRetryAfter("99999999999999", now), milliseconds(3600000));  // huge, left to the cap
}

TEST(RetryPolicy, RetryAfterAsAnHttpDateInEachForm) {
  // Sun, 06 Nov 1994 08:49:37 GMT, and "now" 30 s before it.
  const auto date = std::chrono::system_clock::from_time_t(784111777);
  const auto now = date - std::chrono::seconds(30);
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now), milliseconds(30000));   // IMF-fixdate
  EXPECT_EQ(ParseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", now), milliseconds(30000));  // RFC 850
  EXPECT_EQ(ParseRetryAfter("Sun Nov  6 08:49:37 1994", now), milliseconds(30000));        // asctime
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", date + std::chrono::hours(1)), milliseconds(0));
}

TEST(RetryPolicy, RetryAfterThatIsNeitherIsIgnored) {
  const auto now = std::chrono::system_clock::now();
  EXPECT_EQ(ParseRetryAfter("", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("soon", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-5", now), std::nullopt);
}

TEST(RetryPolicy, BackoffDoublesIsCappedAndJittered) {
  RetryPolicy p;
  p.first_delay = milliseconds(500);
  p.max_delay = milliseconds(8000);
  // unit 0: half the full delay; unit 1: all of it.
  EXPECT_EQ(RetryDelay(p, 1, std::nullopt, 0.0), milliseconds(250));
  EXPECT_EQ(RetryDelay(p, 1, std::nullopt, 1.0), milliseconds(500));
  EXPECT_EQ(RetryDelay(p, 2, std::nullopt, 1.0), milliseconds(1000));
  EXPECT_EQ(RetryDelay(p, 3, std::nullopt, 1.0), milliseconds(2000));
  EXPECT_EQ(RetryDelay(p, 5, std::nullopt, 1.0), milliseconds(8000));
  EXPECT_EQ(RetryDelay(p, 40, std::nullopt, 1.0), milliseconds(8000));
  EXPECT_EQ(RetryDelay(p, 40, std::nullopt, 0.0), milliseconds(4000));
  const milliseconds mid = RetryDelay(p, 2, std::nullopt, 0.5);
  EXPECT_GT(mid, milliseconds(500));
  EXPECT_LT(mid, milliseconds(1000));
}

TEST(RetryPolicy, RetryAfterWinsOverBackoffAndIsCapped) {
  RetryPolicy p;
  p.max_retry_after = milliseconds(60000);
  EXPECT_EQ(RetryDelay(p, 1, milliseconds(3000), 0.9), milliseconds(3000));
  EXPECT_EQ(RetryDelay(p, 1, milliseconds(0), 0.9), milliseconds(0));
  EXPECT_EQ(RetryDelay(p, 1, milliseconds(600000), 0.9), milliseconds(60000));
}

TEST(RetryPolicy, TailSaysWhenAndWhichAttempt) {
  RetryNotice n;
  n.next_attempt = 2;
  n.max_attempts = 5;
  n.delay = milliseconds(1500);
  EXPECT_EQ(RetryTail(n), "in 1.5 s (attempt 2 of 5)");
}

// ---- RunWithRetries against a real server --------------------------------

HttpRequest Get(const HubServer& server) {
  HttpRequest r;
  r.url = server.endpoint() + "/x";
  r.total_timeout_s = 30;
  return r;
}

RetryPolicy Quick(int attempts) {
  RetryPolicy p;
  p.max_attempts = attempts;
  p.first_delay = milliseconds(1);
  p.max_delay = milliseconds(2);
  return p;
}

struct Outcome {
  Exchange last;
  std::vector<RetryNotice> notices;
  int attempts = 0;
};

Outcome RunAgainst(const HubServer& server, const RetryPolicy& policy) {
  Outcome run;
  const HttpRequest r = Get(server);
  run.last = RunWithRetries(
      policy,
      [&](int n) {
        run.attempts = n;
        return Perform(r);
      },
      [&](const RetryNotice& n) {
        run.notices.push_back(n);
        run.notices.back().failed = nullptr;  // not kept beyond the call
      });
  return run;
}

TEST(RunWithRetries, ServerErrorsAndTooManyRequestsAreRetriedUntilSuccess) {
  HubServer server({{"statuses", {500, 503, 429}}, {"body", "ok"}}, "net_server.py");
  const Outcome run = RunAgainst(server, Quick(5));
  EXPECT_EQ(run.last.status, 200);
  EXPECT_EQ(run.last.body, "ok");
  EXPECT_EQ(run.attempts, 4);
  ASSERT_EQ(run.notices.size(), 3u);
  EXPECT_EQ(run.notices[0].next_attempt, 2);
  EXPECT_EQ(run.notices[2].next_attempt, 4);
  EXPECT_EQ(run.notices[2].max_attempts, 5);
  EXPECT_EQ(server.Requests().size(), 4u);
}

TEST(RunWithRetries, RetryAfterSecondsFromTheResponseSetsTheWait) {
  // Backoff alone would wait at least 5 minutes: a 0 s wait shows the header was read.
  HubServer server({{"statuses", {429}}, {"retry_after", "0"}, {"body", "ok"}}, "net_server.py");
  RetryPolicy p = Quick(3);
  p.first_delay = p.max_delay = milliseconds(600000);
  const Outcome run = RunAgainst(server, p);
  EXPECT_EQ(run.last.status, 200);
  ASSERT_EQ(run.notices.size(), 1u);
  EXPECT_EQ(run.notices[0].delay, milliseconds(0));
}

TEST(RunWithRetries, RetryAfterDateFromTheResponseIsReadAndCapped) {
  // A date an hour ahead, capped to 5 ms.
  char date[64];
  const time_t later = std::time(nullptr) + 3600;
  std::tm tm = {};
  gmtime_r(&later, &tm);
  std::strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  HubServer server({{"statuses", {503}}, {"retry_after", date}, {"body", "ok"}}, "net_server.py");
  RetryPolicy p = Quick(3);
  p.max_retry_after = milliseconds(5);
  const Outcome run = RunAgainst(server, p);
  EXPECT_EQ(run.last.status, 200);
  ASSERT_EQ(run.notices.size(), 1u);
  EXPECT_EQ(run.notices[0].delay, milliseconds(5));
}

TEST(RunWithRetries, AttemptsRunOutAndTheLastAnswerIsReturned) {
  HubServer server({{"statuses", {503, 503, 503, 503}}}, "net_server.py");
  const Outcome run = RunAgainst(server, Quick(3));
  EXPECT_EQ(run.last.status, 503);
  EXPECT_EQ(run.attempts, 3);
  EXPECT_EQ(run.notices.size(), 2u);
  EXPECT_EQ(server.Requests().size(), 3u);
}

TEST(RunWithRetries, OtherClientErrorsAreFinalAtOnce) {
  HubServer server({{"statuses", {404}}}, "net_server.py");
  const Outcome run = RunAgainst(server, Quick(5));
  EXPECT_EQ(run.last.status, 404);
  EXPECT_EQ(run.attempts, 1);
  EXPECT_TRUE(run.notices.empty());
}

// RunWithRetries on `r` with three quick attempts: the last exchange, and how many were made.
std::pair<Exchange, int> ThreeTries(const HttpRequest& r) {
  int attempts = 0;
  Exchange ex = RunWithRetries(
      Quick(3),
      [&](int n) {
        attempts = n;
        return Perform(r);
      },
      nullptr);
  return {ex, attempts};
}

TEST(RunWithRetries, AStallIsRetriedAndTheNextAttemptSucceeds) {
  HubServer server({{"silent", {3600}}, {"body", "ok"}}, "net_server.py");
  HttpRequest r = Get(server);
  r.stall_timeout_s = 1;
  const auto [ex, attempts] = ThreeTries(r);
  EXPECT_EQ(ex.status, 200);
  EXPECT_EQ(attempts, 2);
}

TEST(RunWithRetries, ATotalTimeoutIsNotRetried) {
  HubServer server({{"silent", {3600}}}, "net_server.py");
  HttpRequest r = Get(server);
  r.total_timeout_s = 1;
  const auto [ex, attempts] = ThreeTries(r);
  EXPECT_EQ(ex.failure, Failure::kTimeout);
  EXPECT_EQ(attempts, 1);
}

TEST(RunWithRetries, CtrlCDuringTheWaitEndsItAtOnce) {
  HubServer server({{"statuses", {503, 503}}, {"body", "ok"}}, "net_server.py");
  RetryPolicy p = Quick(3);
  p.first_delay = p.max_delay = milliseconds(600000);  // a wait that only Ctrl-C can end
  const HttpRequest r = Get(server);
  const Exchange ex = RunWithRetries(
      p, [&](int) { return Perform(r); }, [](const RetryNotice&) { RaiseInterruptForTest(true); });
  RaiseInterruptForTest(false);
  EXPECT_EQ(ex.failure, Failure::kInterrupted);
  EXPECT_EQ(server.Requests().size(), 1u);
}

}  // namespace
}  // namespace cmdai::net
