// SPDX-License-Identifier: MIT
#include "ui/line_editor.h"

#include <gtest/gtest.h>

#include "ui/keys.h"

namespace cmdai::ui {
namespace {

Key K(KeyCode c) { return {c, ""}; }
Key C(const std::string& s) { return {KeyCode::kChar, s}; }

TEST(DecodeKey, DecodesControlKeysArrowsAndUtf8) {
  EXPECT_EQ(DecodeKey("\r").first.code, KeyCode::kEnter);
  EXPECT_EQ(DecodeKey("\x7f").first.code, KeyCode::kBackspace);
  EXPECT_EQ(DecodeKey("\x01").first.code, KeyCode::kCtrlA);
  EXPECT_EQ(DecodeKey("\x17").first.code, KeyCode::kCtrlW);
  EXPECT_EQ(DecodeKey("\x1b[D").first.code, KeyCode::kLeft);
  EXPECT_EQ(DecodeKey("\x1bOC").first.code, KeyCode::kRight);
  EXPECT_EQ(DecodeKey("\x1b[3~").first.code, KeyCode::kDelete);
  EXPECT_EQ(DecodeKey("\x1b[1~").first.code, KeyCode::kHome);
  EXPECT_EQ(DecodeKey("\x1b[F").first.code, KeyCode::kEnd);
  auto [k, used] = DecodeKey("é!");
  EXPECT_EQ(k.code, KeyCode::kChar);
  EXPECT_EQ(k.text, "é");
  EXPECT_EQ(used, 2u);
}

TEST(DecodeKey, PartialSequencesWaitForMoreBytes) {
  EXPECT_EQ(DecodeKey("\x1b").second, 0u);
  EXPECT_EQ(DecodeKey("\x1b[").second, 0u);
  EXPECT_EQ(DecodeKey("\x1b[3").second, 0u);
  EXPECT_EQ(DecodeKey("\xc3").second, 0u);
}

TEST(LineEditor, InsertsAtTheCursorAndMovesOverUtf8) {
  EditState s{"ac", 1};
  ApplyKey(s, C("b"));
  EXPECT_EQ(s.text, "abc");
  s = {"né", 3};
  ApplyKey(s, K(KeyCode::kLeft));
  EXPECT_EQ(s.cursor, 1u);  // over the two bytes of é
  ApplyKey(s, K(KeyCode::kDelete));
  EXPECT_EQ(s.text, "n");
}

TEST(LineEditor, ReadlineStyleKillKeys) {
  EditState s{"rm -rf build", 12};
  ApplyKey(s, K(KeyCode::kCtrlW));
  EXPECT_EQ(s.text, "rm -rf ");
  ApplyKey(s, K(KeyCode::kCtrlA));
  EXPECT_EQ(s.cursor, 0u);
  ApplyKey(s, K(KeyCode::kCtrlK));
  EXPECT_EQ(s.text, "");
  s = {"abc def", 4};
  ApplyKey(s, K(KeyCode::kCtrlU));
  EXPECT_EQ(s.text, "def");
  EXPECT_EQ(s.cursor, 0u);
  ApplyKey(s, K(KeyCode::kCtrlE));
  EXPECT_EQ(s.cursor, 3u);
  ApplyKey(s, K(KeyCode::kBackspace));
  EXPECT_EQ(s.text, "de");
}

TEST(LineEditor, EnterAcceptsEscapeAndCtrlCCancel) {
  EditState s{"x", 1};
  EXPECT_EQ(ApplyKey(s, K(KeyCode::kEnter)), EditResult::kAccept);
  EXPECT_EQ(ApplyKey(s, K(KeyCode::kEscape)), EditResult::kCancel);
  EXPECT_EQ(ApplyKey(s, K(KeyCode::kCtrlC)), EditResult::kCancel);
  EditState empty;
  EXPECT_EQ(ApplyKey(empty, K(KeyCode::kCtrlD)), EditResult::kCancel);
}

}  // namespace
}  // namespace cmdai::ui
