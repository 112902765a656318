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
import { requireInRange, requireInteger, requireNonNegative, requirePositive } from "../util/validate";
import { batchNormBackward, batchNormForward, freshBatchNorm, type BatchNormState } from "./batchnorm";
import { jsMatMul, matmulTransposedA, matmulTransposedB, type MatMulBackend } from "./matmul";
import { makeBinarizer, type WeightPathConfig } from "./quantizers";
import { validateProgrammingErrorWrites } from "./programming-error";

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

export interface BinaryNetwork {
  readonly config: Readonly<NetworkConfig>;
  /** Hidden weights W_h per layer (in×out), the optimizer's state and the device targets. */
  hidden: Float32Array[];
  /** bn[task][layer]. */
  bn: BatchNormState[][];
}

/** How evaluation normalises: with the statistics of the evaluated batch (Laborieux) or running ones. */
export type BnMode = "batch" | "running";

export type { BatchNormState };

function validateConfig(cfg: NetworkConfig): void {
  if (!Array.isArray(cfg.layerSizes) || cfg.layerSizes.length < 2) throw new RangeError(`layerSizes must list at least inputs and outputs, got ${JSON.stringify(cfg.layerSizes)}`);
  cfg.layerSizes.forEach((n, i) => requireInteger(`layerSizes[${i}]`, n, 1));
  requireInteger("tasks", cfg.tasks, 1);
  requirePositive("initScale", cfg.initScale);
  requirePositive("hiddenBound", cfg.hiddenBound);
  requireNonNegative("programmingNoiseRel", cfg.programmingNoiseRel);
  validateProgrammingErrorWrites(cfg.programmingErrorWrites);
  requirePositive("bnEps", cfg.bnEps);
  requireInRange("bnMomentum", cfg.bnMomentum, 0, 1); // running ← (1 − m)·running + m·batch
  if (cfg.hiddenBits !== null) requireInteger("hiddenBits", cfg.hiddenBits, 1);
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
  const bn = Array.from({ length: cfg.tasks }, () => sizes.slice(1).map((n) => freshBatchNorm(n)));
  return { config: Object.freeze({ ...cfg, layerSizes: [...sizes] }), hidden, bn };
}

/**
 * Inference weights W_b = f(Q_n(clip(W_h))) of every layer for the present hidden weights, of a fully connected
 * or a convolutional network (both keep their weight path in `config`).
 */
export function inferenceWeights(net: { readonly config: WeightPathConfig; readonly hidden: readonly Float32Array[] }): Float32Array[] {
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
  /**
   * False when some BatchNorm output is non-finite (training mode only: a non-finite product or γ, β
   * shows up in the batch mean, so this is decided from the per-feature statistics, not by scanning y).
   */
  finite: boolean;
}

/**
 * Reusable arrays for the forward and backward pass of one batch shape. A {@link Trainer} keeps one, so a
 * training step allocates (and the garbage collector frees) almost nothing. Arrays handed out by a
 * workspace are overwritten by the next pass that uses the same workspace.
 */
export class Workspace {
  private readonly f32s = new Map<string, Float32Array>();
  private readonly f64s = new Map<string, Float64Array>();
  /** A Float32Array of length n for `key` (contents unspecified). */
  f32(key: string, n: number): Float32Array {
    let a = this.f32s.get(key);
    if (!a || a.length !== n) {
      a = new Float32Array(n);
      this.f32s.set(key, a);
    }
    return a;
  }
  /** A zeroed Float64Array of length n for `key`. */
  f64(key: string, n: number): Float64Array {
    let a = this.f64s.get(key);
    if (!a || a.length !== n) {
      a = new Float64Array(n);
      this.f64s.set(key, a);
    } else a.fill(0);
    return a;
  }
}

/** Fresh arrays on every call (the default when no workspace is given). */
const FRESH = { f32: (_key: string, n: number) => new Float32Array(n), f64: (_key: string, n: number) => new Float64Array(n) };

/**
 * Forward pass on a batch (batch×inputs) with given inference weights. `training` uses batch statistics
 * and updates the running ones; otherwise `bnMode` chooses. `workspace`: reuse its arrays (the result is
 * then only valid until the next pass with the same workspace). BatchNorm and its fixed numerics: batchnorm.ts.
 */
