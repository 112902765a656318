/**
 * Choi et al.: one fully parallel weight update of a crossbar of soft-bounds devices, with half-select
 * disturbance, and the expected disturb-versus-signal budget of that update.
 *
 * Pulse scheme (Gokmen & Vlasov, Front. Neurosci. 2016; stated here because the abstracts do not give one):
 * - A device sees V_row − V_col. A full step needs ±V_s, the drivers give ±V_s/2 each.
 * - Rows carry the layer input x_i ≥ 0 (MNIST pixels, sigmoid activations and the bias 1 are all
 *   non-negative, so rows need no sign), as a Bernoulli train of BL slots with p_i = min(1, c_x·x_i).
 *   Columns carry the error δ_j as a train with q_j = min(1, c_δ·|δ_j|). The SGD step Δw_ij = −η·x_i·δ_j
 *   wants direction s_j = −sign(δ_j) on column j.
 * - A column's sign cannot be told to a row, so the update runs in two phases, one per direction
 *   σ ∈ {+1 (potentiate), −1 (depress)}. In phase σ every row with p_i > 0 fires its train at +σ·V_s/2, and
 *   only the columns with s_j = σ fire, at −σ·V_s/2; the other columns are held at 0 V. (A phase with no
 *   active column is skipped: nothing would coincide.) Row trains are drawn afresh in each phase.
 * - So in phase σ a device (i, j) sees: σ·V_s where a row and a column pulse coincide (a full step in
 *   direction σ), and σ·V_s/2 where only its row or only its column fires (a half-select, also in direction
 *   σ). Half-selects in phase σ therefore always push the same way as that phase's full steps:
 *     n_c = coincidences (0 for a column not active in this phase),
 *     h   = R_i + C_j − 2·n_c   (R_i, C_j: pulses row i and column j fired in this phase; C_j = 0 if idle).
 * - Per sample, per device, in expectation (both phases active, as with a softmax output where the label
 *   column wants +1 and the others −1):
 *     full steps  BL·p_i·q_j                in direction s_j   (the learning signal)
 *     half-selects BL·(p_i + q_j − 2p_i·q_j) in direction s_j   (own phase)
 *                 + BL·p_i                  in direction −s_j  (the other phase, where row i fires alone)
 *   A row's half-selects come in both polarities and almost cancel in number: their net count is
 *   BL·q_j·(1 − 2p_i) in direction s_j, an input offset that a bias row absorbs. What does not cancel is
 *   their effect on a soft-bounds device: each half-step moves it k·α of the way to the bound it
 *   approaches, so H = BL·(2p_i + q_j − 2p_i·q_j) half-steps in mixed directions pull w toward the
 *   symmetric point 0 by k·α·H·w per sample. Against a signal α·BL·p_i·q_j this is, for p_i ≫ q_j,
 *     decay / signal ≈ 2k·|w| / q_j.
 *   Deep in a network the back-propagated δ is small (q_j ≪ 1) while rows keep firing at the rate of their
 *   inputs: the disturb outweighs the signal once k exceeds about q_j/(2|w|).
 *
 * Device: soft bounds in w ∈ [−1, 1] (w = 0 at the conductance midpoint): a full step up w += a(1 − w),
 * down w −= a(1 + w), a = α·(1 + σ_c2c·ξ), independent ξ per full pulse (the n pulses of one phase are drawn
 * as one Gaussian, exact to O(α²)); a half-step is the same with a = k·α and no cycle-to-cycle noise (n same-direction half-steps compose exactly:
 * 1 − w → (1 − kα)^n·(1 − w)). All steps of one phase go one way, so their order within the phase does not
 * matter.
 * Omitting the half-steps' cycle-to-cycle noise is a choice for speed (a draw for nearly every device of
 * the layer at every sample, most of them half-selected only). Against the full steps' own noise, α·σ_c2c·√n·d
 * for n full pulses, the omitted spread k·α·σ_c2c·√h·d is a fraction k·√(h/n); a device is half-selected about
 * 1/p + 1/q times per coincidence (tens here), so that is a few percent at k ≤ 0.01 and up to about a quarter
 * at k = 0.05, where the deterministic half-select pull already decides the training outcome.
 */
