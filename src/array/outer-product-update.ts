/**
 * The stochastic outer-product update of Gokmen & Vlasov (Front. Neurosci. 2016) applied to a cross-point
 * array, with their update management.
 *
 * Goal: Δw_ij = η·x_i·δ_j for every device at once. Row i fires a Bernoulli pulse train of length BL with
 * probability p_i, column j one with q_j; a device steps by ±Δw_min per coincidence, so
 *   E[Δw_ij] = sign(x_i δ_j)·BL·p_i·q_j·Δw_min.
 * Choosing p_i = C·a·|x_i|, q_j = C·|δ_j|/a with C = √(η/(BL·Δw_min)) gives E[Δw_ij] = η·x_i·δ_j for any
 * a > 0. Update management picks a = √(max|δ|/max|x|) so that both trains use the same share of their
 * range (p_max = q_max); probabilities above 1 are clipped (the only source of bias, reported).
 *
 * On the array the signed update runs in up to four sign phases (array/stochastic-update.ts,
 * `countPhasedPulses`): each device's coincidences come from the one phase where both its lines fire, so
 * the full-step expectation above is unchanged, but every pulse a line fires also half-selects the other
 * devices on it, in that phase's direction (`expectedHalfSelectDriftSteps`). This module turns the counts
 * into device changes.
 */
import type { Rng } from "../util/rng";
import { countPhasedPulses, expectedLinePulsesOfPhases, type PhasedPulseCounts } from "./stochastic-update";
import type { Block, CrosspointArray } from "./crosspoint-array";
import { requireFinite, requireInRange, requireInteger, requirePositive } from "../util/validate";

export interface OuterProductConfig {
  /** Learning rate η (weight units per unit x·δ). */
  learningRate: number;
  /** Pulse train length BL (integer ≥ 1). */
  bl: number;
  /** Smallest weight step per coincidence, Δw_min. */
  dwMin: number;
  /** Apply update management (balance p and q). Default true. */
  managed?: boolean;
}

export interface PulseProbabilities {
  rowProb: Float64Array;
  rowSign: Int8Array;
  colProb: Float64Array;
  colSign: Int8Array;
  /** Number of probabilities that had to be clipped at 1. */
  clipped: number;
}

function validateConfig(c: OuterProductConfig): void {
  requirePositive("learningRate", c.learningRate);
  requireInteger("BL", c.bl, 1);
  requirePositive("dwMin", c.dwMin);
}

/** Pulse probabilities and signs for rows driven by x and columns driven by δ. */
export function pulseProbabilities(x: ArrayLike<number>, delta: ArrayLike<number>, config: OuterProductConfig): PulseProbabilities {
  validateConfig(config);
  let mx = 0;
  let md = 0;
  for (let i = 0; i < x.length; i++) mx = Math.max(mx, Math.abs(requireFinite(`x[${i}]`, x[i])));
  for (let j = 0; j < delta.length; j++) md = Math.max(md, Math.abs(requireFinite(`delta[${j}]`, delta[j])));
  const c = Math.sqrt(config.learningRate / (config.bl * config.dwMin));
  const a = (config.managed ?? true) && mx > 0 && md > 0 ? Math.sqrt(md / mx) : 1;
  let clipped = 0;
  const prob = (v: number, scale: number): number => {
    const p = c * scale * Math.abs(v);
    if (p > 1) {
      clipped++;
      return 1;
    }
    return p;
  };
  const rowProb = Float64Array.from(x, (v) => prob(v, a));
  const colProb = Float64Array.from(delta, (v) => prob(v, 1 / a));
  return {
    rowProb,
    rowSign: Int8Array.from(x, (v) => (v < 0 ? -1 : 1)),
    colProb,
    colSign: Int8Array.from(delta, (v) => (v < 0 ? -1 : 1)),
    clipped,
  };
}

/** Check explicit probabilities, naming the first bad one. */
export function validateProbabilities(name: string, p: ArrayLike<number>): void {
  for (let i = 0; i < p.length; i++) requireInRange(`${name}[${i}]`, p[i], 0, 1);
}

/** The expected weight change BL·p_i·q_j·Δw_min·sign, row-major (for tests and the teaching example). */
export function expectedUpdate(p: PulseProbabilities, bl: number, dwMin: number): Float64Array {
  const rows = p.rowProb.length;
  const cols = p.colProb.length;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = p.rowSign[i] * p.colSign[j] * bl * p.rowProb[i] * p.colProb[j] * dwMin;
  return out;
}

export interface UpdateReport {
  /** Totals over the phases (net signed coincidences, half-selects, signed net half-selects, line pulses) and each phase's counts. */
  counts: PhasedPulseCounts;
  clipped: number;
  /**
   * Expected number of pulses fired on all lines, summed over the phases that run (for line-charging
   * energy): BL·Σ_phases (Σ_{firing rows} p_i + Σ_{firing columns} q_j). A line fires in every phase of its
   * sign that runs, so a row counts twice when columns of both signs fire: this is not BL·(Σp + Σq).
   */
  expectedLinePulses: number;
}

/**
 * Update the block in parallel: rows of the block carry x (length = block rows), columns carry δ
 * (length = block columns; a zero entry leaves that column idle, so its devices are only half-selected
 * through their rows). The update runs in sign phases (`countPhasedPulses`); after each phase, before the
 * next one's pulses, every device gets that phase's full pulses (`CrosspointArray.pulse`, with C2C noise)
 * and then its half-selects (`CrosspointArray.halfSelect`, k·ΔG₀ each), both in the phase's direction σ.
 * Within a phase both push the same way and clip to the same bounds, so their order there does not change
 * the result on a noise-free device.
 */
export function applyOuterProductUpdate(array: CrosspointArray, block: Block, x: ArrayLike<number>, delta: ArrayLike<number>, config: OuterProductConfig, rng: Rng): UpdateReport {
  if (x.length !== block.rowIdx.length) throw new RangeError(`x must have one entry per block row (${block.rowIdx.length}), got ${x.length}`);
  if (delta.length !== block.colIdx.length) throw new RangeError(`delta must have one entry per block column (${block.colIdx.length}), got ${delta.length}`);
  const p = pulseProbabilities(x, delta, config);
  const counts = countPhasedPulses(p, config.bl, rng.fork("trains"));
  const deviceRng = rng.fork("devices");
  const cols = block.colIdx.length;
  for (const phase of counts.phases) {
    const s = phase.direction;
    block.rowIdx.forEach((i, a) =>
      block.colIdx.forEach((j, b) => {
        const k = a * cols + b;
        array.pulse(i, j, s * phase.full[k], deviceRng);
        array.halfSelect(i, j, s * phase.half[k]);
      }),
    );
  }
  return { counts, clipped: p.clipped, expectedLinePulses: expectedLinePulsesOfPhases(counts.phases, p.rowProb, p.colProb, config.bl) };
}
