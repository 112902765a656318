/**
 * Power and efficiency of an ECRAM cross-point chip running VMMs (and, for training, updates).
 *
 * One VMM on an R×C array with a fraction u_r of rows and u_c of columns active, repeated at f VMM/s:
 *   array read   P_read  = u_r·R · u_c·C · V_read² · G_mean · ⟨x²⟩ · d        (d: read duty of the cycle)
 *   line drive   E_line  = u_r·R · c_cell·C · V_read²                          (charge each driven row wire)
 *   DAC          E_dac   = u_r·R · e_dac
 *   ADC          E_adc   = u_c·C · e_adc
 *   total        P       = P_read + f·(E_line + E_dac + E_adc) + P_static
 *   efficiency   η       = ops/s ÷ P,  ops per VMM = 2·(u_r·R)·(u_c·C)           (one MAC = 2 ops)
 * "Peak" is u_r = u_c = 1 with full-scale inputs (⟨x²⟩ = 1), the operating point a chip paper quotes.
 *
 * A training update pulse costs the gate charge of the selected device (c_gate·V_w²) plus charging a
 * half-driven wire: c_cell·N·(V_w/2)² for each fired row or column line pulse (the callers count row and
 * column pulses separately).
 *
 * Calibration: the abstract gives the total power and the peak efficiency of the chip, and nothing about
 * its converters or clock. Taken at the same peak operating point, η·P = ops/s fixes the VMM rate f, and
 * P then fixes the one energy we know least, the ADC energy per conversion e_adc. Everything else is an
 * assumption stated in the preset. `calibrateChipPower` does that solve in closed form.
 */
import { requireInRange, requireInteger, requireNonNegative, requirePositive } from "../util/validate";

export interface ChipPowerParams {
  /** Array rows and columns. */
  rows: number;
  cols: number;
  /** Read voltage at full-scale input, V. */
  readVoltageV: number;
  /** Mean device conductance during reads, µS. */
  meanConductanceUS: number;
  /** Fraction of the VMM period during which the read voltage is applied (0–1]. */
  readDuty: number;
  /** Wire capacitance per cell pitch, F. */
  wireCapPerCellF: number;
  /** DAC energy per conversion (one input line per VMM), J. */
  dacEnergyJ: number;
  /** ADC energy per conversion (one output line per VMM), J. */
  adcEnergyJ: number;
  /** Static power: clock tree, control logic, bias of sense amplifiers and references, W. */
  staticPowerW: number;
  /** VMM rate at peak, VMM/s. */
  vmmRateHz: number;
  /** Update pulse amplitude across a device, V, and gate capacitance, F (training only). */
  writeVoltageV: number;
  gateCapacitanceF: number;
}

export interface ChipPowerPreset extends ChipPowerParams {
  readonly provenance: Readonly<Record<string, string>>;
}

/** Operating point: utilisation of rows/columns and input statistics. */
export interface OperatingPoint {
  rowUtilisation: number;
  colUtilisation: number;
  /** Mean squared input ⟨x²⟩ (1 at full scale). */
  meanSquareInput: number;
  /** VMM rate, VMM/s; default the preset's peak rate. */
  vmmRateHz?: number;
}

export const PEAK: Readonly<OperatingPoint> = Object.freeze({ rowUtilisation: 1, colUtilisation: 1, meanSquareInput: 1 });

export interface PowerBreakdown {
  arrayReadW: number;
  lineDriveW: number;
  dacW: number;
  adcW: number;
  staticW: number;
  totalW: number;
  opsPerSecond: number;
  /** ops/J ÷ 1e12. */
  topsPerW: number;
  /** Energy per MAC, J. */
  energyPerMacJ: number;
}

export function validateChipPower(p: ChipPowerParams): void {
  requireInteger("rows", p.rows, 1);
  requireInteger("cols", p.cols, 1);
  requirePositive("readVoltageV", p.readVoltageV);
  requireNonNegative("meanConductanceUS", p.meanConductanceUS);
  requireInRange("readDuty", p.readDuty, 0, 1);
  requireNonNegative("wireCapPerCellF", p.wireCapPerCellF);
  requireNonNegative("dacEnergyJ", p.dacEnergyJ);
  requireNonNegative("adcEnergyJ", p.adcEnergyJ);
  requireNonNegative("staticPowerW", p.staticPowerW);
  requirePositive("vmmRateHz", p.vmmRateHz);
  requirePositive("writeVoltageV", p.writeVoltageV);
  requireNonNegative("gateCapacitanceF", p.gateCapacitanceF);
}