import type { Rng } from "../util/rng";
import { requireInRange, requireInteger, requireNonNegative } from "../util/validate";
import { countCoincidences } from "../array/stochastic-update";

/** The pulse response of the crossbar's devices. */
export interface SoftBoundsPulseDevice {
  /** α: fraction of the distance to the bound moved by one full-select pulse. */
  stepFraction: number;
  /** Relative cycle-to-cycle spread of a full step. */
  stepNoiseRel: number;
  /** k = ΔG(V_s/2)/ΔG(V_s): fraction of a full step moved by one half-select pulse. */
  halfSelectRatio: number;
}

/** Pulse-train settings of one update. */
export interface PulseScheme {
  /** BL: slots per train. */
  bl: number;
  /** c_x: row probability per unit input. */
  rowGain: number;
  /** c_δ: column probability per unit |δ|. */
  colGain: number;
}

/**
 * Running totals of what an array's updates did (for the disturb-vs-signal diagnostic). "Net" sums are per
 * sample and device: the two phases' half-steps on one device are added with their signs first, so
 * half-selects of opposite polarity that cancel do not count; "gross" sums count every phase's move.
 */
export interface UpdateTally {
  /** Full-select coincidences, all devices. */
  fullPulses: number;
  /** Half-select pulses, all devices. */
  halfPulses: number;
  /** Σ over samples and devices of |Δw| moved by full steps in that sample (the learning signal). */
  signalAbs: number;
  /** Σ over samples and devices of |net Δw| moved by half-steps in that sample (the disturb). */
  disturbAbs: number;
  /** Σ over samples, devices and phases of |Δw| moved by half-steps (before the two phases cancel). */
  disturbGrossAbs: number;
  /** Work buffers for one sample's per-device signal and disturb (sized on first use; all zero between updates). */
  scratch?: { signal: Float64Array; disturb: Float64Array };
}

export function emptyTally(): UpdateTally {
  return { fullPulses: 0, halfPulses: 0, signalAbs: 0, disturbAbs: 0, disturbGrossAbs: 0 };
}

export function validateDevice(d: SoftBoundsPulseDevice): void {
  requireInRange("stepFraction", d.stepFraction, 0, 1);
  requireNonNegative("stepNoiseRel", d.stepNoiseRel);
  requireInRange("halfSelectRatio (k)", d.halfSelectRatio, 0, 1);
}

export function validatePulseScheme(s: PulseScheme): void {
  requireInteger("bl", s.bl, 1);
  requireNonNegative("rowGain", s.rowGain);
  requireNonNegative("colGain", s.colGain);
}

/**
 * Gokmen & Vlasov's balanced gains for a learning rate η: c_x = c_δ = sqrt(η/(BL·α)), so that the expected
 * step at w = 0, α·BL·c_x·c_δ·x·δ, equals η·x·δ, as long as neither probability c·x, c·|δ| reaches its cap of 1
 * (`twoPhaseUpdate` clips them there).
 */
export function balancedScheme(learningRate: number, bl: number, stepFraction: number): PulseScheme {
  requireNonNegative("learningRate", learningRate);
  requireInteger("bl", bl, 1);
  requireInRange("stepFraction", stepFraction, 0, 1);
  const c = Math.sqrt(learningRate / (bl * stepFraction));
  return { bl, rowGain: c, colGain: c };
}

/**
 * Apply one two-phase stochastic update to `w` (row-major rows×cols, in place): inputs `x` (length rows,
 * ≥ 0) on the rows, errors `delta` (length cols) on the columns, direction −sign(δ). Returns nothing; adds
 * to `tally` if given.
 */
