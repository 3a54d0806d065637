/*
 * Nimbus Phone: a C interface to WebRTC's EchoCanceller3 for our WebAssembly build (issue 17).
 * One canceller per handle, mono, 10 ms blocks of float samples in [-1, 1] at the device rate;
 * AEC3 itself runs at 48 kHz with its three-band split (WebRTC's AudioBuffer resamples other
 * device rates). The configuration is set by name before aec3_create (aec3_config_set), so the
 * TypeScript side can tune EchoCanceller3Config without a rebuild.
 */
#include <stdlib.h>
#include <string.h>

#include <memory>

#include "api/audio/echo_canceller3_config.h"
#include "modules/audio_processing/aec3/echo_canceller3.h"
#include "modules/audio_processing/audio_buffer.h"
#include "modules/audio_processing/include/audio_processing.h"

namespace {

constexpr int kEngineRate = 48000;

webrtc::EchoCanceller3Config g_config;

struct Aec3 {
  Aec3(int rate)
      : stream(rate, 1),
        render(rate, 1, kEngineRate, 1, rate, 1),
        capture(rate, 1, kEngineRate, 1, rate, 1),
        canceller(g_config, absl::nullopt, kEngineRate, 1, 1) {}
  webrtc::StreamConfig stream;
  webrtc::AudioBuffer render;
  webrtc::AudioBuffer capture;
  webrtc::EchoCanceller3 canceller;
};

enum Kind { kFloat, kSize, kInt, kBool };
struct Param {
  const char* name;
  void* field;
  Kind kind;
};

#define P(path, kind) {#path, &g_config.path, kind}
const Param kParams[] = {
    P(delay.default_delay, kSize),
    P(delay.delay_headroom_samples, kSize),
    P(delay.hysteresis_limit_blocks, kSize),
    P(delay.delay_selection_thresholds.initial, kInt),
    P(delay.delay_selection_thresholds.converged, kInt),
    P(filter.refined.length_blocks, kSize),
    P(filter.coarse.length_blocks, kSize),
    P(filter.refined_initial.length_blocks, kSize),
    P(filter.coarse_initial.length_blocks, kSize),
    P(filter.initial_state_seconds, kFloat),
    P(filter.conservative_initial_phase, kBool),
    P(filter.enable_coarse_filter_output_usage, kBool),
    P(erle.min, kFloat),
    P(erle.max_l, kFloat),
    P(erle.max_h, kFloat),
    P(erle.onset_detection, kBool),
    P(erle.num_sections, kSize),
    P(ep_strength.default_gain, kFloat),
    P(ep_strength.default_len, kFloat),
    P(ep_strength.nearend_len, kFloat),
    P(ep_strength.echo_can_saturate, kBool),
    P(ep_strength.bounded_erl, kBool),
    P(ep_strength.erle_onset_compensation_in_dominant_nearend, kBool),
    P(ep_strength.use_conservative_tail_frequency_response, kBool),
    P(echo_audibility.low_render_limit, kFloat),
    P(echo_audibility.normal_render_limit, kFloat),
    P(echo_audibility.floor_power, kFloat),
    P(echo_audibility.audibility_threshold_lf, kFloat),
    P(echo_audibility.audibility_threshold_mf, kFloat),
    P(echo_audibility.audibility_threshold_hf, kFloat),
    P(echo_audibility.use_stationarity_properties, kBool),
    P(echo_audibility.use_stationarity_properties_at_init, kBool),
    P(render_levels.active_render_limit, kFloat),
    P(echo_removal_control.has_clock_drift, kBool),
    P(echo_removal_control.linear_and_stable_echo_path, kBool),
    P(echo_model.noise_floor_hold, kSize),
    P(echo_model.min_noise_floor_power, kFloat),
    P(echo_model.stationary_gate_slope, kFloat),
    P(echo_model.noise_gate_power, kFloat),
    P(echo_model.noise_gate_slope, kFloat),
    P(echo_model.render_pre_window_size, kSize),
    P(echo_model.render_post_window_size, kSize),
    P(echo_model.model_reverb_in_nonlinear_mode, kBool),
    P(suppressor.nearend_average_blocks, kSize),
    P(suppressor.normal_tuning.mask_lf.enr_transparent, kFloat),
    P(suppressor.normal_tuning.mask_lf.enr_suppress, kFloat),
    P(suppressor.normal_tuning.mask_lf.emr_transparent, kFloat),
    P(suppressor.normal_tuning.mask_hf.enr_transparent, kFloat),
    P(suppressor.normal_tuning.mask_hf.enr_suppress, kFloat),
    P(suppressor.normal_tuning.mask_hf.emr_transparent, kFloat),
    P(suppressor.normal_tuning.max_inc_factor, kFloat),
    P(suppressor.normal_tuning.max_dec_factor_lf, kFloat),
    P(suppressor.nearend_tuning.mask_lf.enr_transparent, kFloat),
    P(suppressor.nearend_tuning.mask_lf.enr_suppress, kFloat),
    P(suppressor.nearend_tuning.mask_lf.emr_transparent, kFloat),
    P(suppressor.nearend_tuning.mask_hf.enr_transparent, kFloat),
    P(suppressor.nearend_tuning.mask_hf.enr_suppress, kFloat),
    P(suppressor.nearend_tuning.mask_hf.emr_transparent, kFloat),
    P(suppressor.nearend_tuning.max_inc_factor, kFloat),
    P(suppressor.nearend_tuning.max_dec_factor_lf, kFloat),
    P(suppressor.lf_smoothing_during_initial_phase, kBool),
    P(suppressor.last_permanent_lf_smoothing_band, kInt),
    P(suppressor.last_lf_smoothing_band, kInt),
    P(suppressor.last_lf_band, kInt),
    P(suppressor.first_hf_band, kInt),
    P(suppressor.dominant_nearend_detection.enr_threshold, kFloat),
    P(suppressor.dominant_nearend_detection.enr_exit_threshold, kFloat),
    P(suppressor.dominant_nearend_detection.snr_threshold, kFloat),
    P(suppressor.dominant_nearend_detection.hold_duration, kInt),
    P(suppressor.dominant_nearend_detection.trigger_threshold, kInt),
    P(suppressor.dominant_nearend_detection.use_during_initial_phase, kBool),
    P(suppressor.dominant_nearend_detection.use_unbounded_echo_spectrum, kBool),
    P(suppressor.subband_nearend_detection.nearend_average_blocks, kSize),
    P(suppressor.subband_nearend_detection.subband1.low, kSize),
    P(suppressor.subband_nearend_detection.subband1.high, kSize),
    P(suppressor.subband_nearend_detection.subband2.low, kSize),
    P(suppressor.subband_nearend_detection.subband2.high, kSize),
    P(suppressor.subband_nearend_detection.nearend_threshold, kFloat),
    P(suppressor.subband_nearend_detection.snr_threshold, kFloat),
    P(suppressor.use_subband_nearend_detection, kBool),
    P(suppressor.high_bands_suppression.enr_threshold, kFloat),
    P(suppressor.high_bands_suppression.max_gain_during_echo, kFloat),
    P(suppressor.high_bands_suppression.anti_howling_activation_threshold, kFloat),
    P(suppressor.high_bands_suppression.anti_howling_gain, kFloat),
    P(suppressor.floor_first_increase, kFloat),
    P(suppressor.conservative_hf_suppression, kBool),
};
#undef P

const Param* FindParam(const char* name) {
  for (const Param& p : kParams) {
    if (strcmp(p.name, name) == 0) return &p;
  }
  return nullptr;
}

}  // namespace

