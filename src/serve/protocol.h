// SPDX-License-Identifier: MIT
// Protocol: what `cmdai serve` and its clients say over the Unix socket —
// one JSON request line, one JSON response line, then the connection closes.
#pragma once

#include <string>

#include "backends/backend.h"
#include "common/status.h"

namespace cmdai::serve {

constexpr int kProtocolVersion = 1;

/// `model` is the client's model path; the server answers only for its own.
std::string EncodeRequest(const GenerationRequest& request, const std::string& model);
Result<std::pair<GenerationRequest, std::string>> DecodeRequest(const std::string& line);

std::string EncodeResponse(const Result<Generation>& result, const BackendInfo& info);
/// The generation, or the server's error as a Status.
Result<Generation> DecodeResponse(const std::string& line, BackendInfo* info);

}  // namespace cmdai::serve
