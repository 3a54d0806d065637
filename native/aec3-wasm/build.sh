#!/usr/bin/env bash
# Builds aec3.wasm: WebRTC's AEC3 (EchoCanceller3) with our C shim, for wasm32-wasi, from Debian's
# source tarballs (checked by SHA-256). Needs Debian bookworm's clang 14 toolchain:
#   apt-get install -y clang lld wasi-libc libc++-dev-wasm32 libclang-rt-dev-wasm32
# The built aec3.wasm is committed; CI does not run this. See README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${AEC3_SRC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nimbus-aec3-src}
jobs=${JOBS:-2}
mkdir -p "$cache"

fetch() { # url sha256 file
  if [ ! -f "$cache/$3" ] || ! echo "$2  $cache/$3" | sha256sum -c --quiet - >/dev/null 2>&1; then
    curl -sSfL -o "$cache/$3.part" "$1"
    echo "$2  $cache/$3.part" | sha256sum -c --quiet -
    mv "$cache/$3.part" "$cache/$3"
  fi
}
# Telegram's WebRTC fork (tg_owt, June 2023), as Debian ships it: WebRTC's AEC3 of that date.
WEBRTC_TAR=libtgowt_0~git20230615.a45d8b8+dfsg.orig.tar.xz
WEBRTC_SHA=f65c4f51a31003c7146a7dfdfa65cbca881a725fcb99a070b14cb5df59f3b280
ABSL_TAR=abseil_20240722.0.orig.tar.gz
ABSL_SHA=df6d1f5ef540725f3851201176a60486aab332410788465c9877910bb471c34a
fetch "http://deb.debian.org/debian/pool/main/libt/libtgowt/$WEBRTC_TAR" $WEBRTC_SHA $WEBRTC_TAR
fetch "http://deb.debian.org/debian/pool/main/a/abseil/$ABSL_TAR" $ABSL_SHA $ABSL_TAR
[ -d "$cache/webrtc" ] || { mkdir -p "$cache/webrtc.tmp" && tar xJf "$cache/$WEBRTC_TAR" -C "$cache/webrtc.tmp" --strip-components=1 && mv "$cache/webrtc.tmp" "$cache/webrtc"; }
[ -d "$cache/abseil" ] || { mkdir -p "$cache/abseil.tmp" && tar xzf "$cache/$ABSL_TAR" -C "$cache/abseil.tmp" --strip-components=1 && mv "$cache/abseil.tmp" "$cache/abseil"; }
W=$cache/webrtc/src

flags=(--target=wasm32-wasi -O2 -ffast-math -fno-math-errno -fno-exceptions -fno-rtti -fvisibility=hidden
  -ffunction-sections -fdata-sections
  -DNDEBUG -DWEBRTC_POSIX -DWEBRTC_ABSL_MUTEX -DWEBRTC_APM_DEBUG_DUMP=0 -DRTC_DISABLE_LOGGING
  -DRTC_DISABLE_METRICS -DRTC_DISABLE_TRACE_EVENTS
  -I"$here/overlay" -I"$W" -I"$cache/abseil")
cxxflags=(-std=c++17 -Wno-deprecated-declarations)

srcs=("$here/aec3_shim.cc" "$here/stubs.cc")
for f in "$W"/modules/audio_processing/aec3/*.cc; do
  case $f in *_unittest.cc|*_avx2.cc|*mock_*) continue ;; esac
  srcs+=("$f")
done
srcs+=(
  "$W/api/audio/echo_canceller3_config.cc"
  "$W/modules/audio_processing/audio_buffer.cc"
  "$W/modules/audio_processing/splitting_filter.cc"
  "$W/modules/audio_processing/three_band_filter_bank.cc"
  "$W/modules/audio_processing/high_pass_filter.cc"
  "$W/modules/audio_processing/utility/cascaded_biquad_filter.cc"
  "$W/modules/audio_processing/logging/apm_data_dumper.cc"
  "$W/common_audio/channel_buffer.cc"
  "$W/common_audio/resampler/push_sinc_resampler.cc"
  "$W/common_audio/resampler/sinc_resampler.cc"
  "$W/common_audio/third_party/ooura/fft_size_128/ooura_fft.cc"
  "$W/common_audio/signal_processing/splitting_filter.c"
  "$W/common_audio/signal_processing/resample_by_2.c"
  "$W/common_audio/signal_processing/spl_init.c"
  "$W/common_audio/audio_util.cc"
  "$W/rtc_base/memory/aligned_malloc.cc"
  "$W/rtc_base/checks.cc"
  "$W/rtc_base/experiments/field_trial_parser.cc"
  "$W/rtc_base/strings/string_builder.cc"
  "$W/rtc_base/race_checker.cc"
)
for s in ${EXTRA_SRCS:-}; do srcs+=("$W/$s"); done

obj=$cache/obj
rm -rf "$obj" && mkdir -p "$obj"
i=0
for s in "${srcs[@]}"; do
  i=$((i + 1))
  o="$obj/$i-$(basename "$s").o"
  case $s in
    *.c) echo clang "${flags[@]}" -std=c11 -c "$s" -o "$o" ;;
    *) echo clang++ "${flags[@]}" "${cxxflags[@]}" -c "$s" -o "$o" ;;
  esac
done | tr '\n' '\0' | xargs -0 -n1 -P"$jobs" sh -c '$0' 2>&1 | grep -v "^$" || true
ls "$obj"/*.o >/dev/null
[ "$(ls "$obj" | wc -l)" -eq "${#srcs[@]}" ] || { echo "some sources failed to compile" >&2; exit 1; }

# A reactor (crt1-reactor.o): JavaScript calls _initialize once, then the exports; without it
# wasm-ld would run the static constructors again on every exported call.
wasm-ld --no-entry --export=_initialize /usr/lib/wasm32-wasi/crt1-reactor.o --gc-sections --strip-all -z stack-size=262144 --initial-memory=2097152 \
  --max-memory=67108864 "$obj"/*.o -L/usr/lib/wasm32-wasi -lc++ -lc++abi -lc \
  "$(clang --target=wasm32-wasi -print-libgcc-file-name)" -o "$here/aec3.wasm.tmp"
mv "$here/aec3.wasm.tmp" "$here/aec3.wasm"
sha256sum "$here/aec3.wasm"

# The licence texts shipped with the app for what aec3.wasm contains (scripts/third-party-notices.mjs).
mkdir -p "$here/licenses"
cp "$cache/webrtc/LICENSE" "$here/licenses/WEBRTC-LICENSE.txt"
cp "$W/PATENTS" "$here/licenses/WEBRTC-PATENTS.txt"
cp "$W/common_audio/third_party/ooura/LICENSE" "$here/licenses/OOURA-FFT-LICENSE.txt"
cp "$cache/abseil/LICENSE" "$here/licenses/ABSEIL-LICENSE.txt"
cp /usr/share/doc/wasi-libc/copyright "$here/licenses/WASI-LIBC-copyright.txt"
cp /usr/share/doc/libc++-14-dev-wasm32/copyright "$here/licenses/LLVM-RUNTIMES-copyright.txt"
