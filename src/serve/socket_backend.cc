// SPDX-License-Identifier: MIT
// SocketBackend: one request to a running `cmdai serve`, one connection, with
// a deadline on the answer (see socket_backend.h).
#include "serve/socket_backend.h"

#include <optional>

#include "common/interrupt.h"
#include "serve/protocol.h"
#include "serve/socket_io.h"

namespace cmdai::serve {

Result<Generation> SocketBackend::Generate(const GenerationRequest& request) {
  auto fd = ConnectUnix(socket_);
  if (!fd.ok()) return Status::Error(ErrorCode::kNetwork, "cmdai serve is not running on " + socket_);
  const auto deadline = Clock::now() + timeout_;
  const Cancelled cancelled = [] { return Interrupted(); };
  if (Status s = SendFrame(fd->get(), EncodeRequest(request, model_), deadline, cancelled); !s.ok()) {
    if (s.code() == ErrorCode::kInterrupted) return s;
    return Status::Error(ErrorCode::kNetwork, "cmdai serve closed the connection");
  }
  // On Ctrl-C the connection closes as this returns; the server notices and moves on.
  FrameReader reader(fd->get());
  // Streaming, the server speaks at once and then every token: a silence
  // longer than silence_ is a stopped or stuck server.
  auto next_by = [&] { return request.on_text ? std::min(deadline, Clock::now() + silence_) : deadline; };
  Clock::time_point by = next_by();
  auto line = reader.Next(by, cancelled);
  // Partial frames come only when asked for (on_text); a server without
  // streaming sends the response alone, which ends the loop at once.
  for (std::optional<std::string> partial; line.ok() && request.on_text && (partial = DecodePartial(*line));
       by = next_by(), line = reader.Next(by, cancelled)) {
    if (partial->empty()) continue;  // the server's "alive": no growth yet
    if (!request.on_text(*partial)) {
      // Closing the connection (as this returns) tells the server to stop.
      Generation g;
      g.text = std::move(*partial);
      g.stopped = true;
      info_.model = model_;
      return g;
    }
  }
  if (line.ok()) return DecodeResponse(line.value(), &info_);
  if (line.status().code() == ErrorCode::kInterrupted) return line.status();
  if (Clock::now() >= by && by < deadline)
    return Status::Error(ErrorCode::kNetwork,
                         "cmdai serve stopped answering (nothing for " + std::to_string(silence_.count()) + " s)",
                         "stop the server; the request is answered in this process");
  if (Clock::now() >= deadline)
    return Status::Error(ErrorCode::kNetwork,
                         "cmdai serve did not answer within " + std::to_string(timeout_.count()) + " s",
                         "raise request_timeout_s, or stop the server");
  return Status::Error(ErrorCode::kNetwork, "cmdai serve closed the connection without answering");
}

}  // namespace cmdai::serve
