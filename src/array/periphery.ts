/**
 * Crossbar periphery: the DAC that turns digital inputs into read voltages and the ADC that digitises
 * column currents. Both are uniform quantizers over a symmetric range [−bound, bound].
 */
import { requireInteger, requirePositive } from "../util/validate";

/**
 * Uniform symmetric quantizer with 2^bits − 1 levels over [−bound, bound] (one code reserved so that
 * zero is exact): the levels are k·step, k = −h … h, with h = 2^(bits−1) − 1 and step = bound/h; values beyond
 * the bound saturate. Needs bits ≥ 2: one bit would leave 2^1 − 1 = 1 level (zero alone) and h = 0 (no step).
 */
export function quantizeSymmetric(value: number, bits: number, bound: number): number {
  checkConverter(bits, bound);
  return quantizeUnchecked(value, bound / (2 ** (bits - 1) - 1), bound);
}

/** Quantize every element of `values` into a new Float64Array (arguments checked once). */
export function quantizeVector(values: ArrayLike<number>, bits: number, bound: number): Float64Array {
  checkConverter(bits, bound);
  const step = bound / (2 ** (bits - 1) - 1);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = quantizeUnchecked(values[i], step, bound);
  return out;
}

function checkConverter(bits: number, bound: number): void {
  requireInteger("bits", bits, 2);
  requirePositive("bound", bound);
}

function quantizeUnchecked(value: number, step: number, bound: number): number {
  const clipped = Math.max(-bound, Math.min(bound, value));
  return Math.round(clipped / step) * step;
}
