/* SPDX-License-Identifier: MIT
 * A stand-in for libcuda.so.1 where no GPU driver can run (CI): the four
 * driver calls GpuDriverStart makes, with the same C signatures, recording
 * what they were asked. The test reads and sets the fake_* globals through
 * dlsym on the same handle. */
int fake_init_result = 0;  /* what cuInit returns (0: CUDA_SUCCESS) */
int fake_device_count = 2;
int fake_init_calls = 0;
int fake_retained[8];  /* devices whose primary context was retained, in order */
int fake_n_retained = 0;

int cuInit(unsigned int flags) {
  ++fake_init_calls;
  return flags == 0 ? fake_init_result : 1;
}
int cuDeviceGetCount(int* count) {
  *count = fake_device_count;
  return 0;
}
int cuDeviceGet(int* device, int ordinal) {
  *device = 100 + ordinal; /* the driver's handle, not the ordinal */
  return 0;
}
int cuDevicePrimaryCtxRetain(void** context, int device) {
  if (fake_n_retained < 8) fake_retained[fake_n_retained++] = device;
  *context = &fake_retained[0];
  return 0;
}
