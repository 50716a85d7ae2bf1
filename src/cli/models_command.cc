// SPDX-License-Identifier: MIT
#include "cli/models_command.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/edge.h"
#include "cli/exit_code.h"
#include "common/visible_text.h"
#include "ui/keys.h"
#include "ui/progress.h"
#include "ui/terminal.h"

namespace cmdai {
namespace {

// One line a copy: the one cmdai uses first, then the others it would fall back on.
std::string CopiesText(const std::vector<std::string>& copies) {
  if (copies.empty()) return "not installed";
  std::string text = "installed: " + VisibleText(copies[0]);  // paths read from the disk
  for (size_t i = 1; i < copies.size(); ++i) text += "\n" + std::string(32, ' ') + "also: " + VisibleText(copies[i]);
  return text;
}

}  // namespace

LocateHooks TerminalHooks(const Config& config, bool stdin_tty, bool stderr_tty) {
  LocateHooks h;
  // A question and a download are never hidden, not even by --quiet (the
  // Ctrl-G widget's setting): -q silences chatter, and a 1 GiB transfer is
  // not chatter. With a person there, they are asked and see the progress.
  const bool person = stdin_tty && stderr_tty;
  if (person) {
    h.ask = [](const ModelRef& ref, uint64_t bytes) {
      // On a line of its own: the Ctrl-G widget runs with the typed request
      // on the terminal's current row (bash redraws it afterwards).
      std::fprintf(stderr, "\r\033[Kcmdai: %s is not downloaded yet. Download it%s from the Hugging Face hub? [Y/n] ",
                   VisibleText(ref.id.empty() ? Describe(ref) : ref.id).c_str(),
                   bytes ? (" (" + ui::Bytes(bytes) + ")").c_str() : "");
      std::fflush(stderr);
      std::optional<ui::Key> k;
      {
        ui::RawMode raw(STDIN_FILENO);
        k = ui::ReadKey(STDIN_FILENO);
      }
      std::fprintf(stderr, "\n");
      if (!k) return false;
      return k->code == ui::KeyCode::kEnter || (k->code == ui::KeyCode::kChar && (k->text == "y" || k->text == "Y"));
    };
  }
  auto bar = std::make_shared<std::unique_ptr<ui::ProgressBar>>();
  if (stderr_tty && (!config.quiet || person)) {
    h.progress = [bar](uint64_t done, uint64_t total) {
      if (!*bar) *bar = std::make_unique<ui::ProgressBar>("cmdai: downloading");
      (*bar)->Update(done, total);
      if (done >= total && total > 0) {
        (*bar)->Finish();
        bar->reset();
      }
    };
  }
  if (!config.quiet || person)
    h.note = [bar](const std::string& n) {
      if (*bar) std::fputs("\r\033[K", stderr);  // over the progress line, which redraws below the note
      Note(n);
    };
  return h;
}

int RunModels(const std::vector<std::string>& words, const Config& config) {
  const HubCache cache = CacheFor(config);
  const std::string what = words.empty() ? "list" : words[0];
  if (what == "list") {
    std::printf("%-20s %-10s %s\n", "CATALOG", "SIZE", "STATUS");
    for (const auto& e : Catalog()) {
      ModelRef ref;
      ref.repo = e.repo;
      ref.file = e.file;
      std::printf("%-20s %-10s %s%s\n", e.id.c_str(), ("~" + ui::Bytes(e.approx_bytes)).c_str(),
                  CopiesText(ModelCopies(config, ref)).c_str(), e.is_default ? "  (default)" : "");
    }
    auto installed = cache.List();
    std::error_code ec;  // the copy older versions made, still used (models/model_locator.h)
    if (const std::string old_copy = DefaultModelPath(config); std::filesystem::is_regular_file(old_copy, ec))
      installed.push_back({"(older cmdai location)", DefaultCatalogEntry().file, old_copy,
                           static_cast<uint64_t>(std::filesystem::file_size(old_copy, ec))});
    std::printf("\nINSTALLED (%s)\n", config.hub_dir.c_str());
    if (installed.empty()) std::printf("  none\n");
    for (const auto& i : installed)
      std::printf("  %s:%s  %s  %s\n", VisibleText(i.repo).c_str(), VisibleText(i.file).c_str(),
                  ui::Bytes(i.bytes).c_str(), VisibleText(i.path).c_str());  // names read from the disk
    return kExitOk;
  }
  if (what == "ids") {  // what completion offers: catalog ids, then installed owner/repo:file
    for (const auto& e : Catalog()) std::printf("%s\n", e.id.c_str());
    for (const auto& i : cache.List()) std::printf("%s:%s\n", VisibleText(i.repo).c_str(), VisibleText(i.file).c_str());
    return kExitOk;
  }
  if (words.size() != 2 || (what != "pull" && what != "rm" && what != "path"))
    return Fail(Status::Error(ErrorCode::kUsage, "usage: cmdai models list | pull ID | rm ID | path ID",
                              "ID is a catalog id (cmdai models list) or owner/repo:file.gguf[@revision]"));
  auto ref = ParseModelRef(words[1]);
  if (!ref.ok()) return Fail(ref.status());
  if (ref->local) return Fail(Status::Error(ErrorCode::kUsage, "'" + words[1] + "' is a local path, not a model id"));
  if (what == "path") {
    const auto copies = ModelCopies(config, *ref);
    const std::optional<std::string> path = copies.empty() ? std::nullopt : std::optional(copies.front());
    if (!path)
      return Fail(
          Status::Error(ErrorCode::kNotFound, Describe(*ref) + " is not installed", "cmdai models pull " + words[1]));
    std::printf("%s\n", path->c_str());
    return kExitOk;
  }
  if (what == "rm") {
    if (Status s = cache.Remove(*ref); !s.ok()) return Fail(s);
    std::fprintf(stderr, "cmdai: removed %s\n", VisibleText(Describe(*ref)).c_str());
    return kExitOk;
  }
  // pull
  if (const auto copies = ModelCopies(config, *ref); !copies.empty()) {
    std::printf("%s\n", copies.front().c_str());
    return kExitOk;
  }
  if (config.offline)
    return Fail(Status::Error(ErrorCode::kNetwork, "cannot download " + Describe(*ref) + " while offline",
                              "unset HF_HUB_OFFLINE / --offline"));
  const Terminal term = Terminal::Detect();
  LocateHooks hooks = TerminalHooks(config, false, term.stderr_tty);  // pulling is the consent
  DownloadOptions o = DownloadOptionsFor(config);
  o.progress = hooks.progress;
  o.note = hooks.note;
  auto path = Download(*ref, cache, o);
  if (!path.ok()) return Fail(path.status());
  std::printf("%s\n", path->c_str());
  return kExitOk;
}

}  // namespace cmdai
