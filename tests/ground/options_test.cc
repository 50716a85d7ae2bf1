// SPDX-License-Identifier: MIT
// Reading what a utility accepts from its own help and manual texts.
#include "ground/options.h"

#include <gtest/gtest.h>

namespace cmdai::ground {
namespace {

TEST(HelpText, GnuHelpIsCompleteWithValues) {
  const OptionSet s = ParseHelp(
      "Usage: du [OPTION]... [FILE]...\n"
      "  -a, --all             write counts for all files, not just directories\n"
      "  -d, --max-depth=N     print the total for a directory only if it is N or fewer levels\n"
      "  -h, --human-readable  print sizes in human readable format (e.g., 1K 234M 2G)\n"
      "      --time[=WORD]     show time as WORD instead of modification time\n"
      "      --help        display this help and exit\n"
      "GNU coreutils online help: <https://www.gnu.org/software/coreutils/>\n");
  EXPECT_EQ(s.flavor, Flavor::kGnu);
  EXPECT_TRUE(s.shorts_complete && s.longs_complete && s.words_complete);
  EXPECT_EQ(s.shorts.at('d').arity, Arity::kRequired);
  EXPECT_EQ(s.longs.at("max-depth").arity, Arity::kRequired);
  EXPECT_EQ(s.shorts.at('h').arity, Arity::kNone);
  EXPECT_EQ(s.longs.at("time").arity, Arity::kOptionalAttached);
  EXPECT_FALSE(s.wants_manual);
}

TEST(HelpText, GnuFindListsItsPrimariesWithTheirValues) {
  const OptionSet s = ParseHelp(
      "Usage: find [-H] [-L] [-P] [-Olevel] [-D debugopts] [path...] [expression]\n"
      "Tests (N can be +N or -N or N):\n"
      "      -amin N -anewer FILE -atime N -cmin N -cnewer FILE -context CONTEXT\n"
      "      -name PATTERN -newer FILE -perm [-/]MODE -regex PATTERN\n"
      "Actions:\n"
      "      -delete -print0 -printf FORMAT -fprintf FILE FORMAT -print\n"
      "      -exec COMMAND ; -exec COMMAND {} + -ok COMMAND ;\n"
      "      --help                   display this help and exit\n"
      "Please see also the documentation at https://www.gnu.org/software/findutils/.\n");
  EXPECT_EQ(s.flavor, Flavor::kGnu);
  ASSERT_TRUE(s.words.count("printf"));
  EXPECT_EQ(s.words.at("printf").values, 1);
  EXPECT_EQ(s.words.at("fprintf").values, 2);
  EXPECT_EQ(s.words.at("delete").values, 0);
  EXPECT_EQ(s.words.at("perm").values, 1);
  EXPECT_EQ(s.shorts.at('D').arity, Arity::kRequired);
}

TEST(HelpText, BsdSynopsisGivesShortOptionsAndAsksForTheManual) {
  const OptionSet s = ParseHelp(
      "stat: illegal option -- -\n"
      "usage: stat [-FLnq] [-f format | -l | -r | -s | -x] [-t timefmt] [file|handle ...]\n");
  EXPECT_EQ(s.flavor, Flavor::kBsd);
  EXPECT_TRUE(s.shorts_complete);
  EXPECT_FALSE(s.longs_complete);
  EXPECT_TRUE(s.wants_manual);
  for (char c : std::string("FLnqflrsxt")) EXPECT_TRUE(s.shorts.count(c)) << c;
  EXPECT_FALSE(s.shorts.count('c'));
  EXPECT_EQ(s.shorts.at('f').arity, Arity::kRequired);
  EXPECT_EQ(s.shorts.at('t').arity, Arity::kRequired);
  EXPECT_EQ(s.shorts.at('l').arity, Arity::kNone);
}

TEST(HelpText, BsdSynopsisNestedAndAttachedValues) {
  const OptionSet s = ParseHelp(
      "usage: date [-jnRu] [-I[date|hours|minutes|seconds]] [-f input_fmt]\n"
      "            [ -z output_zone ] [-r filename|seconds] [-v[+|-]val[y|m|w|d|H|M|S]]\n"
      "            [[[[mm]dd]HH]MM[[cc]yy][.SS] | new_date] [+output_fmt]\n");
  EXPECT_EQ(s.flavor, Flavor::kBsd);
  EXPECT_EQ(s.shorts.at('I').arity, Arity::kOptionalAttached);
  EXPECT_EQ(s.shorts.at('v').arity, Arity::kOptionalAttached);
  EXPECT_EQ(s.shorts.at('f').arity, Arity::kRequired);
  EXPECT_EQ(s.shorts.at('z').arity, Arity::kRequired);
  EXPECT_FALSE(s.shorts.count('d'));
  const OptionSet x = ParseHelp(
      "usage: xargs [-0opt] [-E eofstr] [-I replstr [-R replacements] [-S replsize]]\n"
      "             [-J replstr] [-L number] [-n number [-x]] [-P maxprocs]\n");
  EXPECT_EQ(x.shorts.at('I').arity, Arity::kRequired);
  EXPECT_EQ(x.shorts.at('x').arity, Arity::kNone);
  EXPECT_FALSE(x.shorts.count('r'));
}

TEST(HelpText, BusyBoxIsCompleteForShortsAndLongsOnlyWhenItListsThem) {
  const OptionSet sed = ParseHelp(
      "BusyBox v1.36.1 (2023-07-27 17:12:24 UTC) multi-call binary.\n\n"
      "Usage: sed [-i[SFX]] [-nrE] [-f FILE]... [-e CMD]... [FILE]...\n\n"
      "\t-e CMD\tAdd CMD to sed commands to be executed\n"
      "\t-i[SFX]\tEdit files in-place (otherwise write to stdout)\n"
      "\t-n\tSuppress automatic printing of pattern space\n"
      "\t-r,-E\tUse extended regex syntax\n");
  EXPECT_EQ(sed.flavor, Flavor::kBusyBox);
  EXPECT_TRUE(sed.shorts_complete);
  EXPECT_FALSE(sed.longs_complete);  // BusyBox sed takes --in-place without listing it
  EXPECT_EQ(sed.shorts.at('i').arity, Arity::kOptionalAttached);
  EXPECT_TRUE(sed.shorts.count('E'));
  const OptionSet ls = ParseHelp(
      "BusyBox v1.36.1 multi-call binary.\n\nUsage: ls [-1AaCxdLHRFplinshrSXvctu] [-w WIDTH] [FILE]...\n\n"
      "\t-1\tOne column output\n\t--full-time\tList full date/time\n\t--color[={always,never,auto}]\n");
  EXPECT_TRUE(ls.longs_complete);
  EXPECT_EQ(ls.longs.at("color").arity, Arity::kOptionalAttached);
  EXPECT_EQ(ls.shorts.at('w').arity, Arity::kRequired);
}

TEST(HelpText, UnknownShapesTellNothing) {
  const OptionSet s = ParseHelp("frobnicate 1.0 -- frobs things\n");
  EXPECT_FALSE(s.shorts_complete || s.longs_complete || s.words_complete);
  const OptionSet empty = ParseHelp("");
  EXPECT_FALSE(empty.shorts_complete);
}

TEST(HelpText, ManualCompletesABsdSynopsis) {
  OptionSet s = ParseHelp("usage: find [-H | -L | -P] [-EXdsx] [-f path] path ... [expression]\n");
  EXPECT_FALSE(s.words_complete);
  MergeManual(s,
              "SYNOPSIS\n     find [-H | -L | -P] [-EXdsx] [-f path] path ... [expression]\n"
              "PRIMARIES\n     -name pattern\n             True if ...\n     -newerXY file\n"
              "     -print0\n     -maxdepth n\n     -e\bex\bxe\bec\bc utility [argument ...] ;\n");
  EXPECT_TRUE(s.words_complete && s.longs_complete && s.from_manual);
  EXPECT_FALSE(s.wants_manual);
  EXPECT_TRUE(s.words.count("name"));
  EXPECT_TRUE(s.words.count("exec"));  // through the overstrike
  EXPECT_FALSE(s.words.count("printf"));
  OptionSet none = ParseHelp("usage: foo [-ab]\n");
  MergeManual(none, "No manual entry for foo\n");
  EXPECT_FALSE(none.from_manual);
  EXPECT_TRUE(none.wants_manual);
}

TEST(HelpText, OverstrikeIsRemoved) {
  EXPECT_EQ(StripOverstrike("N\bNA\bAM\bME\bE _\bf_\bi_\bl_\be"), "NAME file");
  EXPECT_EQ(StripOverstrike("plain"), "plain");
}

}  // namespace
}  // namespace cmdai::ground
