/**
 * Array kernels of the binarized CNN (conv-network.ts), on plain Float32Array feature maps with no network type:
 * conversion between the channel-major input layout (batch × C × H × W) and the internal NHWC layout
 * ((batch·H·W) × C), the im2col patch matrix and its adjoint col2im, the convolution as chunked products of
 * patch matrix and weights through a {@link MatMulBackend} (`conv2d`), and the 2×2 max-pool with its backward
 * pass. The layouts are described in conv-network.ts's module comment.
 */
import { jsMatMul, type MatMulBackend } from "./matmul";

/** batch × C × H × W (channel-major) → (batch·H·W) × C (NHWC). */
export function nchwToNhwc(x: Float32Array, batch: number, c: number, h: number, w: number, out?: Float32Array): Float32Array {
  const o = out ?? new Float32Array(batch * c * h * w);
  const hw = h * w;
  for (let b = 0; b < batch; b++) {
    const base = b * c * hw;
    for (let ch = 0; ch < c; ch++) {
      const src = base + ch * hw;
      for (let p = 0; p < hw; p++) o[base + p * c + ch] = x[src + p];
    }
  }
  return o;
}

/** (batch·H·W) × C (NHWC) → batch × C × H × W (channel-major). */
export function nhwcToNchw(x: Float32Array, batch: number, c: number, h: number, w: number, out?: Float32Array): Float32Array {
  const o = out ?? new Float32Array(batch * c * h * w);
  const hw = h * w;
  for (let b = 0; b < batch; b++) {
    const base = b * c * hw;
    for (let ch = 0; ch < c; ch++) {
      const dst = base + ch * hw;
      for (let p = 0; p < hw; p++) o[dst + p] = x[base + p * c + ch];
    }
  }
  return o;
}

/** Geometry of one convolution (stride 1): input H×W×C, k×k kernel, padding p, output H_o×W_o. */
export interface ConvGeometry {
  h: number;
  w: number;
  c: number;
  k: number;
  pad: number;
  ho: number;
  wo: number;
}

/**
 * Patch matrix of samples b0 … b1−1 of an NHWC input: row r = ((b − b0)·H_o + o_h)·W_o + o_w, column
 * (kh·k + kw)·C + c, value x[b, o_h + kh − p, o_w + kw − p, c] (0 outside the image). `out` must hold
 * (b1 − b0)·H_o·W_o·k²·C elements.
 */
export function im2col(x: Float32Array, b0: number, b1: number, g: ConvGeometry, out: Float32Array): void {
  const { h, w, c, k, pad, ho, wo } = g;
  const kc = k * c;
  const K = k * kc;
  let r = 0;
  for (let b = b0; b < b1; b++) {
    for (let oh = 0; oh < ho; oh++) {
      for (let ow = 0; ow < wo; ow++, r++) {
        const rowBase = r * K;
        // Valid kernel columns: 0 ≤ ow + kw − pad < W.
        const kw0 = Math.max(0, pad - ow);
        const kw1 = Math.min(k, w + pad - ow);
        for (let kh = 0; kh < k; kh++) {
          const dst = rowBase + kh * kc;
          const ih = oh + kh - pad;
          if (ih < 0 || ih >= h || kw1 <= kw0) {
            out.fill(0, dst, dst + kc);
            continue;
          }
          if (kw0 > 0) out.fill(0, dst, dst + kw0 * c);
          // The valid run is contiguous in both the image row and the patch row.
          const src = ((b * h + ih) * w + (ow + kw0 - pad)) * c;
          const n = (kw1 - kw0) * c;
          const d = dst + kw0 * c;
          for (let i = 0; i < n; i++) out[d + i] = x[src + i];
          if (kw1 < k) out.fill(0, dst + kw1 * c, dst + kc);
        }
      }
    }
  }
}

/** Adjoint of {@link im2col}: adds each patch-matrix entry back onto the input pixel it came from. */
export function col2imAdd(cols: Float32Array, b0: number, b1: number, g: ConvGeometry, dx: Float32Array): void {
  const { h, w, c, k, pad, ho, wo } = g;
  const kc = k * c;
  const K = k * kc;
  let r = 0;
  for (let b = b0; b < b1; b++) {
    for (let oh = 0; oh < ho; oh++) {
      for (let ow = 0; ow < wo; ow++, r++) {
        const rowBase = r * K;
        const kw0 = Math.max(0, pad - ow);
        const kw1 = Math.min(k, w + pad - ow);
        if (kw1 <= kw0) continue;
        for (let kh = 0; kh < k; kh++) {
          const ih = oh + kh - pad;
          if (ih < 0 || ih >= h) continue;
          const dst = ((b * h + ih) * w + (ow + kw0 - pad)) * c;
          const s = rowBase + kh * kc + kw0 * c;
          const n = (kw1 - kw0) * c;
          for (let i = 0; i < n; i++) dx[dst + i] += cols[s + i];
        }
      }
    }
  }
}

/** Samples per im2col chunk so that the patch matrix stays within `budget` elements (at least one). */
export function chunkSamples(g: ConvGeometry, batch: number, budget: number): number {
  const perSample = g.ho * g.wo * g.k * g.k * g.c;
  return Math.max(1, Math.min(batch, Math.floor(budget / perSample)));
}

