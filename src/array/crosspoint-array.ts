/**
 * A selector-free cross-point array of 4K-chip ECRAM cells: the conductance matrix, each device's frozen
 * device-to-device draw, the yield map, and the pulse bookkeeping (full-select pulses per device for
 * endurance, half-select pulses for disturb; half-selects push with the update phase's polarity, see
 * `halfSelect`).
 *
 * Weight mapping (assumed, the usual one for symmetric devices): one device per weight against a fixed
 * reference conductance G_ref at the middle of the nominal window, read through a reference column:
 *   w = (G − G_ref) / G_scale,  G_ref = (G_min + G_max)/2,  G_scale = (G_max − G_min)/2,
 * so w ∈ [−1, 1] and one nominal step is Δw_min = ΔG₀/G_scale = 2/nStates.
 */
import type { Rng } from "../util/rng";
import { requireFinite, requireInteger } from "../util/validate";
import { type Ecram4kParams, nominalStepUS, sampleDevice, stepConductanceUS, validateEcram4kParams, type DeviceSample } from "../devices/ecram-4k-chip";

/** Rows and columns of a rectangular set of lines used together (physical indices, ascending). */
export interface Block {
  rowIdx: number[];
  colIdx: number[];
}

export class CrosspointArray {
  readonly rows: number;
  readonly cols: number;
  readonly params: Readonly<Ecram4kParams>;
  /** Present conductance of every device, row-major, µS. */
  readonly conductanceUS: Float64Array;
  /** 1 where the device works, 0 where it is stuck. */
  readonly functional: Uint8Array;
  /** Full-select (coincidence) update pulses received, per device: the endurance count. */
  readonly fullPulses: Float64Array;
  /** Half-select pulses received, per device. */
  readonly halfPulses: Float64Array;
  private readonly devices: DeviceSample[];

  /**
   * Build a rows×cols array, drawing every device's D2D parameters and yield from `rng` (fork "d2d").
   * Functional devices start at G_ref (w = 0); stuck ones at a uniform random conductance in their window.
   */
  constructor(params: Ecram4kParams, rows: number, cols: number, rng: Rng) {
    validateEcram4kParams(params);
    this.rows = requireInteger("rows", rows, 1);
    this.cols = requireInteger("cols", cols, 1);
    this.params = Object.freeze({ ...params });
    const n = rows * cols;
    this.conductanceUS = new Float64Array(n);
    this.functional = new Uint8Array(n);
    this.fullPulses = new Float64Array(n);
    this.halfPulses = new Float64Array(n);
    const d2d = rng.fork("d2d");
    this.devices = new Array(n);
    for (let k = 0; k < n; k++) {
      const d = sampleDevice(params, d2d);
      this.devices[k] = d;
      this.functional[k] = d.functional ? 1 : 0;
      this.conductanceUS[k] = d.functional ? Math.min(d.gMaxUS, Math.max(d.gMinUS, this.gRefUS)) : d2d.uniformIn(d.gMinUS, d.gMaxUS);
    }
  }

  /** Reference conductance (w = 0), µS. */
  get gRefUS(): number {
    return (this.params.gMinUS + this.params.gMaxUS) / 2;
  }

  /** Conductance per unit weight, µS. */
  get gScaleUS(): number {
    return (this.params.gMaxUS - this.params.gMinUS) / 2;
  }

  /** Smallest nominal weight change, Δw_min = ΔG₀/G_scale. */
  get dwMin(): number {
    return nominalStepUS(this.params) / this.gScaleUS;
  }

  get deviceCount(): number {
    return this.rows * this.cols;
  }

  functionalCount(): number {
    let s = 0;
    for (let k = 0; k < this.functional.length; k++) s += this.functional[k];
    return s;
  }

  /** Row-major index of device (i, j); throws unless 0 ≤ i < rows and 0 ≤ j < cols are integers. */
  index(i: number, j: number): number {
    if (!(Number.isInteger(i) && Number.isInteger(j) && i >= 0 && j >= 0 && i < this.rows && j < this.cols)) {
      throw new RangeError(`device (i, j) = (${String(i)}, ${String(j)}) is outside the ${this.rows}×${this.cols} array`);
    }
    return i * this.cols + j;
  }

  /** Weight w = (G − G_ref)/G_scale of device (i, j). */
  weight(i: number, j: number): number {
    return (this.conductanceUS[this.index(i, j)] - this.gRefUS) / this.gScaleUS;
  }

  /** Weights of a block as a row-major Float64Array (block rows × block cols). */
  blockWeights(block: Block): Float64Array {
    const out = new Float64Array(block.rowIdx.length * block.colIdx.length);
    block.rowIdx.forEach((i, a) => block.colIdx.forEach((j, b) => (out[a * block.colIdx.length + b] = this.weight(i, j))));
    return out;
  }

  /** Conductances of a block, row-major, µS. */
  blockConductanceUS(block: Block): Float64Array {
    const out = new Float64Array(block.rowIdx.length * block.colIdx.length);
    block.rowIdx.forEach((i, a) => block.colIdx.forEach((j, b) => (out[a * block.colIdx.length + b] = this.conductanceUS[this.index(i, j)])));
    return out;
  }

