// SPDX-License-Identifier: MIT
// The cmdai executable: everything happens in RunApp.
#include "cli/app.h"

int main(int argc, char** argv) { return cmdai::RunApp(argc, argv); }
