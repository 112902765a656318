/**
 * IR drop along the lines of a passive (selector-free or 1R) crossbar, generic over the device: give the
 * array conductances, the voltages driven onto the rows and the wire resistance of one segment, get the
 * column currents collected by virtual-ground sense amplifiers.
 *
 * Circuit (assumed layout, the usual one): row i is driven at its left end (before column 0) with V_i;
 * column j is held at 0 V by a sense amplifier at its bottom end (after row R−1). Between neighbouring
 * cross-points, and between the last cross-point and the driver/sense amplifier, each line has one
 * segment of resistance r_row (rows) or r_col (columns). With device currents I_ij = G_ij·(u_ij − w_ij)
 * (u: row-wire node voltage, w: column-wire node voltage at the cross-point),
 *
 *   u_ij = V_i − r_row · Σ_{m=0..j} Σ_{k≥m} I_ik          (current of every device further along the row)
 *   w_ij = r_col · Σ_{m=i..R−1} Σ_{k≤m} I_kj              (current of every device above, on its way down)
 *
 * and the sensed current of column j is Σ_i I_ij. The equations are solved by fixed-point (Jacobi)
 * iteration starting from the ideal solution (u = V, w = 0); it converges when r·G·N² ≪ 1, the regime of
 * real arrays (64×64, µS devices, Ω segments: r·G·N² ~ 1e-2). Units: G in µS, V in V, currents in µA,
 * resistances in Ω.
 */
import { requireFinite, requireInteger, requireNonNegative, requirePositive } from "../util/validate";

export interface IrDropOptions {
  /** Resistance of one row-wire segment, Ω. */
  rowSegmentOhm: number;
  /** Resistance of one column-wire segment, Ω. */
  colSegmentOhm: number;
  /** Stop when the largest node-voltage change in an iteration is below this, V. Default 1e-9. */
  toleranceV?: number;
  /** Give up (throw) after this many iterations. Default 200. */
  maxIterations?: number;
}

export interface IrDropResult {
  /** Sensed column currents, µA. */
  columnCurrentsUA: Float64Array;
  /** Row-wire node voltages u_ij (row-major), V. */
  rowNodeV: Float64Array;
  /** Column-wire node voltages w_ij (row-major), V. */
  colNodeV: Float64Array;
  iterations: number;
}

/** Ideal column currents Σ_i G_ij·V_i (µA) of a rows×cols row-major conductance matrix (µS). */
export function idealColumnCurrentsUA(conductanceUS: ArrayLike<number>, rows: number, cols: number, rowVoltageV: ArrayLike<number>): Float64Array {
  const out = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const v = rowVoltageV[i];
    if (v === 0) continue;
    const base = i * cols;
    for (let j = 0; j < cols; j++) out[j] += conductanceUS[base + j] * v;
  }
  return out;
}

