// SPDX-License-Identifier: MIT
// GpuDriverStart against a stand-in driver library (fake_cuda_driver.c: no
// GPU driver runs here) with the driver's C signatures: what it asks the
// driver, and that it asks nothing when it should not.
#include "backends/gpu_driver_start.h"

#include <dlfcn.h>
#include <gtest/gtest.h>

namespace cmdai {
namespace {

class GpuDriverStartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The same handle GpuDriverStart gets: dlopen of one path shares it.
    lib_ = dlopen(CMDAI_FAKE_CUDA_DRIVER, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(lib_, nullptr) << dlerror();
    Int("fake_init_calls") = 0;
    Int("fake_n_retained") = 0;
    Int("fake_init_result") = 0;
    Int("fake_device_count") = 2;
  }
  void TearDown() override {
    if (lib_) dlclose(lib_);
  }
  int& Int(const char* name) { return *static_cast<int*>(dlsym(lib_, name)); }
  int Retained(int i) { return static_cast<int*>(dlsym(lib_, "fake_retained"))[i]; }
  void* lib_ = nullptr;
};

TEST_F(GpuDriverStartTest, StartsTheDriverAndRetainsEachDevicesPrimaryContext) {
  { GpuDriverStart start(true, CMDAI_FAKE_CUDA_DRIVER); }  // the destructor waits for the thread
  EXPECT_EQ(Int("fake_init_calls"), 1);
  ASSERT_EQ(Int("fake_n_retained"), 2);
  EXPECT_EQ(Retained(0), 100);  // the handles cuDeviceGet gave, not the ordinals
  EXPECT_EQ(Retained(1), 101);
}

TEST_F(GpuDriverStartTest, ADriverThatFailsToStartIsLeftAlone) {
  Int("fake_init_result") = 100;  // CUDA_ERROR_NO_DEVICE
  { GpuDriverStart start(true, CMDAI_FAKE_CUDA_DRIVER); }
  EXPECT_EQ(Int("fake_init_calls"), 1);
  EXPECT_EQ(Int("fake_n_retained"), 0);
}

TEST_F(GpuDriverStartTest, NotWantedMeansTheDriverIsNeverAsked) {
  { GpuDriverStart start(false, CMDAI_FAKE_CUDA_DRIVER); }
  EXPECT_EQ(Int("fake_init_calls"), 0);
}

TEST(GpuDriverStart, NoDriverLibraryIsNotAnError) {
  GpuDriverStart start(true, "libcmdai-no-such-driver.so.1");  // macOS, a CPU machine: nothing to start
}

}  // namespace
}  // namespace cmdai
