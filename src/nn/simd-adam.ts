/**
 * The metaplastic Adam update as a WebAssembly SIMD kernel (four float32 lanes per instruction),
 * assembled here from its instructions (no compiler or binary file involved), over a shared
 * WebAssembly memory so that the main thread and the worker of parallel.ts can each update half of
 * the same tensors.
 *
 * Same maths as `adamUpdateRange` (metaplastic-adam.ts), evaluated in float32 instead of float64, with
 * f_meta = 4e/(1 + e)², e = exp(−2·meta·|W|), and exp by range reduction (y = n·ln2 + r, |r| ≤ ln2/2)
 * and a degree-6 Taylor polynomial for e^r (relative error < 2e-7), scaled by 2^n through the exponent
 * bits. Elements past the last multiple of four are left to the caller.
 */

/** The parts of the WebAssembly JS API used here (the project's TypeScript lib has no DOM typings). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}
interface WasmApi {
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** An arena of float32 arrays in one shared WebAssembly memory, with the compiled kernel bound to it. */
export interface SimdArena {
  readonly memory: WasmMemory;
  /** A zero-filled float32 array of n elements inside the arena (16-byte aligned). */
  alloc(n: number): Float32Array;
  /** True when `a` lives in this arena's memory. */
  owns(a: Float32Array): boolean;
  /**
   * Update elements [i0, i1) (i1 − i0 a multiple of 4, i0 a multiple of 4) of arena arrays w, g, m, v.
   */
  adam(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, i0: number, i1: number, c: { beta1: number; beta2: number; eps: number; meta: number; stepSize: number; invSqrtBc2: number }, metaplastic: boolean, clip: number): void;
  /**
   * out[i] = base + Σ_k deltas[k]·[w[i] ≥ thresholds[k]] for i in [i0, i1) (whole groups of 4); w, out,
   * thresholds and deltas in the arena.
   */
  staircase(w: Float32Array, out: Float32Array, i0: number, i1: number, thresholds: Float32Array, deltas: Float32Array, base: number): void;
}

// ---- a minimal WebAssembly encoder -------------------------------------------------------------------
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}
function f32bytes(x: number): number[] {
  return Array.from(new Uint8Array(new Float32Array([x]).buffer));
}
function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}
function str(s: string): number[] {
  const b = Array.from(Buffer.from(s, "utf8"));
  return [...uleb(b.length), ...b];
}

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const simd = (op: number) => [0xfd, ...uleb(op)];
const OP = {
  load: simd(0x00),
  store: simd(0x0b),
  i32splat: simd(0x11),
  f32splat: simd(0x13),
  f32ge: simd(0x46),
  f32gt: simd(0x44),
  bitselect: simd(0x52),
  nearest: simd(0x6a),
  i32shl: simd(0xab),
  i32add: simd(0xae),
  abs: simd(0xe0),
  sqrt: simd(0xe3),
  add: simd(0xe4),
  sub: simd(0xe5),
  mul: simd(0xe6),
  div: simd(0xe7),
  min: simd(0xe8),
  max: simd(0xe9),
  truncSat: simd(0xf8),
};
const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const vconst = (x: number) => [0xfd, 0x0c, ...f32bytes(x), ...f32bytes(x), ...f32bytes(x), ...f32bytes(x)];
const memarg = [0x04, 0x00];

