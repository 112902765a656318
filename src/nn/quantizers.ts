/**
 * The weight path of one MTT synapse in the network: a hidden weight W_h (the analog device state,
 * normalised to [−bound, bound]) is optionally quantized to n bits, optionally perturbed by programming
 * noise, and turned into the inference weight W_b by a {@link WeightTransferFunction} (ideal sign, an
 * MTT binary function or a ternary one).
 */
import { idealSign, type WeightTransferFunction } from "../mtt/transfer-function";
import { requireInteger, requirePositive } from "../util/validate";
import type { ProgrammingErrorWrites } from "./programming-error";

/** Largest hidden-weight bit count the quantizers accept (2^24 levels; the paper uses 3). */
export const MAX_HIDDEN_BITS = 24;

/**
 * Throws unless `bits` is an integer in 1 … {@link MAX_HIDDEN_BITS} and `bound` is finite and > 0: the grid
 * of {@link quantizeHidden} needs at least two levels (bits = 0 would divide by 2^0 − 1 = 0 and give NaN).
 */
export function validateHiddenGrid(bits: number, bound: number): void {
  requireInteger("hiddenBits", bits, 1);
  if (bits > MAX_HIDDEN_BITS) throw new RangeError(`hiddenBits must be ≤ ${MAX_HIDDEN_BITS}, got ${bits}`);
  requirePositive("hiddenBound", bound);
}

/**
 * Uniform n-bit quantization of a hidden weight within ±bound: 2^n levels evenly spaced from −bound to
 * +bound (step 2·bound/(2^n − 1)), nearest level, values beyond the bound saturate. `bits`: integer ≥ 1.
 *
 * Assumed (the paper says only "uniformly quantized into 3 bits with quantization boundary of ±1",
 * §4.5): all 2^n codes are used and both bounds are levels, so 3 bits give ±1, ±5/7, ±3/7, ±1/7 and no
 * zero level, which suits a binary transfer function (no weight sits exactly on the sign boundary).
 */
export function quantizeHidden(value: number, bits: number, bound = 1): number {
  const step = gridStep(bits, bound);
  return -bound + levelOnGrid(value, bound, step) * step;
}

/** Index 0 … 2^n − 1 of the level {@link quantizeHidden} picks. `bits`: integer ≥ 1. */
export function hiddenLevelIndex(value: number, bits: number, bound = 1): number {
  return levelOnGrid(value, bound, gridStep(bits, bound));
}

/**
 * {@link hiddenLevelIndex} for one grid, validated once: the returned function does no checks (for hot loops).
 */
export function hiddenLevelIndexer(bits: number, bound = 1): (value: number) => number {
  const step = gridStep(bits, bound);
  return (value) => levelOnGrid(value, bound, step);
}

/** Level spacing 2·bound/(2^n − 1) of the validated n-bit grid. */
function gridStep(bits: number, bound: number): number {
  validateHiddenGrid(bits, bound);
  return (2 * bound) / (2 ** bits - 1);
}

/** Index of the nearest grid level, values beyond ±bound saturating. */
function levelOnGrid(value: number, bound: number, step: number): number {
  const clipped = value > bound ? bound : value < -bound ? -bound : value;
  return Math.round((clipped + bound) / step);
}

/** All 2^n levels of {@link quantizeHidden}, ascending. */
export function hiddenLevels(bits: number, bound = 1): number[] {
  const step = gridStep(bits, bound);
  return Array.from({ length: 2 ** bits }, (_, i) => -bound + i * step);
}

/** How hidden weights become inference weights. */
export interface WeightPathConfig {
  /** W_b = f(W_h′) with W_h′ the programmed hidden weight normalised to [−1, 1]. */
  transfer: WeightTransferFunction;
  /** Bits of the hidden-weight quantizer, or null for a continuous (float) hidden weight. Paper: 3. */
  hiddenBits: number | null;
  /** Quantization boundary of the hidden weights (the clip range ±bound). Paper: 1. */
  hiddenBound: number;
  /**
   * Relative programming error σ (dimensionless): when a hidden weight's device is written, the stored
   * value becomes W_h·(1 + σ·ε), ε ~ N(0, 1), and training continues from it, so errors accumulate (as the
   * paper describes for σ > 20 %, Fig S33). 0 disables it. Which writes: {@link programmingErrorWrites}.
   */
  programmingNoiseRel: number;
  /**
   * Which optimizer writes carry the programming error (programming-error.ts): `"every-update"` (default:
   * every weight after every step), `"level-change"` (a device is reprogrammed when its n-bit state changes)
   * or `"every-epoch"` (every weight once after each epoch).
   */
  programmingErrorWrites?: ProgrammingErrorWrites;
}

/**
 * The level index the table look-up of {@link makeBinarizer} uses for W_h: ⌊(W_h + bound)·(1/step) + ½⌋ (round half
 * up, 1/step precomputed), clamped to 0 … 2^n − 1. The parallel pool's staircase places its thresholds with it
 * (nn/parallel.ts), so both binarizers pick the same level for every float32 hidden weight.
 */
export function binarizerLevelIndexer(bits: number, bound: number): (hidden: number) => number {
  const n = 2 ** bits;
  const inv = 1 / gridStep(bits, bound);
  return (hidden) => {
    const k = ((hidden + bound) * inv + 0.5) | 0;
    return k < 0 ? 0 : k >= n ? n - 1 : k;
  };
}

/**
 * Writes W_b for a whole weight matrix: W_b[i] = f(Q_n(clip(W_h[i]))). With a quantizer the transfer
 * function is tabulated once over the 2^n levels, so a step costs one table look-up per weight.
 */
export function makeBinarizer(cfg: WeightPathConfig): (hidden: Float32Array, out: Float32Array) => void {
  const { transfer, hiddenBits, hiddenBound } = cfg;
  const scale = 1 / hiddenBound;
  if (hiddenBits !== null) {
    const levels = hiddenLevels(hiddenBits, hiddenBound);
    const table = Float32Array.from(levels, (l) => transfer.apply(l * scale));
    // sign(Q_n(W_h)) = sign(W_h): the grid has no zero level, so the ideal sign skips the table (only for
    // −5.6e-17 < W_h < 0, which float64 rounding of W_h + bound puts on the level above zero, do the two differ).
    if (transfer !== idealSign) {
      const level = binarizerLevelIndexer(hiddenBits, hiddenBound);
      return (hidden, out) => {
        for (let i = 0; i < hidden.length; i++) out[i] = table[level(hidden[i])];
      };
    }
  }
  if (transfer === idealSign) {
    return (hidden, out) => {
      for (let i = 0; i < hidden.length; i++) out[i] = hidden[i] >= 0 ? 1 : -1;
    };
  }
  return (hidden, out) => {
    for (let i = 0; i < hidden.length; i++) {
      let v = hidden[i] * scale;
      v = v > 1 ? 1 : v < -1 ? -1 : v;
      out[i] = transfer.apply(v);
    }
  };
}
