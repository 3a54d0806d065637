/*
 * nimbus-opus: a thin N-API binding to libopus (RFC 6716) for the media worker.
 * Unlike @discordjs/opus it writes into caller-owned typed arrays (no allocation per frame),
 * validates frame sizes instead of aborting, conceals exactly the requested duration and exposes
 * in-band FEC decoding (opus_decode(..., decode_fec = 1)).
 */
#include <node_api.h>
#include <opus.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define CHECK(call)                                                                   \
  do {                                                                                \
    if ((call) != napi_ok) {                                                          \
      napi_throw_error(env, "ERR_NIMBUS_OPUS", "N-API call failed: " #call);          \
      return NULL;                                                                    \
    }                                                                                 \
  } while (0)

/* Encoder settings exposed to JS (a closed list: no arbitrary CTLs). */
enum { SET_BITRATE = 0, SET_INBAND_FEC = 1, SET_PACKET_LOSS_PERC = 2, SET_COMPLEXITY = 3, SET_DTX = 4 };

typedef struct {
  OpusEncoder *enc;
  OpusDecoder *dec;
  int32_t rate;
  int32_t channels;
} Codec;

static void finalize_codec(napi_env env, void *data, void *hint) {
  Codec *c = (Codec *)data;
  (void)env;
  (void)hint;
  if (c->enc) opus_encoder_destroy(c->enc);
  if (c->dec) opus_decoder_destroy(c->dec);
  free(c);
}

static napi_value throw_opus(napi_env env, int err) {
  char code[32];
  snprintf(code, sizeof code, "OPUS_%d", err);
  napi_throw_error(env, code, opus_strerror(err));
  return NULL;
}

/* A frame must be 2.5, 5, 10, 20, 40 or 60 ms (RFC 6716 §2.1.4). */
static int valid_frame(int32_t rate, int32_t samples) {
  int32_t unit = rate / 400;
  if (unit <= 0 || samples <= 0 || samples % unit != 0) return 0;
  switch (samples / unit) {
    case 1: case 2: case 4: case 8: case 16: case 24: return 1;
    default: return 0;
  }
}

static Codec *get_codec(napi_env env, napi_value v) {
  void *p = NULL;
  if (napi_get_value_external(env, v, &p) != napi_ok || p == NULL) {
    napi_throw_type_error(env, "ERR_NIMBUS_OPUS", "not an opus handle");
    return NULL;
  }
  return (Codec *)p;
}

static int get_typed(napi_env env, napi_value v, napi_typedarray_type want, void **data, size_t *len) {
  bool is = false;
  napi_typedarray_type type;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return 0;
  if (napi_get_typedarray_info(env, v, &type, len, data, NULL, NULL) != napi_ok) return 0;
  return type == want;
}

/* createEncoder(rate, channels, application) → handle */
static napi_value create_encoder(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3], out;
  int32_t rate, channels, application;
  int err;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  CHECK(napi_get_value_int32(env, argv[0], &rate));
  CHECK(napi_get_value_int32(env, argv[1], &channels));
  CHECK(napi_get_value_int32(env, argv[2], &application));
  Codec *c = (Codec *)calloc(1, sizeof(Codec));
  if (!c) return throw_opus(env, OPUS_ALLOC_FAIL);
  c->rate = rate;
  c->channels = channels;
  c->enc = opus_encoder_create(rate, channels, application, &err);
  if (err != OPUS_OK) {
    free(c);
    return throw_opus(env, err);
  }
  CHECK(napi_create_external(env, c, finalize_codec, NULL, &out));
  return out;
}

/* encoderSet(handle, setting, value) */
static napi_value encoder_set(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  int32_t what, value;
  int err;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Codec *c = get_codec(env, argv[0]);
  if (!c) return NULL;
  if (!c->enc) return throw_opus(env, OPUS_BAD_ARG);
  CHECK(napi_get_value_int32(env, argv[1], &what));
  CHECK(napi_get_value_int32(env, argv[2], &value));
  switch (what) {
    case SET_BITRATE: err = opus_encoder_ctl(c->enc, OPUS_SET_BITRATE(value)); break;
    case SET_INBAND_FEC: err = opus_encoder_ctl(c->enc, OPUS_SET_INBAND_FEC(value)); break;
    case SET_PACKET_LOSS_PERC: err = opus_encoder_ctl(c->enc, OPUS_SET_PACKET_LOSS_PERC(value)); break;
    case SET_COMPLEXITY: err = opus_encoder_ctl(c->enc, OPUS_SET_COMPLEXITY(value)); break;
    case SET_DTX: err = opus_encoder_ctl(c->enc, OPUS_SET_DTX(value)); break;
    default: err = OPUS_UNIMPLEMENTED;
  }
  if (err != OPUS_OK) return throw_opus(env, err);
  return NULL;
}

