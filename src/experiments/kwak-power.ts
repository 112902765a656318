/**
 * The chip's power and efficiency: breakdown at the peak operating point (the calibrated point), and the
 * model's predictions away from it: other array sizes at the same converters and clock, partial
 * utilisation, input statistics, and the energy of one in-situ training step of the Iris network.
 */
import { chipPower, updateEnergyJ, validateChipPower, PEAK, type ChipPowerParams, type PowerBreakdown } from "../energy/chip-power";
import { requireInRange, requireInteger, requireNonNegative } from "../util/validate";

export interface BreakdownRow {
  [key: string]: string | number;
  component: string;
  powerMW: number;
  share: number;
}

/** Peak breakdown as table rows (mW and share of the total). */
export function peakBreakdown(p: ChipPowerParams): { rows: BreakdownRow[]; peak: PowerBreakdown } {
  const b = chipPower(p, PEAK);
  if (!(b.totalW > 0)) throw new RangeError(`total power at the peak must be > 0 to give shares, got ${b.totalW} W (every power term of the chip parameters is 0)`);
  const parts: [string, number][] = [
    ["array V²G", b.arrayReadW],
    ["line CV²", b.lineDriveW],
    ["DACs", b.dacW],
    ["ADCs", b.adcW],
    ["static", b.staticW],
  ];
  return { rows: parts.map(([component, w]) => ({ component, powerMW: w * 1e3, share: w / b.totalW })), peak: b };
}

export interface ScalingRow {
  [key: string]: string | number;
  size: number;
  totalMW: number;
  topsPerW: number;
}

/** Square N×N arrays with the same per-line converters, clock and static power. */
export function sizeScaling(p: ChipPowerParams, sizes: number[]): ScalingRow[] {
  return sizes.map((n) => {
    requireInteger("size", n, 1);
    const b = chipPower({ ...p, rows: n, cols: n }, PEAK);
    return { size: n, totalMW: b.totalW * 1e3, topsPerW: b.topsPerW };
  });
}

export interface UtilisationRow {
  [key: string]: string | number;
  utilisation: number;
  mode: string;
  totalMW: number;
  topsPerW: number;
}

/**
 * Same chip with a fraction u of its lines active: either rows and columns together (a smaller matrix
 * mapped on the array) or rows only (all columns still converted, e.g. a short input vector).
 */
export function utilisationSweep(p: ChipPowerParams, utilisations: number[]): UtilisationRow[] {
  const out: UtilisationRow[] = [];
  for (const [mode, both] of [["rows and columns", true], ["rows only", false]] as const) {
    for (const u of utilisations) {
      const b = chipPower(p, { rowUtilisation: u, colUtilisation: both ? u : 1, meanSquareInput: 1 });
      out.push({ utilisation: u, mode, totalMW: b.totalW * 1e3, topsPerW: b.topsPerW });
    }
  }
  return out;
}

/**
 * Energy of one read of a block with `driven` driven and `sensed` sensed lines (dynamic energy of the
 * converters and lines, the array's V²G over the read window, and the static power over one VMM period).
 * As in `chipPower`, a driven line is a physical wire across the whole array, so it charges `p.cols` cells
 * whatever the block's width (the chip is square, so a driven column charges as many).
 */
export function blockReadEnergyJ(p: ChipPowerParams, driven: number, sensed: number, meanSquareInput: number): number {
  validateChipPower(p);
  requireNonNegative("driven", driven);
  requireNonNegative("sensed", sensed);
  requireInRange("meanSquareInput", meanSquareInput, 0, 1);
  const period = 1 / p.vmmRateHz;
  const v2 = p.readVoltageV ** 2;
  const array = driven * sensed * v2 * p.meanConductanceUS * 1e-6 * meanSquareInput * p.readDuty * period;
  const lines = driven * p.wireCapPerCellF * p.cols * v2;
  return array + lines + driven * p.dacEnergyJ + sensed * p.adcEnergyJ + p.staticPowerW * period;
}

export interface TrainingStepEnergy {
  [key: string]: string | number;
  phase: string;
  energyNJ: number;
}

/**
 * Energy per training sample of the two-layer network on an H×(nIn+nOut) block: three reads (layer 1
 * transposed, layer 2 forward, layer 2 backward), each counted `readsPerSample` times (the physical reads a
 * training step made, bound-management repeats included, as `ArrayRunResult.readsPerSample` measures them;
 * default once each), and two parallel updates with the measured mean full pulses and expected line pulses per
 * sample (every physical line spans the whole array, so a fired line charges p.cols cells). Static power is
 * counted over the reads' VMM periods only: the abstract gives no duration of an update phase, so the updates add
 * their dynamic energy alone.
 */
export function trainingStepEnergy(
  p: ChipPowerParams,
  hidden: number,
  nIn: number,
  nOut: number,
  fullPulsesPerSample: number,
  linePulsesPerSample: number,
  readsPerSample: { layer1: number; layer2Forward: number; layer2Backward: number } = { layer1: 1, layer2Forward: 1, layer2Backward: 1 },
): TrainingStepEnergy[] {
  for (const [k, v] of Object.entries(readsPerSample)) if (!(v >= 1) || !Number.isFinite(v)) throw new RangeError(`readsPerSample.${k} must be a finite number ≥ 1, got ${String(v)}`);
  const reads = [
    ["layer-1 read (x → h)", readsPerSample.layer1 * blockReadEnergyJ(p, nIn, hidden, 1 / 3)],
    ["layer-2 read (h → z)", readsPerSample.layer2Forward * blockReadEnergyJ(p, hidden, nOut, 1 / 3)],
    ["layer-2 backward read (δ → W·δ)", readsPerSample.layer2Backward * blockReadEnergyJ(p, nOut, hidden, 1 / 3)],
    ["two stochastic updates", updateEnergyJ(p, fullPulsesPerSample, linePulsesPerSample, p.cols)],
  ] as const;
  return reads.map(([phase, e]) => ({ phase, energyNJ: e * 1e9 }));
}
