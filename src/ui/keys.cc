// SPDX-License-Identifier: MIT
#include "ui/keys.h"

#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/interrupt.h"

namespace cmdai::ui {

static_assert(sizeof(termios) <= 128, "termios does not fit RawMode's storage");

std::pair<Key, size_t> DecodeKey(const std::string& b) {
  if (b.empty()) return {{}, 0};
  const unsigned char c = static_cast<unsigned char>(b[0]);
  auto key = [](KeyCode k) { return Key{k, ""}; };
  switch (c) {
    case '\r':
    case '\n': return {key(KeyCode::kEnter), 1};
    case 127:
    case 8: return {key(KeyCode::kBackspace), 1};
    case 1: return {key(KeyCode::kCtrlA), 1};
    case 5: return {key(KeyCode::kCtrlE), 1};
    case 23: return {key(KeyCode::kCtrlW), 1};
    case 21: return {key(KeyCode::kCtrlU), 1};
    case 11: return {key(KeyCode::kCtrlK), 1};
    case 3: return {key(KeyCode::kCtrlC), 1};
    case 4: return {key(KeyCode::kCtrlD), 1};
    case 12: return {key(KeyCode::kCtrlL), 1};
    case 9: return {key(KeyCode::kTab), 1};
    case 2: return {key(KeyCode::kLeft), 1};   // Ctrl-B
    case 6: return {key(KeyCode::kRight), 1};  // Ctrl-F
    default: break;
  }
  if (c == 27) {
    if (b.size() == 1) return {{}, 0};  // maybe the start of a sequence; ReadKey waits briefly
    if (b[1] != '[' && b[1] != 'O') return {key(KeyCode::kEscape), 1};
    if (b.size() < 3) return {{}, 0};
    const char f = b[2];
    if (b[1] == 'O' || (f >= 'A' && f <= 'Z')) {
      switch (f) {
        case 'A': return {key(KeyCode::kUp), 3};
        case 'B': return {key(KeyCode::kDown), 3};
        case 'C': return {key(KeyCode::kRight), 3};
        case 'D': return {key(KeyCode::kLeft), 3};
        case 'H': return {key(KeyCode::kHome), 3};
        case 'F': return {key(KeyCode::kEnd), 3};
        default: return {key(KeyCode::kOther), 3};
      }
    }
    // CSI digits [; digits] ~
    size_t i = 2;
    while (i < b.size() && (std::isdigit(static_cast<unsigned char>(b[i])) || b[i] == ';')) ++i;
    if (i >= b.size()) return {{}, 0};
    const int n = std::atoi(b.c_str() + 2);
    if (b[i] == '~') {
      if (n == 3) return {key(KeyCode::kDelete), i + 1};
      if (n == 1 || n == 7) return {key(KeyCode::kHome), i + 1};
      if (n == 4 || n == 8) return {key(KeyCode::kEnd), i + 1};
    }
    return {key(KeyCode::kOther), i + 1};
  }
  if (c < 32) return {key(KeyCode::kOther), 1};
  // One UTF-8 character.
  size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  if (b.size() < len) return {{}, 0};
  return {Key{KeyCode::kChar, b.substr(0, len)}, len};
}

RawMode::RawMode(int fd) : fd_(fd) {
  termios t;
  if (tcgetattr(fd, &t) != 0) return;
  std::memcpy(saved_, &t, sizeof(t));
  t.c_lflag &= ~static_cast<tcflag_t>(ECHO | ICANON | ISIG | IEXTEN);
  t.c_iflag &= ~static_cast<tcflag_t>(IXON | ICRNL);
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
  ok_ = tcsetattr(fd, TCSANOW, &t) == 0;  // keep keys typed ahead
}

RawMode::~RawMode() {
  if (!ok_) return;
  termios t;
  std::memcpy(&t, saved_, sizeof(t));
  tcsetattr(fd_, TCSANOW, &t);
}

void DiscardTypeahead(int fd) {
  if (isatty(fd)) (void)tcflush(fd, TCIFLUSH);
}

bool KeyWaiting(int fd) {
  pollfd p = {fd, POLLIN, 0};
  return poll(&p, 1, 0) > 0 && (p.revents & POLLIN) != 0;
}

std::optional<Key> ReadKey(int fd) {
  std::string buf;
  for (;;) {
    if (Interrupted()) return std::nullopt;
    // After a lone ESC, wait briefly for the rest of an escape sequence.
    if (!buf.empty()) {
      pollfd p = {fd, POLLIN, 0};
      if (poll(&p, 1, buf[0] == 27 ? 50 : 1000) <= 0) {
        auto [k, used] = DecodeKey(buf);
        if (used == 0) return Key{buf[0] == 27 ? KeyCode::kEscape : KeyCode::kOther, ""};
        return k;
      }
    }
    char ch;
    const ssize_t n = read(fd, &ch, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    buf += ch;
    auto [k, used] = DecodeKey(buf);
    if (used > 0) return k;
  }
}

}  // namespace cmdai::ui