/** Default cap on patch-matrix elements per product (4 Mi floats = 16 MiB; three such buffers in backward). */
export const DEFAULT_PATCH_BUDGET = 1 << 22;

/** Scratch arrays by key (network.ts's `Workspace` is one). */
export type Buffers = { f32(key: string, n: number): Float32Array };
/** Buffers that hand out a new zeroed array on every call (no workspace). */
export const FRESH: Buffers = { f32: (_key: string, n: number) => new Float32Array(n) };

/** Same-geometry conv through im2col, chunked; z receives (batch·H_o·W_o) × C_out. */
export function convForwardInto(x: Float32Array, batch: number, g: ConvGeometry, weights: Float32Array, cOut: number, backend: MatMulBackend, z: Float32Array, ws: Buffers, key: string, budget: number): void {
  const K = g.k * g.k * g.c;
  const rowsPerSample = g.ho * g.wo;
  const chunk = chunkSamples(g, batch, budget);
  const patches = ws.f32(`${key}/patches`, chunk * rowsPerSample * K);
  for (let b0 = 0; b0 < batch; b0 += chunk) {
    const b1 = Math.min(batch, b0 + chunk);
    const rows = (b1 - b0) * rowsPerSample;
    const p = patches.subarray(0, rows * K);
    im2col(x, b0, b1, g, p);
    backend.matmul(p, weights, rows, K, cOut, z.subarray(b0 * rowsPerSample * cOut, b1 * rowsPerSample * cOut));
  }
}

/**
 * 2-D convolution (cross-correlation, as in deep-learning frameworks) of an NHWC batch with stride 1 and
 * zero padding: out[b, o_h, o_w, c_o] = Σ_{kh, kw, c} x[b, o_h + kh − p, o_w + kw − p, c]·W[(kh·k + kw)·C_in + c, c_o].
 * Returns the (batch·H_o·W_o) × C_out NHWC output. `patchBudget` caps the patch matrix of one product.
 */
export function conv2d(
  x: Float32Array,
  shape: { batch: number; inChannels: number; height: number; width: number; outChannels: number; kernel: number; padding: number },
  weights: Float32Array,
  opts: { backend?: MatMulBackend; patchBudget?: number } = {},
): Float32Array {
  const { batch, inChannels: c, height: h, width: w, outChannels, kernel: k, padding: pad } = shape;
  const g: ConvGeometry = { h, w, c, k, pad, ho: h + 2 * pad - k + 1, wo: w + 2 * pad - k + 1 };
  if (x.length !== batch * h * w * c) throw new RangeError(`x has ${x.length} elements, the shape ${batch}×${h}×${w}×${c} (NHWC) needs ${batch * h * w * c}`);
  if (weights.length !== k * k * c * outChannels) throw new RangeError(`weights has ${weights.length} elements, a ${k}×${k}×${c}→${outChannels} kernel needs ${k * k * c * outChannels}`);
  const z = new Float32Array(batch * g.ho * g.wo * outChannels);
  convForwardInto(x, batch, g, weights, outChannels, opts.backend ?? jsMatMul, z, FRESH, "conv", opts.patchBudget ?? DEFAULT_PATCH_BUDGET);
  return z;
}

/**
 * 2×2 max-pool, stride 2, of an NHWC batch (H, W even): out[b, i, j, c] = max over the 2×2 window, and
 * argmax[o] = the index into x of the chosen element (the first maximum in the order (0,0), (0,1), (1,0), (1,1)).
 */
export function maxPool2(x: Float32Array, batch: number, h: number, w: number, c: number, out?: Float32Array, argmax?: Int32Array): { out: Float32Array; argmax: Int32Array } {
  const ho = h / 2;
  const wo = w / 2;
  const n = batch * ho * wo * c;
  const o = out ?? new Float32Array(n);
  const am = argmax ?? new Int32Array(n);
  const rowStride = w * c;
  let idx = 0;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < ho; i++) {
      for (let j = 0; j < wo; j++) {
        const base = ((b * h + 2 * i) * w + 2 * j) * c;
        for (let ch = 0; ch < c; ch++, idx++) {
          const i00 = base + ch;
          let best = i00;
          let v = x[i00];
          const i01 = i00 + c;
          if (x[i01] > v) { v = x[i01]; best = i01; }
          const i10 = i00 + rowStride;
          if (x[i10] > v) { v = x[i10]; best = i10; }
          const i11 = i10 + c;
          if (x[i11] > v) { v = x[i11]; best = i11; }
          o[idx] = v;
          am[idx] = best;
        }
      }
    }
  }
  return { out: o, argmax: am };
}

/** Backward of {@link maxPool2}: dx[argmax[o]] += dOut[o], all other entries 0. */
export function maxPool2Backward(dOut: Float32Array, argmax: Int32Array, inLength: number, dx?: Float32Array): Float32Array {
  const d = dx ? dx.fill(0, 0, inLength) : new Float32Array(inLength);
  for (let o = 0; o < dOut.length; o++) d[argmax[o]] += dOut[o];
  return d;
}