extern "C" {

__attribute__((export_name("aec3_malloc"))) void* aec3_malloc(size_t bytes) {
  return malloc(bytes);
}

__attribute__((export_name("aec3_free"))) void aec3_free(void* p) {
  free(p);
}

/** Back to EchoCanceller3Config's defaults (for the cancellers created after). */
__attribute__((export_name("aec3_config_reset"))) void aec3_config_reset() {
  g_config = webrtc::EchoCanceller3Config();
}

/** Sets one field by its C++ path; 1 if known, 0 if not. Applies to cancellers created after. */
__attribute__((export_name("aec3_config_set"))) int aec3_config_set(const char* name, double value) {
  const Param* p = FindParam(name);
  if (!p) return 0;
  switch (p->kind) {
    case kFloat: *static_cast<float*>(p->field) = static_cast<float>(value); break;
    case kSize: *static_cast<size_t*>(p->field) = value < 0 ? 0 : static_cast<size_t>(value); break;
    case kInt: *static_cast<int*>(p->field) = static_cast<int>(value); break;
    case kBool: *static_cast<bool*>(p->field) = value != 0; break;
  }
  return 1;
}

/** One field's value (NaN if the name is unknown). */
__attribute__((export_name("aec3_config_get"))) double aec3_config_get(const char* name) {
  const Param* p = FindParam(name);
  if (!p) return __builtin_nan("");
  switch (p->kind) {
    case kFloat: return *static_cast<float*>(p->field);
    case kSize: return static_cast<double>(*static_cast<size_t*>(p->field));
    case kInt: return *static_cast<int*>(p->field);
    case kBool: return *static_cast<bool*>(p->field) ? 1 : 0;
  }
  return __builtin_nan("");
}

/**
 * Clamps the configuration to AEC3's valid ranges (EchoCanceller3Config::Validate); 1 if it was
 * valid as set.
 */
__attribute__((export_name("aec3_config_validate"))) int aec3_config_validate() {
  return webrtc::EchoCanceller3Config::Validate(&g_config) ? 1 : 0;
}

/** A canceller for `rate` Hz (whole samples per 10 ms, 8–96 kHz), or null. */
__attribute__((export_name("aec3_create"))) Aec3* aec3_create(int rate) {
  if (rate < 8000 || rate > 96000 || rate % 100 != 0) return nullptr;
  webrtc::EchoCanceller3Config::Validate(&g_config);
  return new Aec3(rate);
}

/** The far-end reference: one 10 ms block of what was just played. */
__attribute__((export_name("aec3_analyze_render"))) void aec3_analyze_render(Aec3* a, const float* block) {
  const float* const channels[1] = {block};
  a->render.CopyFrom(channels, a->stream);
  a->render.SplitIntoFrequencyBands();
  a->canceller.AnalyzeRender(&a->render);
}

/** Removes the echo from one 10 ms block of capture, in place. */
__attribute__((export_name("aec3_process_capture"))) void aec3_process_capture(Aec3* a, float* block) {
  float* const channels[1] = {block};
  a->capture.CopyFrom(channels, a->stream);
  a->canceller.AnalyzeCapture(&a->capture);
  a->capture.SplitIntoFrequencyBands();
  a->canceller.ProcessCapture(&a->capture, false);
  a->capture.MergeFrequencyBands();
  a->capture.CopyTo(a->stream, channels);
}

/** A hint of the delay between render and capture buffers (AEC3's SetAudioBufferDelay). */
__attribute__((export_name("aec3_set_delay"))) void aec3_set_delay(Aec3* a, int delay_ms) {
  a->canceller.SetAudioBufferDelay(delay_ms);
}

/** AEC3's metrics: 0 echo return loss, 1 ERLE (dB), 2 delay (ms). */
__attribute__((export_name("aec3_metric"))) double aec3_metric(Aec3* a, int which) {
  const webrtc::EchoControl::Metrics m = a->canceller.GetMetrics();
  return which == 0 ? m.echo_return_loss : which == 1 ? m.echo_return_loss_enhancement : m.delay_ms;
}

__attribute__((export_name("aec3_destroy"))) void aec3_destroy(Aec3* a) {
  delete a;
}

}  // extern "C"
