/**
 * Crossbar periphery: the DAC that turns digital inputs into read voltages and the ADC that digitises
 * column currents. Both are uniform quantizers over a symmetric range [−bound, bound].
 */
import { requireInteger, requirePositive } from "../util/validate";

/**
 * Uniform symmetric quantizer with 2^bits − 1 levels over [−bound, bound] (one code reserved so that
 * zero is exact); values beyond the bound saturate.
 */
export function quantizeSymmetric(value: number, bits: number, bound: number): number {
  requireInteger("bits", bits, 1);
  requirePositive("bound", bound);
  const half = 2 ** (bits - 1) - 1 || 1;
  const step = bound / half;
  const clipped = Math.max(-bound, Math.min(bound, value));
  return Math.round(clipped / step) * step;
}

/** Quantize every element of `values` into a new Float64Array. */
export function quantizeVector(values: ArrayLike<number>, bits: number, bound: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = quantizeSymmetric(values[i], bits, bound);
  return out;
}
