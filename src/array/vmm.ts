/**
 * Forward and backward (transposed) vector-matrix multiplication on a block of the cross-point array,
 * through the periphery: DAC on the driven lines, optional IR drop, reference-column subtraction, read
 * noise and the ADC on the sensed lines.
 *
 * Forward: rows driven with v_i = DAC(x_i)·V_read, columns sensed:
 *   I_j = Σ_i G_ij·v_i,  y_j = ADC[(I_j − G_ref·Σ_i v_i)/(V_read·G_scale) + noise] = Σ_i w_ij·x_i (ideally).
 * Backward: the same with the roles of rows and columns swapped (columns driven, rows sensed), which is
 * how the cross-point computes Wᵀδ without moving the weights.
 * Every read also applies each device's read disturb at its line's relative voltage (with the input's sign
 * in both directions: the disturbing field of these three-terminal cells is gate to channel, see `analogRead`).
 *
 * Two periphery policies from IBM's analog toolkit (public model, our own code): noise management scales
 * the input by 1/max|x| before the DAC (so small vectors such as δ use the full DAC range) and the result
 * back after the ADC; bound management repeats a read whose output hit the ADC bound with the input
 * halved, up to `boundManagementSteps` times, and rescales the result.
 */
import type { Rng } from "../util/rng";
import { quantizeVector } from "./periphery";
import { idealColumnCurrentsUA, solveIrDrop } from "./ir-drop";
import type { Block, CrosspointArray } from "./crosspoint-array";
import { requireInteger, requireNonNegative, requirePositive } from "../util/validate";

export interface PeripheryConfig {
  /** Read voltage for |x| = 1, V. */
  readVoltageV: number;
  /** DAC resolution, bits (signed, symmetric over [−1, 1]). */
  dacBits: number;
  /** ADC resolution, bits (signed, symmetric over [−adcRange, adcRange] in weight·input units). */
  adcBits: number;
  /** ADC full scale, in units of Σ w·x. */
  adcRange: number;
  /** Std of the additive read noise at the ADC input, in units of Σ w·x (thermal + device read noise). */
  readNoiseStd: number;
  /** Wire resistance of one segment, Ω; 0 or absent = no IR drop. */
  wireSegmentOhm?: number;
  /** Scale inputs by 1/max|x| before the DAC and outputs back (noise management). Default true. */
  noiseManagement?: boolean;
  /** Halve the input and repeat up to this many times while an output saturates the ADC. Default 3. */
  boundManagementSteps?: number;
}

export interface PeripheryPreset extends PeripheryConfig {
  readonly provenance: Readonly<Record<string, string>>;
}

export const CHIP_PERIPHERY: Readonly<PeripheryPreset> = Object.freeze({
  readVoltageV: 0.1,
  dacBits: 8,
  adcBits: 8,
  adcRange: 4,
  readNoiseStd: 0.005,
  wireSegmentOhm: 1,
  noiseManagement: true,
  boundManagementSteps: 3,
  provenance: Object.freeze({
    "noiseManagement, boundManagementSteps": "public model: IBM aihwkit's abs-max noise management and iterative bound management (digital periphery policies); aihwkit applies bound management to forward reads only (its backward pass does not support it); here both directions use it (assumed: the backward read of W·δ goes through the same ADCs, which can saturate as well)",
    readVoltageV: "assumed: 0.1 V channel read, the usual ECRAM read bias (read disturb negligible)",
    "dacBits, adcBits": "assumed: 8-bit converters, the common choice of on-chip training demonstrators (IBM's analog toolkit defaults to 7-bit inputs, 9-bit outputs)",
    adcRange: "assumed: ±4 in Σw·x. The trained 4-63-3 Iris network outgrows it (output pre-activations up to ≈ 11 after 10 epochs and ≈ 17 after 60; the second layer's forward reads, which drive h into the block's rows and sense its W2 columns, exceed 4 after scaling by 1/max|h| for nearly every sample), so most reads go through bound management (3 halvings: an effective ±32)",
    readNoiseStd: "assumed: 0.5 % of one full-scale weight·input, below the ≤ 2.59 % column readout error of the group's 32×32 array (Um et al. 2024)",
    wireSegmentOhm: "assumed: ~1 Ω per cell pitch for a BEOL metal line a few µm long",
  }),
});

export const IDEAL_PERIPHERY: Readonly<PeripheryPreset> = Object.freeze({
  ...CHIP_PERIPHERY,
  dacBits: 16,
  adcBits: 16,
  adcRange: 64,
  readNoiseStd: 0,
  wireSegmentOhm: 0,
  noiseManagement: false,
  boundManagementSteps: 0,
  provenance: Object.freeze({ all: "ideal reference: 16-bit converters, no noise, no IR drop, no management" }),
});

export function validatePeriphery(p: PeripheryConfig): void {
  requirePositive("readVoltageV", p.readVoltageV);
  requireInteger("dacBits", p.dacBits, 2); // a symmetric converter needs 2^bits − 1 ≥ 3 levels (periphery.ts)
  requireInteger("adcBits", p.adcBits, 2);
  requirePositive("adcRange", p.adcRange);
  requireNonNegative("readNoiseStd", p.readNoiseStd);
  requireNonNegative("wireSegmentOhm", p.wireSegmentOhm ?? 0);
  requireInteger("boundManagementSteps", p.boundManagementSteps ?? 3, 0);
}

/** Options of a read. */
export interface VmmReadOptions {
  /**
   * Indices of the outputs the caller uses (default: all). The other sensed lines still carry current (they sit at
   * the sensing virtual ground, so IR drop and read disturb are unchanged), but bound management repeats a read
   * only when a used output saturates: a layer whose block shares lines with another layer's weights (notebook
   * 08's 63×7 block: columns 0–3 hold W1ᵀ, 4–6 hold W2) must not halve its input for an output it throws away.
   */
  usedOutputs?: readonly number[];
  /** If given, `reads` is increased by the physical reads this call made: 1 plus its bound-management repeats. */
  counter?: { reads: number };
}