/**
 * Power breakdown and efficiency at an operating point. An idle chip (row or column utilisation 0) still draws
 * its static power but computes nothing: topsPerW is 0 and energyPerMacJ is Infinity, also when every power term
 * is 0 (where the ratios alone would give NaN).
 */
export function chipPower(p: ChipPowerParams, op: OperatingPoint = PEAK): PowerBreakdown {
  validateChipPower(p);
  requireInRange("rowUtilisation", op.rowUtilisation, 0, 1);
  requireInRange("colUtilisation", op.colUtilisation, 0, 1);
  requireInRange("meanSquareInput", op.meanSquareInput, 0, 1);
  const f = requirePositive("vmmRateHz", op.vmmRateHz ?? p.vmmRateHz);
  const activeRows = op.rowUtilisation * p.rows;
  const activeCols = op.colUtilisation * p.cols;
  const v2 = p.readVoltageV * p.readVoltageV;
  const arrayReadW = activeRows * activeCols * v2 * p.meanConductanceUS * 1e-6 * op.meanSquareInput * p.readDuty;
  const lineDriveW = f * activeRows * p.wireCapPerCellF * p.cols * v2;
  const dacW = f * activeRows * p.dacEnergyJ;
  const adcW = f * activeCols * p.adcEnergyJ;
  const staticW = p.staticPowerW;
  const totalW = arrayReadW + lineDriveW + dacW + adcW + staticW;
  const opsPerSecond = 2 * activeRows * activeCols * f;
  return {
    arrayReadW,
    lineDriveW,
    dacW,
    adcW,
    staticW,
    totalW,
    opsPerSecond,
    topsPerW: opsPerSecond > 0 ? opsPerSecond / totalW / 1e12 : 0,
    energyPerMacJ: opsPerSecond > 0 ? totalW / (opsPerSecond / 2) : Infinity,
  };
}

/**
 * Energy of `fullPulses` coincidence pulses and `linePulses` fired line pulses on N-cell lines, J. A cell whose gate
 * sees the voltage V for one pulse costs C_gate·V² (charged and discharged through the drivers): V_s at a
 * coincidence, V_s/2 on every other cell of a fired line (a half-select), and each line also charges its wire,
 * C_wire per cell, to V_s/2. A fired line touches N cells, a coincidence cell through two lines, so with
 * n_half = linePulses·N − 2·fullPulses half-selected cell-pulses
 *   E = C_gate·V_s²·fullPulses + C_gate·(V_s/2)²·n_half + C_wire·N·(V_s/2)²·linePulses
 *     = C_gate·V_s²·fullPulses/2 + (C_gate + C_wire)·N·(V_s/2)²·linePulses.
 * Assumed: the update voltage falls across the gate stack of every cell on a driven line (a gate-line/channel-line
 * cross-point), and a line's cells outside the trained block are charged too (every physical line spans the array).
 */
export function updateEnergyJ(p: ChipPowerParams, fullPulses: number, linePulses: number, cellsPerLine: number): number {
  requireNonNegative("fullPulses", fullPulses);
  requireNonNegative("linePulses", linePulses);
  requireNonNegative("cellsPerLine", cellsPerLine);
  const half = p.writeVoltageV / 2;
  return (fullPulses * p.gateCapacitanceF * p.writeVoltageV ** 2) / 2 + linePulses * (p.gateCapacitanceF + p.wireCapPerCellF) * cellsPerLine * half * half;
}

export interface CalibrationTargets {
  /** Total power at the peak operating point, W. */
  totalPowerW: number;
  /** Peak efficiency, TOPS/W. */
  topsPerW: number;
}

/**
 * Solve the VMM rate and the ADC energy per conversion so that the peak operating point has the target
 * power and efficiency; all other parameters are kept. Throws if the assumed fixed costs already exceed
 * the target power (no positive ADC energy fits).
 */