export function twoPhaseUpdate(
  w: Float64Array,
  rows: number,
  cols: number,
  x: ArrayLike<number>,
  delta: ArrayLike<number>,
  scheme: PulseScheme,
  device: SoftBoundsPulseDevice,
  rng: Rng,
  tally?: UpdateTally,
): void {
  if (w.length !== rows * cols) throw new RangeError(`w has ${w.length} entries, expected rows·cols = ${rows * cols}`);
  // A negative or NaN gain would fire no pulse at all and a step fraction above 1 would overshoot the bound: refuse both.
  validatePulseScheme(scheme);
  validateDevice(device);
  const activeRows: number[] = [];
  const rowProb: number[] = [];
  for (let i = 0; i < rows; i++) {
    const xi = x[i];
    if (!(xi >= 0)) throw new RangeError(`x[${i}] must be ≥ 0 (rows carry no sign in this scheme), got ${xi}`);
    const p = Math.min(1, scheme.rowGain * xi);
    if (p > 0) {
      activeRows.push(i);
      rowProb.push(p);
    }
  }
  if (activeRows.length === 0) return;
  const a = device.stepFraction;
  const aHalf = device.halfSelectRatio * a;
  const c2c = device.stepNoiseRel;
  // (1 − kα)^h for h = 0 … 2·BL (a device is half-selected at most 2·BL times per phase), and (1 − α)^n.
  const keep = new Float64Array(2 * scheme.bl + 1);
  const keepFull = new Float64Array(scheme.bl + 1);
  for (let h = 0; h < keep.length; h++) keep[h] = (1 - aHalf) ** h;
  for (let n = 0; n < keepFull.length; n++) keepFull[n] = (1 - a) ** n;
  const ones = new Float64Array(activeRows.length).fill(1);
  const isActiveRow = new Uint8Array(rows);
  // Per-device signal and disturb of this sample, summed over both phases (only when tallying).
  if (tally && tally.scratch?.signal.length !== rows * cols) tally.scratch = { signal: new Float64Array(rows * cols), disturb: new Float64Array(rows * cols) };
  const sigNet = tally ? tally.scratch!.signal : null;
  const disNet = tally ? tally.scratch!.disturb : null;
  for (const i of activeRows) isActiveRow[i] = 1;
  for (const sigma of [1, -1]) {
    // Columns that fire in this phase (s_j = σ, q_j > 0).
    const phaseCols: number[] = [];
    const colProb: number[] = [];
    for (let j = 0; j < cols; j++) {
      const s = delta[j] < 0 ? 1 : delta[j] > 0 ? -1 : 0;
      const q = Math.min(1, scheme.colGain * Math.abs(delta[j]));
      if (s === sigma && q > 0) {
        phaseCols.push(j);
        colProb.push(q);
      }
    }
    if (phaseCols.length === 0) continue;
    const nCols = phaseCols.length;
    const counts = countCoincidences({ rowProb, rowSign: ones, colProb, colSign: new Float64Array(nCols).fill(1) }, scheme.bl, rng);
    const isPhaseCol = new Uint8Array(cols);
    for (const j of phaseCols) isPhaseCol[j] = 1;
    const move = (idx: number, nc: number, h: number): void => {
      const before = w[idx];
      // Distance to the bound approached, d = 1 ∓ w. Full steps multiply it by Π(1 − α(1 + σ_c·ξ_t)) =
      // (1 − α)^n − α·σ_c·√n·ξ + O(α²) (one Gaussian per device and phase); half-steps by (1 − kα)^h.
      let dist = sigma > 0 ? 1 - before : 1 + before;
      if (nc > 0) dist *= Math.max(0, keepFull[nc] - a * c2c * Math.sqrt(nc) * rng.normal());
      const afterFull = sigma > 0 ? 1 - dist : dist - 1;
      if (h > 0) dist *= keep[h];
      const after = sigma > 0 ? 1 - dist : dist - 1;
      w[idx] = after;
      if (tally && sigNet && disNet) {
        tally.fullPulses += nc;
        tally.halfPulses += h;
        sigNet[idx] += afterFull - before;
        disNet[idx] += after - afterFull;
        tally.disturbGrossAbs += Math.abs(after - afterFull);
      }
    };
    // Half-steps only (no coincidence): the distance to the bound approached shrinks by (1 − kα)^h.
    const halfOnly = (idx: number, h: number): void => {
      const before = w[idx];
      const f = keep[h];
      const after = sigma > 0 ? 1 - f * (1 - before) : f * (1 + before) - 1;
      w[idx] = after;
      if (disNet && tally) {
        disNet[idx] += after - before;
        tally.halfPulses += h;
        tally.disturbGrossAbs += Math.abs(after - before);
      }
    };
    // Silent rows (p_i = 0): C_j column-only half-selects on this phase's columns.
    if (aHalf > 0) {
      for (let i = 0; i < rows; i++) {
        if (isActiveRow[i]) continue;
        const base = i * cols;
        for (let c = 0; c < nCols; c++) {
          const h = counts.colFired[c];
          if (h > 0) halfOnly(base + phaseCols[c], h);
        }
      }
    }
    for (let r = 0; r < activeRows.length; r++) {
      const base = activeRows[r] * cols;
      // This phase's columns: coincidences and R_i + C_j − 2·n_c half-selects.
      for (let c = 0; c < nCols; c++) {
        const q = r * nCols + c;
        const nc = Math.abs(counts.coincidences[q]);
        const h = aHalf > 0 ? counts.halfSelected[q] : 0;
        if (nc > 0 || h > 0) move(base + phaseCols[c], nc, h);
      }
      // Idle columns: the row's R_i pulses half-select them, in direction σ.
      const ri = counts.rowFired[r];
      if (aHalf > 0 && ri > 0) for (let j = 0; j < cols; j++) if (!isPhaseCol[j]) halfOnly(base + j, ri);
    }
  }
  if (tally && sigNet && disNet) {
    let sig = 0;
    let dis = 0;
    for (let q = 0; q < sigNet.length; q++) {
      sig += Math.abs(sigNet[q]);
      dis += Math.abs(disNet[q]);
    }
    sigNet.fill(0);
    disNet.fill(0);
    tally.signalAbs += sig;
    tally.disturbAbs += dis;
  }
}

