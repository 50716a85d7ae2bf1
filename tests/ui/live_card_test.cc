// SPDX-License-Identifier: MIT
// LiveCard with pipes for the terminal: what it draws as an answer grows,
// when it stops the generation, and what it keeps for the menu.
#include "ui/live_card.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace cmdai::ui {
namespace {

const std::string kPrefix = "```bash\n";

struct Pipes {
  int keys[2] = {-1, -1};
  int out[2] = {-1, -1};
  Pipes() {
    EXPECT_EQ(pipe(keys), 0);
    EXPECT_EQ(pipe(out), 0);
    fcntl(out[0], F_SETFL, O_NONBLOCK);
  }
  ~Pipes() {
    for (int fd : {keys[0], keys[1], out[0], out[1]}) close(fd);
  }
  std::string Drawn() const {
    std::string s;
    char buf[4096];
    for (ssize_t n; (n = read(out[0], buf, sizeof(buf))) > 0;) s.append(buf, static_cast<size_t>(n));
    return s;
  }
};

struct Probe {
  int heads = 0;
  std::string seen;
  int before = 0;
};

LiveCard Make(Pipes& p, Probe& probe, bool draw = true, bool head_ok = true) {
  return LiveCard(
      kPrefix, draw, Style{},
      [&probe, head_ok](const std::string& through_fence) -> std::optional<std::string> {
        ++probe.heads;
        probe.seen = through_fence;
        if (!head_ok) return std::nullopt;
        return std::string("[HEAD]\n");
      },
      [&probe] { ++probe.before; }, p.keys[0], p.out[1]);
}

TEST(LiveCard, DrawsTheHeadAtTheClosingFenceThenStreamsTheExplanation) {
  Pipes p;
  Probe probe;
  LiveCard card = Make(p, probe);
  EXPECT_TRUE(card.OnText(kPrefix + "ls -la"));
  EXPECT_TRUE(card.OnText(kPrefix + "ls -la\n``"));
  EXPECT_EQ(p.Drawn(), "");  // the command may still grow
  EXPECT_FALSE(card.command_ready());
  EXPECT_TRUE(card.OnText(kPrefix + "ls -la\n```"));
  EXPECT_TRUE(card.command_ready());
  EXPECT_TRUE(card.drawn());
  EXPECT_EQ(probe.seen, kPrefix + "ls -la\n```");
  EXPECT_EQ(probe.before, 1);  // the spinner stops before the first line
  EXPECT_EQ(p.Drawn(), "[HEAD]\n");
  EXPECT_TRUE(card.OnText(kPrefix + "ls -la\n```\nLists"));
  EXPECT_TRUE(card.OnText(kPrefix + "ls -la\n```\nLists all files."));
  EXPECT_EQ(p.Drawn(), "  # Lists all files.");
  card.Finish();
  EXPECT_EQ(p.Drawn(), "\n");
  EXPECT_EQ(probe.heads, 1);
  EXPECT_FALSE(card.key());
}

TEST(LiveCard, AKeyPressedWhileTheExplanationStreamsStopsItAndIsKept) {
  Pipes p;
  Probe probe;
  LiveCard card = Make(p, probe);
  EXPECT_TRUE(card.OnText(kPrefix + "ls\n```\nLists"));
  ASSERT_EQ(write(p.keys[1], "y", 1), 1);
  EXPECT_FALSE(card.OnText(kPrefix + "ls\n```\nLists files"));
  ASSERT_TRUE(card.key());
  EXPECT_EQ(card.key()->code, KeyCode::kChar);
  EXPECT_EQ(card.key()->text, "y");
}

TEST(LiveCard, KeysBeforeTheHeadWaitForTheMenu) {
  Pipes p;
  Probe probe;
  LiveCard card = Make(p, probe);
  ASSERT_EQ(write(p.keys[1], "n", 1), 1);
  EXPECT_TRUE(card.OnText(kPrefix + "rm -r"));  // no card yet: nothing to answer
  EXPECT_FALSE(card.key());
}

TEST(LiveCard, WithoutAPersonItOnlyTimesTheCommand) {
  Pipes p;
  Probe probe;
  LiveCard card = Make(p, probe, /*draw=*/false);
  ASSERT_EQ(write(p.keys[1], "n", 1), 1);
  EXPECT_TRUE(card.OnText(kPrefix + "ls\n```\nLists files"));
  EXPECT_TRUE(card.command_ready());
  EXPECT_FALSE(card.drawn());
  EXPECT_EQ(probe.heads, 0);
  EXPECT_EQ(p.Drawn(), "");
}

TEST(LiveCard, AHeadThatMustWaitDrawsNothingUntilTheEnd) {
  Pipes p;
  Probe probe;
  LiveCard card = Make(p, probe, true, /*head_ok=*/false);
  EXPECT_TRUE(card.OnText(kPrefix + "ls\n```"));
  EXPECT_TRUE(card.OnText(kPrefix + "ls\n```\nLists files"));
  card.Finish();
  EXPECT_FALSE(card.drawn());
  EXPECT_EQ(probe.before, 0);
  EXPECT_EQ(p.Drawn(), "");
  EXPECT_EQ(probe.heads, 1);
}

TEST(LiveCard, TheExplanationIsShownVisiblyAndOnOneLine) {
  Pipes p;
  Probe probe;
  LiveCard card = Make(p, probe);
  EXPECT_TRUE(card.OnText(kPrefix + "ls\n```\n\nLists \x1b[2J files\nrm -rf /"));
  EXPECT_EQ(p.Drawn(), "[HEAD]\n  # Lists \\e[2J files");
}

TEST(LiveCard, ACharacterSplitBetweenTokensWaitsForItsRest) {
  Pipes p;
  Probe probe;
  LiveCard card = Make(p, probe);
  const std::string e_acute = "\xc3\xa9";
  EXPECT_TRUE(card.OnText(kPrefix + "ls\n```\nCaf" + e_acute.substr(0, 1)));
  EXPECT_EQ(p.Drawn(), "[HEAD]\n  # Caf");
  EXPECT_TRUE(card.OnText(kPrefix + "ls\n```\nCaf" + e_acute));
  EXPECT_EQ(p.Drawn(), e_acute);
}

TEST(LiveCard, KeysThatChooseNothingAreDroppedAndTheExplanationGoesOn) {
  Pipes p;
  Probe probe;
  LiveCard card = Make(p, probe);
  EXPECT_TRUE(card.OnText(kPrefix + "ls\n```\nLists"));
  ASSERT_EQ(write(p.keys[1], "\x1b[A", 3), 3);  // an arrow
  EXPECT_TRUE(card.OnText(kPrefix + "ls\n```\nLists files"));
  EXPECT_FALSE(card.key());
  ASSERT_EQ(write(p.keys[1], "\r", 1), 1);  // Enter: the default choice
  EXPECT_FALSE(card.OnText(kPrefix + "ls\n```\nLists files here"));
  ASSERT_TRUE(card.key());
  EXPECT_EQ(card.key()->code, KeyCode::kEnter);
}

TEST(LiveCard, AnAnswerThatStartsAgainLeavesTheCardToBeDrawnWhole) {
  Pipes p;
  Probe probe;
  LiveCard card = Make(p, probe);
  EXPECT_TRUE(card.OnText(kPrefix + "ls\n```\nLists all"));
  EXPECT_TRUE(card.drawn());
  EXPECT_TRUE(card.OnText(kPrefix + "l"));  // a fallback engine answering from the start
  EXPECT_FALSE(card.drawn());
  EXPECT_TRUE(card.OnText(kPrefix + "ls\n```\nLists all files"));
  card.Finish();
  EXPECT_FALSE(card.drawn());
  EXPECT_EQ(p.Drawn(), "[HEAD]\n  # Lists all\n");  // the line ended, nothing else written
}

TEST(LiveCard, AnExplanationThatChangesWhatIsShownIsNotPatched) {
  Pipes p;
  Probe probe;
  LiveCard card = Make(p, probe);
  EXPECT_TRUE(card.OnText(kPrefix + "ls\n```\nLists all"));
  EXPECT_TRUE(card.OnText(kPrefix + "ls\n```\nShows every file"));
  EXPECT_FALSE(card.drawn());
  EXPECT_EQ(p.Drawn(), "[HEAD]\n  # Lists all\n");
}

TEST(LiveCard, BytesOfACharacterThatNeverEndsAreShownAsEscapesAtTheEnd) {
  Pipes p;
  Probe probe;
  LiveCard card = Make(p, probe);
  EXPECT_TRUE(card.OnText(kPrefix + "ls\n```\nends with \xe0\xb8"));
  EXPECT_EQ(p.Drawn(), "[HEAD]\n  # ends with ");
  card.Finish();
  EXPECT_EQ(p.Drawn(), "\\xe0\\xb8\n");
  EXPECT_TRUE(card.drawn());
}

TEST(LiveCard, WholeUtf8Prefix) {
  EXPECT_EQ(WholeUtf8Prefix(""), 0u);
  EXPECT_EQ(WholeUtf8Prefix("abc"), 3u);
  EXPECT_EQ(WholeUtf8Prefix("a\xc3"), 1u);
  EXPECT_EQ(WholeUtf8Prefix("a\xc3\xa9"), 3u);
  EXPECT_EQ(WholeUtf8Prefix("a\xe2\x80"), 1u);
  EXPECT_EQ(WholeUtf8Prefix("a\xe2\x80\xa6"), 4u);
  EXPECT_EQ(WholeUtf8Prefix("a\xf0\x9f\x98"), 1u);
  EXPECT_EQ(WholeUtf8Prefix("a\xf0\x9f\x98\x80"), 5u);
  EXPECT_EQ(WholeUtf8Prefix("a\x80\x80\x80\x80"), 5u);  // not UTF-8: shown as escapes, never held back
}

}  // namespace
}  // namespace cmdai::ui
