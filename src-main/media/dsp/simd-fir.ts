/**
 * The resampler's multiply-accumulate loop in WebAssembly SIMD (f32x4): four taps per step
 * instead of one. In JavaScript each tap costs ~15 machine instructions (bounds checks, Smi index
 * arithmetic, loop interrupt checks); here four cost about ten. The filters are the same Kaiser
 * designs as Resampler's (resampler.ts), in float32 (24-bit mantissa: the rounding stays ~100 dB
 * under a 16-bit sample's own step).
 *
 * The module is one function, hand-assembled below (no toolchain needed to build it):
 *
 *   fir(x, xStep, count, h, taps8, out, outStep)      all i32; addresses and steps in bytes
 *     for count outputs:  out[0] = Σ_{k < 8·taps8} h[k]·x[k]  (f32);  x += xStep;  out += outStep
 *
 * eight taps per pass of the inner loop (two f32x4 products, loads at offsets 0 and 16).
 *
 * A polyphase decimator calls it once per frame (x stepping by the factor), an interpolator once per
 * phase (out stepping by the factor). Each converter has its own memory (imported), so nothing is
 * shared between calls or streams.
 */

/** LEB128 of an unsigned 32-bit value. */
function u32(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

function section(id: number, body: number[]): number[] {
  return [id, ...u32(body.length), ...body];
}

const name = (s: string) => [...u32(s.length), ...[...s].map((c) => c.charCodeAt(0))];

// Opcodes (WebAssembly core 2.0 and its fixed-width SIMD instructions, prefix 0xfd).
const I32 = 0x7f;
const V128 = 0x7b;
const BLOCK = 0x02;
const LOOP = 0x03;
const VOID = 0x40;
const END = 0x0b;
const BR_IF = 0x0d;
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const I32_CONST = 0x41;
const I32_EQZ = 0x45;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const F32_ADD = 0x92;
const F32_STORE = [0x38, 0x02, 0x00]; // align 2^2, offset 0
const V128_LOAD = (offset: number) => [0xfd, 0x00, 0x00, offset]; // align 2^0 (any), offset < 128
const V128_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const F32X4_EXTRACT = (lane: number) => [0xfd, 0x1f, lane];
const F32X4_ADD = [0xfd, ...u32(0xe4)];
const F32X4_MUL = [0xfd, ...u32(0xe6)];

// Parameters 0–6, then locals: 7 acc (v128), 8 xp, 9 hp, 10 k.
const [X, X_STEP, COUNT, H, TAPS8, OUT, OUT_STEP, ACC, XP, HP, K] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const get = (i: number) => [LOCAL_GET, i];
const set = (i: number) => [LOCAL_SET, i];
const addTo = (i: number, by: number[]) => [...get(i), ...by, I32_ADD, ...set(i)];

const body = [
  2, 1, V128, 3, I32, // locals: one v128, three i32
  BLOCK, VOID,
  ...get(COUNT), I32_EQZ, BR_IF, 0, // nothing to do
  LOOP, VOID, // one output per pass
  ...V128_ZERO, ...set(ACC),
  ...get(X), ...set(XP),
  ...get(H), ...set(HP),
  ...get(TAPS8), ...set(K),
  LOOP, VOID, // eight taps per pass: acc += x[0..3] · h[0..3] + x[4..7] · h[4..7]
  ...get(ACC), ...get(XP), ...V128_LOAD(0), ...get(HP), ...V128_LOAD(0), ...F32X4_MUL, ...F32X4_ADD,
  ...get(XP), ...V128_LOAD(16), ...get(HP), ...V128_LOAD(16), ...F32X4_MUL, ...F32X4_ADD, ...set(ACC),
  ...addTo(XP, [I32_CONST, 32]),
  ...addTo(HP, [I32_CONST, 32]),
  ...get(K), I32_CONST, 1, I32_SUB, LOCAL_TEE, K, BR_IF, 0,
  END,
  ...get(OUT), // *out = ((acc0 + acc1) + acc2) + acc3
  ...get(ACC), ...F32X4_EXTRACT(0), ...get(ACC), ...F32X4_EXTRACT(1), F32_ADD,
  ...get(ACC), ...F32X4_EXTRACT(2), F32_ADD, ...get(ACC), ...F32X4_EXTRACT(3), F32_ADD,
  ...F32_STORE,
  ...addTo(OUT, get(OUT_STEP)),
  ...addTo(X, get(X_STEP)),
  ...get(COUNT), I32_CONST, 1, I32_SUB, LOCAL_TEE, COUNT, BR_IF, 0,
  END,
  END,
  END,
];

/** The module's bytes (~200). */
export const FIR_WASM = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // \0asm, version 1
  ...section(1, [1, 0x60, 7, I32, I32, I32, I32, I32, I32, I32, 0]), // type 0: (i32 × 7) → ()
  ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 0x01]), // import memory, ≥ 1 page
  ...section(3, [1, 0]), // function 0 has type 0
  ...section(7, [1, ...name('fir'), 0x00, 0]), // export "fir" = function 0
  ...section(10, [1, ...u32(body.length), ...body]),
]);

export type FirFunction = (x: number, xStep: number, count: number, h: number, taps8: number, out: number, outStep: number) => void;

/** The part of the WebAssembly JS API used here (@types/node does not declare its values). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => FirModule;
  Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer };
  Instance: new (module: FirModule, imports: object) => { readonly exports: Record<string, unknown> };
}
/** A compiled FIR module (opaque). */
export type FirModule = object & { readonly __firModule?: never };

const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
let compiled: FirModule | null | undefined;

/** The compiled module, or undefined where WebAssembly SIMD is missing (the JS filters are used then). */
export function firModule(): FirModule | undefined {
  if (compiled === undefined) {
    try {
      compiled = wasm?.validate(FIR_WASM) ? new wasm.Module(FIR_WASM) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled ?? undefined;
}

/** An instance on its own memory of `bytes` (rounded up to 64 KiB pages). */
export function firInstance(module: FirModule, bytes: number): { fir: FirFunction; buffer: ArrayBuffer } {
  const memory = new wasm!.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
  const instance = new wasm!.Instance(module, { env: { memory } });
  return { fir: instance.exports.fir as FirFunction, buffer: memory.buffer };
}
