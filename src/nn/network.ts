/**
 * The binarized fully connected network of Laborieux et al. with an MTT weight path:
 *   layer l: z = x·W_b (no bias) → y = BatchNorm(z) → x_{l+1} = sign(y)   (hidden layers)
 *   last layer: z = x·W_b → y = BatchNorm(z) → softmax cross-entropy (≥ 2 outputs) or, for a single
 *   output, sigmoid binary cross-entropy with class = [y ≥ 0] (the 2×3×1 networks of Yang Figs 5, 6,
 *   whose hardware ends in a sign unit; the loss is our assumption, the paper does not state it).
 * The first layer takes real-valued inputs; hidden activations are ±1 (sign(0) = +1) and their backward
 * pass is the straight-through estimator masked to |y| ≤ 1. W_b = f(Q_n(W_h)) (see quantizers.ts); the
 * gradient w.r.t. W_b is applied to W_h. BatchNorm normalises with batch statistics in training; each
 * task owns its own γ, β and running statistics (task-incremental continual learning).
 *
 * Shapes: activations are batch×features row-major; a weight matrix is in×out row-major.
 */
import type { Rng } from "../util/rng";
import { requireFinite, requireInteger, requireNonNegative, requirePositive } from "../util/validate";
import { jsMatMul, transpose, type MatMulBackend } from "./matmul";
import { makeBinarizer, type WeightPathConfig } from "./quantizers";

export interface NetworkConfig extends WeightPathConfig {
  /** [inputs, hidden…, outputs], e.g. [784, 1000, 500, 10] or [2, 3, 1]. */
  layerSizes: number[];
  /** Number of tasks, each with its own BatchNorm state. */
  tasks: number;
  /** Hidden weights start as U(−initScale, initScale). Laborieux et al.: 0.05 (their init, "public model"). */
  initScale: number;
  /** BatchNorm ε added to the variance. PyTorch default 1e-5 (assumed, as in Laborieux's code). */
  bnEps: number;
  /** Running-statistics momentum (used only for `bnMode: "running"` evaluation). PyTorch default 0.1. */
  bnMomentum: number;
}

export const NETWORK_DEFAULTS = Object.freeze({ hiddenBound: 1, programmingNoiseRel: 0, tasks: 1, initScale: 0.05, bnEps: 1e-5, bnMomentum: 0.1, hiddenBits: null as number | null });

export interface BatchNormState {
  gamma: Float32Array;
  beta: Float32Array;
  runningMean: Float32Array;
  runningVar: Float32Array;
}

export interface BinaryNetwork {
  readonly config: Readonly<NetworkConfig>;
  /** Hidden weights W_h per layer (in×out), the optimizer's state and the device targets. */
  hidden: Float32Array[];
  /** bn[task][layer]. */
  bn: BatchNormState[][];
}

/** How evaluation normalises: with the statistics of the evaluated batch (Laborieux) or running ones. */
export type BnMode = "batch" | "running";

function validateConfig(cfg: NetworkConfig): void {
  if (!Array.isArray(cfg.layerSizes) || cfg.layerSizes.length < 2) throw new RangeError(`layerSizes must list at least inputs and outputs, got ${JSON.stringify(cfg.layerSizes)}`);
  cfg.layerSizes.forEach((n, i) => requireInteger(`layerSizes[${i}]`, n, 1));
  requireInteger("tasks", cfg.tasks, 1);
  requirePositive("initScale", cfg.initScale);
  requirePositive("hiddenBound", cfg.hiddenBound);
  requireNonNegative("programmingNoiseRel", cfg.programmingNoiseRel);
  requirePositive("bnEps", cfg.bnEps);
  requireFinite("bnMomentum", cfg.bnMomentum);
  if (cfg.hiddenBits !== null) requireInteger("hiddenBits", cfg.hiddenBits, 1);
}

function freshBn(n: number): BatchNormState {
  return { gamma: new Float32Array(n).fill(1), beta: new Float32Array(n), runningMean: new Float32Array(n), runningVar: new Float32Array(n).fill(1) };
}

/**
 * A new network with W_h ~ U(−initScale, initScale) drawn from `rng` and fresh BatchNorm per task.
 * `allocate`: where the hidden-weight arrays live (default: ordinary Float32Arrays; the two-thread pool of
 * parallel.ts passes its shared SIMD arena; the values are identical).
 */