/**
 * Drive the lines of one side of the block and sense the other. `direction` "forward" drives rows and
 * returns one value per block column; "backward" drives columns and returns one per block row.
 */
export function blockVmm(array: CrosspointArray, block: Block, input: ArrayLike<number>, periphery: PeripheryConfig, direction: "forward" | "backward", rng: Rng, opts: VmmReadOptions = {}): Float64Array {
  validatePeriphery(periphery);
  const nR = block.rowIdx.length;
  const nC = block.colIdx.length;
  const forward = direction === "forward";
  const nIn = forward ? nR : nC;
  const nOut = forward ? nC : nR;
  if (input.length !== nIn) throw new RangeError(`${direction} VMM input must have ${nIn} entries, got ${input.length}`);
  // Checked before any read: a NaN would otherwise reach the read disturb and corrupt the stored conductances.
  for (let i = 0; i < nIn; i++) if (!Number.isFinite(input[i])) throw new RangeError(`${direction} VMM input[${i}] must be a finite number, got ${String(input[i])}`);
  const used = opts.usedOutputs;
  used?.forEach((o, k) => {
    if (!Number.isInteger(o) || o < 0 || o >= nOut) throw new RangeError(`usedOutputs[${k}] must be an output index 0…${nOut - 1}, got ${String(o)}`);
  });
  let inScale = 1;
  if (periphery.noiseManagement ?? true) {
    let m = 0;
    for (let i = 0; i < nIn; i++) m = Math.max(m, Math.abs(input[i]));
    inScale = m > 0 ? 1 / m : 1;
  }
  const steps = periphery.boundManagementSteps ?? 3;
  let y = analogRead(array, block, input, inScale, periphery, forward, rng);
  let reads = 1;
  for (let k = 0; k < steps && saturated(y, used, periphery.adcRange); k++) {
    inScale /= 2;
    y = analogRead(array, block, input, inScale, periphery, forward, rng);
    reads++;
  }
  if (opts.counter) opts.counter.reads += reads;
  for (let o = 0; o < nOut; o++) y[o] /= inScale;
  return y;
}

/** Whether any used output (all when `used` is absent) reached the ADC bound. */
function saturated(y: Float64Array, used: readonly number[] | undefined, bound: number): boolean {
  if (!used) return y.some((v) => Math.abs(v) >= bound);
  return used.some((o) => Math.abs(y[o]) >= bound);
}

/** One physical read of the block with inputs input·inScale; returns the ADC codes in Σw·x units. */
function analogRead(array: CrosspointArray, block: Block, input: ArrayLike<number>, inScale: number, periphery: PeripheryConfig, forward: boolean, rng: Rng): Float64Array {
  const nR = block.rowIdx.length;
  const nC = block.colIdx.length;
  const nIn = forward ? nR : nC;
  const nOut = forward ? nC : nR;
  const xq = quantizeVector(Array.from(input, (v) => v * inScale), periphery.dacBits, 1);
  const volts = Float64Array.from(xq, (v) => v * periphery.readVoltageV);
  // Conductances as seen from the driven side: driven lines are the "rows" of the solver.
  const g = array.blockConductanceUS(block);
  const gDriven = forward ? g : transpose(g, nR, nC);
  const r = periphery.wireSegmentOhm ?? 0;
  const currents = r > 0 ? solveIrDrop(gDriven, nIn, nOut, volts, { rowSegmentOhm: r, colSegmentOhm: r }).columnCurrentsUA : idealColumnCurrentsUA(gDriven, nIn, nOut, volts);
  let vSum = 0;
  for (let i = 0; i < nIn; i++) vSum += volts[i];
  const scale = periphery.readVoltageV * array.gScaleUS;
  const y = new Float64Array(nOut);
  for (let o = 0; o < nOut; o++) {
    const noise = periphery.readNoiseStd > 0 ? periphery.readNoiseStd * rng.normal() : 0;
    y[o] = (currents[o] - array.gRefUS * vSum) / scale + noise;
  }
  // Read disturb on every device of the block, at its driven line's relative voltage, with the input's
  // sign in both directions. The chip's cells are three-terminal: a read drives one end of the channel
  // and holds the other at the sensing virtual ground, and the disturbing field is the one between the
  // gate and the channel. The channel's mean potential is half the driven voltage whichever end is
  // driven, so a backward read with input +v disturbs like a forward read with +v (a two-terminal cell,
  // which sees −v from row to column in a backward read, would need the opposite sign).
  for (let a = 0; a < nR; a++) for (let b = 0; b < nC; b++) array.readDisturb(block.rowIdx[a], block.colIdx[b], forward ? xq[a] : xq[b]);
  return quantizeVector(y, periphery.adcBits, periphery.adcRange);
}

/** Forward VMM y = Wᵀx over the block (x on rows, y on columns). */
export function forwardVmm(array: CrosspointArray, block: Block, x: ArrayLike<number>, periphery: PeripheryConfig, rng: Rng, opts: VmmReadOptions = {}): Float64Array {
  return blockVmm(array, block, x, periphery, "forward", rng, opts);
}

/** Backward VMM z = W·δ over the block (δ on columns, z on rows). */
export function backwardVmm(array: CrosspointArray, block: Block, delta: ArrayLike<number>, periphery: PeripheryConfig, rng: Rng, opts: VmmReadOptions = {}): Float64Array {
  return blockVmm(array, block, delta, periphery, "backward", rng, opts);
}

function transpose(m: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(m.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = m[i * cols + j];
  return out;
}
