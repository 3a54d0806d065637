/*
 * Nimbus Phone: single-threaded stand-in for WebRTC's MutexImpl (the WebAssembly build has no
 * threads; wasi-libc has no pthreads). Selected by -DWEBRTC_ABSL_MUTEX and found before the
 * original header through the include order of build.sh.
 */
#ifndef RTC_BASE_SYNCHRONIZATION_MUTEX_ABSEIL_H_
#define RTC_BASE_SYNCHRONIZATION_MUTEX_ABSEIL_H_

#include "rtc_base/thread_annotations.h"

namespace webrtc {

class RTC_LOCKABLE MutexImpl final {
 public:
  MutexImpl() = default;
  MutexImpl(const MutexImpl&) = delete;
  MutexImpl& operator=(const MutexImpl&) = delete;
  void Lock() RTC_EXCLUSIVE_LOCK_FUNCTION() {}
  bool TryLock() RTC_EXCLUSIVE_TRYLOCK_FUNCTION(true) { return true; }
  void AssertHeld() const RTC_ASSERT_EXCLUSIVE_LOCK() {}
  void Unlock() RTC_UNLOCK_FUNCTION() {}
};

}  // namespace webrtc

#endif  // RTC_BASE_SYNCHRONIZATION_MUTEX_ABSEIL_H_
