/**
 * Stochastic outer-product update (Gokmen & Vlasov, Front. Neurosci. 2016), the pulse-coincidence scheme
 * that updates a whole crossbar in parallel: row i fires a Bernoulli pulse train of length BL with
 * probability p_i = |x_i|·scaleX, column j one with q_j = |δ_j|·scaleD. A device sees a full update pulse
 * only where a row pulse and a column pulse coincide in the same slot; the expected number of
 * coincidences is BL·p_i·q_j, so the expected update is ∝ x_i·δ_j. Where only its row (or only its
 * column) fires, the device is half-selected: it sees V_s/2 and may move by a fraction k of a step.
 *
 * Signed updates on a V/2 cross-point (`countPhasedPulses`). A device sees V_row − V_col; a full step needs
 * ±V_s and each driver gives ±V_s/2. A row cannot tell a column its sign, so the signed update x_i·δ_j runs
 * in one phase per sign pair (a, b) ∈ {+1, −1}², in the fixed order (+,+), (+,−), (−,+), (−,−). In phase
 * (a, b) only the rows with sign a and p_i > 0 fire and only the columns with sign b and q_j > 0, each a
 * fresh train; rows are driven at +σ·V_s/2 and columns at −σ·V_s/2 with σ = a·b, so a device sees σ·V_s at
 * a coincidence (a full step in direction σ) and σ·V_s/2 where only its row or only its column fires (a
 * half-select, also in direction σ). A phase with no firing row or no firing column is skipped: nothing
 * would coincide, so the driver does not run it (no half-selects either). In phase (a, b) device (i, j) gets
 *   full pulses  n_c = coincidences of its row's and column's trains (0 unless rowSign_i = a, colSign_j = b),
 *   half-selects h   = R_i + C_j − 2·n_c,
 * both in direction σ, with R_i (C_j) the pulses row i (column j) fired in this phase, 0 if it is idle in
 * it. A firing row half-selects every device on its line, also on columns idle in this phase, and a firing
 * column every device on rows idle in it. The CMO/HfOx model (experiments/choi-crossbar-update.ts) uses the
 * two-phase special case of this scheme for non-negative rows.
 *
 * Half-selects therefore do not average out: within a phase they push with its direction, and the net
 * drift per update is `expectedHalfSelectDriftSteps` (derived there).
 *
 * This module only counts pulses; a device model turns counts into conductance changes.
 */
import type { Rng } from "../util/rng";
import { requireInteger, requireInRange } from "../util/validate";

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

/**
 * What drives the lines in one update: each row's and each column's pulse probability per slot (in [0, 1]) and
 * sign (±1). Named fields, so a row array cannot be passed as a column one by position.
 */
