/*
 * Nimbus Phone: what WebRTC's AEC3 calls outside audio processing, reduced for our single-threaded
 * WebAssembly build: no field trials (AEC3's defaults, tuned only through EchoCanceller3Config),
 * no metrics, no CPU feature probing (plain C++ paths), no logging.
 */
#include <string>

#include "absl/strings/string_view.h"
#include "system_wrappers/include/cpu_features_wrapper.h"
#include "system_wrappers/include/field_trial.h"
#include "rtc_base/platform_thread_types.h"

namespace webrtc {
namespace field_trial {
std::string FindFullName(absl::string_view) { return std::string(); }
}  // namespace field_trial
int GetCPUInfo(CPUFeature) { return 0; }
uint64_t GetCPUFeaturesARM() { return 0; }
}  // namespace webrtc

namespace rtc {
PlatformThreadId CurrentThreadId() { return 1; }
PlatformThreadRef CurrentThreadRef() { return 1; }
bool IsThreadRefEqual(const PlatformThreadRef& a, const PlatformThreadRef& b) { return a == b; }
void SetCurrentThreadName(const char*) {}
}  // namespace rtc
