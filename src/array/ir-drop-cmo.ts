/**
 * IR drop in a passive crossbar read (one device per cross-point), solved by fixed-point iteration.
 *
 * Layout: input i drives row wire i from its left end (column 0 side); output o is sensed at the bottom
 * end of column wire o by a virtual-ground amplifier (0 V). Every wire segment between two neighbouring
 * cross-points, and between the last cross-point and the driver/sense node, has resistance R. With device
 * currents I[i][o] = G[i][o]·(Vr[i][o] − Vc[i][o]):
 *   row:    Vr[i][0] = V_i − R·Σ_{o'≥0} I[i][o'],   Vr[i][o] = Vr[i][o−1] − R·Σ_{o'≥o} I[i][o'];
 *   column: Vc[n−1][o] = R·Σ_{i'} I[i'][o],          Vc[i][o] = Vc[i+1][o] + R·Σ_{i'≤i} I[i'][o].
 * Starting from ideal wires (Vr = V_i, Vc = 0), alternate currents → node voltages. The map contracts when
 * R·G·n² ≪ 1 (0.35 Ω · 88 µS · 64² ≈ 0.13 here), so a few sweeps converge; `tolerance` stops earlier.
 *
 * Assumption (the issue gives only the 0.35 Ω segment): drivers and sense amplifiers are ideal, wires are
 * uniform, and the transistor of the 1T1R cell is lumped into G.
 */
import { requireInteger, requireNonNegative, requirePositive } from "../util/validate";

export interface IrDropOptions {
  /** Resistance of one wire segment between neighbouring cross-points, Ω. */
  wireSegmentOhm: number;
  /** Maximum number of fixed-point sweeps. */
  maxIterations?: number;
  /** Stop when the largest change of a column current, relative to the largest current, is below this. */
  tolerance?: number;
}

/**
 * Column currents (in units of G·V: µS·V = µA) of a crossbar with row-major conductances `gUS[i*cols+o]`
 * (rows = inputs) driven by row voltages `voltagesV`, including IR drop on row and column wires.
 */
export function columnCurrentsWithIrDrop(gUS: ArrayLike<number>, rows: number, cols: number, voltagesV: ArrayLike<number>, options: IrDropOptions): Float64Array {
  requireInteger("rows", rows, 1);
  requireInteger("cols", cols, 1);
  requireNonNegative("wireSegmentOhm", options.wireSegmentOhm);
  const maxIt = requireInteger("maxIterations", options.maxIterations ?? 30, 1);
  const tol = requirePositive("tolerance", options.tolerance ?? 1e-10);
  if (gUS.length !== rows * cols) throw new RangeError(`gUS length ${gUS.length} must equal rows·cols = ${rows * cols}`);
  if (voltagesV.length !== rows) throw new RangeError(`voltagesV length ${voltagesV.length} must equal rows = ${rows}`);
  // R in MΩ so that R·I with I in µA gives volts.
  const rMOhm = options.wireSegmentOhm * 1e-6;
  const n = rows * cols;
  const vr = new Float64Array(n);
  const vc = new Float64Array(n);
  const cur = new Float64Array(n);
  for (let i = 0; i < rows; i++) for (let o = 0; o < cols; o++) vr[i * cols + o] = voltagesV[i];
  const out = new Float64Array(cols);
  const prev = new Float64Array(cols);
  for (let it = 0; it < maxIt; it++) {
    for (let k = 0; k < n; k++) cur[k] = gUS[k] * (vr[k] - vc[k]);
    // Row wires: walk from the far end accumulating downstream current, then from the driver.
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      let downstream = 0;
      for (let o = 0; o < cols; o++) downstream += cur[base + o];
      let v = voltagesV[i];
      for (let o = 0; o < cols; o++) {
        v -= rMOhm * downstream;
        vr[base + o] = v;
        downstream -= cur[base + o];
      }
    }
    // Column wires: the segment below row i carries the current of rows 0..i.
    for (let o = 0; o < cols; o++) {
      let total = 0;
      for (let i = 0; i < rows; i++) total += cur[i * cols + o];
      out[o] = total;
      let v = 0;
      let above = total;
      for (let i = rows - 1; i >= 0; i--) {
        v += rMOhm * above;
        vc[i * cols + o] = v;
        above -= cur[i * cols + o];
      }
    }
    let change = 0;
    let scale = 0;
    for (let o = 0; o < cols; o++) {
      change = Math.max(change, Math.abs(out[o] - prev[o]));
      scale = Math.max(scale, Math.abs(out[o]));
      prev[o] = out[o];
    }
    if (it > 0 && change <= tol * Math.max(scale, 1e-30)) break;
  }
  return out;
}

/** Ideal column currents Σ_i G[i][o]·V_i (no wire resistance), µA. */
export function columnCurrentsIdeal(gUS: ArrayLike<number>, rows: number, cols: number, voltagesV: ArrayLike<number>): Float64Array {
  const out = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const v = voltagesV[i];
    const base = i * cols;
    for (let o = 0; o < cols; o++) out[o] += gUS[base + o] * v;
  }
  return out;
}
