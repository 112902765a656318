/**
 * Matrix-vector multiplication on a crossbar that stores each weight in one device (no differential pair).
 *
 * Mapping (as in the single-device converter of IBM's analog hardware toolkit): weights in
 * [−w_max, w_max] map linearly onto [G_min, G_max],
 *   G = G_min + (w + w_max)·s,   s = (G_max − G_min)/(2·w_max)  (µS per unit weight),
 * so w = 0 sits at G_mid = (G_min + G_max)/2. Signed weights come back by subtracting the reference
 * current G_mid·Σ_i x_i (a reference column at G_mid, taken as ideal), then dividing by s:
 *   y_o = (Σ_i G_io·x_i − G_mid·Σ_i x_i)/s.
 * Inputs x_i ∈ [−x_bound, x_bound] are quantized by the DAC (`inputBits`), applied as voltages
 * x_i·V_read (V_read cancels for an ideal array; it matters only through IR drop, which is linear, so it
 * cancels there too), and the result y is quantized by the ADC (`outputBits`) over ±outputBound.
 * IR drop uses the shared row/column-wire solver of src/array/ir-drop.ts (same segment resistance on rows
 * and columns, drivers at the row starts, virtual-ground sense amplifiers at the column ends).
 */
import { quantizeSymmetric, quantizeVector } from "./periphery";
import { idealColumnCurrentsUA, solveIrDrop } from "./ir-drop";
import { requireInteger, requireNonNegative, requireOrdered, requirePositive } from "../util/validate";

export interface WeightMapping {
  gMinUS: number;
  gMaxUS: number;
  /** Weight magnitude mapped to G_max (and −wMax to G_min). */
  wMax: number;
}

export interface AnalogMvmConfig {
  /** DAC resolution in bits (≥ 1). */
  inputBits: number;
  /** DAC range: inputs are clipped to ±inputBound. */
  inputBound: number;
  /** ADC resolution in bits (≥ 1). */
  outputBits: number;
  /** ADC range in weight·input units: outputs saturate at ±outputBound. */
  outputBound: number;
  /** Wire resistance per segment, Ω; 0 or undefined: ideal wires. */
  wireSegmentOhm?: number;
}

export function validateMvmConfig(c: AnalogMvmConfig): void {
  requireInteger("inputBits", c.inputBits, 2); // a symmetric converter needs 2^bits − 1 ≥ 3 levels (periphery.ts)
  requireInteger("outputBits", c.outputBits, 2);
  requirePositive("inputBound", c.inputBound);
  requirePositive("outputBound", c.outputBound);
  if (c.wireSegmentOhm !== undefined) requireNonNegative("wireSegmentOhm", c.wireSegmentOhm);
}

function checkMapping(m: WeightMapping): void {
  requireOrdered("gMinUS", m.gMinUS, "gMaxUS", m.gMaxUS);
  requirePositive("wMax", m.wMax);
}

/** µS per unit weight, s = (G_max − G_min)/(2·w_max). */
export function conductancePerWeight(m: WeightMapping): number {
  checkMapping(m);
  return (m.gMaxUS - m.gMinUS) / (2 * m.wMax);
}

/** Target conductances for weights (clipped to ±wMax), µS. */
export function weightsToConductances(w: ArrayLike<number>, m: WeightMapping): Float64Array {
  const s = conductancePerWeight(m);
  const out = new Float64Array(w.length);
  for (let k = 0; k < w.length; k++) {
    const wc = Math.max(-m.wMax, Math.min(m.wMax, w[k]));
    out[k] = m.gMinUS + (wc + m.wMax) * s;
  }
  return out;
}

/** Weights represented by conductances, w = (G − G_mid)/s. */
export function conductancesToWeights(gUS: ArrayLike<number>, m: WeightMapping): Float64Array {
  const s = conductancePerWeight(m);
  const mid = (m.gMinUS + m.gMaxUS) / 2;
  const out = new Float64Array(gUS.length);
  for (let k = 0; k < gUS.length; k++) out[k] = (gUS[k] - mid) / s;
  return out;
}

/**
 * Analog MVM y = W·x with W stored as conductances `gUS` in crossbar layout (row-major rows×cols, rows =
 * inputs, cols = outputs, i.e. gUS[i*cols + o] holds W[o][i]).
 */
export function analogMvm(gUS: ArrayLike<number>, rows: number, cols: number, x: ArrayLike<number>, m: WeightMapping, c: AnalogMvmConfig): Float64Array {
  validateMvmConfig(c);
  if (x.length !== rows) throw new RangeError(`input length ${x.length} must equal rows = ${rows}`);
  const s = conductancePerWeight(m);
  const mid = (m.gMinUS + m.gMaxUS) / 2;
  const xq = quantizeVector(x, c.inputBits, c.inputBound);
  const currents = c.wireSegmentOhm && c.wireSegmentOhm > 0
    ? solveIrDrop(gUS, rows, cols, xq, { rowSegmentOhm: c.wireSegmentOhm, colSegmentOhm: c.wireSegmentOhm }).columnCurrentsUA
    : idealColumnCurrentsUA(gUS, rows, cols, xq);
  let sumX = 0;
  for (let i = 0; i < rows; i++) sumX += xq[i];
  const y = new Float64Array(cols);
  for (let o = 0; o < cols; o++) y[o] = quantizeSymmetric((currents[o] - mid * sumX) / s, c.outputBits, c.outputBound);
  return y;
}

/** Floating-point reference y = W·x for the same crossbar-layout weights w[i*cols + o]. */
export function floatMvm(w: ArrayLike<number>, rows: number, cols: number, x: ArrayLike<number>): Float64Array {
  return idealColumnCurrentsUA(w, rows, cols, x);
}