/** Column currents with IR drop on both line families. */
export function solveIrDrop(conductanceUS: ArrayLike<number>, rows: number, cols: number, rowVoltageV: ArrayLike<number>, options: IrDropOptions): IrDropResult {
  requireInteger("rows", rows, 1);
  requireInteger("cols", cols, 1);
  if (conductanceUS.length !== rows * cols) throw new RangeError(`conductanceUS must have rows·cols = ${rows * cols} entries, got ${conductanceUS.length}`);
  if (rowVoltageV.length !== rows) throw new RangeError(`rowVoltageV must have ${rows} entries, got ${rowVoltageV.length}`);
  for (let i = 0; i < rows; i++) requireFinite(`rowVoltageV[${i}]`, rowVoltageV[i]);
  const rRow = requireNonNegative("rowSegmentOhm", options.rowSegmentOhm) * 1e-6; // V per µA
  const rCol = requireNonNegative("colSegmentOhm", options.colSegmentOhm) * 1e-6;
  const tol = requirePositive("toleranceV", options.toleranceV ?? 1e-9);
  const maxIt = requireInteger("maxIterations", options.maxIterations ?? 200, 1);

  const n = rows * cols;
  const u = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < rows; i++) u.fill(rowVoltageV[i], i * cols, (i + 1) * cols);
  const current = new Float64Array(n);
  const segment = new Float64Array(cols);
  const below = new Float64Array(rows);
  let iterations = 0;
  for (;;) {
    for (let k = 0; k < n; k++) current[k] = conductanceUS[k] * (u[k] - w[k]);
    let change = 0;
    // Rows: walk from the far end accumulating the current that flows through each segment.
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      let tail = 0;
      for (let j = cols - 1; j >= 0; j--) {
        tail += current[base + j];
        segment[j] = tail; // current through the segment just before node j
      }
      let drop = 0;
      for (let j = 0; j < cols; j++) {
        drop += rRow * segment[j];
        const next = rowVoltageV[i] - drop;
        change = Math.max(change, Math.abs(next - u[base + j]));
        u[base + j] = next;
      }
    }
    // Columns: current through the segment below node i is the sum of devices 0..i.
    for (let j = 0; j < cols; j++) {
      let acc = 0;
      for (let i = 0; i < rows; i++) {
        acc += current[i * cols + j];
        below[i] = acc;
      }
      let rise = 0;
      for (let i = rows - 1; i >= 0; i--) {
        rise += rCol * below[i];
        const k = i * cols + j;
        change = Math.max(change, Math.abs(rise - w[k]));
        w[k] = rise;
      }
    }
    iterations++;
    if (!Number.isFinite(change)) throw new RangeError(`solveIrDrop diverged (r·G·N² too large for fixed-point iteration)`);
    if (change < tol) break;
    if (iterations >= maxIt) throw new RangeError(`solveIrDrop did not converge in maxIterations = ${maxIt} (last change ${change} V)`);
  }
  for (let k = 0; k < n; k++) current[k] = conductanceUS[k] * (u[k] - w[k]);
  const columnCurrentsUA = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) columnCurrentsUA[j] += current[i * cols + j];
  return { columnCurrentsUA, rowNodeV: u, colNodeV: w, iterations };
}

/**
 * The closed-form IR-drop approximation of IBM's analog hardware toolkit (its C++ forward pass, `ir_drop`
 * scale 1), as the toolkit's 64×64 CMO/HfOx example switches it on; formula facts from the toolkit, code ours.
 * It works on normalized weights w (max|w| = 1, rows×cols row-major, rows = inputs) and inputs x after the
 * DAC, and returns the additive output correction Δy_o (in the same normalized units) that the drop causes:
 *   g = 1/(r_wire·G_unit)                       ratio of a wire segment's conductance to a unit weight's,
 *   a_o = n·Σ_i |w_io|·|x_i| / g                 (n = rows),
 *   c_o = a_o·(a_o·(0.05·a_o − 0.2) + 0.5),
 *   Δy_o = −c_o · Σ_i w_io·x_i·(1 − (1 − i/n)²)  (row 0 gets no correction and row n−1 the largest: the
 *                                               formula puts the sense amplifier at the row-0 end; the
 *                                               "network" solver above has it at the other end, which
 *                                               does not matter for random weights and inputs).
 * It is a sign-aware (differential-pair-like) estimate: a weight near 0 draws no current, unlike a single
 * device at G_mid in the "network" solver above.
 */
export function aihwkitIrDropCorrection(wNorm: ArrayLike<number>, rows: number, cols: number, x: ArrayLike<number>, wireSegmentOhm: number, unitConductanceUS: number): Float64Array {
  requireInteger("rows", rows, 1);
  requireInteger("cols", cols, 1);
  if (wNorm.length !== rows * cols) throw new RangeError(`wNorm must have rows·cols = ${rows * cols} entries, got ${wNorm.length}`);
  if (x.length !== rows) throw new RangeError(`x must have ${rows} entries, got ${x.length}`);
  requireNonNegative("wireSegmentOhm", wireSegmentOhm);
  requirePositive("unitConductanceUS", unitConductanceUS);
  const out = new Float64Array(cols);
  if (wireSegmentOhm === 0) return out;
  const gRatio = 1 / (wireSegmentOhm * unitConductanceUS * 1e-6);
  for (let o = 0; o < cols; o++) {
    let absCurrent = 0;
    let weighted = 0;
    for (let i = 0; i < rows; i++) {
      const w = wNorm[i * cols + o];
      absCurrent += Math.abs(w) * Math.abs(x[i]);
      const p = 1 - i / rows;
      weighted += w * x[i] * (1 - p * p);
    }
    const a = (rows * absCurrent) / gRatio;
    out[o] = -a * (a * (0.05 * a - 0.2) + 0.5) * weighted;
  }
  return out;
}
