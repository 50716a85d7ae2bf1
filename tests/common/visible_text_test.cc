// SPDX-License-Identifier: MIT
#include "common/visible_text.h"

#include <gtest/gtest.h>

#include <cstdio>

namespace cmdai {
namespace {

TEST(VisibleText, KeepsPrintableAsciiAndBackslashesAsTheyAre) {
  EXPECT_EQ(VisibleText("ls -la ~/src | grep 'a\\tb' && echo \"$HOME\""),
            "ls -la ~/src | grep 'a\\tb' && echo \"$HOME\"");
  EXPECT_EQ(VisibleText(""), "");
  EXPECT_FALSE(HasInvisible("find . -name '*.cc' -exec wc -l {} +"));
}

TEST(VisibleText, ShowsEscapeCarriageReturnAndBackspace) {
  EXPECT_EQ(VisibleText("ls\033[2K\033[1Arisk: safe"), "ls\\e[2K\\e[1Arisk: safe");
  EXPECT_EQ(VisibleText("rm -rf ~\rls"), "rm -rf ~\\rls");
  EXPECT_EQ(VisibleText("rm\b\b\bls"), "rm\\x08\\x08\\x08ls");
  EXPECT_TRUE(HasInvisible("a\033b"));
}

TEST(VisibleText, ShowsEveryOtherC0ControlAndDel) {
  for (int c = 0; c < 0x20; ++c) {
    if (c == '\t') continue;
    const std::string in = std::string("a") + static_cast<char>(c) + "b";
    const std::string out = VisibleText(in);
    EXPECT_EQ(out.find(static_cast<char>(c)), std::string::npos) << c;
    EXPECT_EQ(out.front(), 'a');
    EXPECT_EQ(out.back(), 'b');
    EXPECT_EQ(out[1], '\\') << c;
    EXPECT_TRUE(HasInvisible(in)) << c;
  }
  EXPECT_EQ(VisibleText(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(VisibleText("a\x7f"
                        "b"),
            "a\\x7fb");
  EXPECT_EQ(VisibleText("bell\a"), "bell\\a");
  EXPECT_EQ(VisibleText("\x1f"), "\\x1f");
}

TEST(VisibleText, TabAndNewlinePassOnlyWhenAllowed) {
  EXPECT_EQ(VisibleText("a\tb\nc"), "a\tb\\nc");
  VisibleOptions o;
  o.keep_newlines = true;
  o.keep_tabs = false;
  EXPECT_EQ(VisibleText("a\tb\nc", o), "a\\tb\nc");
  EXPECT_FALSE(HasInvisible("two\nlines", true));
  EXPECT_TRUE(HasInvisible("two\nlines", false));
}

TEST(VisibleText, ShowsC1Controls) {
  EXPECT_EQ(VisibleText("a\xc2\x9b"
                        "31mb"),
            "a\\u009b31mb");  // CSI
  EXPECT_EQ(VisibleText("\xc2\x80\xc2\x85\xc2\x9f"), "\\u0080\\u0085\\u009f");
  EXPECT_EQ(VisibleText("\xc2\xa0"), "\xc2\xa0");  // U+00A0 is the first character after them
}

TEST(VisibleText, ShowsBidiOverridesAndIsolates) {
  // "rm -rf ~" drawn with a right-to-left override reads as something else.
  EXPECT_EQ(VisibleText("echo \xe2\x80\xae~ fr- mr"), "echo \\u202e~ fr- mr");
  for (uint32_t cp : {0x202Au, 0x202Bu, 0x202Cu, 0x202Du, 0x202Eu, 0x2066u, 0x2067u, 0x2068u, 0x2069u, 0x061Cu}) {
    std::string utf8;
    if (cp < 0x800) {
      utf8 = {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
    } else {
      utf8 = {static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
              static_cast<char>(0x80 | (cp & 0x3F))};
    }
    char want[8];
    std::snprintf(want, sizeof(want), "\\u%04x", cp);
    EXPECT_EQ(VisibleText(utf8), want) << want;
  }
}

TEST(VisibleText, ShowsInvisibleFormattingCharacters) {
  EXPECT_EQ(VisibleText("r\xe2\x80\x8bm"), "r\\u200bm");  // zero-width space
  EXPECT_EQ(VisibleText("\xe2\x80\x8c\xe2\x80\x8d"), "\\u200c\\u200d");
  EXPECT_EQ(VisibleText("\xe2\x80\x8e\xe2\x80\x8f"), "\\u200e\\u200f");  // LRM, RLM
  EXPECT_EQ(VisibleText("a\xe2\x80\xa8"
                        "b\xe2\x80\xa9"),
            "a\\u2028b\\u2029");
  EXPECT_EQ(VisibleText("\xef\xbb\xbfls"), "\\ufeffls");
  EXPECT_EQ(VisibleText("\xe2\x81\xa0"), "\\u2060");  // word joiner
  EXPECT_EQ(VisibleText("soft\xc2\xadhyphen"), "soft\\u00adhyphen");
  EXPECT_EQ(VisibleText("\xf3\xa0\x81\x81"), "\\U000e0041");  // tag latin capital A
}

TEST(VisibleText, KeepsMultiByteUtf8Intact) {
  const std::string text = "echo 'café · naïve — 日本語 ✓ 😀 Ωμέγα'";
  EXPECT_EQ(VisibleText(text), text);
  EXPECT_FALSE(HasInvisible(text));
  EXPECT_EQ(VisibleText("\xc2\xa9\xe2\x82\xac\xf0\x9f\x98\x80"), "\xc2\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
}

TEST(VisibleText, ShowsInvalidUtf8BytesOneByOne) {
  EXPECT_EQ(VisibleText("a\xff"
                        "b"),
            "a\\xffb");
  EXPECT_EQ(VisibleText("\x80"), "\\x80");                             // stray continuation byte
  EXPECT_EQ(VisibleText("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
  EXPECT_EQ(VisibleText("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");           // overlong, three bytes
  EXPECT_EQ(VisibleText("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // a surrogate
  EXPECT_EQ(VisibleText("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
  EXPECT_EQ(VisibleText("\xe2\x82"), "\\xe2\\x82");                    // cut short at the end
  EXPECT_EQ(VisibleText("\xe2\x82x"), "\\xe2\\x82x");                  // cut short before ASCII
  EXPECT_EQ(VisibleText("\xc2\x1b"), "\\xc2\\e");                      // a control right after a lead byte
  EXPECT_TRUE(HasInvisible("\xfe"));
}

TEST(VisibleText, MarksEscapesWithoutResettingTheSurroundingColour) {
  VisibleOptions o;
  o.mark = true;
  EXPECT_EQ(VisibleText("a\033b", o), "a\033[7m\\e\033[27mb");
  EXPECT_EQ(VisibleText("plain", o), "plain");
}

TEST(VisibleText, IndentAndWidthFollowTheShownText) {
  EXPECT_EQ(VisibleWidth("abc"), 3u);
  EXPECT_EQ(VisibleWidth("a\033b"), 4u);  // a \e b
  EXPECT_EQ(VisibleWidth("日本"), 2u);    // characters, not bytes
  EXPECT_EQ(VisibleWidth("\xff"), 4u);    // \xff
  EXPECT_EQ(VisibleIndent("a\033"), "   ");
  EXPECT_EQ(VisibleIndent("a\tb"), " \t ");  // a kept tab indents like the text
  EXPECT_EQ(VisibleIndent("é\xe2\x80\xae"), "       ");
}

}  // namespace
}  // namespace cmdai