export function createNetwork(config: Partial<NetworkConfig> & Pick<NetworkConfig, "layerSizes" | "transfer">, rng: Rng, opts: { allocate?: (n: number) => Float32Array } = {}): BinaryNetwork {
  const cfg: NetworkConfig = { ...NETWORK_DEFAULTS, ...config } as NetworkConfig;
  validateConfig(cfg);
  const sizes = cfg.layerSizes;
  const hidden: Float32Array[] = [];
  const wr = rng.fork("init-weights");
  for (let l = 0; l + 1 < sizes.length; l++) {
    const n = sizes[l] * sizes[l + 1];
    const w = opts.allocate ? opts.allocate(n) : new Float32Array(n);
    for (let i = 0; i < w.length; i++) w[i] = wr.uniformIn(-cfg.initScale, cfg.initScale);
    hidden.push(w);
  }
  const bn = Array.from({ length: cfg.tasks }, () => sizes.slice(1).map((n) => freshBn(n)));
  return { config: Object.freeze({ ...cfg, layerSizes: [...sizes] }), hidden, bn };
}

export function layerCount(net: BinaryNetwork): number {
  return net.hidden.length;
}

/** Inference weights W_b of every layer for the present hidden weights. */
export function inferenceWeights(net: BinaryNetwork): Float32Array[] {
  const bin = makeBinarizer(net.config);
  return net.hidden.map((h) => {
    const out = new Float32Array(h.length);
    bin(h, out);
    return out;
  });
}

/** What the forward pass keeps for the backward pass, per layer. */
export interface LayerCache {
  input: Float32Array;
  xhat: Float32Array;
  invStd: Float32Array;
  /** BatchNorm output y (pre-activation of the sign, or the logits of the last layer). */
  y: Float32Array;
}

export interface ForwardResult {
  caches: LayerCache[];
  /** Last-layer BatchNorm output (batch×outputs). */
  logits: Float32Array;
}

/**
 * Forward pass on a batch (batch×inputs) with given inference weights. `training` uses batch statistics
 * and updates the running ones; otherwise `bnMode` chooses.
 */
export function forward(
  net: BinaryNetwork,
  weights: Float32Array[],
  x: Float32Array,
  batch: number,
  task: number,
  opts: { training: boolean; bnMode?: BnMode; backend?: MatMulBackend },
): ForwardResult {
  const sizes = net.config.layerSizes;
  if (x.length !== batch * sizes[0]) throw new RangeError(`input batch has shape ${batch}×${x.length / batch}, the network's first layer expects ${batch}×${sizes[0]}`);
  if (!(task >= 0 && task < net.bn.length)) throw new RangeError(`task must be in [0, ${net.bn.length - 1}], got ${task}`);
  const backend = opts.backend ?? jsMatMul;
  const useBatchStats = opts.training || (opts.bnMode ?? "batch") === "batch";
  const { bnEps: eps, bnMomentum: mom } = net.config;
  const caches: LayerCache[] = [];
  let input = x;
  const L = weights.length;
  for (let l = 0; l < L; l++) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const z = backend.matmul(input, weights[l], batch, nIn, nOut);
    const bn = net.bn[task][l];
    const mean = new Float64Array(nOut);
    const varr = new Float64Array(nOut);
    if (useBatchStats) {
      for (let b = 0; b < batch; b++) {
        const row = b * nOut;
        for (let j = 0; j < nOut; j++) mean[j] += z[row + j];
      }
      for (let j = 0; j < nOut; j++) mean[j] /= batch;
      for (let b = 0; b < batch; b++) {
        const row = b * nOut;
        for (let j = 0; j < nOut; j++) {
          const d = z[row + j] - mean[j];
          varr[j] += d * d;
        }
      }
      for (let j = 0; j < nOut; j++) varr[j] /= batch;
      if (opts.training) {
        const unbiased = batch > 1 ? batch / (batch - 1) : 1;
        for (let j = 0; j < nOut; j++) {
          bn.runningMean[j] = (1 - mom) * bn.runningMean[j] + mom * mean[j];
          bn.runningVar[j] = (1 - mom) * bn.runningVar[j] + mom * varr[j] * unbiased;
        }
      }
    } else {
      for (let j = 0; j < nOut; j++) {
        mean[j] = bn.runningMean[j];
        varr[j] = bn.runningVar[j];
      }
    }
    const invStd = new Float32Array(nOut);
    for (let j = 0; j < nOut; j++) invStd[j] = 1 / Math.sqrt(varr[j] + eps);
    const xhat = new Float32Array(batch * nOut);
    const y = new Float32Array(batch * nOut);
    const last = l === L - 1;
    const next = last ? y : new Float32Array(batch * nOut);
    for (let b = 0; b < batch; b++) {
      const row = b * nOut;
      for (let j = 0; j < nOut; j++) {
        const xh = (z[row + j] - mean[j]) * invStd[j];
        xhat[row + j] = xh;
        const yy = bn.gamma[j] * xh + bn.beta[j];
        y[row + j] = yy;
        if (!last) next[row + j] = yy >= 0 ? 1 : -1;
      }
    }
    caches.push({ input, xhat, invStd, y });
    input = next;
  }
  return { caches, logits: caches[L - 1].y };
}