export function calibrateChipPower(base: ChipPowerParams, targets: CalibrationTargets): ChipPowerParams {
  requirePositive("totalPowerW", targets.totalPowerW);
  requirePositive("topsPerW", targets.topsPerW);
  const opsPerVmm = 2 * base.rows * base.cols;
  const vmmRateHz = (targets.topsPerW * 1e12 * targets.totalPowerW) / opsPerVmm;
  const noAdc = chipPower({ ...base, vmmRateHz, adcEnergyJ: 0 }, PEAK);
  const adcEnergyJ = (targets.totalPowerW - noAdc.totalW) / (vmmRateHz * base.cols);
  if (!(adcEnergyJ > 0)) throw new RangeError(`calibration: fixed costs (${noAdc.totalW} W) exceed totalPowerW (${targets.totalPowerW} W); no positive adcEnergyJ fits`);
  return { ...base, vmmRateHz, adcEnergyJ };
}

/** Assumed parameters before calibration (vmmRateHz and adcEnergyJ are placeholders the fit replaces). */
export const CHIP_POWER_ASSUMED: Readonly<ChipPowerPreset> = Object.freeze({
  rows: 64,
  cols: 64,
  readVoltageV: 0.1,
  meanConductanceUS: 3,
  readDuty: 0.5,
  wireCapPerCellF: 0.2e-15,
  dacEnergyJ: 0.2e-12,
  adcEnergyJ: 1e-12,
  staticPowerW: 1e-3,
  vmmRateHz: 1e6,
  writeVoltageV: 2,
  gateCapacitanceF: 5e-15,
  provenance: Object.freeze({
    "rows, cols": "paper text: 4,096 devices in a cross-point array, taken as 64×64",
    readVoltageV: "assumed: 0.1 V channel read (as in the array model)",
    meanConductanceUS: "assumed: middle of the 1–5 µS window of the device model",
    readDuty: "assumed: the read pulse fills half of the VMM period, the rest is ADC conversion",
    wireCapPerCellF: "assumed: 0.2 fF per cell pitch of BEOL wire (~1 µm pitch, ~0.2 fF/µm)",
    dacEnergyJ: "assumed: 0.2 pJ per 8-bit input conversion (pulse-width or current-steering DAC in a mature node)",
    staticPowerW:
      "assumed: a floor for clock tree, control logic and sense/reference bias, set at about a tenth of the abstract's total power (registry kwak.power; no breakdown is published). The two published numbers cannot separate it from the converters: the calibration gives the rest of the budget to the ADCs, so 0 → 5 mW static moves the fitted ADC energy from 20.4 to 11.1 pJ with kwak.power and kwak.efficiency still met. It shapes notebook 08's predictions away from the calibrated point (TOPS/W against N and utilisation, energy per training sample)",
    "writeVoltageV, gateCapacitanceF": "assumed, as in the device model (2 V, 5 fF)",
    "vmmRateHz, adcEnergyJ": "placeholder: replaced by the calibration (CHIP_POWER_CALIBRATED)",
  }),
});

/**
 * The calibrated chip: vmmRateHz and adcEnergyJ fitted to the abstract's total power and peak efficiency
 * (registry entries kwak.power and kwak.efficiency, kind "calibration") with `calibrateChipPower` applied
 * to CHIP_POWER_ASSUMED; the two fitted values are written here, rounded to 4 significant digits.
 */
export const CHIP_POWER_CALIBRATED: Readonly<ChipPowerPreset> = Object.freeze({
  ...CHIP_POWER_ASSUMED,
  vmmRateHz: 8.345e6,
  adcEnergyJ: 1.856e-11,
  provenance: Object.freeze({
    ...CHIP_POWER_ASSUMED.provenance,
    vmmRateHz: "fitted to the abstract's total power and peak efficiency: f = η·P / (2·R·C) (calibrateChipPower)",
    adcEnergyJ: "fitted to the abstract's total power: the energy per conversion that closes the power budget at f (calibrateChipPower)",
  }),
});

export const CHIP_POWER_PRESETS: readonly Readonly<ChipPowerPreset>[] = [CHIP_POWER_ASSUMED, CHIP_POWER_CALIBRATED];
