// SPDX-License-Identifier: MIT
#include "safety/risk_classifier.h"

#include <gtest/gtest.h>

#include <chrono>

namespace cmdai::safety {
namespace {

bool HasRule(const Assessment& a, const std::string& rule) {
  for (const auto& f : a.findings)
    if (f.rule == rule) return true;
  return false;
}

TEST(RiskClassifier, RatesRecursiveRootDeleteAsCriticalWithItsSpan) {
  const std::string cmd = "ls && rm -rf /";
  Assessment a = RiskClassifier().Rate(cmd);
  EXPECT_EQ(a.risk, Risk::kCritical);
  EXPECT_EQ(a.decision, Decision::kBlock);
  ASSERT_EQ(a.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].rule, "delete.recursive-critical");
  EXPECT_EQ(cmd.substr(a.findings[0].start, a.findings[0].end - a.findings[0].start), "/");
}

TEST(RiskClassifier, ReadOnlyCommandsAreSafeWithNoFindings) {
  Assessment a = RiskClassifier().Rate("ls -la | grep foo | wc -l");
  EXPECT_EQ(a.risk, Risk::kSafe);
  EXPECT_TRUE(a.findings.empty());
  EXPECT_EQ(a.decision, Decision::kAllow);
}

TEST(RiskClassifier, EveryLineOfAScriptIsRatedAndTheWholeTakesTheMax) {
  Assessment a = RiskClassifier().Rate("ls\necho hi > f\ngit push --force\nls");
  EXPECT_EQ(a.risk, Risk::kHigh);
  EXPECT_TRUE(HasRule(a, "write.file"));
  EXPECT_TRUE(HasRule(a, "git.push-force"));
}

TEST(RiskClassifier, UnparsableCommandsAreNeverSafe) {
  Assessment a = RiskClassifier().Rate("if then fi ((");
  EXPECT_GE(a.risk, Risk::kHigh);
  EXPECT_TRUE(HasRule(a, "parse.error"));
}

// `{a,b}` written 40 times is 2^40 words: the expansion stops at its cap
// without computing the rest (this took minutes, past any deadline, before),
// and what it did expand is still rated.
TEST(RiskClassifier, ABraceExpansionBombIsRatedWithoutExpandingItAll) {
  std::string bomb;
  for (int i = 0; i < 40; ++i) bomb += "{a,b}";
  EXPECT_EQ(RiskClassifier().Rate("echo " + bomb).risk, Risk::kSafe);
  EXPECT_EQ(RiskClassifier().Rate("rm -rf " + bomb + " {/,x}").risk, Risk::kCritical);
  std::string nested = "echo ";
  for (int i = 0; i < 1000; ++i) nested += "{a,";
  nested += "z" + std::string(1000, '}');
  EXPECT_EQ(RiskClassifier().Rate(nested).risk, Risk::kSafe);
}

TEST(RiskClassifier, UnknownCommandsAreModerate) {
  Assessment a = RiskClassifier().Rate("frobnicate --everything");
  EXPECT_EQ(a.risk, Risk::kModerate);
  EXPECT_TRUE(HasRule(a, "unknown.command"));
}

TEST(RiskClassifier, CodeFedToAShellIsRatedAsCommands) {
  Assessment a = RiskClassifier().Rate("echo 'mkfs.ext4 /dev/sdb' | bash");
  EXPECT_EQ(a.risk, Risk::kCritical);
  EXPECT_TRUE(HasRule(a, "disk.format"));
}

TEST(SafetyPolicy, DefaultTableMatchesTheDocumentation) {
  SafetyPolicy p;
  p.level = SafetyLevel::kStrict;
  EXPECT_EQ(p.Decide(Risk::kSafe), Decision::kAllow);
  EXPECT_EQ(p.Decide(Risk::kModerate), Decision::kConfirm);
  EXPECT_EQ(p.Decide(Risk::kHigh), Decision::kBlock);
  p.level = SafetyLevel::kModerate;
  EXPECT_EQ(p.Decide(Risk::kHigh), Decision::kConfirm);
  EXPECT_EQ(p.Decide(Risk::kCritical), Decision::kBlock);
  p.level = SafetyLevel::kPermissive;
  EXPECT_EQ(p.Decide(Risk::kModerate), Decision::kAllow);
  EXPECT_EQ(p.Decide(Risk::kCritical), Decision::kConfirm);
}

TEST(RiskClassifier, TableOverridesChangeTheDecision) {
  SafetyPolicy p;
  p.table[static_cast<int>(SafetyLevel::kModerate)][static_cast<int>(Risk::kHigh)] = Decision::kBlock;
  EXPECT_EQ(RiskClassifier(p).Rate("git reset --hard").decision, Decision::kBlock);
}

TEST(RiskClassifier, DenyRulesBlockAndAreReported) {
  SafetyPolicy p;
  p.deny = {"terraform", "kubectl apply *"};
  Assessment a = RiskClassifier(p).Rate("terraform plan");
  EXPECT_EQ(a.risk, Risk::kCritical);
  EXPECT_EQ(a.decision, Decision::kBlock);
  EXPECT_TRUE(HasRule(a, "config.deny"));
  EXPECT_EQ(RiskClassifier(p).Rate("kubectl apply -f x.yaml").decision, Decision::kBlock);
  EXPECT_EQ(RiskClassifier(p).Rate("kubectl get pods").decision, Decision::kAllow);
}

TEST(RiskClassifier, AllowRulesWaiveOnlyTheMatchingCommand) {
  SafetyPolicy p;
  p.allow = {"git push --force*"};
  Assessment a = RiskClassifier(p).Rate("git push --force origin main");
  EXPECT_EQ(a.risk, Risk::kSafe);
  EXPECT_TRUE(HasRule(a, "config.allow"));
  // The allow rule must not launder a second command in the same line.
  Assessment b = RiskClassifier(p).Rate("git push --force origin main; rm -rf /");
  EXPECT_EQ(b.risk, Risk::kCritical);
}

TEST(RiskClassifier, DenyWinsOverAllow) {
  SafetyPolicy p;
  p.allow = {"rm"};
  p.deny = {"rm -rf *"};
  EXPECT_EQ(RiskClassifier(p).Rate("rm -rf build").decision, Decision::kBlock);
  EXPECT_EQ(RiskClassifier(p).Rate("rm notes.txt").risk, Risk::kSafe);
}

// Bounded work: huge or deeply nested input gets a rating, not a crash.
TEST(RiskClassifier, OneMegabyteCommandIsRated) {
  std::string big = "echo ";
  while (big.size() < 1000000) big += "word ";
  Assessment a = RiskClassifier().Rate(big);
  EXPECT_EQ(a.command.size(), big.size());
  std::string over(2 << 20, 'x');
  Assessment b = RiskClassifier().Rate(over);
  EXPECT_EQ(b.risk, Risk::kHigh);
  EXPECT_TRUE(HasRule(b, "parse.too-long"));
}

TEST(RiskClassifier, TenThousandDeepNestingIsRatedNotCrashed) {
  for (const auto& [open, close] : std::vector<std::pair<std::string, std::string>>{
           {"(", ")"}, {"$(", ")"}, {"{ ", "; }"}, {"\"$(", ")\""}, {"<(", ")"}}) {
    std::string cmd;
    for (int i = 0; i < 10000; ++i) cmd += open;
    cmd += "ls";
    for (int i = 0; i < 10000; ++i) cmd += close;
    Assessment a = RiskClassifier().Rate(cmd);
    EXPECT_GE(a.risk, Risk::kHigh) << open;  // too deep to analyse fully
  }
  std::string nested = "ls";
  for (int i = 0; i < 50; ++i) nested = "sh -c '" + nested + "'";
  EXPECT_GE(RiskClassifier().Rate(nested).risk, Risk::kModerate);
}

}  // namespace
}  // namespace cmdai::safety
