// SPDX-License-Identifier: MIT
// PolicyFromConfig: the safety policy the person configured (level, table
// overrides, allow and deny rules), built from the merged Config.
#pragma once

#include "config/config.h"
#include "safety/safety_policy.h"

namespace cmdai {

/// Config values were validated when loaded, so this cannot fail.
safety::SafetyPolicy PolicyFromConfig(const Config& config);

}  // namespace cmdai
