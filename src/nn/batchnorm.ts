/**
 * BatchNorm over the columns of a rows × features matrix, shared by the fully connected and the
 * convolutional binarized networks (a conv block normalises its (batch·H·W) × C output per channel).
 *
 * Forward, per feature j, with μ_j, σ²_j the biased statistics of the N rows (training, or evaluation with
 * batch statistics as in Laborieux et al.'s code) or the running ones:
 *   x̂ = (z − μ_j)/√(σ²_j + ε),   y = γ_j·x̂ + β_j.
 * Training updates the running statistics with momentum m and the unbiased variance (PyTorch's convention):
 *   μ_run ← (1 − m)·μ_run + m·μ_j,   σ²_run ← (1 − m)·σ²_run + m·σ²_j·N/(N − 1).
 * Backward with batch statistics, dx̂ = γ·dy:
 *   dγ = Σ_rows dy·x̂,   dβ = Σ_rows dy,   dz = (invStd/N)·(N·dx̂ − Σ dx̂ − x̂·Σ dx̂·x̂).
 *
 * Numerics are fixed on purpose (full-mode checkpoints resume bit-identically only if they never change):
 * 1/√(σ² + ε) is stored in a Float32Array and read back before use; dγ and dβ accumulate in float32 (every
 * partial sum rounded, as a Float32Array element would be); the other sums run in float64 in row order.
 */

/** Learned scale/shift and running statistics of one BatchNorm layer (one per task and layer). */
export interface BatchNormState {
  gamma: Float32Array;
  beta: Float32Array;
  runningMean: Float32Array;
  runningVar: Float32Array;
}

/** γ = 1, β = 0, running mean 0 and running variance 1 (PyTorch's initial state). */
export function freshBatchNorm(features: number): BatchNormState {
  return { gamma: new Float32Array(features).fill(1), beta: new Float32Array(features), runningMean: new Float32Array(features), runningVar: new Float32Array(features).fill(1) };
}

export interface BatchNormForwardOptions {
  /** Update the running statistics (and use batch statistics). */
  training: boolean;
  /** Normalise with the statistics of this batch rather than the running ones (always true in training). */
  useBatchStats: boolean;
  /** ε added to the variance. */
  eps: number;
  /** Running-statistics momentum m. */
  momentum: number;
}

/** Where the forward pass writes: x̂ and y (rows × features), 1/√(σ² + ε) per feature, optionally sign(y). */
export interface BatchNormForwardBuffers {
  xhat: Float32Array;
  y: Float32Array;
  invStd: Float32Array;
  /** If given, receives sign(y) ∈ {−1, +1} (0 counts as +1), computed from y before float32 rounding. */
  sign?: Float32Array;
}

/** Forward pass (see the module comment). Returns false when a batch mean (or γ, β) is non-finite. */
export function batchNormForward(z: Float32Array, rows: number, features: number, bn: BatchNormState, opts: BatchNormForwardOptions, out: BatchNormForwardBuffers): boolean {
  const size = rows * features;
  const { gamma, beta, runningMean, runningVar } = bn;
  const { xhat, y, invStd, sign } = out;
  const mom = opts.momentum;
  const unbiased = rows > 1 ? rows / (rows - 1) : 1;
  let finite = true;
  for (let j = 0; j < features; j++) {
    let mean: number;
    let varr: number;
    if (opts.useBatchStats || opts.training) {
      let s = 0;
      for (let i = j; i < size; i += features) s += z[i];
      mean = s / rows;
      let v = 0;
      for (let i = j; i < size; i += features) {
        const d = z[i] - mean;
        v += d * d;
      }
      varr = v / rows;
      if (opts.training) {
        runningMean[j] = (1 - mom) * runningMean[j] + mom * mean;
        runningVar[j] = (1 - mom) * runningVar[j] + mom * varr * unbiased;
      }
      if (!Number.isFinite(mean + gamma[j] + beta[j])) finite = false;
    } else {
      mean = runningMean[j];
      varr = runningVar[j];
    }
    invStd[j] = 1 / Math.sqrt(varr + opts.eps);
    const inv = invStd[j];
    const g = gamma[j];
    const b = beta[j];
    for (let i = j; i < size; i += features) {
      const xh = (z[i] - mean) * inv;
      xhat[i] = xh;
      const yy = g * xh + b;
      y[i] = yy;
      if (sign) sign[i] = yy >= 0 ? 1 : -1;
    }
  }
  return finite;
}

/** Where the backward pass writes: dz (rows × features), dγ and dβ (per feature). */
export interface BatchNormGradients {
  dz: Float32Array;
  dGamma: Float32Array;
  dBeta: Float32Array;
}

/** Backward pass with batch statistics (see the module comment); `xhat`, `invStd` from the forward pass. */
export function batchNormBackward(dy: Float32Array, xhat: Float32Array, invStd: Float32Array, gamma: Float32Array, rows: number, features: number, out: BatchNormGradients): void {
  const size = rows * features;
  const { dz, dGamma, dBeta } = out;
  for (let j = 0; j < features; j++) {
    let dg = 0;
    let db = 0;
    let sumDxh = 0;
    let sumDxhXh = 0;
    const gj = gamma[j];
    for (let i = j; i < size; i += features) {
      const g = dy[i];
      const xh = xhat[i];
      dg = Math.fround(dg + g * xh);
      db = Math.fround(db + g);
      const dxh = g * gj;
      sumDxh += dxh;
      sumDxhXh += dxh * xh;
    }
    dGamma[j] = dg;
    dBeta[j] = db;
    const scale = invStd[j] / rows;
    for (let i = j; i < size; i += features) {
      const dxh = dy[i] * gj;
      dz[i] = scale * (rows * dxh - sumDxh - xhat[i] * sumDxhXh);
    }
  }
}
