/**
 * The experiment layer over the chip power model (src/experiments/kwak-power.ts): the peak breakdown notebook 08
 * records (kwak.power, kwak.efficiency), the size and utilisation sweeps, and the read/training-step energies.
 * The power model itself (chipPower, updateEnergyJ, calibrateChipPower) is tested in test/kwak.test.ts; here every
 * expected value is recomputed by hand from the preset's fields with the formulas of the chip-power.ts header.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CHIP_POWER_ASSUMED, CHIP_POWER_CALIBRATED, chipPower, type ChipPowerParams } from "../src/energy/chip-power";
import { blockReadEnergyJ, peakBreakdown, sizeScaling, trainingStepEnergy, utilisationSweep } from "../src/experiments/kwak-power";

const P = CHIP_POWER_CALIBRATED;

/** |a − b| ≤ rel·|b| (plus a tiny absolute floor for exact zeros). */
function close(a: number, b: number, rel: number, label: string): void {
  assert.ok(Math.abs(a - b) <= rel * Math.abs(b) + 1e-30, `${label}: ${a} vs ${b}`);
}

/**
 * Power of the chip with `ar` active rows and `ac` active columns at full-scale input, by hand from the header of
 * chip-power.ts: each active row drives a wire of p.cols cells, each active line has one converter.
 */
function handPower(p: ChipPowerParams, ar: number, ac: number): { array: number; line: number; dac: number; adc: number; total: number; topsPerW: number } {
  const v2 = p.readVoltageV ** 2;
  const f = p.vmmRateHz;
  const array = ar * ac * v2 * p.meanConductanceUS * 1e-6 * p.readDuty;
  const line = f * ar * p.wireCapPerCellF * p.cols * v2;
  const dac = f * ar * p.dacEnergyJ;
  const adc = f * ac * p.adcEnergyJ;
  const total = array + line + dac + adc + p.staticPowerW;
  return { array, line, dac, adc, total, topsPerW: (2 * ar * ac * f) / total / 1e12 };
}

test("peak breakdown: each row is its component computed by hand from the preset; rows sum to the total; shares sum to 1", () => {
  const { rows, peak } = peakBreakdown(P);
  const h = handPower(P, P.rows, P.cols);
  const expected: [string, number][] = [["array V²G", h.array], ["line CV²", h.line], ["DACs", h.dac], ["ADCs", h.adc], ["static", P.staticPowerW]];
  assert.equal(rows.map((r) => r.component), expected.map(([c]) => c));
  for (const [component, w] of expected) {
    const row = rows.find((r) => r.component === component)!;
    close(row.powerMW, w * 1e3, 1e-12, `${component} mW`);
    close(row.share, w / h.total, 1e-12, `${component} share`);
  }
  close(rows.reduce((s, r) => s + r.powerMW, 0), peak.totalW * 1e3, 1e-12, "rows sum to the total");
  close(rows.reduce((s, r) => s + r.share, 0), 1, 1e-12, "shares sum to 1");
});

test("peak (recorded as kwak.power and kwak.efficiency): total by hand, efficiency = 2·R·C·f / P, energy per MAC = P/(R·C·f)", () => {
  const { peak } = peakBreakdown(P);
  const h = handPower(P, P.rows, P.cols);
  close(peak.totalW * 1e3, h.total * 1e3, 1e-12, "total mW");
  const opsPerSecond = 2 * P.rows * P.cols * P.vmmRateHz; // one MAC = 2 ops, R·C MACs per VMM
  close(peak.topsPerW, opsPerSecond / h.total / 1e12, 1e-12, "TOPS/W");
  close(peak.energyPerMacJ, h.total / (P.rows * P.cols * P.vmmRateHz), 1e-12, "J/MAC");
  // The breakdown follows the parameters it is given, not a fixed preset.
  const other = peakBreakdown(CHIP_POWER_ASSUMED).peak;
  close(other.totalW, handPower(CHIP_POWER_ASSUMED, 64, 64).total, 1e-12, "assumed preset total");
});

