/**
 * Matrix-vector multiplication on a crossbar that stores each weight in one device (no differential pair).
 *
 * Mapping (the single-device converter of IBM's analog hardware toolkit, `SingleDeviceConductanceConverter`):
 * weights in [w_lo, w_hi] map linearly onto [G_min, G_max],
 *   G = G_min + (w − w_lo)·s,   s = (G_max − G_min)/(w_hi − w_lo)  (µS per unit weight).
 * The toolkit takes w_lo = min W and w_hi = max W of the matrix itself (`wMin` given); without `wMin` the range
 * is the symmetric [−w_max, w_max], so w = 0 sits at G_mid = (G_min + G_max)/2. Signed weights come back as
 *   y_o = (Σ_i G_io·x_i − G_min·Σ_i x_i)/s + w_lo·Σ_i x_i,
 * i.e. the constant G_min·Σx is removed by an ideal (noise-free, non-relaxing) reference, as the toolkit's
 * digital conversion back to weights does. Nothing compensates drift: a common shift of every G stays in y.
 * Inputs x_i ∈ [−x_bound, x_bound] are quantized by the DAC (`inputBits`), applied as voltages x_i·V_read
 * (V_read cancels for an ideal array; it matters only through IR drop, which is linear, so it cancels there
 * too), and the result is quantized by the ADC (`outputBits`) over ±outputBound in units of max|w| (the
 * toolkit's layer-wise symmetric remap scales the tile to max|W| = 1 before its ADC; for |w| ≤ 1 with
 * max|w| = 1 these are plain weight·input units).
 * Converter steps: 2^bits − 1 levels over ±bound, step = bound/(2^(bits−1) − 1) (`periphery.ts`). The toolkit's
 * `inp_res`/`out_res` = 1/(2^bits − 2) are resolutions of the full range 2·bound, i.e. the same step.
 * IR drop, two models:
 * - "network" (default): the shared row/column-wire solver of src/array/ir-drop.ts on the conductances (same
 *   segment resistance on rows and columns, drivers at the row starts, virtual-ground sense amplifiers at the
 *   column ends);
 * - "aihwkit": the toolkit's closed-form approximation on the normalized weights (`aihwkitIrDropCorrection`
 *   in ir-drop.ts), which its 64×64 CMO example switches on.
 */
import { quantizeSymmetric, quantizeVector } from "./periphery";
import { aihwkitIrDropCorrection, idealColumnCurrentsUA, solveIrDrop } from "./ir-drop";
import { requireInteger, requireNonNegative, requireOrdered, requirePositive } from "../util/validate";

export interface WeightMapping {
  gMinUS: number;
  gMaxUS: number;
  /** Weight mapped to G_max (with no `wMin`, also −wMax maps to G_min). */
  wMax: number;
  /** Weight mapped to G_min; omitted: −wMax (symmetric range). Must be below wMax. */
  wMin?: number;
}

export interface AnalogMvmConfig {
  /** DAC resolution in bits (≥ 1). */
  inputBits: number;
  /** DAC range: inputs are clipped to ±inputBound. */
  inputBound: number;
  /** ADC resolution in bits (≥ 1). */
  outputBits: number;
  /** ADC range in units of max|w|·input: outputs saturate at ±outputBound·max|w| (plain weight·input units when max|w| = 1). */
  outputBound: number;
  /** Wire resistance per segment, Ω; 0 or undefined: ideal wires. */
  wireSegmentOhm?: number;
  /** Which IR-drop model acts when wireSegmentOhm > 0 (default "network"). */
  irDropModel?: "network" | "aihwkit";
  /** "aihwkit" model only: the conductance that a unit normalized weight stands for, µS (the example: 100). */
  irDropGmaxUS?: number;
}

export function validateMvmConfig(c: AnalogMvmConfig): void {
  requireInteger("inputBits", c.inputBits, 2); // a symmetric converter needs 2^bits − 1 ≥ 3 levels (periphery.ts)
  requireInteger("outputBits", c.outputBits, 2);
  requirePositive("inputBound", c.inputBound);
  requirePositive("outputBound", c.outputBound);
  if (c.wireSegmentOhm !== undefined) requireNonNegative("wireSegmentOhm", c.wireSegmentOhm);
  if (c.irDropModel !== undefined && c.irDropModel !== "network" && c.irDropModel !== "aihwkit") throw new RangeError(`irDropModel must be "network" or "aihwkit", got ${String(c.irDropModel)}`);
  if (c.irDropModel === "aihwkit" && c.wireSegmentOhm && c.wireSegmentOhm > 0) requirePositive("irDropGmaxUS", c.irDropGmaxUS ?? NaN);
}

function checkMapping(m: WeightMapping): void {
  requireOrdered("gMinUS", m.gMinUS, "gMaxUS", m.gMaxUS);
  if (m.wMin === undefined) requirePositive("wMax", m.wMax);
  else requireOrdered("wMin", m.wMin, "wMax", m.wMax);
}

