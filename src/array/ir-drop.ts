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
 * iteration starting from the ideal solution (u = V, w = 0); it converges fast when r·G·N² ≪ 1, the regime of
 * real arrays (64×64, µS devices, Ω segments: r·G·N² ~ 1e-2). When it does not converge (r·G·N² ≳ 1: a
 * wire-resistance sweep, large devices) the same equations are solved by line relaxation instead: each row wire
 * is solved exactly (a tridiagonal system: its segments, its driver, and the devices to the present column
 * voltages), then each column wire, in turn until the voltages settle. That is block Gauss–Seidel on the
 * circuit's nodal equations, whose matrix is symmetric positive definite, so it converges for any wire
 * resistance. Units: G in µS, V in V, currents in µA, resistances in Ω.
 */
import { requireFinite, requireInteger, requireNonNegative, requirePositive } from "../util/validate";

export interface IrDropOptions {
  /** Resistance of one row-wire segment, Ω. */
  rowSegmentOhm: number;
  /** Resistance of one column-wire segment, Ω. */
  colSegmentOhm: number;
  /** Stop when the largest node-voltage change in an iteration is below this, V. Default 1e-9. */
  toleranceV?: number;
  /** Iterations of the fixed-point solver before it hands over to line relaxation. Default 200. */
  maxIterations?: number;
  /** Give up (throw) after this many line-relaxation sweeps. Default 20,000. */
  maxLineSweeps?: number;
}

export interface IrDropResult {
  /** Sensed column currents, µA. */
  columnCurrentsUA: Float64Array;
  /** Row-wire node voltages u_ij (row-major), V. */
  rowNodeV: Float64Array;
  /** Column-wire node voltages w_ij (row-major), V. */
  colNodeV: Float64Array;
  /** Fixed-point iterations, or the line-relaxation sweeps when that solver ran. */
  iterations: number;
  /** Which solver gave the voltages: "fixed-point" or, where that did not converge, "lines". */
  solver: "fixed-point" | "lines";
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
  const maxSweeps = requireInteger("maxLineSweeps", options.maxLineSweeps ?? 20_000, 1);
  const fixed = fixedPointSolve(conductanceUS, rows, cols, rowVoltageV, rRow, rCol, tol, maxIt);
  const nodes = fixed ?? lineRelaxationSolve(conductanceUS, rows, cols, rowVoltageV, options.rowSegmentOhm, options.colSegmentOhm, tol, maxSweeps);
  const { u, w } = nodes;
  const columnCurrentsUA = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) columnCurrentsUA[j] += conductanceUS[i * cols + j] * (u[i * cols + j] - w[i * cols + j]);
  return { columnCurrentsUA, rowNodeV: u, colNodeV: w, iterations: nodes.iterations, solver: fixed ? "fixed-point" : "lines" };
}

/** Node voltages of the Jacobi iteration described in the module comment, or null when it does not converge in `maxIt`. */
function fixedPointSolve(conductanceUS: ArrayLike<number>, rows: number, cols: number, rowVoltageV: ArrayLike<number>, rRow: number, rCol: number, tol: number, maxIt: number): { u: Float64Array; w: Float64Array; iterations: number } | null {
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
    if (!Number.isFinite(change)) return null; // diverged: r·G·N² too large for fixed-point iteration
    if (change < tol) return { u, w, iterations };
    if (iterations >= maxIt) return null;
  }
}

/**
 * Solve a[k]·x[k−1] + b[k]·x[k] + c[k]·x[k+1] = d[k] (k = 0 … m−1; a[0] and c[m−1] unused) in place into `x`
 * (Thomas algorithm; the systems here are diagonally dominant, so no pivoting is needed). `cp`, `dp`: scratch.
 */
function solveTridiagonal(a: Float64Array, b: Float64Array, c: Float64Array, d: Float64Array, m: number, x: Float64Array, cp: Float64Array, dp: Float64Array): void {
  cp[0] = c[0] / b[0];
  dp[0] = d[0] / b[0];
  for (let k = 1; k < m; k++) {
    const den = b[k] - a[k] * cp[k - 1];
    cp[k] = c[k] / den;
    dp[k] = (d[k] - a[k] * dp[k - 1]) / den;
  }
  x[m - 1] = dp[m - 1];
  for (let k = m - 2; k >= 0; k--) x[k] = dp[k] - cp[k] * x[k + 1];
}

/**
 * Node voltages by line relaxation (see the module comment). Kirchhoff's current law, conductances in µS
 * (a segment of r Ω is 1e6/r µS):
 *   row wire i, node j:    g_r·(u_{i,j−1} − u_ij) + g_r·(u_{i,j+1} − u_ij) = G_ij·(u_ij − w_ij),  u_{i,−1} = V_i (driver), no node past the last column;
 *   column wire j, node i: g_c·(w_{i−1,j} − w_ij) + g_c·(w_{i+1,j} − w_ij) = G_ij·(w_ij − u_ij),  w_{R,j} = 0 (sense amplifier), no node above row 0.
 * A wire of 0 Ω is an equipotential (u = V_i, w = 0) and is not iterated.
 */
function lineRelaxationSolve(conductanceUS: ArrayLike<number>, rows: number, cols: number, rowVoltageV: ArrayLike<number>, rowOhm: number, colOhm: number, tol: number, maxSweeps: number): { u: Float64Array; w: Float64Array; iterations: number } {
  const n = rows * cols;
  const u = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < rows; i++) u.fill(rowVoltageV[i], i * cols, (i + 1) * cols);
  const m = Math.max(rows, cols);
  const [a, b, c, d, x, cp, dp] = Array.from({ length: 7 }, () => new Float64Array(m));
  const gr = rowOhm > 0 ? 1e6 / rowOhm : Infinity;
  const gc = colOhm > 0 ? 1e6 / colOhm : Infinity;
  for (let sweep = 1; sweep <= maxSweeps; sweep++) {
    let change = 0;
    if (gr < Infinity) {
      for (let i = 0; i < rows; i++) {
        const base = i * cols;
        for (let j = 0; j < cols; j++) {
          const g = conductanceUS[base + j];
          a[j] = -gr;
          c[j] = j < cols - 1 ? -gr : 0;
          b[j] = gr + (j < cols - 1 ? gr : 0) + g;
          d[j] = g * w[base + j] + (j === 0 ? gr * rowVoltageV[i] : 0);
        }
        solveTridiagonal(a, b, c, d, cols, x, cp, dp);
        for (let j = 0; j < cols; j++) {
          change = Math.max(change, Math.abs(x[j] - u[base + j]));
          u[base + j] = x[j];
        }
      }
    }
    if (gc < Infinity) {
      for (let j = 0; j < cols; j++) {
        for (let i = 0; i < rows; i++) {
          const g = conductanceUS[i * cols + j];
          a[i] = -gc;
          c[i] = i < rows - 1 ? -gc : 0;
          b[i] = (i > 0 ? gc : 0) + gc + g;
          d[i] = g * u[i * cols + j];
        }
        solveTridiagonal(a, b, c, d, rows, x, cp, dp);
        for (let i = 0; i < rows; i++) {
          change = Math.max(change, Math.abs(x[i] - w[i * cols + j]));
          w[i * cols + j] = x[i];
        }
      }
    }
    if (!Number.isFinite(change)) throw new RangeError("solveIrDrop: line relaxation produced a non-finite voltage");
    if (change < tol) return { u, w, iterations: sweep };
  }
  throw new RangeError(`solveIrDrop did not converge in maxLineSweeps = ${maxSweeps} line-relaxation sweeps`);
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