export interface LineDrive {
  rowProb: ArrayLike<number>;
  rowSign: ArrayLike<number>;
  colProb: ArrayLike<number>;
  colSign: ArrayLike<number>;
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
 * `rowProb[i]` and `colProb[j]` must lie in [0, 1]; `rowSign`/`colSign` are ±1. All lines fire together in
 * one phase (the signs only label the coincidences): this is one phase of the sign-phased update, which
 * `countPhasedPulses` runs; `halfSelected` counts pulses, whatever their polarity.
 */
export function countCoincidences(
  drive: LineDrive,
  bl: number,
  rng: Rng,
): PulseCounts {
  const { rowProb, rowSign, colProb, colSign } = drive;
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

/** A line's sign, +1 or −1. */
export type Sign = 1 | -1;

/** The four sign pairs (rowSign a, colSign b) in the fixed order their phases run (and draw their trains). */
export const PHASE_ORDER: readonly (readonly [Sign, Sign])[] = [
  [1, 1],
  [1, -1],
  [-1, 1],
  [-1, -1],
];

/** One phase of the sign-phased update: which lines fire, and the direction σ = a·b it pushes every device. */
export interface SignPhase {
  rowSign: Sign;
  colSign: Sign;
  /** σ = rowSign·colSign: +1 potentiates, −1 depresses, for full steps and half-selects alike. */
  direction: Sign;
  /** Rows that fire in this phase (sign a, p_i > 0), ascending. */
  rows: number[];
  /** Columns that fire in this phase (sign b, q_j > 0), ascending. */
  cols: number[];
}

function requireSigns(name: string, s: ArrayLike<number>, n: number): void {
  if (s.length !== n) throw new RangeError(`${name} must have one entry per line (${n}), got ${s.length}`);
  for (let i = 0; i < n; i++) if (s[i] !== 1 && s[i] !== -1) throw new RangeError(`${name}[${i}] must be +1 or −1, got ${String(s[i])}`);
}

/**
 * The phases that run, in {@link PHASE_ORDER}: phase (a, b) runs when at least one row of sign a has p_i > 0
 * and at least one column of sign b has q_j > 0 (decided from the probabilities, before any train is drawn).
 */
export function signPhases(drive: LineDrive): SignPhase[] {
  const { rowProb, rowSign, colProb, colSign } = drive;
  requireSigns("rowSign", rowSign, rowProb.length);
  requireSigns("colSign", colSign, colProb.length);
  for (let i = 0; i < rowProb.length; i++) requireInRange(`rowProb[${i}]`, rowProb[i], 0, 1);
  for (let j = 0; j < colProb.length; j++) requireInRange(`colProb[${j}]`, colProb[j], 0, 1);
  const out: SignPhase[] = [];
  for (const [a, b] of PHASE_ORDER) {
    const rows: number[] = [];
    const cols: number[] = [];
    for (let i = 0; i < rowProb.length; i++) if (rowSign[i] === a && rowProb[i] > 0) rows.push(i);
    for (let j = 0; j < colProb.length; j++) if (colSign[j] === b && colProb[j] > 0) cols.push(j);
    if (rows.length > 0 && cols.length > 0) out.push({ rowSign: a, colSign: b, direction: (a * b) as Sign, rows, cols });
  }
  return out;
}

/** What one phase did to every device of the block (row-major rows × cols, all lines, firing or not). */
export interface PhaseCounts extends SignPhase {
  /** Full (coincidence) pulses per device in this phase, unsigned; they push in `direction`. */
  full: Int32Array;
  /** Half-select pulses per device in this phase, R_i + C_j − 2·full, unsigned; they push in `direction`. */
  half: Int32Array;
  /** Pulses each row fired in this phase (0 for a row idle in it). */
  rowCount: Int32Array;
  /** Pulses each column fired in this phase (0 for a column idle in it). */
  colCount: Int32Array;
}

/** Totals over the phases (the {@link PulseCounts} the rest of the code reads) plus each phase's counts. */
export interface PhasedPulseCounts extends PulseCounts {
  /** Net signed half-selects per device, Σ over phases of σ·h (row-major). */
  halfSelectedNet: Int32Array;
  /** The phases that ran, in order. */
  phases: PhaseCounts[];
}

/**
 * Count a signed outer-product update run in sign phases (module header). For each phase that runs, in
 * {@link PHASE_ORDER}, fresh trains are drawn from `rng` for its firing rows (ascending), then its firing
 * columns (ascending), through {@link countCoincidences}. Totals: `coincidences` = Σ σ·full (= rowSign·colSign
 * times the coincidences of the one phase where both lines fire), `halfSelected` = Σ h over phases,
 * `halfSelectedNet` = Σ σ·h, `rowFired`/`colFired` = pulses each line fired summed over the phases.
 * `rowSign`/`colSign` must be ±1 and the probabilities lie in [0, 1].
 */
export function countPhasedPulses(
  drive: LineDrive,
  bl: number,
  rng: Rng,
): PhasedPulseCounts {
  const { rowProb, colProb } = drive;
  requireInteger("BL", bl, 1);
  const rows = rowProb.length;
  const cols = colProb.length;
  const n = rows * cols;
  const coincidences = new Int32Array(n);
  const halfSelected = new Int32Array(n);
  const halfSelectedNet = new Int32Array(n);
  const rowFired = new Int32Array(rows);
  const colFired = new Int32Array(cols);
  const phases: PhaseCounts[] = [];
  for (const ph of signPhases(drive)) {
    const nr = ph.rows.length;
    const nc = ph.cols.length;
    const sub = countCoincidences({ rowProb: ph.rows.map((i) => rowProb[i]), rowSign: new Int8Array(nr).fill(1), colProb: ph.cols.map((j) => colProb[j]), colSign: new Int8Array(nc).fill(1) }, bl, rng);
    const rowCount = new Int32Array(rows);
    const colCount = new Int32Array(cols);
    ph.rows.forEach((i, r) => (rowCount[i] = sub.rowFired[r]));
    ph.cols.forEach((j, c) => (colCount[j] = sub.colFired[c]));
    const full = new Int32Array(n);
    ph.rows.forEach((i, r) => ph.cols.forEach((j, c) => (full[i * cols + j] = sub.coincidences[r * nc + c])));
    const half = new Int32Array(n);
    const s = ph.direction;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const k = i * cols + j;
        half[k] = rowCount[i] + colCount[j] - 2 * full[k];
        coincidences[k] += s * full[k];
        halfSelected[k] += half[k];
        halfSelectedNet[k] += s * half[k];
      }
    }
    for (let i = 0; i < rows; i++) rowFired[i] += rowCount[i];
    for (let j = 0; j < cols; j++) colFired[j] += colCount[j];
    phases.push({ ...ph, full, half, rowCount, colCount });
  }
  return { rows, cols, coincidences, halfSelected, halfSelectedNet, rowFired, colFired, phases };
}