  /**
   * Apply `count` (signed) full pulses to device (i, j): positive potentiates. Stuck devices ignore
   * pulses but still count them (the driver cannot tell).
   */
  pulse(i: number, j: number, count: number, rng: Rng): void {
    const k = this.index(i, j);
    requireFinite("pulse count", count);
    if (count === 0) return;
    this.fullPulses[k] += Math.abs(count);
    if (!this.functional[k]) return;
    this.conductanceUS[k] = stepConductanceUS(this.conductanceUS[k], this.devices[k], count > 0 ? 1 : -1, Math.abs(count), this.params.cycleNoiseStd, rng);
  }

  /**
   * Half-select disturb: `count` half pulses on device (i, j), signed (positive potentiates). In the
   * sign-phased V/2 update (array/stochastic-update.ts) a half-selected device sees σ·V_s/2, σ the phase's
   * direction, so each half pulse moves it σ·k·ΔG₀ (k = halfSelectFraction, ΔG₀ = `nominalStepUS`), with no
   * randomness: G ← clip(G + count·k·ΔG₀, G_min^dev, G_max^dev). Pulses of one call all push one way, so one
   * clip for the batch equals a clip after each. Stuck devices do not move but count the pulses in
   * `halfPulses` (|count|). Half-steps carry no cycle-to-cycle noise in this model: with the multiplicative
   * noise of a full step (`stepConductanceUS`), H half pulses would add a spread k·σ_c2c·ΔG₀·√H, against the
   * full steps' own σ_c2c·ΔG₀·√F over F full pulses: a ratio k·√(H/F). A device is half-selected about
   * 1/p + 1/q times per coincidence (p, q its lines' pulse probabilities), so with k = 0.01 and H/F up to ~100
   * the omitted noise is at most a tenth of the noise already drawn. (It cannot be compared with the
   * half-select drift instead: half-selects push both ways, so the net drift is far smaller than H·k·ΔG₀.)
   */
  halfSelect(i: number, j: number, count: number): void {
    const k = this.index(i, j);
    requireFinite("half-select count", count);
    if (count === 0) return;
    this.halfPulses[k] += Math.abs(count);
    const kFrac = this.params.halfSelectFraction;
    if (!this.functional[k] || kFrac === 0) return;
    const d = this.devices[k];
    const g = this.conductanceUS[k] + count * kFrac * nominalStepUS(this.params);
    this.conductanceUS[k] = Math.min(d.gMaxUS, Math.max(d.gMinUS, g));
  }

  /** Read disturb of one read at relative voltage `relativeV` (= v/V_read, signed) on device (i, j). */
  readDisturb(i: number, j: number, relativeV: number): void {
    const k = this.index(i, j);
    const eps = this.params.readDisturbFraction;
    if (eps === 0 || relativeV === 0) return;
    if (!this.functional[k]) return;
    const d = this.devices[k];
    const g = this.conductanceUS[k] + eps * nominalStepUS(this.params) * relativeV;
    this.conductanceUS[k] = Math.min(d.gMaxUS, Math.max(d.gMinUS, g));
  }

  /**
   * Set weights in situ by pulsing each functional device of the block from G_ref with round(w/Δw_min)
   * pulses (so the programmed value carries the device's own step size and C2C noise).
   */
  programFromReference(block: Block, weights: ArrayLike<number>, rng: Rng): void {
    const c = block.colIdx.length;
    if (weights.length !== block.rowIdx.length * c) throw new RangeError(`weights must have ${block.rowIdx.length * c} entries, got ${weights.length}`);
    block.rowIdx.forEach((i, a) =>
      block.colIdx.forEach((j, b) => {
        const k = this.index(i, j);
        if (!this.functional[k]) return;
        const d = this.devices[k];
        this.conductanceUS[k] = Math.min(d.gMaxUS, Math.max(d.gMinUS, this.gRefUS));
        this.pulse(i, j, Math.round(weights[a * c + b] / this.dwMin), rng);
      }),
    );
  }
}

/**
 * Choose `nRows` rows and `nCols` columns whose every crossing is functional. Greedy: drop the rows with
 * the most stuck devices until `nRows` remain, then keep the lowest-index columns with no stuck device on
 * those rows. Throws a RangeError when that greedy choice leaves too few clean columns (another row choice
 * might still work), or when the block does not fit the array at all.
 */
export function selectFunctionalBlock(functional: Uint8Array, rows: number, cols: number, nRows: number, nCols: number): Block {
  requireInteger("nRows", nRows, 1);
  requireInteger("nCols", nCols, 1);
  if (nRows > rows || nCols > cols) throw new RangeError(`a ${nRows}×${nCols} block does not fit a ${rows}×${cols} array`);
  const rowFails = Array.from({ length: rows }, (_, i) => {
    let f = 0;
    for (let j = 0; j < cols; j++) f += functional[i * cols + j] ? 0 : 1;
    return { i, f };
  });
  const keptRows = rowFails
    .slice()
    .sort((a, b) => a.f - b.f || a.i - b.i)
    .slice(0, nRows)
    .map((r) => r.i)
    .sort((a, b) => a - b);
  const cleanCols: number[] = [];
  for (let j = 0; j < cols; j++) if (keptRows.every((i) => functional[i * cols + j] === 1)) cleanCols.push(j);
  if (cleanCols.length < nCols) {
    throw new RangeError(`yield map has only ${cleanCols.length} fully functional columns on the best ${nRows} rows; the ${nRows}×${nCols} block needs ${nCols}`);
  }
  return { rowIdx: keptRows, colIdx: cleanCols.slice(0, nCols) };
}
