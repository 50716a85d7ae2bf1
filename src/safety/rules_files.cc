// SPDX-License-Identifier: MIT
// Rules for files: deletion, moving, copying over, permissions, ownership,
// in-place edits and writes through redirections or tee.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>

#include "safety/rule_util.h"
#include "safety/runners.h"

namespace cmdai::safety::detail {
namespace {

std::string Describe(const PathClass& p) {
  switch (p.kind) {
    case PathKind::kRoot: return "the whole filesystem (" + p.shown + ")";
    case PathKind::kHome: return "the home directory (" + p.shown + ")";
    case PathKind::kSystemDir: return "the system directory " + p.shown;
    case PathKind::kSystemPath: return "the system path " + p.shown;
    case PathKind::kCriticalFile: return "the system file " + p.shown;
    case PathKind::kBlockDevice: return "the disk device " + p.shown;
    case PathKind::kDynamicRoot: return p.shown + ", which is under / when the variable is empty";
    case PathKind::kDynamic: return p.shown + ", a path only known at run time";
    case PathKind::kCwdAll:
      if (p.shown.find("..") != std::string::npos) return "everything in the parent directory (" + p.shown + ")";
      return "everything in the current directory (" + p.shown + ")";
    case PathKind::kTopLevel: return "the top-level directory " + p.shown;
    case PathKind::kHistory: return "the shell history " + p.shown;
    case PathKind::kLog: return "the system log " + p.shown;
    case PathKind::kSecret: return "the credentials in " + p.shown;
    case PathKind::kStartup: return p.shown + ", whose contents run later (at login, in every shell, or on a schedule)";
    case PathKind::kKernel: return "the kernel setting " + p.shown;
    default: return p.shown;
  }
}

// What writing to (or replacing) a path risks. `verb` is "overwrites",
// "appends to", "edits"…; returns false when the path is harmless.
bool WriteFinding(RuleInput& in, const Word& w, const PathClass& p, const std::string& verb, Risk ordinary) {
  // Each kind below is one finding at the word: its rule, its risk, and what
  // the message adds after "VERB the … PATH".
  auto found = [&](const char* rule, Risk risk, const std::string& tail = "") {
    Add(in, rule, risk, verb + " " + Describe(p) + tail, w.start, w.end);
    return true;
  };
  switch (p.kind) {
    case PathKind::kCriticalFile:
      return found("system.critical-file", Risk::kCritical, ", which the system needs to boot or log in");
    case PathKind::kBlockDevice: return found("disk.write-device", Risk::kCritical, ", destroying its file systems");
    case PathKind::kKernel: return found("system.kernel-write", Risk::kHigh);
    case PathKind::kHistory: return found("tamper.history", Risk::kHigh, ", erasing the record of commands");
    case PathKind::kLog:
    case PathKind::kSystemDir:
      if (p.kind == PathKind::kLog || p.shown.find("/var/log") == 0) return found("tamper.logs", Risk::kHigh);
      [[fallthrough]];
    case PathKind::kSystemPath: return found("write.system", Risk::kHigh);
    case PathKind::kSecret: return found("write.secrets", Risk::kHigh);
    case PathKind::kStartup: return found("persist.startup-file", Risk::kHigh);
    case PathKind::kHarmlessDevice: return false;
    case PathKind::kNetworkDevice: return false;  // handled by the redirect rules
    default:
      if (ordinary != Risk::kSafe) {
        Add(in, "write.file", ordinary, verb + " " + p.shown, w.start, w.end);
        return true;
      }
      return false;
  }
}

void Remove(RuleInput& in, bool recursive_command) {
  const SimpleCommand& c = in.cmd;
  bool every_found = false;  // find ROOT -exec rm {}: every file under ROOT, one by one
  bool from_find = false;
  for (const auto& wr : c.wrappers) from_find |= wr.rfind("find -exec", 0) == 0 || wr.rfind("find -ok", 0) == 0;
  for (const auto& w : c.args) every_found |= from_find && w.text.find("{}") != std::string::npos;
  const bool recursive = recursive_command || every_found || HasFlag(c, 'r', "--recursive") || HasFlag(c, 'R');
  if (HasArg(c, "--no-preserve-root"))
    Add(in, "delete.no-preserve-root", Risk::kCritical, "--no-preserve-root lets rm delete / itself");
  auto targets = Operands(c);
  // `echo a b | xargs rm`: the names come from a literal echo.
  std::vector<Word> fed;
  if (targets.empty() && c.args_from_stdin && c.pipeline >= 0) {
    for (const auto& other : in.script.commands)
      if (other.pipeline == c.pipeline && other.pipeline_pos == c.pipeline_pos - 1 && other.group == c.group &&
          (other.name == "echo" || other.name == "printf"))
        for (const auto& w : other.args)
          if (!w.text.empty() && w.text[0] != '-') {
            Word split = w;
            size_t i = 0;
            while (i < w.text.size()) {  // echo "a b" | xargs splits on blanks
              size_t j = w.text.find_first_of(" \t\n", i);
              if (j == std::string::npos) j = w.text.size();
              if (j > i) {
                split.text = w.text.substr(i, j - i);
                fed.push_back(split);
              }
              i = j + 1;
            }
          }
    for (const auto& w : fed) targets.push_back(&w);
  }
  if (targets.empty() && c.args_from_stdin) {
    Add(in, recursive ? "delete.recursive-unknown" : "delete.files", recursive ? Risk::kHigh : Risk::kModerate,
        std::string(recursive ? "recursively deletes" : "deletes") + " whatever paths its input names");
    return;
  }
  bool any = false;
  for (const Word* t : targets) {
    PathClass p = Classify(c, *t);
    any = true;
    // A target hidden by decoding ($(echo Lw== | base64 -d)) or derived from
    // the home directory (${HOME:0:1}, `realpath ~`) is as bad as it can be.
    if (recursive && p.kind == PathKind::kDynamic) {
      bool decoded = false;
      for (int g : t->substitutions)
        for (const auto& other : in.script.commands)
          if (other.group == g && (other.name == "base64" || other.name == "base32" || other.name == "xxd" ||
                                   other.name == "rev" || other.name == "tr" || other.name == "openssl"))
            decoded = true;
      if (decoded || t->text.find("HOME") != std::string::npos || t->text.find("PWD") != std::string::npos) {
        Add(in, "delete.recursive-critical", Risk::kCritical,
            "recursively deletes " + t->text + ", a path " + (decoded ? "hidden by encoding" : "made from $HOME") +
                " that can be / or the home directory",
            t->start, t->end);
        continue;
      }
    }
    // {} from an unfiltered `find ROOT -exec rm {}`: every file under ROOT.
    const bool every_found = t->text.find("{}") != std::string::npos;
    if (recursive || (every_found && IsCriticalTree(p.kind))) {
      if (IsCriticalTree(p.kind))
        Add(in, "delete.recursive-critical", Risk::kCritical, "recursively deletes " + Describe(p), t->start, t->end);
      else if (p.kind == PathKind::kDynamic)
        Add(in, "delete.recursive-unknown", Risk::kHigh, "recursively deletes " + Describe(p), t->start, t->end);
      else if (p.kind == PathKind::kHistory)
        Add(in, "tamper.history", Risk::kHigh, "deletes " + Describe(p), t->start, t->end);
      else if (p.kind == PathKind::kLog)
        Add(in, "tamper.logs", Risk::kHigh, "deletes " + Describe(p), t->start, t->end);
      else if (p.kind != PathKind::kOrdinary)
        Add(in, "delete.recursive-broad", Risk::kHigh, "recursively deletes " + Describe(p), t->start, t->end);
      else
        Add(in, "delete.recursive", Risk::kModerate, "recursively deletes " + p.shown + " and everything in it",
            t->start, t->end);
    } else {
      if (p.kind == PathKind::kCriticalFile || p.kind == PathKind::kBlockDevice)
        Add(in, "delete.critical-file", Risk::kCritical, "deletes " + Describe(p), t->start, t->end);
      else if (p.kind == PathKind::kHistory)
        Add(in, "tamper.history", Risk::kHigh, "deletes " + Describe(p), t->start, t->end);
      else if (p.kind == PathKind::kLog || (p.kind == PathKind::kSystemDir && p.shown.find("/var/log") == 0))
        Add(in, "tamper.logs", Risk::kHigh, "deletes " + Describe(p), t->start, t->end);
      else if (p.kind == PathKind::kSystemPath || p.kind == PathKind::kSystemDir || p.kind == PathKind::kSecret ||
               p.kind == PathKind::kRoot || p.kind == PathKind::kHome)
        Add(in, "delete.system-file", Risk::kHigh, "deletes " + Describe(p), t->start, t->end);
      else if (p.kind == PathKind::kDynamic || p.kind == PathKind::kDynamicRoot)
        Add(in, "delete.unknown", Risk::kHigh, "deletes " + Describe(p), t->start, t->end);
      else if (p.kind == PathKind::kCwdAll)
        Add(in, "delete.broad", Risk::kHigh, "deletes " + Describe(p), t->start, t->end);
      else
        Add(in, "delete.file", Risk::kModerate, "deletes " + p.shown, t->start, t->end);
    }
  }
  if (!any) Add(in, "delete.file", Risk::kModerate, "deletes files");
}

void Shred(RuleInput& in) {
  for (const Word* t : Operands(in.cmd, {"-n", "-s", "--iterations", "--size", "--random-source"})) {
    PathClass p = Classify(in.cmd, *t);
    if (p.kind == PathKind::kBlockDevice || p.kind == PathKind::kCriticalFile)
      Add(in, "disk.shred-device", Risk::kCritical, "irrecoverably overwrites " + Describe(p), t->start, t->end);
    else if (p.kind == PathKind::kHistory)
      Add(in, "tamper.history", Risk::kHigh, "irrecoverably overwrites " + Describe(p), t->start, t->end);
    else if (p.kind == PathKind::kLog)
      Add(in, "tamper.logs", Risk::kHigh, "irrecoverably overwrites " + Describe(p), t->start, t->end);
    else
      Add(in, "delete.shred", Risk::kHigh, "irrecoverably overwrites " + Describe(p), t->start, t->end);
  }
}

void Move(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  auto ops = Operands(c, {"-t", "--target-directory", "-S", "--suffix"});
  if (ops.empty()) return;
  const Word* dest = ops.back();
  for (size_t i = 0; i + 1 < ops.size(); ++i) {
    PathClass p = Classify(c, *ops[i]);
    if (IsCriticalTree(p.kind))
      Add(in, "move.critical", Risk::kCritical, "moves " + Describe(p) + " away", ops[i]->start, ops[i]->end);
    else if (p.kind == PathKind::kHistory)
      Add(in, "tamper.history", Risk::kHigh, "moves " + Describe(p) + " away", ops[i]->start, ops[i]->end);
    else if (p.kind != PathKind::kOrdinary)
      Add(in, "move.broad", Risk::kHigh, "moves " + Describe(p), ops[i]->start, ops[i]->end);
  }
  PathClass d = Classify(c, *dest);
  if (d.kind == PathKind::kHarmlessDevice && dest->text.find("null") != std::string::npos)
    Add(in, "move.to-null", Risk::kHigh, "moves files onto /dev/null, destroying them", dest->start, dest->end);
  else if (!WriteFinding(in, *dest, d, "replaces", Risk::kSafe))
    Add(in, "move.files", Risk::kModerate, "moves or renames files; an existing " + dest->text + " is replaced",
        c.start, c.end);
}

void Copy(RuleInput& in, const std::string& verb) {
  const SimpleCommand& c = in.cmd;
  auto ops = Operands(c, {"-t", "--target-directory", "-S", "--suffix", "-m", "--mode", "-o", "-g", "--owner",
                          "--group", "-e", "--exclude", "--include", "--filter", "-f"});
  if (ops.empty()) return;
  const Word* dest = ops.back();
  if (c.name == "rsync" && (HasArg(c, "--delete") || HasArg(c, "--delete-before") || HasArg(c, "--delete-after") ||
                            HasArg(c, "--delete-during") || HasArg(c, "--remove-source-files"))) {
    PathClass d = Classify(c, *dest);
    Risk r = IsCriticalTree(d.kind) ? Risk::kCritical : Risk::kHigh;
    Add(in, "delete.rsync", r, "deletes files in " + Describe(d) + " that the source lacks", dest->start, dest->end);
    return;
  }
  PathClass d = Classify(c, *dest);
  if (d.kind == PathKind::kRoot || d.kind == PathKind::kSystemDir) {
    Add(in, "write.system", Risk::kHigh, verb + " into " + Describe(d), dest->start, dest->end);
    return;
  }
  if (!WriteFinding(in, *dest, d, verb, Risk::kSafe))
    Add(in, "write.copy", Risk::kModerate, verb + " files; an existing " + dest->text + " is overwritten", c.start,
        c.end);
}

void Link(RuleInput& in) {
  auto ops = Operands(in.cmd, {"-t", "--target-directory", "-S", "--suffix"});
  if (ops.size() < 2) {
    Add(in, "write.link", Risk::kModerate, "creates a link");
    return;
  }
  const Word* dest = ops.back();
  PathClass d = Classify(in.cmd, *dest);
  if (d.kind == PathKind::kHistory) {
    Add(in, "tamper.history", Risk::kHigh, "replaces " + Describe(d) + " with a link", dest->start, dest->end);
    return;
  }
  if (!WriteFinding(in, *dest, d, "replaces", Risk::kSafe))
    Add(in, "write.link", Risk::kModerate, "creates the link " + dest->text, dest->start, dest->end);
}

bool WorldWritable(const std::string& mode) {
  if (!mode.empty() && std::isdigit(static_cast<unsigned char>(mode[0]))) {
    const char last = mode.back();
    return last == '2' || last == '3' || last == '6' || last == '7';
  }
  return mode.find("o+w") != std::string::npos || mode.find("a+w") != std::string::npos ||
         mode.find("a+rwx") != std::string::npos || mode.find("o+rwx") != std::string::npos ||
         mode.find("=rwx") != std::string::npos || mode == "+w" || mode.find("o=") != std::string::npos;
}

bool SetId(const std::string& mode) {
  if (mode.size() == 4 && std::isdigit(static_cast<unsigned char>(mode[0])))
    return mode[0] == '4' || mode[0] == '2' || mode[0] == '6';
  return mode.find("+s") != std::string::npos || mode.find("=s") != std::string::npos;
}

// A mode that takes access away from group and others and gives none: 600,
// 0700, go-rwx, o-w.
bool Tightens(const std::string& mode) {
  if (!mode.empty() && std::all_of(mode.begin(), mode.end(), [](char ch) { return ch >= '0' && ch <= '7'; }))
    return mode.size() >= 3 && mode[mode.size() - 1] == '0' && mode[mode.size() - 2] == '0';
  if (mode.find('+') != std::string::npos || mode.find('=') != std::string::npos) return false;
  return mode.find('-') != std::string::npos && mode.find_first_of("ugoa") != std::string::npos;
}

// Files a command writes through an option or operand of its own (sort -o,
// uniq's second operand, find -fprint, git --output, sed's w command, …).
std::vector<Word> OptionWriteTargets(const SimpleCommand& c) {
  std::vector<Word> out;
  const std::string& n = c.name;
  const auto& a = c.args;
  auto value_of = [&](std::initializer_list<const char*> names) {
    for (size_t i = 0; i < a.size(); ++i)
      for (const char* o : names) {
        const std::string on = o;
        if (a[i].text == on && i + 1 < a.size())
          out.push_back(a[i + 1]);
        else if (on.size() > 2 && on[1] == '-' && a[i].text.rfind(on + "=", 0) == 0) {
          Word w = a[i];
          w.text = a[i].text.substr(on.size() + 1);
          out.push_back(w);
        } else if (on.size() == 2 && a[i].text.size() > 2 && a[i].text[0] == '-' && a[i].text[1] != '-' &&
                   a[i].text.back() == on[1] && i + 1 < a.size() && n == "sort") {
          out.push_back(a[i + 1]);  // sort -uo FILE
        }
      }
  };
  if (n == "sort" || n == "shuf" || n == "sdiff" || n == "iconv" || n == "base64" || n == "tree" || n == "xsv")
    value_of({"-o", "--output"});
  else if (n == "git")
    value_of({"--output"});
  else if (n == "less")
    value_of({"-o", "-O", "--log-file", "--LOG-FILE"});
  else if (n == "tcpdump")
    value_of({"-w"});
  else if (n == "curl")
    value_of({"-o", "--output"});
  else if (n == "wget")
    value_of({"-O", "--output-document"});
  else if (n == "zstd" || n == "brotli" || n == "pv" || n == "mkisofs" || n == "genisoimage" || n == "xorrisofs")
    value_of({"-o", "--output", "-output"});
  else if (n == "xorriso")
    value_of({"-outdev", "-o"});
  else if (n == "cpio")
    value_of({"-O", "-F", "--file"});
  else if (n == "pax" && HasFlag(c, 'w'))
    value_of({"-f"});
  else if (n == "sponge" || n == "lz4" || n == "mksquashfs" || n == "zip" || n == "qemu-img" || n == "bmaptool" ||
           n == "7z" || n == "7za" || n == "7zr") {
    // The file they write is an operand: sponge FILE, lz4 IN OUT,
    // mksquashfs SRC… DEST, zip ARCHIVE FILES, qemu-img convert IN OUT,
    // bmaptool copy IMG DEST, 7z a ARCHIVE FILES.
    std::vector<const Word*> ops;
    for (const auto& w : a)
      if (w.text.empty() || w.text[0] != '-')
        ops.push_back(&w);
      else if (n == "mksquashfs")
        break;  // its options follow the operands
    if (n == "sponge" && !ops.empty()) out.push_back(*ops[0]);
    if (n == "zip" && !ops.empty()) out.push_back(*ops[0]);
    if ((n == "lz4" && ops.size() >= 2) || (n == "mksquashfs" && ops.size() >= 2)) out.push_back(*ops.back());
    if ((n == "qemu-img" || n == "bmaptool") && ops.size() >= 3 &&
        (ops[0]->text == "convert" || ops[0]->text == "copy"))
      out.push_back(*ops.back());
    if ((n == "7z" || n == "7za" || n == "7zr") && ops.size() >= 2 && (ops[0]->text == "a" || ops[0]->text == "u"))
      out.push_back(*ops[1]);
  } else if (n == "tar" || n == "gtar" || n == "bsdtar") {
    // Creating, appending, updating or deleting writes the archive -f names
    // (tar -cf /dev/sda / overwrites the disk). Letters bundle: -czvf FILE,
    // old-style `cf FILE` as the first word, -fFILE.
    bool writes = false;
    std::vector<Word> files;
    for (size_t i = 0; i < a.size(); ++i) {
      const std::string& t = a[i].text;
      if (t == "--") break;
      if (t.rfind("--", 0) == 0) {
        const std::string name = t.substr(0, t.find('='));
        auto abbreviates = [&](const std::string& full, size_t shortest) {  // GNU's unambiguous prefixes: --cr
          return name.size() >= shortest && full.rfind(name, 0) == 0;
        };
        writes |= abbreviates("--create", 4) || abbreviates("--append", 4) || abbreviates("--update", 4) ||
                  abbreviates("--delete", 5) || abbreviates("--catenate", 4) || abbreviates("--concatenate", 5);
        if (name == "--file" && t.size() > name.size()) {
          Word w = a[i];
          w.text = t.substr(name.size() + 1);
          files.push_back(w);
        } else if (t == "--file" && i + 1 < a.size()) {
          files.push_back(a[i + 1]);
        }
        continue;
      }
      const bool bundle = (t.size() > 1 && t[0] == '-') ||
                          (i == 0 && !t.empty() && std::isalpha(static_cast<unsigned char>(t[0])) &&
                           t.find_first_not_of("AcdrtuxfvzjJZaopPSwhkmOlWGgiIMRbBC") == std::string::npos);
      if (!bundle) continue;
      for (size_t k = t[0] == '-' ? 1 : 0; k < t.size(); ++k) {
        writes |= std::strchr("cruA", t[k]) != nullptr;
        if (t[k] != 'f') continue;
        if (t[0] == '-' && k + 1 < t.size()) {  // -fFILE
          Word w = a[i];
          w.text = t.substr(k + 1);
          files.push_back(w);
        } else if (i + 1 < a.size()) {
          files.push_back(a[i + 1]);
        }
        break;
      }
    }
    if (writes) out.insert(out.end(), files.begin(), files.end());
  } else if (n == "find")
    value_of({"-fprint", "-fprint0", "-fprintf", "-fls"});
  else if (n == "uniq" || n == "xxd") {
    auto ops = Operands(c, {"-f", "-s", "-w", "-c", "-g", "-l", "-o", "-n"});
    if (ops.size() >= 2) out.push_back(*ops[1]);
  } else if (n == "patch") {
    value_of({"-o", "--output"});
    auto ops = Operands(c, {"-p", "-i", "--input", "-d", "-o", "-r", "-F", "-z", "-B", "-V"});
    if (!ops.empty()) out.push_back(*ops[0]);
  } else if (n == "ssh-keygen" && (HasFlag(c, 't') || HasFlag(c, 'p') || HasFlag(c, 'R') || HasFlag(c, 'c'))) {
    value_of({"-f"});
  } else if (n == "sed" || n == "gsed") {
    for (const auto& w : a) {  // w FILE, W FILE, s///w FILE: to the end of the line
      const std::string& t = w.text;
      for (size_t p = 0; (p = t.find_first_of("wW", p)) != std::string::npos; ++p) {
        const bool cmd_start = p == 0 || std::strchr(";{}/\n0123456789$! \t", t[p - 1]);
        if (!cmd_start || p + 1 >= t.size() || (t[p + 1] != ' ' && t[p + 1] != '\t')) continue;
        size_t s = t.find_first_not_of(" \t", p + 1);
        size_t e = t.find('\n', s);
        if (s == std::string::npos) continue;
        Word f = w;
        f.text = t.substr(s, e == std::string::npos ? std::string::npos : e - s);
        out.push_back(f);
      }
    }
  } else if (n == "awk" || n == "gawk" || n == "mawk" || n == "nawk") {
    for (const auto& w : a) {  // print > "FILE", printf … >> "FILE"
      const std::string& t = w.text;
      for (size_t p = 0; (p = t.find('>', p)) != std::string::npos; ++p) {
        size_t q = t.find_first_not_of("> \t", p);
        if (q == std::string::npos || t[q] != '"') continue;
        size_t e = t.find('"', q + 1);
        if (e == std::string::npos) continue;
        Word f = w;
        f.text = t.substr(q + 1, e - q - 1);
        out.push_back(f);
      }
    }
  }
  return out;
}

void OptionWrites(RuleInput& in) {
  for (Word w : OptionWriteTargets(in.cmd)) {
    PathClass p = Classify(in.cmd, w);
    if (p.kind == PathKind::kHarmlessDevice) continue;
    WriteFinding(in, w, p, "writes", Risk::kModerate);
  }
}

// xattr -cr, chattr -R -i, setfacl -R -b on broad trees: protections and
// metadata stripped from everything below.
bool StripsAttributes(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  const bool recursive = HasFlag(c, c.name == "xattr" ? 'r' : 'R', "--recursive");
  if (!recursive) return false;
  for (const Word* w : Operands(c)) {
    PathClass p = Classify(c, *w);
    if (IsCriticalTree(p.kind) || p.kind == PathKind::kSystemPath || p.kind == PathKind::kTopLevel ||
        p.kind == PathKind::kLog || p.kind == PathKind::kCwdAll) {
      Add(in, "perm.strip-attributes", Risk::kHigh,
          c.name + " changes protections or attributes of everything under " + p.shown, w->start, w->end);
      return true;
    }
  }
  return false;
}

void Permissions(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  const bool chmod = c.name == "chmod";
  const bool recursive = HasFlag(c, 'R', "--recursive");
  auto ops = Operands(c, {"--reference"});
  if (ops.empty()) return;
  const std::string mode = chmod ? ops[0]->text : "";
  const size_t first_target = (chmod || c.name == "chown" || c.name == "chgrp") ? 1 : 0;
  bool flagged = false;
  for (size_t i = first_target; i < ops.size(); ++i) {
    PathClass p = Classify(c, *ops[i]);
    if (recursive && (IsCriticalTree(p.kind) || p.kind == PathKind::kTopLevel)) {
      Add(in, "perm.recursive-critical", Risk::kCritical,
          "recursively changes " + std::string(chmod ? "permissions" : "ownership") + " of " + Describe(p),
          ops[i]->start, ops[i]->end);
      flagged = true;
    } else if (p.kind == PathKind::kCriticalFile || (!recursive && IsCriticalTree(p.kind))) {
      Add(in, "perm.system-file", Risk::kHigh,
          "changes " + std::string(chmod ? "permissions" : "ownership") + " of " + Describe(p), ops[i]->start,
          ops[i]->end);
      flagged = true;
    } else if (p.kind == PathKind::kSecret && chmod && !recursive && Tightens(mode)) {
      continue;  // chmod 600 ~/.ssh/id_rsa: only its owner keeps access
    } else if (p.kind == PathKind::kSystemPath || p.kind == PathKind::kSecret ||
               (recursive && p.kind != PathKind::kOrdinary)) {
      Add(in, "perm.system-path", Risk::kHigh,
          "changes " + std::string(chmod ? "permissions" : "ownership") + " of " + Describe(p), ops[i]->start,
          ops[i]->end);
      flagged = true;
    }
  }
  if (chmod && WorldWritable(mode)) {
    Add(in, "perm.world-writable", Risk::kHigh, "makes files writable by every user (" + mode + ")", ops[0]->start,
        ops[0]->end);
    flagged = true;
  }
  if (chmod && SetId(mode)) {
    Add(in, "perm.setuid", Risk::kHigh,
        "sets the set-user/group-ID bit, letting the program run with its owner's rights", ops[0]->start, ops[0]->end);
    flagged = true;
  }
  if (!flagged)
    Add(in, "perm.change", Risk::kModerate, std::string("changes file ") + (chmod ? "permissions" : "ownership"));
}

// sed -i / perl -i / gawk -i inplace: edits files where they are.
void InPlace(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  bool inplace = false;
  for (const auto& w : c.args) {
    const std::string& a = w.text;
    if (a == "--") break;
    if (a.rfind("--in-place", 0) == 0) inplace = true;
    if (a.size() >= 2 && a[0] == '-' && a[1] != '-') {
      if (c.name == "sed" && (a[1] == 'i' || (a.find('i') != std::string::npos && a.find('e') == std::string::npos)))
        inplace = true;
      if (c.name != "sed" && a[1] != 'M' && a[1] != 'm' && a.find('i') != std::string::npos) inplace = true;
    }
    if (c.name == "gawk" && a == "inplace") inplace = true;
  }
  if (!inplace) return;
  auto ops = Operands(c, {"-e", "-f", "--expression", "--file", "-l", "-M", "-I"});
  // The first operand of sed/perl is the script unless -e gave it.
  size_t first = (HasFlag(c, 'e', "--expression") && c.name == "sed") ? 0 : 1;
  if (c.name == "perl") first = HasFlag(c, 'e') ? 1 : 0;
  bool flagged = false;
  for (size_t i = first; i < ops.size(); ++i) {
    PathClass p = Classify(c, *ops[i]);
    flagged |= WriteFinding(in, *ops[i], p, "edits in place", Risk::kSafe);
  }
  if (!flagged) Add(in, "edit.in-place", Risk::kModerate, "edits files in place; the originals are not kept");
}

// The literal text a command writes: echo/printf arguments, a here-document
// or here-string, or what a literal echo pipes into it.
std::string WrittenText(const RuleInput& in, bool* known) {
  const SimpleCommand& c = in.cmd;
  *known = true;
  auto words = [&](const SimpleCommand& w) {
    std::string text;
    for (const auto& a : w.args)
      if (a.text.empty() || a.text[0] != '-') {
        *known &= !a.dynamic;
        text += (text.empty() ? "" : " ") + a.text;
      }
    for (size_t p; (p = text.find("\\n")) != std::string::npos;) text.replace(p, 2, "\n");
    return text;
  };
  if (c.name == "echo" || c.name == "printf") return words(c);
  if (!c.stdin_text.empty()) return c.stdin_text;
  if (c.pipeline >= 0 && c.pipeline_pos > 0)
    for (const auto& other : in.script.commands)
      if (other.pipeline == c.pipeline && other.pipeline_pos == c.pipeline_pos - 1 && other.group == c.group &&
          (other.name == "echo" || other.name == "printf"))
        return words(other);
  *known = false;
  return "";
}

// Text written into a startup file or crontab runs later: rate it as code.
void RateStoredText(RuleInput& in, const PathClass& p) {
  if (p.kind != PathKind::kStartup || !in.code) return;
  bool known = false;
  std::string text = WrittenText(in, &known);
  if (!known || text.empty()) return;
  if (p.shown.find("cron") != std::string::npos) text = CronCommands(text, p.shown.find("/etc/") == 0);
  if (p.shown.find(".gitconfig") != std::string::npos || p.shown.find(".inputrc") != std::string::npos ||
      p.shown.find(".vimrc") != std::string::npos)
    return;  // not shell syntax
  in.code->push_back({text, in.cmd.start, in.cmd.end});
}

void Tee(RuleInput& in) {
  for (const Word* t : Operands(in.cmd)) {
    PathClass p = Classify(in.cmd, *t);
    WriteFinding(in, *t, p, HasFlag(in.cmd, 'a', "--append") ? "appends to" : "overwrites", Risk::kModerate);
    RateStoredText(in, p);
  }
}

void Truncate(RuleInput& in) {
  for (const Word* t : Operands(in.cmd, {"-s", "--size", "-r", "--reference"})) {
    PathClass p = Classify(in.cmd, *t);
    WriteFinding(in, *t, p, "truncates", Risk::kModerate);
  }
}

// An archiver that deletes what it archives (tar --remove-files, zip -m,
// 7z -sdel) is rated as `rm -r` of those sources: `zip -rm x.zip ~`
// deletes the home directory.
void RemovesSources(RuleInput& in, const std::vector<Word>& sources) {
  if (sources.empty()) return;
  SimpleCommand rm = in.cmd;
  rm.name = "rm";
  rm.name_word.text = "rm";
  Word flag;
  flag.text = "-r";
  flag.start = in.cmd.start;
  flag.end = in.cmd.start;
  rm.args = {flag};
  rm.args.insert(rm.args.end(), sources.begin(), sources.end());
  RuleInput removal{in.script, rm, in.index, in.out, in.code, in.disks};
  Remove(removal, false);
}

// tar's file operands: not options, not an option's value (-f ARCHIVE,
// -C DIR, -T LIST, -X LIST, old-style `cf ARCHIVE`).
std::vector<Word> TarSources(const SimpleCommand& c) {
  std::vector<Word> out;
  int skip = 0;
  for (size_t i = 0; i < c.args.size(); ++i) {
    const std::string& t = c.args[i].text;
    if (skip > 0) {
      --skip;
      continue;
    }
    if (t == "-f" || t == "-C" || t == "-T" || t == "-X" || t == "--file" || t == "--directory" ||
        t == "--files-from" || t == "--exclude-from") {
      skip = 1;
      continue;
    }
    const bool bundle = (t.size() > 1 && t[0] == '-' && t[1] != '-') || (i == 0 && !t.empty() && t[0] != '-');
    if (bundle) {
      for (size_t k = t[0] == '-' ? 1 : 0; k < t.size(); ++k)
        if (std::strchr("fCTX", t[k]) && (t[0] != '-' || k + 1 == t.size())) ++skip;
      continue;
    }
    if (t.size() > 1 && t[0] == '-') continue;
    out.push_back(c.args[i]);
  }
  return out;
}

void Archive(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  if (c.name == "zip" && (HasFlag(c, 'm', "--move"))) {
    auto ops = Operands(c, {"-b", "-t", "-tt", "-n", "-x", "-i", "-P", "-O", "--out"});
    std::vector<Word> sources;
    for (size_t k = 1; k < ops.size(); ++k) sources.push_back(*ops[k]);
    RemovesSources(in, sources);
  }
  if ((c.name == "7z" || c.name == "7za" || c.name == "7zr") && HasArg(c, "-sdel")) {
    auto ops = Operands(c);
    std::vector<Word> sources;
    for (size_t k = 2; k < ops.size(); ++k) sources.push_back(*ops[k]);  // a ARCHIVE SOURCES…
    RemovesSources(in, sources);
  }
  if ((c.name == "unzip" && HasFlag(c, 'd')) || c.name == "7z" || c.name == "7za" || c.name == "7zr") {
    for (size_t i = 0; i < c.args.size(); ++i) {  // unzip -d DIR, 7z x -oDIR: where it extracts
      const std::string& t = c.args[i].text;
      Word dir;
      if (c.name == "unzip" && t == "-d" && i + 1 < c.args.size())
        dir = c.args[i + 1];
      else if (c.name != "unzip" && t.rfind("-o", 0) == 0 && t.size() > 2)
        dir = SubWord(c.args[i], 2, t.substr(2));
      else
        continue;
      PathClass p = Classify(c, dir);
      if (p.kind == PathKind::kRoot || p.kind == PathKind::kSystemDir || p.kind == PathKind::kSystemPath) {
        Add(in, "write.system", Risk::kHigh, "extracts files into " + Describe(p), dir.start, dir.end);
        return;
      }
    }
  }
  if (c.name == "tar") {
    if (HasArg(c, "--remove-files")) RemovesSources(in, TarSources(c));
    std::string first = c.args.empty() ? "" : c.args[0].text;
    const bool extract = HasFlag(c, 'x', "--extract") || (first.find('x') != std::string::npos && first[0] != '-');
    const bool create = HasFlag(c, 'c', "--create") || (first.find('c') != std::string::npos && first[0] != '-');
    if (extract && (HasFlag(c, 'P', "--absolute-names") || (first.find('P') != std::string::npos && first[0] != '-'))) {
      Add(in, "write.system", Risk::kHigh,
          "extracts with absolute paths kept: an archive can then overwrite any file (/etc/passwd, ~/.bashrc)");
      return;
    }
    if (extract) {
      for (size_t i = 0; i + 1 < c.args.size(); ++i)
        if (c.args[i].text == "-C" || c.args[i].text == "--directory") {
          PathClass p = Classify(c, c.args[i + 1]);
          if (p.kind == PathKind::kRoot || p.kind == PathKind::kSystemDir || p.kind == PathKind::kSystemPath) {
            Add(in, "write.system", Risk::kHigh, "extracts files into " + Describe(p), c.args[i + 1].start,
                c.args[i + 1].end);
            return;
          }
        }
      Add(in, "write.extract", Risk::kModerate, "extracts files, overwriting any with the same names");
    } else if (create) {
      Add(in, "write.archive", Risk::kModerate, "writes an archive file");
    }
    return;
  }
  if (c.name == "open" || c.name == "xdg-open" || c.name == "gio") {
    Add(in, "exec.open", Risk::kModerate, c.name + " opens the file with its default application");
    return;
  }
  if (c.name == "unzip" && !HasFlag(c, 'l') && !HasFlag(c, 't') && !HasFlag(c, 'Z'))
    Add(in, "write.extract", Risk::kModerate, "extracts files, possibly overwriting existing ones");
  if ((c.name == "gzip" || c.name == "gunzip" || c.name == "bzip2" || c.name == "xz" || c.name == "unxz" ||
       c.name == "zstd" || c.name == "bunzip2") &&
      !HasFlag(c, 'c', "--stdout") && !HasFlag(c, 'l', "--list") && !HasFlag(c, 't', "--test") && !Operands(c).empty())
    Add(in, "write.compress", Risk::kModerate, "replaces files with their (de)compressed versions");
  if (c.name == "zip" || c.name == "7z") Add(in, "write.archive", Risk::kModerate, "writes an archive file");
}

}  // namespace

// find ROOT… -delete: deletes whatever the expression matches under ROOT.
void FindDelete(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  if (!HasArg(c, "-delete")) return;
  std::vector<const Word*> roots;
  for (const auto& w : c.args) {
    if (!w.text.empty() && (w.text[0] == '-' || w.text == "(" || w.text == "!")) break;
    roots.push_back(&w);
  }
  bool filtered = false;
  for (const auto& w : c.args) filtered |= IsFindFilter(w.text);
  const std::string what = filtered ? "matching files in " : "everything in ";
  if (roots.empty()) {
    PathClass p = ClassifyPath(".", false, c.cwd);
    if (!c.cwd.empty() && IsCriticalTree(ClassifyPath("*", false, c.cwd).kind))
      Add(in, "delete.recursive-critical", filtered ? Risk::kHigh : Risk::kCritical,
          "find -delete deletes " + what + c.cwd);
    else
      Add(in, filtered ? "delete.find" : "delete.recursive-broad", filtered ? Risk::kModerate : Risk::kHigh,
          "find -delete deletes " + what + "the current directory");
    return;
  }
  for (const Word* r : roots) {
    PathClass p = Classify(c, *r);
    if (IsCriticalTree(p.kind))
      Add(in, "delete.recursive-critical", filtered ? Risk::kHigh : Risk::kCritical,
          "find -delete deletes " + what + Describe(p), r->start, r->end);
    else if (p.kind == PathKind::kLog)
      Add(in, "tamper.logs", Risk::kHigh, "find -delete deletes " + what + Describe(p), r->start, r->end);
    else if (p.kind == PathKind::kCwdAll && r->text.find("..") == std::string::npos)
      Add(in, filtered ? "delete.find" : "delete.recursive-broad", filtered ? Risk::kModerate : Risk::kHigh,
          std::string("find -delete deletes ") + (filtered ? "matching files" : "everything") +
              " under the current directory",
          r->start, r->end);
    else if (p.kind != PathKind::kOrdinary || !filtered)
      Add(in, filtered ? "delete.find" : "delete.recursive-broad", filtered ? Risk::kModerate : Risk::kHigh,
          "find -delete deletes " + what + Describe(p), r->start, r->end);
    else
      Add(in, "delete.find", Risk::kModerate, "find -delete deletes " + what + p.shown, r->start, r->end);
  }
}

// Variables that name a file a program (or the shell, at exit) writes:
// HISTFILE=~/.bashrc makes bash append its history to a startup file,
// GIT_TRACE=FILE appends git's trace. A number or true/false is a
// descriptor or a switch, not a file; turning history off is History's.
void VariableWrites(RuleInput& in) {
  for (const std::string& a : in.cmd.assignments) {
    const size_t eq = a.find('=');
    if (eq == std::string::npos) continue;
    const std::string name = a.substr(0, eq), value = a.substr(eq + 1);
    const bool file_variable =
        Any(name, {"HISTFILE", "LESSHISTFILE", "SSLKEYLOGFILE", "NODE_REPL_HISTORY", "MYSQL_HISTFILE", "PSQL_HISTORY",
                   "SQLITE_HISTORY", "REDISCLI_HISTFILE", "PYTHON_HISTORY", "GNUPLOT_HISTORY_FILE", "R_HISTFILE"}) ||
        name.rfind("GIT_TRACE", 0) == 0;
    if (!file_variable || value.empty() || value.find_first_of("/~.") == std::string::npos) continue;
    Word w;
    w.text = value;
    w.start = in.cmd.start;
    w.end = in.cmd.end;
    PathClass p = Classify(in.cmd, w);
    if (p.kind == PathKind::kHarmlessDevice) continue;
    WriteFinding(in, w, p, name + " makes it write to", Risk::kModerate);
  }
}

void FileRules(RuleInput& in) {
  const std::string& n = in.cmd.name;
  OptionWrites(in);
  if (n == "find") return FindDelete(in);
  if (n == "rm" || n == "unlink" || n == "trash" || n == "trash-put") return Remove(in, false);
  if (n == "rmdir") {
    for (const Word* t : Operands(in.cmd)) {
      PathClass p = Classify(in.cmd, *t);
      if (p.kind != PathKind::kOrdinary && p.kind != PathKind::kCwdAll)
        Add(in, "delete.system-file", Risk::kHigh, "removes the directory " + Describe(p), t->start, t->end);
      else
        Add(in, "delete.empty-dir", Risk::kModerate, "removes the empty directory " + p.shown, t->start, t->end);
    }
    return;
  }
  if (n == "shred" || n == "srm" || n == "wipe") return Shred(in);
  if (n == "truncate") return Truncate(in);
  if (n == "mv") return Move(in);
  if (n == "cp" || n == "install" || n == "rsync" || n == "scp") return Copy(in, "copies");
  if (n == "ln") return Link(in);
  if (n == "chmod" || n == "chown" || n == "chgrp") return Permissions(in);
  if ((n == "xattr" || n == "chattr" || n == "setfacl") && StripsAttributes(in)) return;
  if (n == "chattr" || n == "setfacl") {
    Add(in, "perm.change", Risk::kModerate, "changes file attributes");
    return;
  }
  if (n == "sed" || n == "perl" || n == "gawk") InPlace(in);
  if (n == "tee") return Tee(in);
  Archive(in);
}

// Redirections: each `>`/`>>` names a file that is overwritten or appended to.
void RedirectRules(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  for (const Redirect& r : c.redirects) {
    const std::string& op = r.op;
    if (op == "<<" || op == "<<-" || op == "<<<") continue;
    if (r.target.text.empty() || r.target.text == "-" ||
        (std::isdigit(static_cast<unsigned char>(r.target.text[0])) &&
         r.target.text.find_first_not_of("0123456789-") == std::string::npos && (op == ">&" || op == "<&")))
      continue;  // duplicating or closing a descriptor
    PathClass p = ClassifyPath(r.target.text, r.target.dynamic, c.cwd);
    if (p.kind == PathKind::kNetworkDevice) {
      if (IsShellName(c.name) || c.name == "exec")
        Add(in, "net.reverse-shell", Risk::kCritical,
            "connects a shell to the network address " + r.target.text + " (a reverse shell)", r.start, r.end);
      else
        Add(in, "net.dev-tcp", Risk::kHigh, "opens a raw network connection to " + r.target.text, r.start, r.end);
      continue;
    }
    if (op == "<" || op == "<&") continue;
    const std::string verb = (op == ">>" || op == "&>>") ? "appends to" : "overwrites";
    if (p.kind == PathKind::kBlockDevice) {
      Add(in, "disk.redirect", Risk::kCritical, "writes straight onto the disk device " + p.shown, r.start, r.end);
      continue;
    }
    if (p.kind == PathKind::kDynamic || p.kind == PathKind::kDynamicRoot) {
      Add(in, "write.unknown", Risk::kModerate, verb + " " + p.shown + ", a file named at run time", r.start, r.end);
      continue;
    }
    Word w = r.target;
    w.start = r.start;
    w.end = r.end;
    WriteFinding(in, w, p, verb, Risk::kModerate);
    RateStoredText(in, p);
  }
}

}  // namespace cmdai::safety::detail