/** Build the module: imports env.mem (shared), exports adam(w, g, m, v, nBytes, b1, b2, eps, meta, step, isb, clip, flag). */
export function buildAdamModule(maxPages: number): Uint8Array {
  // params 0..12, locals: 13 i, 14 end, 15.. v128
  const [W, G, M, V, NB, B1, B2, EPS, META, STEP, ISB, CLIP, FLAG] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const I = 13;
  const END = 14;
  let k = 15;
  const vB1 = k++, vB2 = k++, vA1 = k++, vA2 = k++, vEPS = k++, vM2 = k++, vSTEP = k++, vISB = k++, vCLIP = k++, vNCLIP = k++;
  const g = k++, m = k++, v = k++, w = k++, u = k++, e = k++, t = k++, n = k++;
  const nV128 = k - 15;
  const addr = (base: number) => [...get(base), ...get(I), 0x6a];
  const body: number[] = [
    // vector constants from the parameters
    ...get(B1), ...OP.f32splat, ...set(vB1),
    ...get(B2), ...OP.f32splat, ...set(vB2),
    0x43, ...f32bytes(1), ...get(B1), 0x93, ...OP.f32splat, ...set(vA1),
    0x43, ...f32bytes(1), ...get(B2), 0x93, ...OP.f32splat, ...set(vA2),
    ...get(EPS), ...OP.f32splat, ...set(vEPS),
    ...get(META), 0x43, ...f32bytes(-2), 0x94, ...OP.f32splat, ...set(vM2),
    ...get(STEP), ...OP.f32splat, ...set(vSTEP),
    ...get(ISB), ...OP.f32splat, ...set(vISB),
    ...get(CLIP), ...OP.f32splat, ...set(vCLIP),
    ...get(CLIP), 0x8c, ...OP.f32splat, ...set(vNCLIP),
    ...get(NB), ...set(END),
    0x41, 0x00, ...set(I),
    0x02, 0x40, 0x03, 0x40,
    ...get(I), ...get(END), 0x4f, 0x0d, 0x01,
    // g; m = β1 m + (1−β1) g; v = β2 v + (1−β2) g²
    ...addr(G), ...OP.load, ...memarg, ...set(g),
    ...addr(M), ...OP.load, ...memarg, ...get(vB1), ...OP.mul, ...get(vA1), ...get(g), ...OP.mul, ...OP.add, ...set(m),
    ...addr(M), ...get(m), ...OP.store, ...memarg,
    ...addr(V), ...OP.load, ...memarg, ...get(vB2), ...OP.mul, ...get(vA2), ...get(g), ...OP.mul, ...get(g), ...OP.mul, ...OP.add, ...set(v),
    ...addr(V), ...get(v), ...OP.store, ...memarg,
    ...addr(W), ...OP.load, ...memarg, ...set(w),
    ...get(m), ...set(u),
    ...get(FLAG), 0x04, 0x40,
    // y = max(−2·meta·|w|, −87); n = nearest(y·log2 e); r = y − n·ln2 (two parts)
    ...get(w), ...OP.abs, ...get(vM2), ...OP.mul, ...vconst(-87), ...OP.max, ...set(t),
    ...get(t), ...vconst(Math.LOG2E), ...OP.mul, ...OP.nearest, ...set(n),
    ...get(t), ...get(n), ...vconst(0.693145751953125), ...OP.mul, ...OP.sub, ...get(n), ...vconst(1.428606765330187e-6), ...OP.mul, ...OP.sub, ...set(t),
    // e^r by Horner: ((((((1/720 r + 1/120) r + 1/24) r + 1/6) r + 1/2) r + 1) r + 1)
    ...vconst(1 / 720), ...get(t), ...OP.mul, ...vconst(1 / 120), ...OP.add,
    ...get(t), ...OP.mul, ...vconst(1 / 24), ...OP.add,
    ...get(t), ...OP.mul, ...vconst(1 / 6), ...OP.add,
    ...get(t), ...OP.mul, ...vconst(0.5), ...OP.add,
    ...get(t), ...OP.mul, ...vconst(1), ...OP.add,
    ...get(t), ...OP.mul, ...vconst(1), ...OP.add,
    // × 2^n via the exponent bits: ((n + 127) << 23)
    ...get(n), ...OP.truncSat, 0x41, ...sleb(127), ...OP.i32splat, ...OP.i32add, 0x41, 23, ...OP.i32shl, ...OP.mul, ...set(e),
    // f = 4e/(1+e)²
    ...vconst(4), ...get(e), ...OP.mul, ...get(e), ...vconst(1), ...OP.add, ...set(t), ...get(t), ...get(t), ...OP.mul, ...OP.div, ...set(e),
    // shrink where sign(w)·m > 0 (sign(0) = +1): u = bitselect(m·f, m, mask)
    ...get(m), ...get(e), ...OP.mul,
    ...get(m),
    ...get(m), ...vconst(1), ...vconst(-1), ...get(w), ...vconst(0), ...OP.f32ge, ...OP.bitselect, ...OP.mul, ...vconst(0), ...OP.f32gt,
    ...OP.bitselect, ...set(u),
    0x0b,
    // w ← clip(w − step·u/(√v·isb + ε))
    ...addr(W),
    ...get(w), ...get(vSTEP), ...get(u), ...OP.mul, ...get(v), ...OP.sqrt, ...get(vISB), ...OP.mul, ...get(vEPS), ...OP.add, ...OP.div, ...OP.sub,
    ...get(vNCLIP), ...OP.max, ...get(vCLIP), ...OP.min,
    ...OP.store, ...memarg,
    ...get(I), 0x41, 16, 0x6a, ...set(I),
    0x0c, 0x00,
    0x0b, 0x0b,
    0x0b,
  ];
  const locals = [2, ...uleb(2), I32, ...uleb(nV128), V128];
  const func = [...locals, ...body];
  const type = [2, 0x60, 13, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32, I32, 0, 0x60, 7, I32, I32, I32, I32, I32, I32, F32, 0];
  const stairs = staircaseBody();
  const imp = [1, ...str("env"), ...str("mem"), 0x02, 0x03, ...uleb(1), ...uleb(maxPages)];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, type),
    ...section(2, imp),
    ...section(3, [2, 0, 1]),
    ...section(7, [2, ...str("adam"), 0x00, 0x00, ...str("staircase"), 0x00, 0x01]),
    ...section(10, [2, ...uleb(func.length), ...func, ...uleb(stairs.length), ...stairs]),
  ]);
}

