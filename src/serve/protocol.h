// SPDX-License-Identifier: MIT
// Protocol: what `cmdai serve` and its clients say over the Unix socket —
// one JSON request line, one JSON response line, then the connection closes.
//
// Streaming: a request with "stream": true (sent when the client's request
// has on_text) gets an empty partial frame at once (the server is alive and
// has the request; a client leaves a server silent for long), then, before
// the response, one partial frame each time the answer grows, holding whole
// UTF-8 characters only: {"partial": "<the whole answer so far>"} (answer_prefix
// included, as on_text takes it; answers are short, so resending the whole
// of it costs little and a frame never depends on the ones before). A
// client that wants no more closes the connection; the server's next send
// fails, and it stops generating. A server that predates streaming ignores
// "stream" and sends the response alone, which a client must accept: the
// version stays 1 because both directions stay compatible.
#pragma once

#include <optional>
#include <string>

#include "backends/backend.h"
#include "common/status.h"

namespace cmdai::serve {

constexpr int kProtocolVersion = 1;

/// A request as the server reads it.
struct ServeRequest {
  GenerationRequest request;  // without on_text: the server sets its own
  std::string model;          // the client's model path
  bool stream = false;        // send partial frames before the response
};

/// `model` is the client's model path; the server answers only for its own.
/// Asks for partial frames when request.on_text is set.
std::string EncodeRequest(const GenerationRequest& request, const std::string& model);
Result<ServeRequest> DecodeRequest(const std::string& line);

/// A partial frame: the answer so far (streamed requests only).
std::string EncodePartial(const std::string& answer_so_far);
/// The answer so far when `line` is a partial frame; nullopt for anything
/// else (the response, or garbage that DecodeResponse then reports).
std::optional<std::string> DecodePartial(const std::string& line);

std::string EncodeResponse(const Result<Generation>& result, const BackendInfo& info);
/// The generation, or the server's error as a Status.
Result<Generation> DecodeResponse(const std::string& line, BackendInfo* info);

}  // namespace cmdai::serve
