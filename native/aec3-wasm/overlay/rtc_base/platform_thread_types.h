/*
 * Nimbus Phone: WebRTC's thread identity types for our single-threaded WebAssembly build (no
 * pthreads in wasi-libc); the functions are in stubs.cc. Found before the original header
 * through the include order of build.sh.
 */
#ifndef RTC_BASE_PLATFORM_THREAD_TYPES_H_
#define RTC_BASE_PLATFORM_THREAD_TYPES_H_

#include <stdint.h>

namespace rtc {
typedef intptr_t PlatformThreadId;
typedef intptr_t PlatformThreadRef;

PlatformThreadId CurrentThreadId();
PlatformThreadRef CurrentThreadRef();
bool IsThreadRefEqual(const PlatformThreadRef& a, const PlatformThreadRef& b);
void SetCurrentThreadName(const char* name);
}  // namespace rtc

#endif  // RTC_BASE_PLATFORM_THREAD_TYPES_H_