export function forward(
  net: BinaryNetwork,
  weights: Float32Array[],
  x: Float32Array,
  batch: number,
  task: number,
  opts: { training: boolean; bnMode?: BnMode; backend?: MatMulBackend; workspace?: Workspace },
): ForwardResult {
  const sizes = net.config.layerSizes;
  if (x.length !== batch * sizes[0]) throw new RangeError(`input batch has shape ${batch}×${x.length / batch}, the network's first layer expects ${batch}×${sizes[0]}`);
  if (!(task >= 0 && task < net.bn.length)) throw new RangeError(`task must be in [0, ${net.bn.length - 1}], got ${task}`);
  const backend = opts.backend ?? jsMatMul;
  const ws = opts.workspace ?? FRESH;
  const useBatchStats = opts.training || (opts.bnMode ?? "batch") === "batch";
  const bnOpts = { training: opts.training, useBatchStats, eps: net.config.bnEps, momentum: net.config.bnMomentum };
  const caches: LayerCache[] = [];
  let finite = true;
  let input = x;
  const L = weights.length;
  for (let l = 0; l < L; l++) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const size = batch * nOut;
    const z = backend.matmul(input, weights[l], batch, nIn, nOut, ws.f32(`z${l}`, size));
    const invStd = ws.f32(`invStd${l}`, nOut);
    const xhat = ws.f32(`xhat${l}`, size);
    const y = ws.f32(`y${l}`, size);
    const last = l === L - 1;
    const next = last ? y : ws.f32(`act${l}`, size);
    if (!batchNormForward(z, batch, nOut, net.bn[task][l], bnOpts, { xhat, y, invStd, sign: last ? undefined : next })) finite = false;
    caches.push({ input, xhat, invStd, y });
    input = next;
  }
  return { caches, logits: caches[L - 1].y, finite };
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

/** Gradients of one batch: per layer dW (in×out), dγ and dβ. */
export interface Gradients {
  weights: Float32Array[];
  gamma: Float32Array[];
  beta: Float32Array[];
}

/**
 * Backward pass. `gradLogits` is dLoss/dy of the last layer. BatchNorm backward with batch statistics:
 * dz = invStd/B·(B·dx̂ − Σ_b dx̂ − x̂·Σ_b dx̂·x̂), dx̂ = γ·dy. Sign backward: dy_l = dx_{l+1}·[|y_l| ≤ 1].
 * `gradBuffers`: optional per-layer arrays (in×out) to write the weight gradients into; `workspace`: reuse
 * its arrays for everything else (valid until the next pass with the same workspace).
 */
export function backward(
  net: BinaryNetwork,
  weights: Float32Array[],
  fwd: ForwardResult,
  gradLogits: Float32Array,
  batch: number,
  task: number,
  backend: MatMulBackend = jsMatMul,
  gradBuffers?: Float32Array[],
  workspace?: Workspace,
): Gradients {
  const sizes = net.config.layerSizes;
  const ws = workspace ?? FRESH;
  const L = weights.length;
  const out: Gradients = { weights: new Array(L), gamma: new Array(L), beta: new Array(L) };
  let dy = gradLogits;
  for (let l = L - 1; l >= 0; l--) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const size = batch * nOut;
    const c = fwd.caches[l];
    const { xhat, invStd } = c;
    const dGamma = ws.f32(`dGamma${l}`, nOut);
    const dBeta = ws.f32(`dBeta${l}`, nOut);
    const dz = ws.f32(`dz${l}`, size);
    batchNormBackward(dy, xhat, invStd, net.bn[task][l].gamma, batch, nOut, { dz, dGamma, dBeta });
    out.gamma[l] = dGamma;
    out.beta[l] = dBeta;
    // dW = Xᵀ·dZ (X is batch×nIn): nIn×nOut.
    out.weights[l] = matmulTransposedA(backend, c.input, dz, nIn, batch, nOut, gradBuffers?.[l], ws.f32(`inputT${l}`, batch * nIn));
    if (l > 0) {
      // dX = dZ·Wᵀ (W is nIn×nOut): batch×nIn, masked by the straight-through estimator of the sign.
      const dx = matmulTransposedB(backend, dz, weights[l], batch, nOut, nIn, ws.f32(`dx${l}`, batch * nIn), backend.matmulTransB ? undefined : ws.f32(`wT${l}`, nIn * nOut));
      const prevY = fwd.caches[l - 1].y;
      for (let i = 0; i < dx.length; i++) if (prevY[i] > 1 || prevY[i] < -1) dx[i] = 0;
      dy = dx;
    }
  }
  return out;
}