/** Mean loss, its gradient w.r.t. the logits, and the number of correct predictions. */
export function lossAndGrad(logits: Float32Array, labels: ArrayLike<number>, batch: number, nOut: number): { loss: number; grad: Float32Array; correct: number } {
  const grad = new Float32Array(batch * nOut);
  let loss = 0;
  let correct = 0;
  if (nOut === 1) {
    for (let b = 0; b < batch; b++) {
      const yv = logits[b];
      const t = labels[b];
      // log(1 + e^{-|y|}) formulation avoids overflow.
      const softplusNeg = Math.log1p(Math.exp(-Math.abs(yv)));
      loss += Math.max(yv, 0) - yv * t + softplusNeg;
      const p = 1 / (1 + Math.exp(-yv));
      grad[b] = (p - t) / batch;
      if ((yv >= 0 ? 1 : 0) === t) correct++;
    }
    return { loss: loss / batch, grad, correct };
  }
  for (let b = 0; b < batch; b++) {
    const row = b * nOut;
    let mx = -Infinity;
    let arg = 0;
    for (let j = 0; j < nOut; j++) if (logits[row + j] > mx) { mx = logits[row + j]; arg = j; }
    let s = 0;
    for (let j = 0; j < nOut; j++) s += Math.exp(logits[row + j] - mx);
    const t = labels[b];
    loss += -(logits[row + t] - mx - Math.log(s));
    for (let j = 0; j < nOut; j++) grad[row + j] = (Math.exp(logits[row + j] - mx) / s - (j === t ? 1 : 0)) / batch;
    if (arg === t) correct++;
  }
  return { loss: loss / batch, grad, correct };
}

/** Reused transposed-weight buffers, one per inference-weight array (saves a large allocation per step). */
const transposeScratch = new WeakMap<Float32Array, Float32Array>();
function scratchFor(w: Float32Array): Float32Array {
  let t = transposeScratch.get(w);
  if (!t || t.length !== w.length) {
    t = new Float32Array(w.length);
    transposeScratch.set(w, t);
  }
  return t;
}

/** Gradients of one batch: per layer dW (in×out), dγ and dβ. */
export interface Gradients {
  weights: Float32Array[];
  gamma: Float32Array[];
  beta: Float32Array[];
}

/**
 * Backward pass. `gradLogits` is dLoss/dy of the last layer. BatchNorm backward with batch statistics:
 * dz = invStd/B·(B·dx̂ − Σ_b dx̂ − x̂·Σ_b dx̂·x̂), dx̂ = γ·dy. Sign backward: dy_l = dx_{l+1}·[|y_l| ≤ 1].
 * `gradBuffers`: optional per-layer arrays (in×out) to write the weight gradients into.
 */
export function backward(net: BinaryNetwork, weights: Float32Array[], fwd: ForwardResult, gradLogits: Float32Array, batch: number, task: number, backend: MatMulBackend = jsMatMul, gradBuffers?: Float32Array[]): Gradients {
  const sizes = net.config.layerSizes;
  const L = weights.length;
  const out: Gradients = { weights: new Array(L), gamma: new Array(L), beta: new Array(L) };
  let dy = gradLogits;
  for (let l = L - 1; l >= 0; l--) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const c = fwd.caches[l];
    const gamma = net.bn[task][l].gamma;
    const dGamma = new Float32Array(nOut);
    const dBeta = new Float32Array(nOut);
    const sumDxh = new Float64Array(nOut);
    const sumDxhXh = new Float64Array(nOut);
    for (let b = 0; b < batch; b++) {
      const row = b * nOut;
      for (let j = 0; j < nOut; j++) {
        const g = dy[row + j];
        const xh = c.xhat[row + j];
        dGamma[j] += g * xh;
        dBeta[j] += g;
        const dxh = g * gamma[j];
        sumDxh[j] += dxh;
        sumDxhXh[j] += dxh * xh;
      }
    }
    const dz = new Float32Array(batch * nOut);
    for (let b = 0; b < batch; b++) {
      const row = b * nOut;
      for (let j = 0; j < nOut; j++) {
        const dxh = dy[row + j] * gamma[j];
        dz[row + j] = (c.invStd[j] / batch) * (batch * dxh - sumDxh[j] - c.xhat[row + j] * sumDxhXh[j]);
      }
    }
    out.gamma[l] = dGamma;
    out.beta[l] = dBeta;
    const inputT = transpose(c.input, batch, nIn);
    out.weights[l] = backend.matmul(inputT, dz, nIn, batch, nOut, gradBuffers?.[l]);
    if (l > 0) {
      const wT = transpose(weights[l], nIn, nOut, scratchFor(weights[l]));
      const dx = backend.matmul(dz, wT, batch, nOut, nIn);
      const prevY = fwd.caches[l - 1].y;
      for (let i = 0; i < dx.length; i++) if (prevY[i] > 1 || prevY[i] < -1) dx[i] = 0;
      dy = dx;
    }
  }
  return out;
}