/**
 * staircase(w, out, nBytes, thr, dlt, steps, base): out = base + Σ_k dlt[k]·[w ≥ thr[k]], k < steps — any
 * transfer function evaluated on an n-bit quantized hidden weight is such a staircase of 2^n levels
 * (thresholds at the midpoints between levels); the ideal sign is one step of 2 at 0.
 */
function staircaseBody(): number[] {
  const [W, OUT, NB, THR, DLT, STEPS, BASE] = [0, 1, 2, 3, 4, 5, 6];
  const I = 7, K = 8, KEND = 9, ACC = 10, WV = 11, VBASE = 12;
  const body = [
    ...get(BASE), ...OP.f32splat, ...set(VBASE),
    ...get(STEPS), 0x41, 2, 0x74, ...set(KEND),
    0x41, 0x00, ...set(I),
    0x02, 0x40, 0x03, 0x40,
    ...get(I), ...get(NB), 0x4f, 0x0d, 0x01,
    ...get(W), ...get(I), 0x6a, ...OP.load, ...memarg, ...set(WV),
    ...get(VBASE), ...set(ACC),
    0x41, 0x00, ...set(K),
    0x02, 0x40, 0x03, 0x40,
    ...get(K), ...get(KEND), 0x4f, 0x0d, 0x01,
    ...get(ACC),
    ...get(DLT), ...get(K), 0x6a, ...simd(0x09), 0x02, 0x00,
    ...get(WV), ...get(THR), ...get(K), 0x6a, ...simd(0x09), 0x02, 0x00, ...OP.f32ge,
    ...simd(0x4e),
    ...OP.add, ...set(ACC),
    ...get(K), 0x41, 4, 0x6a, ...set(K),
    0x0c, 0x00,
    0x0b, 0x0b,
    ...get(OUT), ...get(I), 0x6a, ...get(ACC), ...OP.store, ...memarg,
    ...get(I), 0x41, 16, 0x6a, ...set(I),
    0x0c, 0x00,
    0x0b, 0x0b,
    0x0b,
  ];
  return [2, 3, I32, 3, V128, ...body];
}

type AdamExport = (w: number, g: number, m: number, v: number, nBytes: number, b1: number, b2: number, eps: number, meta: number, step: number, isb: number, clip: number, flag: number) => void;

/** Instantiate the kernel over an existing shared memory (e.g. one received by a worker). */
export function bindArena(memory: WasmMemory, maxPages: number): SimdArena {
  const mod = new WA.Module(buildAdamModule(maxPages));
  const inst = new WA.Instance(mod, { env: { mem: memory } });
  const kernel = inst.exports.adam as AdamExport;
  const stairs = inst.exports.staircase as (w: number, out: number, nBytes: number, thr: number, dlt: number, steps: number, base: number) => void;
  let next = 0;
  const owns = (a: Float32Array) => a.buffer === memory.buffer;
  return {
    memory,
    owns,
    alloc(n: number) {
      const bytes = Math.ceil((4 * n) / 16) * 16;
      if (next + bytes > memory.buffer.byteLength) throw new RangeError(`SIMD arena full: ${n} floats requested, ${memory.buffer.byteLength - next} bytes left`);
      const a = new Float32Array(memory.buffer, next, n);
      next += bytes;
      return a;
    },
    adam(w, g, m, v, i0, i1, c, metaplastic, clip) {
      if (!owns(w) || !owns(g) || !owns(m) || !owns(v)) throw new RangeError("simd adam: all four arrays must live in the arena");
      if (i0 % 4 !== 0 || (i1 - i0) % 4 !== 0) throw new RangeError(`simd adam: range [${i0}, ${i1}) must be in whole groups of 4`);
      const off = 4 * i0;
      kernel(w.byteOffset + off, g.byteOffset + off, m.byteOffset + off, v.byteOffset + off, 4 * (i1 - i0), c.beta1, c.beta2, c.eps, c.meta, c.stepSize, c.invSqrtBc2, metaplastic ? clip : Infinity, metaplastic && c.meta > 0 ? 1 : 0);
    },
    staircase(w, out, i0, i1, thresholds, deltas, base) {
      if (!owns(w) || !owns(out) || !owns(thresholds) || !owns(deltas)) throw new RangeError("simd staircase: arrays must live in the arena");
      if (i0 % 4 !== 0 || (i1 - i0) % 4 !== 0) throw new RangeError(`simd staircase: range [${i0}, ${i1}) must be in whole groups of 4`);
      stairs(w.byteOffset + 4 * i0, out.byteOffset + 4 * i0, 4 * (i1 - i0), thresholds.byteOffset, deltas.byteOffset, thresholds.length, base);
    },
  };
}

/** A new shared memory of `bytes` and its arena. */
export function createSimdArena(bytes: number): SimdArena {
  const pages = Math.ceil(bytes / 65536);
  const memory = new WA.Memory({ initial: pages, maximum: pages, shared: true });
  return bindArena(memory, pages);
}