test("size scaling: N = the chip's own size reproduces the peak; other N follow the N×N formulas by hand; bad sizes throw", () => {
  const { peak } = peakBreakdown(P);
  const rows = sizeScaling(P, [16, P.rows, 128]);
  assert.equal(rows.map((r) => r.size), [16, P.rows, 128]);
  close(rows[1].totalMW, peak.totalW * 1e3, 1e-12, "own size: mW");
  close(rows[1].topsPerW, peak.topsPerW, 1e-12, "own size: TOPS/W");
  for (const r of rows) {
    const h = handPower({ ...P, rows: r.size, cols: r.size }, r.size, r.size);
    close(r.totalMW, h.total * 1e3, 1e-12, `N = ${r.size} mW`);
    close(r.topsPerW, h.topsPerW, 1e-12, `N = ${r.size} TOPS/W`);
  }
  // Hand check of the scaling law: at N = 128 the per-line terms (line CV² is per row × N cells) double or quadruple.
  const h64 = handPower(P, 64, 64);
  close(rows[2].totalMW / 1e3, 4 * h64.array + 4 * h64.line + 2 * h64.dac + 2 * h64.adc + P.staticPowerW, 1e-12, "N = 128 from N = 64");
  assert.throws(() => sizeScaling(P, [32.5]), (e: unknown) => e instanceof RangeError && /size/.test((e as Error).message));
  assert.throws(() => sizeScaling(P, [0]), (e: unknown) => e instanceof RangeError && /size/.test((e as Error).message));
});

test("utilisation sweep: u = 1 is the peak in both modes; each mode follows its hand formula; u = 0 rows-only leaves the ADCs and static", () => {
  const { peak } = peakBreakdown(P);
  const us = [0, 0.25, 1];
  const rows = utilisationSweep(P, us);
  assert.is(rows.length, 2 * us.length);
  for (const mode of ["rows and columns", "rows only"]) {
    const full = rows.find((r) => r.mode === mode && r.utilisation === 1)!;
    close(full.totalMW, peak.totalW * 1e3, 1e-12, `${mode} u = 1 mW`);
    close(full.topsPerW, peak.topsPerW, 1e-12, `${mode} u = 1 TOPS/W`);
  }
  for (const r of rows) {
    const ar = r.utilisation * P.rows;
    const ac = r.mode === "rows only" ? P.cols : r.utilisation * P.cols;
    const h = handPower(P, ar, ac);
    close(r.totalMW, h.total * 1e3, 1e-12, `${r.mode} u = ${r.utilisation} mW`);
    close(r.topsPerW, h.topsPerW, 1e-12, `${r.mode} u = ${r.utilisation} TOPS/W`);
  }
  // u = 0, rows only: no row is driven, every column still converts: P = f·C·e_adc + P_static and no ops.
  const idle = rows.find((r) => r.mode === "rows only" && r.utilisation === 0)!;
  close(idle.totalMW, (P.vmmRateHz * P.cols * P.adcEnergyJ + P.staticPowerW) * 1e3, 1e-12, "idle rows-only mW");
  assert.is(idle.topsPerW, 0);
  // u = 0, rows and columns: only the static floor.
  close(rows.find((r) => r.mode === "rows and columns" && r.utilisation === 0)!.totalMW, P.staticPowerW * 1e3, 1e-12, "idle both mW");
  assert.throws(() => utilisationSweep(P, [1.5]), (e: unknown) => e instanceof RangeError && /rowUtilisation/.test((e as Error).message));
});