/* encode(handle, pcm: Int16Array, frameSize, out: Uint8Array) → bytes written */
static napi_value encode(napi_env env, napi_callback_info info) {
  size_t argc = 4, pcm_len, out_len;
  napi_value argv[4], ret;
  void *pcm, *out;
  int32_t frame;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Codec *c = get_codec(env, argv[0]);
  if (!c) return NULL;
  CHECK(napi_get_value_int32(env, argv[2], &frame));
  if (!c->enc || !get_typed(env, argv[1], napi_int16_array, &pcm, &pcm_len) ||
      !get_typed(env, argv[3], napi_uint8_array, &out, &out_len)) {
    napi_throw_type_error(env, "ERR_NIMBUS_OPUS", "encode(encoder, Int16Array, frameSize, Uint8Array)");
    return NULL;
  }
  if (!valid_frame(c->rate, frame) || pcm_len < (size_t)frame * (size_t)c->channels) {
    napi_throw_range_error(env, "ERR_NIMBUS_OPUS", "frame must be 2.5/5/10/20/40/60 ms of PCM");
    return NULL;
  }
  opus_int32 n = opus_encode(c->enc, (const opus_int16 *)pcm, frame, (unsigned char *)out, (opus_int32)out_len);
  if (n < 0) return throw_opus(env, n);
  CHECK(napi_create_int32(env, n, &ret));
  return ret;
}

/* createDecoder(rate, channels) → handle */
static napi_value create_decoder(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], out;
  int32_t rate, channels;
  int err;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  CHECK(napi_get_value_int32(env, argv[0], &rate));
  CHECK(napi_get_value_int32(env, argv[1], &channels));
  Codec *c = (Codec *)calloc(1, sizeof(Codec));
  if (!c) return throw_opus(env, OPUS_ALLOC_FAIL);
  c->rate = rate;
  c->channels = channels;
  c->dec = opus_decoder_create(rate, channels, &err);
  if (err != OPUS_OK) {
    free(c);
    return throw_opus(env, err);
  }
  CHECK(napi_create_external(env, c, finalize_codec, NULL, &out));
  return out;
}

/*
 * decode(handle, packet: Uint8Array | null, out: Int16Array, frameSize, fec) → samples per channel.
 * packet = null: concealment of exactly frameSize samples (a multiple of 2.5 ms).
 * fec = true: recover the frameSize samples *before* `packet` from its in-band FEC (LBRR) data;
 * libopus conceals what FEC does not cover.
 */
static napi_value decode(napi_env env, napi_callback_info info) {
  size_t argc = 5, out_len, pkt_len = 0;
  napi_value argv[5], ret;
  napi_valuetype t;
  void *out, *pkt = NULL;
  int32_t frame;
  bool fec;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Codec *c = get_codec(env, argv[0]);
  if (!c) return NULL;
  CHECK(napi_typeof(env, argv[1], &t));
  CHECK(napi_get_value_int32(env, argv[3], &frame));
  CHECK(napi_get_value_bool(env, argv[4], &fec));
  if (!c->dec || !get_typed(env, argv[2], napi_int16_array, &out, &out_len) ||
      (t != napi_null && !get_typed(env, argv[1], napi_uint8_array, &pkt, &pkt_len))) {
    napi_throw_type_error(env, "ERR_NIMBUS_OPUS", "decode(decoder, Uint8Array | null, Int16Array, frameSize, fec)");
    return NULL;
  }
  if (frame <= 0 || out_len < (size_t)frame * (size_t)c->channels ||
      ((pkt == NULL || fec) && frame % (c->rate / 400) != 0)) {
    napi_throw_range_error(env, "ERR_NIMBUS_OPUS", "frameSize exceeds out or is not a multiple of 2.5 ms");
    return NULL;
  }
  int n = opus_decode(c->dec, (const unsigned char *)pkt, (opus_int32)pkt_len, (opus_int16 *)out, frame, fec ? 1 : 0);
  if (n < 0) return throw_opus(env, n);
  CHECK(napi_create_int32(env, n, &ret));
  return ret;
}

/* reset(handle) */
static napi_value reset(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Codec *c = get_codec(env, argv[0]);
  if (!c) return NULL;
  if (c->enc) opus_encoder_ctl(c->enc, OPUS_RESET_STATE);
  if (c->dec) opus_decoder_ctl(c->dec, OPUS_RESET_STATE);
  return NULL;
}

/* version() → libopus version string */
static napi_value version(napi_env env, napi_callback_info info) {
  napi_value out;
  (void)info;
  CHECK(napi_create_string_utf8(env, opus_get_version_string(), NAPI_AUTO_LENGTH, &out));
  return out;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_property_descriptor props[] = {
    {"createEncoder", NULL, create_encoder, NULL, NULL, NULL, napi_enumerable, NULL},
    {"encoderSet", NULL, encoder_set, NULL, NULL, NULL, napi_enumerable, NULL},
    {"encode", NULL, encode, NULL, NULL, NULL, napi_enumerable, NULL},
    {"createDecoder", NULL, create_decoder, NULL, NULL, NULL, napi_enumerable, NULL},
    {"decode", NULL, decode, NULL, NULL, NULL, napi_enumerable, NULL},
    {"reset", NULL, reset, NULL, NULL, NULL, napi_enumerable, NULL},
    {"version", NULL, version, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}
