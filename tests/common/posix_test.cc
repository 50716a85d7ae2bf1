// SPDX-License-Identifier: MIT
#include "common/posix.h"

#include <fcntl.h>
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <algorithm>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>

#include "support/subprocess.h"

namespace cmdai {
namespace {

bool ClosesOnExec(int fd) { return (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0; }

// A listening Unix socket in a fresh directory, and a client connected to it.
struct Listener {
  int fd = -1;
  std::string path = test::TempDir() + "/s.sock";
  Listener() {
    auto sock = posix::CloexecSocket(AF_UNIX, SOCK_STREAM);
    EXPECT_TRUE(sock.ok()) << sock.status().message();
    fd = sock.ok() ? sock.value() : -1;
    const sockaddr_un addr = Address();
    EXPECT_EQ(bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)), 0) << std::strerror(errno);
    EXPECT_EQ(listen(fd, 4), 0);
  }
  ~Listener() { close(fd); }
  sockaddr_un Address() const {
    sockaddr_un addr = {};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    return addr;
  }
  int Connect() const {
    const int c = socket(AF_UNIX, SOCK_STREAM, 0);
    const sockaddr_un addr = Address();
    EXPECT_EQ(connect(c, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)), 0) << std::strerror(errno);
    return c;
  }
};

// SIGPIPE's default action kills the process: a test that survives a send
// to a closed peer shows that no SIGPIPE was raised.
struct DefaultSigpipe {
  struct sigaction old = {};
  DefaultSigpipe() {
    struct sigaction dfl = {};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGPIPE, &dfl, &old);
  }
  ~DefaultSigpipe() { sigaction(SIGPIPE, &old, nullptr); }
};

TEST(Posix, CloexecPipeEndsCloseOnExecAndCarryData) {
  for (auto make : {posix::CloexecPipe, posix::detail::PipeThenFcntl}) {
    auto p = make();
    ASSERT_TRUE(p.ok()) << p.status().message();
    EXPECT_TRUE(ClosesOnExec(p->read));
    EXPECT_TRUE(ClosesOnExec(p->write));
    ASSERT_EQ(write(p->write, "hi", 2), 2);
    char buf[2];
    ASSERT_EQ(read(p->read, buf, 2), 2);
    EXPECT_EQ(std::string(buf, 2), "hi");
    close(p->read);
    close(p->write);
  }
}

TEST(Posix, CloexecSocketClosesOnExec) {
  auto s = posix::CloexecSocket(AF_UNIX, SOCK_STREAM);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_TRUE(ClosesOnExec(s.value()));
  close(s.value());
}

TEST(Posix, AcceptedConnectionsCloseOnExec) {
  Listener l;
  for (auto accept_one : {posix::AcceptCloexec, posix::detail::AcceptThenFcntl}) {
    const int client = l.Connect();
    auto accepted = accept_one(l.fd);
    ASSERT_TRUE(accepted.ok()) << accepted.status().message();
    EXPECT_TRUE(ClosesOnExec(accepted.value()));
    close(accepted.value());
    close(client);
  }
}

TEST(Posix, AcceptOnANonListeningSocketIsAnError) {
  auto s = posix::CloexecSocket(AF_UNIX, SOCK_STREAM);
  ASSERT_TRUE(s.ok());
  auto accepted = posix::AcceptCloexec(s.value());
  ASSERT_FALSE(accepted.ok());
  EXPECT_EQ(accepted.status().code(), ErrorCode::kIo);
  EXPECT_NE(accepted.status().message().find("cannot accept a connection: "), std::string::npos);
  close(s.value());
}

TEST(Posix, SendAllDeliversEveryByte) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  const std::string data(1 << 20, 'x');  // more than a socket buffer: send loops
  std::string got;
  std::thread reader([&] {
    char buf[65536];
    ssize_t n;
    while ((n = read(fds[1], buf, sizeof(buf))) > 0) got.append(buf, static_cast<size_t>(n));
  });
  const Status s = posix::SendAll(fds[0], data);
  close(fds[0]);
  reader.join();
  close(fds[1]);
  EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(got.size(), data.size());
}

TEST(Posix, SendingToAClosedPeerIsAnErrorNotASignal) {
  DefaultSigpipe guard;
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  close(fds[1]);
  const Status s = posix::SendAll(fds[0], "anyone there?\n");
  close(fds[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kIo);
  EXPECT_NE(s.message().find("cannot send"), std::string::npos) << s.message();
}

TEST(Posix, SendingNothingSucceeds) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  EXPECT_TRUE(posix::SendAll(fds[0], "").ok());
  close(fds[0]);
  close(fds[1]);
}

TEST(Posix, OpenDescriptorsListsEveryOpenOneWhateverItsNumberAndNoClosedOne) {
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  const int high = 1000;  // within every default limit, past the pipe's numbers
  ASSERT_EQ(dup2(p[0], high), high);
  const int closed = p[1];
  close(closed);
  const auto fds = posix::OpenDescriptors();
  ASSERT_TRUE(fds.has_value());
  auto has = [&](int fd) { return std::find(fds->begin(), fds->end(), fd) != fds->end(); };
  EXPECT_TRUE(has(p[0]));
  EXPECT_TRUE(has(high));
  EXPECT_FALSE(has(closed));
  EXPECT_TRUE(std::is_sorted(fds->begin(), fds->end()));
  close(p[0]);
  close(high);
}

TEST(Posix, ExecutablePathNamesThisTestBinary) {
  auto path = posix::ExecutablePath();
  ASSERT_TRUE(path.ok()) << path.status().message();
  const std::filesystem::path p = path.value();
  EXPECT_TRUE(p.is_absolute()) << p;
  EXPECT_EQ(p.filename(), "cmdai_unit_tests");
  EXPECT_EQ(std::filesystem::canonical(p), p);  // links resolved
  EXPECT_EQ(access(p.c_str(), X_OK), 0);
}

TEST(Posix, CountsDistinctPhysicalCoresNotHyperThreads) {
  // Two sockets of two cores, each with two hyper-threads: 8 processors, 4 cores.
  std::string two_sockets;
  for (int cpu = 0; cpu < 8; ++cpu)
    two_sockets += "processor\t: " + std::to_string(cpu) + "\nphysical id\t: " + std::to_string(cpu / 4) +
                   "\ncore id\t\t: " + std::to_string(cpu % 2) + "\n\n";
  EXPECT_EQ(posix::detail::CountCpuinfoCores(two_sockets), 4);
  // VMs often show one core per socket.
  EXPECT_EQ(posix::detail::CountCpuinfoCores("physical id\t: 0\ncore id\t\t: 0\n\nphysical id\t: 1\ncore id\t\t: 0\n"),
            2);
  // Some ARM kernels list processors without core ids: unknown, not zero cores.
  EXPECT_EQ(posix::detail::CountCpuinfoCores("processor\t: 0\nBogoMIPS\t: 50.00\n:\n"), 0);
  EXPECT_EQ(posix::detail::CountCpuinfoCores(""), 0);
}

TEST(Posix, PhysicalCoreCountIsUnknownOrAtMostTheLogicalCount) {
  const int n = posix::PhysicalCoreCount();
  EXPECT_GE(n, 0);
  if (const unsigned logical = std::thread::hardware_concurrency(); logical > 0) {
    EXPECT_LE(n, static_cast<int>(logical));
  }
}

}  // namespace
}  // namespace cmdai