/** Expected pulses and drifts per device and per sample of the two-phase scheme (see the module comment). */
export interface DisturbBudget {
  /** Expected full steps, BL·p·q. */
  fullPulses: number;
  /** Expected half-selects, both phases, BL·(2p + q − 2pq). */
  halfPulses: number;
  /** Expected signed learning step in direction s_j at weight w, α·BL·p·q·(1 − s·w) (units of w). */
  signal: number;
  /** Expected signed half-select drift in direction s_j at weight w (units of w); for s = +1: kα·[BL(p+q−2pq)(1 − w) − BL·p·(1 + w)]. */
  disturb: number;
}

/**
 * Expected per-sample budget for one device with row probability p, column probability q, direction s = ±1
 * and weight w, given k, α and BL (both phases active).
 */
export function disturbBudget(p: number, q: number, s: 1 | -1, w: number, k: number, stepFraction: number, bl: number): DisturbBudget {
  requireInRange("p", p, 0, 1);
  requireInRange("q", q, 0, 1);
  requireInRange("w", w, -1, 1);
  const own = bl * (p + q - 2 * p * q);
  const other = bl * p;
  const toward = 1 - s * w; // distance to the bound in direction s
  const away = 1 + s * w;
  return {
    fullPulses: bl * p * q,
    halfPulses: own + other,
    signal: stepFraction * bl * p * q * toward,
    disturb: k * stepFraction * (own * toward - other * away),
  };
}