/** The weight mapped to G_min: wMin, or −wMax for the symmetric range. */
export function lowestWeight(m: WeightMapping): number {
  return m.wMin ?? -m.wMax;
}

/** µS per unit weight, s = (G_max − G_min)/(w_hi − w_lo). */
export function conductancePerWeight(m: WeightMapping): number {
  checkMapping(m);
  return (m.gMaxUS - m.gMinUS) / (m.wMax - lowestWeight(m));
}

/** The mapping of the toolkit's single-device converter: [min W, max W] of these weights onto [G_min, G_max]. */
export function extremesMapping(w: ArrayLike<number>, gMinUS: number, gMaxUS: number): WeightMapping {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < w.length; k++) {
    lo = Math.min(lo, w[k]);
    hi = Math.max(hi, w[k]);
  }
  if (w.length === 0) throw new RangeError("weights are empty: the extremes mapping needs at least two different weights");
  if (lo === hi) throw new RangeError(`all weights equal (${lo}): the extremes mapping needs a spread (min W < max W)`);
  return { gMinUS, gMaxUS, wMin: lo, wMax: hi };
}

/** Target conductances for weights (clipped to [w_lo, w_hi]), µS. */
export function weightsToConductances(w: ArrayLike<number>, m: WeightMapping): Float64Array {
  const s = conductancePerWeight(m);
  const lo = lowestWeight(m);
  const out = new Float64Array(w.length);
  for (let k = 0; k < w.length; k++) {
    const wc = Math.max(lo, Math.min(m.wMax, w[k]));
    out[k] = m.gMinUS + (wc - lo) * s;
  }
  return out;
}

/** Weights represented by conductances, w = w_lo + (G − G_min)/s. */
export function conductancesToWeights(gUS: ArrayLike<number>, m: WeightMapping): Float64Array {
  const s = conductancePerWeight(m);
  const lo = lowestWeight(m);
  const out = new Float64Array(gUS.length);
  for (let k = 0; k < gUS.length; k++) out[k] = lo + (gUS[k] - m.gMinUS) / s;
  return out;
}

/**
 * Analog MVM y = W·x with W stored as conductances `gUS` in crossbar layout (row-major rows×cols, rows =
 * inputs, cols = outputs, i.e. gUS[i*cols + o] holds W[o][i]).
 */
export function analogMvm(gUS: ArrayLike<number>, rows: number, cols: number, x: ArrayLike<number>, m: WeightMapping, c: AnalogMvmConfig): Float64Array {
  validateMvmConfig(c);
  if (x.length !== rows) throw new RangeError(`input length ${x.length} must equal rows = ${rows}`);
  if (gUS.length !== rows * cols) throw new RangeError(`gUS length ${gUS.length} must equal rows × cols = ${rows} × ${cols} = ${rows * cols}`);
  const s = conductancePerWeight(m);
  const lo = lowestWeight(m);
  const absMax = Math.max(Math.abs(lo), Math.abs(m.wMax));
  const xq = quantizeVector(x, c.inputBits, c.inputBound);
  const wires = c.wireSegmentOhm !== undefined && c.wireSegmentOhm > 0;
  const network = wires && (c.irDropModel ?? "network") === "network";
  const currents = network
    ? solveIrDrop(gUS, rows, cols, xq, { rowSegmentOhm: c.wireSegmentOhm!, colSegmentOhm: c.wireSegmentOhm! }).columnCurrentsUA
    : idealColumnCurrentsUA(gUS, rows, cols, xq);
  let sumX = 0;
  for (let i = 0; i < rows; i++) sumX += xq[i];
  const y = new Float64Array(cols);
  for (let o = 0; o < cols; o++) y[o] = (currents[o] - m.gMinUS * sumX) / s + lo * sumX;
  if (wires && !network) {
    // The toolkit's approximation acts on the tile's normalized weights w/max|w| and adds its correction there.
    const wn = new Float64Array(gUS.length);
    for (let k = 0; k < gUS.length; k++) wn[k] = (lo + (gUS[k] - m.gMinUS) / s) / absMax;
    const corr = aihwkitIrDropCorrection(wn, rows, cols, xq, c.wireSegmentOhm!, c.irDropGmaxUS!);
    for (let o = 0; o < cols; o++) y[o] += corr[o] * absMax;
  }
  for (let o = 0; o < cols; o++) y[o] = absMax * quantizeSymmetric(y[o] / absMax, c.outputBits, c.outputBound);
  return y;
}

/** Floating-point reference y = W·x for the same crossbar-layout weights w[i*cols + o]. */
export function floatMvm(w: ArrayLike<number>, rows: number, cols: number, x: ArrayLike<number>): Float64Array {
  return idealColumnCurrentsUA(w, rows, cols, x);
}
