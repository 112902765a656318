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
  /**
   * ε added to √v̂ (the textbook form). Laborieux et al.: 1e-8, added to √v before the bias correction, which makes
   * theirs ε/√(1 − β2^t) on √v̂ (3.2e-7 at t = 1); the two differ only for gradients below about 1e-7.
   */
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

/**
 * The |W_h| beyond which the metaplastic damping of a step toward zero, f_meta = 1 − tanh²(m·|W_h|), is below
 * `damping`: atanh(√(1 − damping))/m (a weight there is practically frozen). Infinity for m = 0, where nothing is
 * damped. `damping` in (0, 1).
 */
export function frozenBeyond(meta: number, damping = 1e-2): number {
  requireNonNegative("meta (m)", meta);
  if (!(damping > 0 && damping < 1)) throw new RangeError(`damping must be in (0, 1), got ${damping}`);
  return meta === 0 ? Infinity : Math.atanh(Math.sqrt(1 - damping)) / meta;
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

/** Per-step constants of one Adam step (bias corrections folded in). */
export interface AdamCoefficients {
  beta1: number;
  beta2: number;
  eps: number;
  meta: number;
  /** lr/(1 − β1^t). */
  stepSize: number;
  /** 1/√(1 − β2^t). */
  invSqrtBc2: number;
}

/** The constants of step number `step` (1-based). */
export function adamCoefficients(cfg: AdamConfig, step: number): AdamCoefficients {
  return { beta1: cfg.beta1, beta2: cfg.beta2, eps: cfg.eps, meta: cfg.meta, stepSize: cfg.lr / (1 - cfg.beta1 ** step), invSqrtBc2: 1 / Math.sqrt(1 - cfg.beta2 ** step) };
}

/**
 * The update of elements [i0, i1) of one parameter tensor (the kernel shared by the serial step and the
 * worker threads). `metaplastic` false: plain Adam, no clip; true: f_meta damping (if meta > 0) and clip.
 */
export function adamUpdateRange(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, i0: number, i1: number, c: AdamCoefficients, metaplastic: boolean, clipBound: number): void {
  const { beta1, beta2, eps, meta, stepSize, invSqrtBc2 } = c;
  const a1 = 1 - beta1;
  const a2 = 1 - beta2;
  const clip = metaplastic ? clipBound : Infinity;
  if (!metaplastic || meta === 0) {
    for (let i = i0; i < i1; i++) {
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
    return;
  }
  for (let i = i0; i < i1; i++) {
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

/** One optimizer step over all parameters, in place. */
export function adamStep(params: readonly ParamSlot[], state: AdamState, cfg: AdamConfig): void {
  state.step += 1;
  const c = adamCoefficients(cfg, state.step);
  for (let s = 0; s < params.length; s++) {
    const p = params[s];
    adamUpdateRange(p.value, p.grad, state.m[s], state.v[s], 0, p.value.length, c, p.metaplastic, p.clip);
  }
}
