// SPDX-License-Identifier: MIT
// The prompt-state cache and `cmdai serve`: same answers either way, a
// corrupt or stale cache never trusted, owner-only socket, stale socket
// files, concurrent clients, a client that disconnects mid-answer, idle exit,
// one server per socket, autostart, --wake (and the Ctrl-G widget that runs
// it), and answers streamed through the server.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <csignal>
#include <fstream>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <thread>

#include "support/subprocess.h"
#include "support/tmux.h"

namespace cmdai {
namespace {

namespace fs = std::filesystem;
using test::RunOptions;
using test::RunProgram;
using test::RunResult;

struct Home {
  std::string dir = test::TempDir();
  RunOptions opts;
  Home() {
    opts.env["XDG_RUNTIME_DIR"] = dir + "/run";
    opts.env["XDG_CACHE_HOME"] = dir + "/cache";
    opts.env["CMDAI_REPACK"] = "off";  // the same kernels in every process: identical greedy answers
    opts.env["CMDAI_MAX_TOKENS"] = "512";
    opts.env["CMDAI_MODEL"] = CMDAI_TINY_MODEL;
    // These tests time the engine and the server. The random model's answers
    // never fit this machine, and grounding's revise round (docs/grounding.md)
    // would add a second generation to every request, past the 3 s idle
    // timeout the autostart test relies on.
    opts.env["CMDAI_GROUNDING"] = "false";
    fs::create_directories(dir + "/run");
  }
  std::string Socket() const { return dir + "/run/cmdai/serve.sock"; }
  std::string Lock() const { return Socket() + ".lock"; }
  std::string CacheDir() const { return dir + "/cache/cmdai/prompt-cache"; }
  RunResult Ask(const std::string& request = "list the ten largest files here") const {
    return RunProgram({CMDAI_BIN, "-v", request}, opts);
  }
};

// `cmdai serve` in the background for the life of the object.
class Server {
 public:
  Server(const Home& home, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {CMDAI_BIN, "serve"};
    args.insert(args.end(), extra.begin(), extra.end());
    child_ = std::make_unique<test::Child>(args, home.opts.env);
    test::WaitUntil([&] { return Accepting(home.Socket()) || !child_->Running(); }, 20000);
  }
  static bool Accepting(const std::string& path) {
    sockaddr_un addr = {};
    addr.sun_family = AF_UNIX;
    std::strcpy(addr.sun_path, path.c_str());
    const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    close(fd);
    return ok;
  }
  // Waits up to `ms` for the server to exit by itself.
  bool ExitsWithin(int ms) { return child_->ExitsWithin(ms); }

