/**
 * Metaplastic Adam (Laborieux et al., Nat. Commun. 12, 2549 (2021)): Adam whose step on a hidden
 * weight W_h is damped where it would shrink |W_h|, so that weights far from zero (important for an
 * earlier task) consolidate.
 *
 * For each parameter with gradient g (for weight matrices: the gradient w.r.t. W_b, applied to W_h):
 *   m_t = β1·m_{t−1} + (1 − β1)·g,       v_t = β2·v_{t−1} + (1 − β2)·g²
 *   m̂ = m_t/(1 − β1^t),                   v̂ = v_t/(1 − β2^t)
 *   u  = m̂ · (f_meta(W_h) if sign(W_h)·m_t > 0 else 1),   f_meta(W) = 1 − tanh²(meta·|W|)
 *   W_h ← clip(W_h − lr·u/(√v̂ + ε), ±bound)
 * sign(W_h)·m_t > 0 means the step −lr·u points against sign(W_h), i.e. towards zero. `meta` = 0 gives
 * f_meta ≡ 1: plain Adam, the non-metaplastic baseline. Parameters flagged `metaplastic: false`
 * (BatchNorm γ, β) always get plain Adam and are not clipped. The stored moment m_t is never damped;
 * only the applied step is.
 */
import { requireFinite, requireNonNegative, requirePositive } from "../util/validate";

export interface AdamConfig {
  /** Learning rate (step scale), dimensionless. Paper: 0.005 (§4.5, §4.9). */
  lr: number;
  /** Metaplasticity strength m ≥ 0; 0 disables the consolidation. Paper: 10 (small), 12 (large). */
  meta: number;
  /** First-moment decay β1. Laborieux et al.: 0.9. */
  beta1: number;
  /** Second-moment decay β2. Laborieux et al.: 0.999. */
  beta2: number;
  /** ε added to √v̂. Laborieux et al.: 1e-8. */
  eps: number;
}

export const ADAM_DEFAULTS: Readonly<Omit<AdamConfig, "lr" | "meta">> = Object.freeze({ beta1: 0.9, beta2: 0.999, eps: 1e-8 });

/** One parameter tensor under the optimizer. */
export interface ParamSlot {
  name: string;
  value: Float32Array;
  grad: Float32Array;
  /** Apply the f_meta damping and clip to ±clip (hidden weights); false for BatchNorm parameters. */
  metaplastic: boolean;
  /** Clip bound for metaplastic parameters (the hidden-weight boundary); ignored otherwise. */
  clip: number;
}

export interface AdamState {
  step: number;
  m: Float32Array[];
  v: Float32Array[];
}

/** f_meta(W) = 1 − tanh²(meta·|W|). */
export function fMeta(meta: number, w: number): number {
  const t = Math.tanh(meta * Math.abs(w));
  return 1 - t * t;
}

export function validateAdam(cfg: AdamConfig): void {
  requirePositive("lr", cfg.lr);
  requireNonNegative("meta", cfg.meta);
  requireFinite("beta1", cfg.beta1);
  requireFinite("beta2", cfg.beta2);
  requirePositive("eps", cfg.eps);
  if (!(cfg.beta1 >= 0 && cfg.beta1 < 1)) throw new RangeError(`beta1 must be in [0, 1), got ${cfg.beta1}`);
  if (!(cfg.beta2 >= 0 && cfg.beta2 < 1)) throw new RangeError(`beta2 must be in [0, 1), got ${cfg.beta2}`);
}

/** Fresh (zero) Adam state for these parameters: used at the start of every task. */
export function initAdam(params: readonly ParamSlot[]): AdamState {
  return { step: 0, m: params.map((p) => new Float32Array(p.value.length)), v: params.map((p) => new Float32Array(p.value.length)) };
}

/** One optimizer step over all parameters, in place. */
export function adamStep(params: readonly ParamSlot[], state: AdamState, cfg: AdamConfig): void {
  state.step += 1;
  const { lr, meta, beta1, beta2, eps } = cfg;
  const bc1 = 1 - beta1 ** state.step;
  const bc2 = 1 - beta2 ** state.step;
  const stepSize = lr / bc1;
  const invSqrtBc2 = 1 / Math.sqrt(bc2);
  const a1 = 1 - beta1;
  const a2 = 1 - beta2;
  for (let s = 0; s < params.length; s++) {
    const p = params[s];
    const w = p.value;
    const g = p.grad;
    const m = state.m[s];
    const v = state.v[s];
    const n = w.length;
    if (!p.metaplastic || meta === 0) {
      const clip = p.metaplastic ? p.clip : Infinity;
      for (let i = 0; i < n; i++) {
        const gi = g[i];
        const mi = beta1 * m[i] + a1 * gi;
        const vi = beta2 * v[i] + a2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        let wi = w[i] - (stepSize * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
        if (wi > clip) wi = clip;
        else if (wi < -clip) wi = -clip;
        w[i] = wi;
      }
      continue;
    }
    const clip = p.clip;
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const mi = beta1 * m[i] + a1 * gi;
      const vi = beta2 * v[i] + a2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      const wOld = w[i];
      let u = mi;
      // sign(W_h)·m > 0 (sign(0) = +1): the step would shrink |W_h|.
      if ((wOld >= 0 ? mi : -mi) > 0) {
        // 1 − tanh²(x) = 1/cosh²(x) = 4e/(1 + e)² with e = exp(−2x), x = meta·|W| ≥ 0: one exp, no overflow.
        const e = Math.exp(-2 * meta * (wOld >= 0 ? wOld : -wOld));
        const d = 1 + e;
        u = (mi * 4 * e) / (d * d);
      }
      let wi = wOld - (stepSize * u) / (Math.sqrt(vi) * invSqrtBc2 + eps);
      if (wi > clip) wi = clip;
      else if (wi < -clip) wi = -clip;
      w[i] = wi;
    }
  }
}