test("block read energy: hand-worked 2×3 block on a 2×3 array; the full array at full scale × VMM rate is the peak power", () => {
  // f = 1 MHz (period 1 µs), V = 0.1 V, G = 2 µS, duty 0.5, c = 1 fF/cell, DAC 1 pJ, ADC 2 pJ, static 1 mW. The block is
  // the whole array, so each driven wire's 3 cells are both the sensed cells and the wire's full length.
  const p: ChipPowerParams = { ...CHIP_POWER_ASSUMED, rows: 2, cols: 3, vmmRateHz: 1e6, readVoltageV: 0.1, meanConductanceUS: 2, readDuty: 0.5, wireCapPerCellF: 1e-15, dacEnergyJ: 1e-12, adcEnergyJ: 2e-12, staticPowerW: 1e-3 };
  // array: 2·3 cells · 0.01 V² · 2 µS · ⟨x²⟩ 0.5 · duty 0.5 · 1 µs = 3e-14 J; lines: 2 rows · 1 fF · 3 cells · 0.01 V² = 6e-17 J;
  // DACs 2 pJ, ADCs 6 pJ, static 1 mW · 1 µs = 1 nJ.
  close(blockReadEnergyJ(p, 2, 3, 0.5), 3e-14 + 6e-17 + 2e-12 + 6e-12 + 1e-9, 1e-12, "2×3 block");
  // Driven and sensed lines are not interchangeable (DAC and ADC costs differ): without wires, 3 DACs + 2 ADCs = 7 pJ instead of 8.
  const p0 = { ...p, wireCapPerCellF: 0 };
  close(blockReadEnergyJ(p0, 2, 3, 0.5) - blockReadEnergyJ(p0, 3, 2, 0.5), 1e-12, 1e-9, "2×3 minus 3×2 block");
  // Whole array, every row driven and every column sensed: energy per VMM × VMM rate = chipPower at that input.
  for (const m of [1, 1 / 3]) {
    const b = chipPower(P, { rowUtilisation: 1, colUtilisation: 1, meanSquareInput: m });
    close(blockReadEnergyJ(P, P.rows, P.cols, m) * P.vmmRateHz, b.totalW, 1e-12, `full array, ⟨x²⟩ = ${m}`);
  }
  // A quarter of the rows driven, all columns sensed: each driven wire still spans all columns, as in chipPower's rows-only point.
  const q = chipPower(P, { rowUtilisation: 0.25, colUtilisation: 1, meanSquareInput: 1 });
  close(blockReadEnergyJ(P, P.rows / 4, P.cols, 1) * P.vmmRateHz, q.totalW, 1e-12, "quarter rows");
  // A sub-block: 2 driven lines, 1 sensed, on the 2×3 array: each driven wire still charges all 3 cells of its line.
  // (Static power off, so the 6e-17 J difference is not lost under the 1 nJ static term.)
  const quiet = { ...p0, staticPowerW: 0 };
  close(blockReadEnergyJ({ ...quiet, wireCapPerCellF: 1e-15 }, 2, 1, 0.5) - blockReadEnergyJ(quiet, 2, 1, 0.5), 6e-17, 1e-9, "wire charge of a sub-block read");
  assert.throws(() => blockReadEnergyJ(P, 2, 3, 1.5), (e: unknown) => e instanceof RangeError && /meanSquareInput/.test((e as Error).message));
  assert.throws(() => blockReadEnergyJ(P, -1, 3, 1), (e: unknown) => e instanceof RangeError && /driven/.test((e as Error).message));
  assert.throws(() => blockReadEnergyJ(P, 2, Number.NaN, 1), (e: unknown) => e instanceof RangeError && /sensed/.test((e as Error).message));
});