 private:
  std::unique_ptr<test::Child> child_;
};

bool Served(const RunResult& r) { return r.err.find("cmdai serve on") != std::string::npos; }

bool StartedAServer(const RunResult& r) {
  return r.err.find("starting cmdai serve in the background") != std::string::npos;
}

// True while some process holds the server's lock (it loads or serves).
bool LockHeld(const std::string& lock_path) {
  const int fd = open(lock_path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return false;
  const bool held = flock(fd, LOCK_EX | LOCK_NB) != 0;
  close(fd);
  return held;
}

// Stops a server this test did not start as a child (autostart, --wake): the
// lock file names its process. Waits for it to remove its socket and let go
// of the lock.
void StopBackgroundServer(const Home& h) {
  std::ifstream f(h.Lock());
  pid_t pid = 0;
  f >> pid;
  ASSERT_GT(pid, 0) << "no process id in " << h.Lock();
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  EXPECT_TRUE(test::WaitUntil([&] { return !LockHeld(h.Lock()) && !fs::exists(h.Socket()); }, 30000));
}

// A request line as a streaming client sends it (serve/protocol.h).
std::string StreamedRequest(int max_tokens) {
  return "{\"version\":1,\"model\":\"" + fs::absolute(CMDAI_TINY_MODEL).string() +
         "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"answer_prefix\":\"\",\"grammar\":\"\","
         "\"stop\":[],\"max_tokens\":" +
         std::to_string(max_tokens) + ",\"temperature\":0,\"seed\":0,\"stream\":true}\n";
}

int ConnectTo(const std::string& path) {
  sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  std::strcpy(addr.sun_path, path.c_str());
  const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Reads lines until `lines` are complete or the peer closes.
std::vector<std::string> ReadLines(int fd, size_t lines) {
  std::vector<std::string> out;
  std::string buf;
  char chunk[4096];
  while (out.size() < lines) {
    const ssize_t n = read(fd, chunk, sizeof(chunk));
    if (n <= 0) break;
    buf.append(chunk, static_cast<size_t>(n));
    for (size_t nl; out.size() < lines && (nl = buf.find('\n')) != std::string::npos; buf.erase(0, nl + 1))
      out.push_back(buf.substr(0, nl));
  }
  return out;
}

TEST(PromptCacheE2E, SecondRunRestoresTheSavedPrefix) {
  Home h;
  RunResult first = h.Ask();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find(": 0 restored"), std::string::npos) << first.err;
  ASSERT_TRUE(fs::exists(h.CacheDir()));
  RunResult second = h.Ask();
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.err.find(": 0 restored"), std::string::npos) << second.err;
  EXPECT_EQ(first.out, second.out);
  // A different request shares the prefix: still restored, its own answer.
  RunResult other = h.Ask("show disk usage");
  EXPECT_EQ(other.err.find(": 0 restored"), std::string::npos) << other.err;
}

TEST(PromptCacheE2E, CorruptOrForeignCacheFilesAreIgnoredAndRebuilt) {
  Home h;
  const RunResult clean = h.Ask();
  ASSERT_EQ(clean.exit_code, 0) << clean.err;
  // The fixed prefix's file; the directory's longer state (tested in
  // tests/backends) is removed before each check, or it would answer first.
  const std::string directory_states = h.CacheDir() + "/directories";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(h.CacheDir()))
    if (e.is_regular_file()) files.push_back(e.path());
  ASSERT_EQ(files.size(), 1u);
  ASSERT_EQ(fs::remove_all(directory_states), 2u);  // the folder and its one state
  test::WriteFile(files[0].string(), "not a llama.cpp state file at all");
  RunResult r = h.Ask();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(": 0 restored"), std::string::npos) << r.err;  // recomputed, not trusted
  EXPECT_EQ(r.out, clean.out);
  EXPECT_GT(fs::file_size(files[0]), 1000u);  // rebuilt
  // A valid state for another prefix (fish) under this prefix's name: rejected by its tokens.
  RunOptions fish = h.opts;
  fish.env["SHELL"] = "/usr/bin/fish";
  ASSERT_EQ(RunProgram({CMDAI_BIN, "-v", "list the ten largest files here"}, fish).exit_code, 0);
  fs::path fish_file;
  for (const auto& e : fs::directory_iterator(h.CacheDir()))
    if (e.is_regular_file() && e.path() != files[0]) fish_file = e.path();
  ASSERT_FALSE(fish_file.empty());
  fs::copy_file(fish_file, files[0], fs::copy_options::overwrite_existing);
  fs::remove_all(directory_states);
  r = h.Ask();
  EXPECT_NE(r.err.find(": 0 restored"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, clean.out);
}

TEST(ServeE2E, ClientsUseTheServerAndGetTheSameAnswers) {
  Home h;
  const RunResult in_process = h.Ask();
  ASSERT_EQ(in_process.exit_code, 0) << in_process.err;
  Server server(h);
  ASSERT_TRUE(fs::exists(h.Socket()));
  struct stat st {};
  stat(h.Socket().c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0600u);  // owner only
  stat((h.dir + "/run/cmdai").c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  const RunResult served = h.Ask();
  ASSERT_EQ(served.exit_code, 0) << served.err;
  EXPECT_TRUE(Served(served)) << served.err;
  EXPECT_EQ(served.out, in_process.out);
}

TEST(ServeE2E, ConcurrentClientsAllGetAnswers) {
  Home h;
  Server server(h);
  std::vector<RunResult> results(4);
  std::vector<std::thread> threads;
  for (auto& r : results) threads.emplace_back([&] { r = h.Ask(); });
  for (auto& t : threads) t.join();
  for (const auto& r : results) {
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(Served(r)) << r.err;
    EXPECT_EQ(r.out, results[0].out);
  }
}

TEST(ServeE2E, ClientDisconnectingMidAnswerDoesNotHurtTheServer) {
  Home h;
  Server server(h);
  sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  std::strcpy(addr.sun_path, h.Socket().c_str());
  const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  const std::string req =
      "{\"version\":1,\"model\":\"" + fs::absolute(CMDAI_TINY_MODEL).string() +
      "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"answer_prefix\":\"\",\"grammar\":\"\",\"stop\":[],"
      "\"max_tokens\":400,\"temperature\":0,\"seed\":0}\n";
  ASSERT_EQ(write(fd, req.data(), req.size()), static_cast<ssize_t>(req.size()));
  close(fd);  // gone before the answer
  const RunResult after = h.Ask();
  EXPECT_EQ(after.exit_code, 0) << after.err;
  EXPECT_TRUE(Served(after)) << after.err;
}

TEST(ServeE2E, ASocketThatCannotBeMadeIsOneErrorWithoutAServingNote) {
  Home h;
  RunResult r = RunProgram({CMDAI_BIN, "serve", "--socket", "/proc/cmdai-test/x.sock"}, h.opts);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.err.find("serving"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cmdai: error: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/proc/cmdai-test"), std::string::npos) << r.err;
}

TEST(ServeE2E, StaleSocketFilesAreHandled) {
  Home h;
  fs::create_directories(h.dir + "/run/cmdai");
  {  // a socket file nobody listens on, as a crashed server leaves it
    sockaddr_un addr = {};
    addr.sun_family = AF_UNIX;
    std::strcpy(addr.sun_path, h.Socket().c_str());
    const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    close(fd);
  }
  ASSERT_TRUE(fs::exists(h.Socket()));
  const RunResult client = h.Ask();  // no server: runs in-process, no error
  EXPECT_EQ(client.exit_code, 0) << client.err;
  EXPECT_FALSE(Served(client));
  Server server(h);  // replaces the stale file
  const RunResult served = h.Ask();
  EXPECT_EQ(served.exit_code, 0) << served.err;
  EXPECT_TRUE(Served(served)) << served.err;
  EXPECT_EQ(served.out, client.out);
  RunResult second = RunProgram({CMDAI_BIN, "serve"}, h.opts);  // one server per socket
  EXPECT_EQ(second.exit_code, 2);
  EXPECT_NE(second.err.find("already running"), std::string::npos) << second.err;
}

TEST(ServeE2E, AutostartLeavesAServerForTheNextRequest) {
  Home h;
  h.opts.env["CMDAI_SERVE_AUTOSTART"] = "on";  // this machine has no GPU: auto would start nothing
  // Long enough never to race a slow machine; the test stops it itself.
  h.opts.env["CMDAI_SERVE_IDLE_TIMEOUT_S"] = "600";
  const RunResult first = h.Ask();  // answered in-process; starts the server
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_FALSE(Served(first));
  EXPECT_TRUE(StartedAServer(first)) << first.err;
  ASSERT_TRUE(test::WaitUntil([&] { return Server::Accepting(h.Socket()); }, 60000));
  const RunResult second = h.Ask();
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_TRUE(Served(second)) << second.err;
  EXPECT_FALSE(StartedAServer(second)) << second.err;
  EXPECT_EQ(second.out, first.out);
  StopBackgroundServer(h);
}

// A process's command line, words joined by spaces: /proc where there is
// one (Linux), else ps (macOS, the BSDs).
std::string CommandLine(pid_t pid) {
  std::ifstream proc("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::string words;
  if (proc) {
    std::getline(proc, words, '\xff');
    for (char& c : words)
      if (c == '\0') c = ' ';
    return words;
  }
  return RunProgram({"ps", "-o", "args=", "-p", std::to_string(pid)}, {}).out;
}

TEST(ServeE2E, AnAutostartedServerGetsTheRequestsSettingsAndConfigFile) {
  Home h;
  h.opts.env["CMDAI_SERVE_AUTOSTART"] = "on";
  h.opts.env["CMDAI_SERVE_IDLE_TIMEOUT_S"] = "600";
  const std::string config = h.dir + "/my-config.toml";
  std::ofstream(config) << "context_size = 1536\n";
  const RunResult first = RunProgram({CMDAI_BIN, "-v", "--config", config, "--threads", "1", "list files"}, h.opts);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_TRUE(StartedAServer(first)) << first.err;
  ASSERT_TRUE(test::WaitUntil([&] { return Server::Accepting(h.Socket()); }, 60000));
  std::ifstream lock(h.Lock());
  pid_t pid = 0;
  lock >> pid;
  ASSERT_GT(pid, 0);
  const std::string words = CommandLine(pid);
  EXPECT_NE(words.find("--config " + config), std::string::npos) << words;
  EXPECT_NE(words.find("--context-size 1536"), std::string::npos) << words;
  EXPECT_NE(words.find("--threads 1"), std::string::npos) << words;
  StopBackgroundServer(h);
}

TEST(ServeE2E, AStoppedServerIsLeftAfterItsSilenceAndTheAnswerStillComes) {
  Home h;
  test::Child server({CMDAI_BIN, "serve"}, h.opts.env);
  ASSERT_TRUE(test::WaitUntil([&] { return Server::Accepting(h.Socket()); }, 20000));
  ASSERT_EQ(kill(server.pid(), SIGSTOP), 0);  // alive, listening, and answering nothing
  RunOptions o = h.opts;
  o.env["CMDAI_CONNECT_TIMEOUT_S"] = "1";  // silence allowed: twice that
  // The in-process answer comes from the random-weight model, whose answer
  // length depends on every word of its prompt, the working directory's too:
  // a fixed directory, and room for a long one.
  o.cwd = "/";
  o.env["CMDAI_MAX_TOKENS"] = "1900";
  const RunResult r = RunProgram({CMDAI_BIN, "-v", "list the ten largest files here"}, o);
  kill(server.pid(), SIGCONT);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("stopped answering (nothing for 2 s)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("answering with the in-process backend"), std::string::npos) << r.err;
  server.Stop(SIGTERM);
}

TEST(ServeE2E, ASocketPathTooLongIsRefusedBeforeAnythingIsMadeOrLoaded) {
  Home h;
  const std::string dir = h.dir + "/" + std::string(120, 'd');
  const RunResult r = RunProgram({CMDAI_BIN, "-v", "serve", "--socket", dir + "/serve.sock"}, h.opts);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("socket path too long"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("serving"), std::string::npos) << r.err;  // no model loaded
  EXPECT_FALSE(fs::exists(dir));
}

TEST(ServeE2E, AutostartIsOffOnACpuByDefault) {
  Home h;
  h.opts.env.erase("CMDAI_SERVE_AUTOSTART");  // auto
  const RunResult r = h.Ask();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("CPU ("), std::string::npos) << r.err;
  EXPECT_FALSE(StartedAServer(r)) << r.err;
  EXPECT_FALSE(fs::exists(h.Lock()));
}

TEST(ServeE2E, QuickRequestsStartOneServer) {
  Home h;
  h.opts.env["CMDAI_SERVE_AUTOSTART"] = "on";
  h.opts.env["CMDAI_SERVE_IDLE_TIMEOUT_S"] = "600";
  std::vector<RunResult> results(3);
  std::vector<std::thread> threads;
  for (auto& r : results) threads.emplace_back([&] { r = h.Ask(); });
  for (auto& t : threads) t.join();
  for (const auto& r : results) EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(test::WaitUntil([&] { return Server::Accepting(h.Socket()); }, 60000));
  // Whichever servers were started, one holds the lock and serves; a later
  // request uses it.
  const RunResult after = h.Ask();
  EXPECT_TRUE(Served(after)) << after.err;
  StopBackgroundServer(h);
  EXPECT_FALSE(Server::Accepting(h.Socket()));  // the only one: none is left
}

TEST(ServeE2E, ASecondServerRefusesWhileTheFirstStillLoads) {
  Home h;
  test::Child first({CMDAI_BIN, "serve"}, h.opts.env);
  // The lock is taken before the model loads; a second server asked for now
  // exits at once, loading nothing.
  ASSERT_TRUE(test::WaitUntil([&] { return LockHeld(h.Lock()) || !first.Running(); }, 20000));
  const RunResult second = RunProgram({CMDAI_BIN, "serve"}, h.opts);
  EXPECT_EQ(second.exit_code, 2);
  EXPECT_NE(second.err.find("already running or starting"), std::string::npos) << second.err;
  EXPECT_EQ(second.err.find("serving"), std::string::npos) << second.err;
  ASSERT_TRUE(test::WaitUntil([&] { return Server::Accepting(h.Socket()); }, 20000));
  first.Stop(SIGTERM);
}

TEST(ServeE2E, WakeStartsAServerSilentlyAndReturns) {
  Home h;
  h.opts.env["CMDAI_SERVE_AUTOSTART"] = "on";
  h.opts.env["CMDAI_SERVE_IDLE_TIMEOUT_S"] = "600";
  const RunResult wake = RunProgram({CMDAI_BIN, "serve", "--wake"}, h.opts);
  EXPECT_EQ(wake.exit_code, 0) << wake.err;
  EXPECT_EQ(wake.out, "");
  EXPECT_EQ(wake.err, "");
  ASSERT_TRUE(test::WaitUntil([&] { return Server::Accepting(h.Socket()); }, 60000));
  const RunResult again = RunProgram({CMDAI_BIN, "serve", "--wake"}, h.opts);  // one runs: nothing to do
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.err, "");
  const RunResult served = h.Ask();
  EXPECT_EQ(served.exit_code, 0) << served.err;
  EXPECT_TRUE(Served(served)) << served.err;
  StopBackgroundServer(h);
}

TEST(ServeE2E, WakeStartsNothingWhenTheSettingsSayNo) {
  Home h;
  // off, and auto on this build without a GPU: the wake is a no-op that
  // returns at once; no server ever takes the lock.
  for (const std::string policy : {"off", "auto"}) {
    h.opts.env["CMDAI_SERVE_AUTOSTART"] = policy;
    const RunResult wake = RunProgram({CMDAI_BIN, "serve", "--wake"}, h.opts);
    EXPECT_EQ(wake.exit_code, 0) << policy << ": " << wake.err;
    EXPECT_EQ(wake.err, "") << policy;
  }
  const RunResult verbose = RunProgram({CMDAI_BIN, "-v", "serve", "--wake"}, h.opts);
  EXPECT_EQ(verbose.err.find("starting cmdai serve"), std::string::npos) << verbose.err;
  EXPECT_FALSE(fs::exists(h.Lock()));
}

// The widget: Ctrl-G on an empty line wakes the server and shows nothing;
// the line stays empty for the request.
void CtrlGOnAnEmptyLineWakesTheServer(const std::string& shell) {
  Home h;
  std::map<std::string, std::string> env = h.opts.env;
  env["CMDAI_SERVE_AUTOSTART"] = "on";
  env["CMDAI_SERVE_IDLE_TIMEOUT_S"] = "600";
  env["HOME"] = h.dir;
  env["ZDOTDIR"] = h.dir;
  env["XDG_CONFIG_HOME"] = h.dir + "/.config";
  env["TERM"] = "xterm-256color";
  env["PATH"] = fs::path(CMDAI_BIN).parent_path().string() + ":" + test::ToolPath();
  std::string start;
  if (shell == "bash") {
    test::WriteFile(h.dir + "/.bashrc", "PS1='prompt$ '\neval \"$(cmdai init bash)\"\n");
    start = "bash --noprofile --rcfile " + h.dir + "/.bashrc -i";
  } else if (shell == "zsh") {
    test::WriteFile(h.dir + "/.zshrc", "PS1='prompt$ '\neval \"$(cmdai init zsh)\"\n");
    start = "zsh -i";
  } else {
    fs::create_directories(h.dir + "/.config/fish");
    test::WriteFile(
        h.dir + "/.config/fish/config.fish",
        "set -g fish_greeting ''\nfunction fish_prompt; echo -n 'prompt$ '; end\ncmdai init fish | source\n");
    start = "fish -i";
  }
  test::TmuxSession t(start, env, h.dir);
  ASSERT_TRUE(t.WaitFor("prompt$")) << shell << ":\n" << t.Screen();
  t.Send("C-g");
  ASSERT_TRUE(test::WaitUntil([&] { return Server::Accepting(h.Socket()); }, 60000)) << shell << ":\n" << t.Screen();
  t.Send("echo typed-after-wake", true);
  t.Send("Enter");
  ASSERT_TRUE(t.WaitFor("\ntyped-after-wake")) << shell << ":\n" << t.Screen();
  // Nothing between the prompt and the typed line: no job notice, no output.
  const std::string screen = t.Screen();
  EXPECT_EQ(screen.substr(0, screen.find("typed-after-wake")), "prompt$ echo ") << shell << ":\n" << screen;
  StopBackgroundServer(h);
}

TEST(ServeE2E, CtrlGOnAnEmptyLineWakesTheServerInBash) { CtrlGOnAnEmptyLineWakesTheServer("bash"); }
TEST(ServeE2E, CtrlGOnAnEmptyLineWakesTheServerInZsh) { CtrlGOnAnEmptyLineWakesTheServer("zsh"); }
TEST(ServeE2E, CtrlGOnAnEmptyLineWakesTheServerInFish) { CtrlGOnAnEmptyLineWakesTheServer("fish"); }

TEST(ServeE2E, AStreamingClientGetsTheAnswerAsItGrowsThenTheResponse) {
  Home h;
  Server server(h);
  const int fd = ConnectTo(h.Socket());
  ASSERT_GE(fd, 0);
  const std::string req = StreamedRequest(8);
  ASSERT_EQ(write(fd, req.data(), req.size()), static_cast<ssize_t>(req.size()));
  const std::vector<std::string> lines = ReadLines(fd, 100);  // until the server closes
  close(fd);
  ASSERT_GE(lines.size(), 2u);
  for (size_t i = 0; i + 1 < lines.size(); ++i) EXPECT_EQ(lines[i].rfind("{\"partial\":", 0), 0u) << lines[i];
  EXPECT_NE(lines.back().find("\"ok\":true"), std::string::npos) << lines.back();
}

TEST(ServeE2E, AStreamingClientThatClosesEarlyLeavesTheServerServing) {
  Home h;
  Server server(h);
  const int fd = ConnectTo(h.Socket());
  ASSERT_GE(fd, 0);
  const std::string req = StreamedRequest(400);
  ASSERT_EQ(write(fd, req.data(), req.size()), static_cast<ssize_t>(req.size()));
  const std::vector<std::string> first = ReadLines(fd, 1);
  close(fd);  // wants no more: the server's next send fails and it stops generating
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].rfind("{\"partial\":", 0), 0u) << first[0];
  const RunResult after = h.Ask();
  EXPECT_EQ(after.exit_code, 0) << after.err;
  EXPECT_TRUE(Served(after)) << after.err;
}

TEST(ServeE2E, IdleServerStopsAndRemovesItsSocket) {
  Home h;
  Server server(h, {"--idle-timeout", "1"});
  ASSERT_TRUE(fs::exists(h.Socket()));
  EXPECT_TRUE(server.ExitsWithin(10000));
  EXPECT_FALSE(fs::exists(h.Socket()));
}

}  // namespace
}  // namespace cmdai