/**
 * Expected pulses fired on all lines by one sign-phased update: BL·Σ over the phases that run of
 * (Σ_{rows firing in it} p_i + Σ_{columns firing in it} q_j). A row of sign a fires in every phase (a, b)
 * that runs, i.e. twice per update when columns of both signs fire; a column likewise. So this is
 * BL·(Σ p_i·m_i + Σ q_j·m_j), m the number of phases the line fires in (0, 1 or 2), not BL·(Σp + Σq).
 */
export function expectedPhasedLinePulses(drive: LineDrive, bl: number): number {
  return expectedLinePulsesOfPhases(signPhases(drive), drive.rowProb, drive.colProb, bl);
}

/** {@link expectedPhasedLinePulses} for phases already worked out (e.g. a count's `phases`). */
export function expectedLinePulsesOfPhases(phases: readonly SignPhase[], rowProb: ArrayLike<number>, colProb: ArrayLike<number>, bl: number): number {
  requireInteger("BL", bl, 1);
  let sum = 0;
  for (const ph of phases) {
    for (const i of ph.rows) sum += rowProb[i];
    for (const j of ph.cols) sum += colProb[j];
  }
  return bl * sum;
}

/**
 * Expected net half-select drift of every device in one sign-phased update, in nominal steps ΔG₀ (row-major;
 * before clipping at the device's bounds; a stuck device does not move at all).
 *
 * Derivation. In phase (a, b), σ = a·b, row i's and column j's trains are independent Bernoulli(p_i), (q_j)
 * per slot, so E[R_i] = BL·p_i·[i fires in it], E[C_j] = BL·q_j·[j fires in it] and the coincidences
 * E[n_c] = BL·p_i·q_j·[both fire in it]. Each half-select moves the device σ·k·ΔG₀, so
 *   E[drift_ij]/ΔG₀ = k·Σ_phases σ·E[R_i + C_j − 2n_c]
 *                   = k·BL·Σ_phases σ·(p_i·[row i fires] + q_j·[col j fires] − 2·p_i·q_j·[both fire]).
 * For a device with p_i, q_j > 0, with d = rowSign_i·colSign_j its update direction, the phases give
 *   (a_i, b_j):  σ = d, both fire          →  d·(p_i + q_j − 2p_i·q_j)
 *   (a_i, −b_j): σ = −d, row alone (if it runs) → −d·p_i
 *   (−a_i, b_j): σ = −d, column alone (if it runs) → −d·q_j
 *   (−a_i, −b_j): neither fires            →  0.
 * With all four phases running the drift is −2k·BL·p_i·q_j·d: exactly −2k times the full-step expectation
 * BL·p_i·q_j·d, so on a linear device the update shrinks to (1 − 2k)·BL·p_i·q_j·d steps. With only the
 * device's own phase running it is +k·BL·(p_i + q_j − 2p_i·q_j)·d, along the update but not ∝ x_i·δ_j. A
 * device on an idle column (q_j = 0) drifts k·BL·p_i·a_i·Σ_b b over the phases (a_i, b) that run: 0 when
 * columns of both signs fire, ±k·BL·p_i per update when only one sign does; an idle row's device likewise.
 *
 * @param k half-select fraction of a full step, in [0, 1]
 */
export function expectedHalfSelectDriftSteps(
  k: number,
  bl: number,
  drive: LineDrive,
): Float64Array {
  const { rowProb, colProb } = drive;
  requireInRange("half-select fraction k", k, 0, 1);
  requireInteger("BL", bl, 1);
  const rows = rowProb.length;
  const cols = colProb.length;
  const out = new Float64Array(rows * cols);
  for (const ph of signPhases(drive)) {
    const pr = new Float64Array(rows);
    const qc = new Float64Array(cols);
    for (const i of ph.rows) pr[i] = rowProb[i];
    for (const j of ph.cols) qc[j] = colProb[j];
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] += ph.direction * (pr[i] + qc[j] - 2 * pr[i] * qc[j]);
  }
  for (let m = 0; m < out.length; m++) out[m] *= k * bl;
  return out;
}