test("training step energy: hand-worked converters-only case tells the three reads apart; update = C_g·V_w² per coincidence + C_g·(V_w/2)² per half-selected cell + c·C·(V_w/2)² per line pulse", () => {
  // Only converters and the gate: G = 0, c = 0, static 0; DAC 1 pJ, ADC 2 pJ; V_w = 2 V, C_g = 5 fF.
  const p: ChipPowerParams = { ...CHIP_POWER_ASSUMED, meanConductanceUS: 0, wireCapPerCellF: 0, staticPowerW: 0, dacEnergyJ: 1e-12, adcEnergyJ: 2e-12, writeVoltageV: 2, gateCapacitanceF: 5e-15 };
  // hidden 3, nIn 2, nOut 1, 10 full pulses, 4 line pulses.
  const rows = trainingStepEnergy(p, 3, 2, 1, 10, 4);
  assert.is(rows.length, 4);
  // layer-1 read: 2 DACs + 3 ADCs = 8 pJ; layer-2 forward: 3 DACs + 1 ADC = 5 pJ; backward: 1 DAC + 3 ADCs = 7 pJ;
  // update (c = 0): 4 line pulses on 64-cell lines touch 256 cells, 2·10 of them through the coincidences, so
  // 236 half-selected cell-pulses · 5 fF · (1 V)² = 1.18 pJ plus 10 coincidences · 5 fF · (2 V)² = 0.2 pJ. In nJ.
  assert.is(p.cols, 64);
  const expectedNJ = [8e-3, 5e-3, 7e-3, 1.38e-3];
  rows.forEach((r, i) => close(r.energyNJ, expectedNJ[i], 1e-12, r.phase));

  // The calibrated chip with the 4-63-3 network. Reads by hand at ⟨x²⟩ = 1/3 (array V²G over the read window, converters,
  // static power over one VMM period), with wire charging off (the sub-block wire term is checked above). The update with line pulses charging a whole array line of p.cols cells at
  // half the write voltage.
  const [H, nIn, nOut, full, line] = [63, 4, 3, 25.5, 140];
  const Q = { ...P, wireCapPerCellF: 0 };
  const v2 = P.readVoltageV ** 2;
  const T = 1 / P.vmmRateHz;
  const read = (d: number, s: number) => d * s * v2 * P.meanConductanceUS * 1e-6 * (1 / 3) * P.readDuty * T + d * P.dacEnergyJ + s * P.adcEnergyJ + P.staticPowerW * T;
  const reads = trainingStepEnergy(Q, H, nIn, nOut, full, line);
  [read(nIn, H), read(H, nOut), read(nOut, H)].forEach((e, i) => close(reads[i].energyNJ, e * 1e9, 1e-12, reads[i].phase));
  // Counted cell by cell: coincidences at V_w, the other cells of the fired lines at V_w/2, plus the wires.
  const halfSelectedCells = line * P.cols - 2 * full;
  const update = full * P.gateCapacitanceF * P.writeVoltageV ** 2 + halfSelectedCells * P.gateCapacitanceF * (P.writeVoltageV / 2) ** 2 + line * P.wireCapPerCellF * P.cols * (P.writeVoltageV / 2) ** 2;
  close(trainingStepEnergy(P, H, nIn, nOut, full, line)[3].energyNJ, update * 1e9, 1e-12, "update");
  // Measured physical reads per sample multiply each read's energy (bound-management repeats are whole reads).
  const plain = trainingStepEnergy(P, H, nIn, nOut, full, line);
  const repeated = trainingStepEnergy(P, H, nIn, nOut, full, line, { layer1: 2, layer2Forward: 1.5, layer2Backward: 3 });
  [2, 1.5, 3, 1].forEach((f, i) => close(repeated[i].energyNJ, f * plain[i].energyNJ, 1e-12, `${plain[i].phase} × ${f}`));
  assert.throws(() => trainingStepEnergy(P, H, nIn, nOut, full, line, { layer1: 0.5, layer2Forward: 1, layer2Backward: 1 }), /readsPerSample.layer1 must be a finite number ≥ 1/);
  assert.throws(() => trainingStepEnergy(P, H, nIn, nOut, -1, line), (e: unknown) => e instanceof RangeError && /fullPulses/.test((e as Error).message));
  assert.throws(() => trainingStepEnergy(P, H, nIn, nOut, full, -1), (e: unknown) => e instanceof RangeError && /linePulses/.test((e as Error).message));
});

test.run();

test("an idle chip computes nothing: 0 TOPS/W and infinite energy per MAC, also when every power term is zero", () => {
  const idle = chipPower(P, { rowUtilisation: 0, colUtilisation: 1, meanSquareInput: 1 });
  assert.is(idle.opsPerSecond, 0);
  assert.is(idle.topsPerW, 0);
  assert.is(idle.energyPerMacJ, Infinity);
  assert.ok(idle.totalW >= P.staticPowerW, "the static power is still drawn");
  // No static power, no converters: every term is 0, and the ratios alone would be 0/0.
  const silent = chipPower({ ...P, staticPowerW: 0, adcEnergyJ: 0 }, { rowUtilisation: 0, colUtilisation: 1, meanSquareInput: 1 });
  assert.is(silent.totalW, 0);
  assert.is(silent.topsPerW, 0);
  assert.is(silent.energyPerMacJ, Infinity);
});
