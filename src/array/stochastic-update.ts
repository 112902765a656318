/**
 * Stochastic outer-product update (Gokmen & Vlasov, Front. Neurosci. 2016), the pulse-coincidence scheme
 * that updates a whole crossbar in parallel: row i fires a Bernoulli pulse train of length BL with
 * probability p_i = |x_i|·scaleX, column j one with q_j = |δ_j|·scaleD. A device sees a full update pulse
 * only where a row pulse and a column pulse coincide in the same slot; the expected number of
 * coincidences is BL·p_i·q_j, so the expected update is ∝ x_i·δ_j. Where only its row (or only its
 * column) fires, the device is half-selected: it sees V_s/2 and may move by a fraction k of a step.
 *
 * This module only counts pulses; a device model turns counts into conductance changes.
 */
import type { Rng } from "../util/rng";
import { requireInteger, requireInRange, requireNonNegative } from "../util/validate";

export interface PulseCounts {
  rows: number;
  cols: number;
  /** Signed full-select coincidences per device (row-major rows×cols): sign = sign(x_i·δ_j). */
  coincidences: Int32Array;
  /** Pulses in which device (i, j) was half-selected through its row only or its column only. */
  halfSelected: Int32Array;
  /** Pulses each row line and each column line fired (for driver energy). */
  rowFired: Int32Array;
  colFired: Int32Array;
}

/** Bernoulli pulse train of length `bl` with probability `p` per slot, as a bit array. */
export function pulseTrain(p: number, bl: number, rng: Rng): Uint8Array {
  requireInRange("pulse probability", p, 0, 1);
  requireInteger("BL", bl, 1);
  const out = new Uint8Array(bl);
  for (let t = 0; t < bl; t++) out[t] = rng.uniform() < p ? 1 : 0;
  return out;
}

/**
 * Draw row and column pulse trains and count, for every device, its coincidences and half-selects.
 * `rowProb[i]` and `colProb[j]` must lie in [0, 1]; `rowSign`/`colSign` are ±1.
 */
export function countCoincidences(
  rowProb: ArrayLike<number>,
  rowSign: ArrayLike<number>,
  colProb: ArrayLike<number>,
  colSign: ArrayLike<number>,
  bl: number,
  rng: Rng,
): PulseCounts {
  requireInteger("BL", bl, 1);
  const rows = rowProb.length;
  const cols = colProb.length;
  const rowTrains = Array.from({ length: rows }, (_, i) => pulseTrain(rowProb[i], bl, rng));
  const colTrains = Array.from({ length: cols }, (_, j) => pulseTrain(colProb[j], bl, rng));
  const rowCount = rowTrains.map((t) => t.reduce((a, b) => a + b, 0));
  const colCount = colTrains.map((t) => t.reduce((a, b) => a + b, 0));
  const coincidences = new Int32Array(rows * cols);
  const halfSelected = new Int32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const ri = rowTrains[i];
    for (let j = 0; j < cols; j++) {
      const cj = colTrains[j];
      let both = 0;
      for (let t = 0; t < bl; t++) both += ri[t] & cj[t];
      coincidences[i * cols + j] = both * (rowSign[i] * colSign[j] >= 0 ? 1 : -1);
      halfSelected[i * cols + j] = rowCount[i] + colCount[j] - 2 * both;
    }
  }
  return { rows, cols, coincidences, halfSelected, rowFired: Int32Array.from(rowCount), colFired: Int32Array.from(colCount) };
}

/**
 * Spread of the half-select random walk, in nominal steps ΔG₀: σ_n/ΔG₀ = k·√n.
 *
 * Each half-select moves a device by ±k·ΔG₀ (k = ΔG(V_s/2)/ΔG(V_s), the half-select fraction) with a sign
 * that averages out: in the sign-phased update a line's pulses come in both polarities, so the mean drift
 * cancels (the assumption `CrosspointArray.halfSelect` makes). After n independent ±k·ΔG₀ moves the
 * displacement has mean 0 and variance n·(k·ΔG₀)², i.e. a standard deviation of k·√n steps — the std of the
 * Gaussian that `CrosspointArray.halfSelect` draws for a batch of n half-selects. The disturb thus grows as
 * √n while the full-select writes grow as n.
 *
 * @param k half-select fraction of a full step, in [0, 1]
 * @param n number of half-selects a device received (≥ 0)
 */
export function halfSelectWalkSpreadSteps(k: number, n: number): number {
  requireInRange("half-select fraction k", k, 0, 1);
  requireNonNegative("half-select count n", n);
  return k * Math.sqrt(n);
}
