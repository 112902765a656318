/**
 * The Fig 3 experiment layer (src/experiments/ecram-fig3.ts) that notebook 01 records into the registry
 * (data/published/yang-ecram.json): yang.ecram.dc_switching_ratio, size_scaling, switching_accuracy, ltp_ltd,
 * amplitude_width.exponential / .width, retention_states, pulsed_switching_ratio and endurance. The device model
 * itself (src/devices/ecram.ts) is tested in test/ecram.test.ts; here every recorded metric is recounted from the
 * rows/trace the function returns, and noise-free devices give hand-worked cases from the model's documented
 * formulas (the Chen curve G = G_min + (G_max − G_min)·y(P/P_max), y(x) = (1 − e^(−x/a))/(1 − e^(−1/a)); pulse
 * strength s = (w/w_ref)·exp((|V| − V_ref)/V_s)). Protocols are far smaller than the notebook's.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { nonlinearityForShape, shapeForNonlinearity, fitNonlinearity } from "../src/devices/chen-nonlinearity";
import { EcramDevice, WOX_LIPON_ECRAM, type EcramParams } from "../src/devices/ecram";
import { ECRAM_WINDOW_DRIVE, ECRAM_WRITE_VERIFY } from "../src/devices/ecram-schemes";
import {
  FIG3A_DC_SWEEP,
  FIG3D_CYCLING,
  amplitudeWidthDependence,
  cycleDevice,
  dcTransferSweep,
  endurance,
  ltpLtdCycling,
  pulsedSwitchingWindow,
  retentionStates,
  shortProvenance,
  sizeScaling,
  writeVerifyStatistics,
} from "../src/experiments/ecram-fig3";
import { createRng } from "../src/util/rng";
import type { Row } from "../src/util/row";

const num = (r: Row, k: string) => r[k] as number;
const close = (a: number, b: number, rel: number, label: string) =>
  assert.ok(Math.abs(a - b) <= rel * Math.abs(b) + 1e-300, `${label}: ${a} vs ${b}`);

// Independent statistics (not src/util/stats), so a bug there cannot cancel out.
const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sampleStd = (xs: number[]) => {
  const m = avg(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};
function ols(x: number[], y: number[]): { slope: number; r2: number } {
  const mx = avg(x);
  const my = avg(y);
  const sxy = x.reduce((s, xi, i) => s + (xi - mx) * (y[i] - my), 0);
  const sxx = x.reduce((s, xi) => s + (xi - mx) ** 2, 0);
  const syy = y.reduce((s, yi) => s + (yi - my) ** 2, 0);
  return { slope: sxy / sxx, r2: (sxy * sxy) / (sxx * syy) };
}
const isRangeErrorNaming = (field: string) => (e: unknown) => e instanceof RangeError && e.message.includes(field);

/** No cycle-to-cycle, device-to-device or read noise: every run is the deterministic model. */
const QUIET: EcramParams = { ...WOX_LIPON_ECRAM, c2cRelative: 0, c2cAbsolute: 0, d2dRelative: 0, d2dNonlinearity: 0, readNoiseRelative: 0 };

// ---------------------------------------------------------------------------------------------- Fig 3a
test("DC sweep (yang.ecram.dc_switching_ratio): hand-worked noise-free staircase 0→+3→0→−3→0 V in 1 V steps", () => {
  // G_max = 60·10/10 = 60 µS, r_int 10 → G_min 6, window W = 54. NL_p = NL_d = 1 → a = 1.2517 (NeuroSim's published
  // pair). P_max 10. Only |V| = 3 V is above the 2 V threshold (2 V is not: s = 0 for |V| ≤ V_th).
  // +3 V for 2 ms with V_ref 3 V, w_ref 1 ms: s = 2·e⁰ = 2 → from G_min (P = 0): G_hi = 6 + 54·y(0.2)
  //   y(0.2) = (1 − e^(−0.2/1.2517))/(1 − e^(−1/1.2517)) = 0.14766/0.55014 = 0.26840 → G_hi = 20.4938 µS.
  // −3 V with V_ref,d 1 V: s = 2·e^(2/1.2) = 10.6 coordinate units, more than the ~6.5 left below on the
  //   mirrored curve → clamps at G_min = 6. Ratio per cycle = 20.4938/6 = 3.41563, the same every cycle.
  const params: EcramParams = { ...QUIET, intrinsicOnOffRatio: 10, nonlinearityP: 1, nonlinearityD: 1, pulsesAcrossWindow: 10, referencePotentiationV: 3, referenceDepressionV: 1, referenceWidthS: 1e-3 };
  const protocol = { amplitudeV: 3, stepV: 1, dwellS: 2e-3, cycles: 3, readV: 0.1 };
  const r = dcTransferSweep(protocol, params, 1);
  const gHi = 20.4938;
  // a is known to 2e-3 (published to 4 digits): y(0.2) moves by ≤ 6e-4 relative, the ratio by less.
  assert.is(r.ratios.length, 3);
  for (const ratio of r.ratios) close(ratio, gHi / 6, 1e-3, "ratio per cycle");
  close(r.meanRatio, gHi / 6, 1e-3, "mean ratio");
  // The full current trace of cycle 1 (I = G·1e-6·0.1 V): steps +1 +2 +3 +2 +1 0 −1 −2 −3 −2 −1 0.
  const c1 = r.rows.filter((row) => row.cycle === 1);
  assert.equal(c1.map((row) => num(row, "gateV")), [1, 2, 3, 2, 1, 0, -1, -2, -3, -2, -1, 0]);
  const expectedG = [6, 6, gHi, gHi, gHi, gHi, gHi, gHi, 6, 6, 6, 6];
  c1.forEach((row, k) => close(num(row, "drainCurrentA"), expectedG[k] * 1e-6 * 0.1, 1e-3, `cycle 1 step ${k}`));
});

test("DC sweep: the recorded mean ratio is recounted from the rows (high V_G = 0 read over low); the sweep shape; read voltage drops out", () => {
  // cycles ≤ 3: the plotted cycles (first, middle = floor(c/2)+1, last) are all of them, so every ratio can be recounted.
  const protocol = { ...FIG3A_DC_SWEEP, cycles: 3 };
  const r = dcTransferSweep(protocol);
  const n = Math.round(protocol.amplitudeV / protocol.stepV); // 80 steps per quarter
  const perCycle = 4 * n;
  assert.is(r.rows.length, 3 * perCycle);
  const ratios: number[] = [];
  for (let c = 1; c <= 3; c++) {
    const rows = r.rows.filter((row) => row.cycle === c);
    assert.is(rows.length, perCycle);
    const v = rows.map((row) => num(row, "gateV"));
    // 0 → +V → 0 → −V → 0: V_G = 0 only at the end of the positive half (step 2n − 1) and of the cycle (4n − 1).
    assert.equal(v.flatMap((x, k) => (x === 0 ? [k] : [])), [2 * n - 1, 4 * n - 1]);
    close(Math.max(...v), protocol.amplitudeV, 1e-12, "top of sweep");
    close(Math.min(...v), -protocol.amplitudeV, 1e-12, "bottom of sweep");
    ratios.push(num(rows[2 * n - 1], "drainCurrentA") / num(rows[4 * n - 1], "drainCurrentA"));
  }
  assert.equal(r.ratios, ratios);
  close(r.meanRatio, avg(ratios), 1e-12, "mean ratio");
  // Returning from +8 V leaves the channel high, from −8 V low: the ratio is well above 1 (a swapped pair gives < 1).
  assert.ok(ratios.every((x) => x > 5), `ratios ${ratios}`);
  // The drain bias only scales both currents: doubling it doubles every current and leaves the ratios unchanged.
  const r2 = dcTransferSweep({ ...protocol, readV: 2 * protocol.readV });
  r2.rows.forEach((row, k) => close(num(row, "drainCurrentA"), 2 * num(r.rows[k], "drainCurrentA"), 1e-12, `row ${k} current`));
  r2.ratios.forEach((x, k) => close(x, ratios[k], 1e-12, `ratio ${k}`));
});

test("DC sweep: with more cycles only the first, middle and last are plotted; a sweep below threshold gives ratio 1 ± read noise", () => {
  const r = dcTransferSweep({ ...FIG3A_DC_SWEEP, cycles: 5 });
  assert.is(r.ratios.length, 5);
  assert.equal([...new Set(r.rows.map((row) => row.cycle))], [1, 3, 5]);
  // ±1.5 V never exceeds the 2 V threshold: G never moves; the two reads differ only by read noise (0.2 %): the ratio
  // of two reads has relative σ = 0.002·√2 = 0.28 %, so 5σ = 1.4 %.
  const still = dcTransferSweep({ ...FIG3A_DC_SWEEP, amplitudeV: 1.5, cycles: 4 });
  for (const x of still.ratios) assert.ok(Math.abs(x - 1) < 0.014, `sub-threshold ratio ${x}`);
});

test("DC sweep: same seed is bit-identical, another seed differs; bad protocol fields throw naming the field", () => {
  const p = { ...FIG3A_DC_SWEEP, cycles: 2 };
  assert.equal(dcTransferSweep(p, WOX_LIPON_ECRAM, 4), dcTransferSweep(p, WOX_LIPON_ECRAM, 4));
  assert.not.equal(dcTransferSweep(p, WOX_LIPON_ECRAM, 4).ratios, dcTransferSweep(p, WOX_LIPON_ECRAM, 5).ratios);
  assert.throws(() => dcTransferSweep({ ...p, amplitudeV: 0 }), isRangeErrorNaming("amplitudeV"));
  assert.throws(() => dcTransferSweep({ ...p, stepV: -0.1 }), isRangeErrorNaming("stepV"));
  assert.throws(() => dcTransferSweep({ ...p, dwellS: Number.NaN }), isRangeErrorNaming("dwellS"));
  assert.throws(() => dcTransferSweep({ ...p, cycles: 0 }), isRangeErrorNaming("cycles"));
  assert.throws(() => dcTransferSweep({ ...p, cycles: 1.5 }), isRangeErrorNaming("cycles"));
});

// ---------------------------------------------------------------------------------------------- Fig 3b
const SIZES: Array<[number, number]> = [[5, 10], [10, 10], [40, 10], [10, 20]];

test("size scaling (yang.ecram.size_scaling): noise-free devices reach G_on = g·W/L exactly, so slope 1, R² 1, g = 60 µS/□, CV 0", () => {
  const r = sizeScaling(SIZES, 2, QUIET);
  assert.equal(r.rows.map((row) => [row.widthUM, row.lengthUM]), SIZES.flatMap((s) => [s, s]));
  for (const row of r.rows) close(num(row, "onConductanceUS"), (60 * num(row, "widthUM")) / num(row, "lengthUM"), 1e-9, `G_on of ${row.size}`);
  close(r.slope, 1, 1e-9, "slope");
  close(r.r2, 1, 1e-9, "R²");
  close(r.sheetMeanUS, 60, 1e-9, "sheet conductance");
  assert.ok(r.sheetCv < 1e-9, `CV ${r.sheetCv}`);
});

test("size scaling: slope, R², mean g and its CV are recounted from the rows of noisy devices", () => {
  const r = sizeScaling(SIZES, 4);
  assert.is(r.rows.length, 16);
  const x = r.rows.map((row) => Math.log10(num(row, "aspect")));
  const y = r.rows.map((row) => Math.log10(num(row, "onConductanceUS")));
  r.rows.forEach((row) => {
    close(num(row, "aspect"), num(row, "widthUM") / num(row, "lengthUM"), 1e-15, "aspect");
    close(num(row, "sheetConductanceUS"), (num(row, "onConductanceUS") * num(row, "lengthUM")) / num(row, "widthUM"), 1e-12, "sheet g");
  });
  const fit = ols(x, y);
  close(r.slope, fit.slope, 1e-9, "slope");
  close(r.r2, fit.r2, 1e-9, "R²");
  const g = r.rows.map((row) => num(row, "sheetConductanceUS"));
  close(r.sheetMeanUS, avg(g), 1e-12, "mean g");
  close(r.sheetCv, sampleStd(g) / avg(g), 1e-9, "CV of g (sample std)");
  // Statistical sanity: g is drawn with 5 % spread (σ = 3 µS) → mean of 16 within 5·3/√16 = 3.75 µS of 60. The slope's
  // standard error is σ(log10 g)/√Sxx = (0.05/ln 10)/√(4·Σ(x−x̄)²) = 0.0217/√(4·0.5) ≈ 0.015 → |slope − 1| < 5·0.015.
  assert.ok(Math.abs(r.sheetMeanUS - 60) < 3.75, `mean g ${r.sheetMeanUS}`);
  assert.ok(Math.abs(r.slope - 1) < 0.077, `slope ${r.slope}`);
  assert.ok(r.sheetCv > 0, "devices differ");
  // Determinism.
  assert.equal(sizeScaling(SIZES, 2, WOX_LIPON_ECRAM, 9), sizeScaling(SIZES, 2, WOX_LIPON_ECRAM, 9));
  assert.is.not(sizeScaling(SIZES, 2, WOX_LIPON_ECRAM, 9).slope, sizeScaling(SIZES, 2, WOX_LIPON_ECRAM, 10).slope);
});

// ------------------------------------------------------------------------------------------ Fig 3d,e,f
type CycleResult = ReturnType<typeof cycleDevice>;

/** Recount every metric of a cycleDevice result from its full trace (all cycles traced) and the start conductance. */
function recountCycling(r: CycleResult, g0: number, cycles: number, ppb: number): void {
  const n = 2 * cycles * ppb;
  assert.is(r.pulses, n);
  assert.is(r.trace.length, n);
  r.trace.forEach((row, k) => {
    assert.is(row.pulse, k + 1);
    const c = Math.floor(k / (2 * ppb));
    assert.is(row.cycle, c + 1);
    assert.is(row.segment, c < cycles / 2 ? "first cycles" : "last cycles");
  });
  const g = [g0, ...r.trace.map((row) => num(row, "conductanceUS"))];
  let correct = 0;
  const upSteps: number[] = [];
  const deltas: Row[] = [];
  const fits: Row[] = [];
  const windows: number[] = [];
  for (let c = 0; c < cycles; c++) {
    for (const [b, polarity] of [[0, 1], [1, -1]] as const) {
      const start = c * 2 * ppb + b * ppb; // index into g of the branch's first point
      const branch = g.slice(start, start + ppb + 1);
      for (let k = 0; k < ppb; k++) {
        const dG = branch[k + 1] - branch[k];
        if (polarity > 0 ? dG > 0 : dG < 0) correct += 1;
        if (polarity > 0) upSteps.push(dG);
        if (k % 5 === 0) deltas.push({ branch: polarity > 0 ? "potentiation" : "depression", deltaUS: dG });
      }
      const label = polarity > 0 ? "potentiation" : "depression";
      const moved = polarity > 0 ? branch[ppb] > branch[0] : branch[ppb] < branch[0];
      fits.push({ cycle: c + 1, branch: label, nonlinearity: moved ? fitNonlinearity(polarity > 0 ? branch : branch.map((x) => -x)).nonlinearity : null });
      if (polarity > 0) windows.push(branch[ppb] - branch[0]);
    }
  }
  close(r.switchingAccuracyPct, (100 * correct) / n, 1e-12, "switching accuracy");
  close(r.meanPotentiationStepUS, avg(upSteps), 1e-9, "mean potentiation step");
  assert.equal(r.deltas, deltas);
  assert.equal(r.fits, fits);
  assert.is(r.unfittedBranches, fits.filter((f) => f.nonlinearity === null).length);
  const nlP = fits.filter((f) => f.branch === "potentiation" && f.nonlinearity !== null).map((f) => f.nonlinearity as number);
  const nlD = fits.filter((f) => f.branch === "depression" && f.nonlinearity !== null).map((f) => f.nonlinearity as number);
  close(r.nonlinearityP.mean, avg(nlP), 1e-12, "NL_p mean");
  close(r.nonlinearityD.mean, avg(nlD), 1e-12, "NL_d mean");
  close(r.nonlinearityP.std, sampleStd(nlP), 1e-9, "NL_p std");
  close(r.nonlinearityD.std, sampleStd(nlD), 1e-9, "NL_d std");
  // First and last 10 cycles, or half the cycles each when there are fewer than 20 (the two sets must not overlap).
  const span = Math.max(1, Math.min(10, Math.floor(windows.length / 2)));
  const first = avg(windows.slice(0, span));
  const last = avg(windows.slice(-span));
  close(r.windowDriftFraction, Math.abs(last - first) / first, 1e-9, "window drift");
  if (windows.length >= 2) assert.ok(r.windowDriftFraction > 0, "disjoint windows of a noisy device differ");
}

test("cycling (yang.ecram.switching_accuracy, ltp_ltd): accuracy, steps, fitted NL, window drift recounted from the full trace", () => {
  // 12 cycles, so the first-10 and last-10 window means differ; one quiet run (100 %) and one with NeuroSim's default
  // additive noise 0.035·W per pulse (σ ≈ 2.1 µS against ≈ 0.5 µS steps), so some pulses go the wrong way.
  for (const params of [WOX_LIPON_ECRAM, { ...WOX_LIPON_ECRAM, c2cAbsolute: 0.035 }]) {
    const protocol = { ...FIG3D_CYCLING, cycles: 12, pulsesPerBranch: 12 };
    const device = new EcramDevice(params, 20);
    const r = cycleDevice(device, protocol, createRng(11), () => true);
    recountCycling(r, 20, protocol.cycles, protocol.pulsesPerBranch);
    if (params.c2cAbsolute > 0.01) {
      assert.ok(r.switchingAccuracyPct < 100, "noisy device must miss some pulses");
      // The noise over a 12-pulse branch (σ ≈ 2.1·√12 ≈ 7 µS) exceeds its drift (≈ 6 µS): some branches end against
      // their pulses and carry no label (recounted above).
      assert.ok(r.unfittedBranches > 0, "noisy device must leave some branches unlabelled");
    }
  }
});

test("cycling by hand: noise-free branches from G_min give the Chen segment's step and label; a clamp makes 62.5 %", () => {
  // NL_p 1 (a = 1.2517), NL_d 3 (a = 0.3868), P_max 120, reference pulses (+10 V / −7 V, 2 ms: s = 1 each).
  // Potentiation from G_min = 60/635: G_k = G_min + W·y(k/120), W = 59.9055. Mean step of 10 = W·y(1/12)/10:
  //   y(1/12) = (1 − e^(−0.08333/1.2517))/(1 − e^(−0.79891)) = 0.064406/0.55014 = 0.117071 → 0.701297 µS.
  // A 10-pulse segment of an exponential, normalised by its own ends, is the Chen curve with a' = a·120/10, so the
  // fitted labels are NL(12·1.2517) = 0.08406 and NL(12·0.3868) = 0.27185 (maxGap/0.099, brute force); the depression
  // branch runs from P_D ≈ 78 to 88 < 120, so it is not clamped.
  const quiet = { ...QUIET, nonlinearityP: 1, nonlinearityD: 3 };
  const d = new EcramDevice(quiet);
  const r = cycleDevice(d, { ...FIG3D_CYCLING, cycles: 1, pulsesPerBranch: 10 }, createRng(1));
  close(r.meanPotentiationStepUS, 0.701297, 1e-3, "mean step");
  assert.is(r.switchingAccuracyPct, 100);
  close(r.fits[0].nonlinearity as number, 0.08406, 2e-3, "potentiation label");
  close(r.fits[1].nonlinearity as number, 0.27185, 2e-3, "depression label");
  // Cross-check against the module's own inverse (tested in ecram.test.ts).
  close(r.fits[1].nonlinearity as number, nonlinearityForShape(12 * shapeForNonlinearity(3)), 1e-3, "depression label (module)");
  // Clamp: start mid-window; 4 reference potentiation pulses all move up (4 ✓); a −14 V depression pulse has s =
  // e^(7/1.2) = 342 coordinate units > P_max = 120, so from anywhere the first one hits G_min (1 ✓) and the next 3
  // cannot move down (3 ✗). The second cycle repeats from G_min: 4 ✓, 1 ✓, 3 ✗. Accuracy 10/16 = 62.5 %.
  const c = cycleDevice(new EcramDevice(QUIET, 30), { ...FIG3D_CYCLING, cycles: 2, pulsesPerBranch: 4, depressionV: 14 }, createRng(1));
  assert.is(c.switchingAccuracyPct, 62.5);
});

test("ltpLtdCycling: recount with every cycle traced (≤ 6 cycles); only first and last three are traced otherwise; recorded ltp_ltd inputs", () => {
  const protocol = { ...FIG3D_CYCLING, cycles: 6, pulsesPerBranch: 8 };
  const r = ltpLtdCycling(protocol); // starts at 5 µS
  recountCycling(r, 5, protocol.cycles, protocol.pulsesPerBranch);
  // The recorded boolean: 2·cycles fits, drift < 10 %, NL std < 0.5 (the quiet default device passes).
  assert.is(r.fits.length, 2 * protocol.cycles);
  assert.ok(r.windowDriftFraction < 0.1 && Math.max(r.nonlinearityP.std, r.nonlinearityD.std) < 0.5);
  const eight = ltpLtdCycling({ ...protocol, cycles: 8 });
  assert.equal([...new Set(eight.trace.map((row) => row.cycle))], [1, 2, 3, 6, 7, 8]);
  assert.is(eight.pulses, 2 * 8 * 8);
  assert.is(eight.fits.length, 16);
  // Determinism.
  assert.equal(ltpLtdCycling(protocol, WOX_LIPON_ECRAM, 8), ltpLtdCycling(protocol, WOX_LIPON_ECRAM, 8));
  assert.not.equal(ltpLtdCycling(protocol, WOX_LIPON_ECRAM, 8).fits, ltpLtdCycling(protocol, WOX_LIPON_ECRAM, 9).fits);
  // Bad input.
  assert.throws(() => ltpLtdCycling({ ...protocol, cycles: 0 }), isRangeErrorNaming("cycles"));
  assert.throws(() => ltpLtdCycling({ ...protocol, pulsesPerBranch: 3 }), isRangeErrorNaming("pulsesPerBranch"));
  assert.throws(() => cycleDevice(new EcramDevice(), { ...protocol, pulsesPerBranch: 4.5 }, createRng(1)), isRangeErrorNaming("pulsesPerBranch"));
});

// ---------------------------------------------------------------------------------------------- Fig 3g,h
test("amplitude/width (yang.ecram.amplitude_width.*): exponential fits and width monotonicity recounted from the rows", () => {
  const cfg = { potentiationV: [7, 8, 9, 10], depressionV: [4, 5, 6, 7], widthsS: [0.5e-3, 2e-3, 8e-3], trials: 4, startUS: 25 };
  const r = amplitudeWidthDependence(cfg);
  const amp = r.rows.filter((row) => row.sweep === "amplitude");
  const wid = r.rows.filter((row) => row.sweep === "width");
  assert.is(amp.length, 8);
  assert.is(wid.length, 6);
  for (const [label, volts] of [["potentiation", cfg.potentiationV], ["depression", cfg.depressionV]] as const) {
    const rows = amp.filter((row) => row.branch === label);
    assert.equal(rows.map((row) => row.amplitudeV), volts);
    for (const row of rows) assert.is(row.widthMs, 2, "amplitude sweep at the 2 ms reference width");
    const f = ols(volts, rows.map((row) => Math.log(num(row, "deltaUS"))));
    close(r.expFits[label].slopePerV, f.slope, 1e-9, `${label} slope`);
    close(r.expFits[label].r2, f.r2, 1e-9, `${label} R²`);
    const w = wid.filter((row) => row.branch === label);
    assert.equal(w.map((row) => row.widthMs), cfg.widthsS.map((x) => x * 1e3));
    w.forEach((row) => assert.is(row.amplitudeV, label === "potentiation" ? 10 : 7));
  }
  close(r.minExpR2, Math.min(r.expFits.potentiation.r2, r.expFits.depression.r2), 0, "min R²");
  const rising = (label: string) => {
    const d = wid.filter((row) => row.branch === label).map((row) => num(row, "deltaUS"));
    return d.every((x, i) => i === 0 || x > d[i - 1]);
  };
  assert.is(r.widthMonotonic, rising("potentiation") && rising("depression"));
  assert.ok(r.widthMonotonic, "a 16× width range is far above the c2c noise");
  // Determinism.
  assert.equal(amplitudeWidthDependence(cfg, WOX_LIPON_ECRAM, 3), amplitudeWidthDependence(cfg, WOX_LIPON_ECRAM, 3));
  assert.not.equal(amplitudeWidthDependence(cfg, WOX_LIPON_ECRAM, 3).rows, amplitudeWidthDependence(cfg, WOX_LIPON_ECRAM, 4).rows);
});

test("amplitude/width by hand: a noise-free device has ln ΔG slope 1/V_s, ΔG ∝ width, and decreasing widths are not monotonic", () => {
  // One pulse from 25 µS advances the coordinate by s = (w/w_ref)·e^((V − V_ref)/V_s) ≤ 1 of P_max 120. ΔG =
  // W·[y((P₀+s)/120) − y(P₀/120)] = s·G'(P₀)·(1 − s/(2A) + …) with A = a·120 ≈ 100 pulses (NL 1.5): ln ΔG is linear in V
  // with slope 1/V_s = 0.8333/V up to the curvature term, which changes by ≤ 1/(2A) ≈ 0.5 % over the sweep: slope
  // within 0.005/3 V ≈ 0.002/V; doubling the width doubles ΔG to within 0.5 %.
  const cfg = { potentiationV: [7, 8, 9, 10], depressionV: [4, 5, 6, 7], widthsS: [0.5e-3, 1e-3, 2e-3], trials: 2, startUS: 25 };
  const r = amplitudeWidthDependence(cfg, QUIET);
  for (const label of ["potentiation", "depression"]) {
    assert.ok(Math.abs(r.expFits[label].slopePerV - 1 / 1.2) < 0.002, `${label} slope ${r.expFits[label].slopePerV}`);
    const w = r.rows.filter((row) => row.sweep === "width" && row.branch === label).map((row) => num(row, "deltaUS"));
    close(w[1] / w[0], 2, 5e-3, `${label} 1 ms / 0.5 ms`);
    close(w[2] / w[1], 2, 5e-3, `${label} 2 ms / 1 ms`);
  }
  assert.ok(r.minExpR2 > 0.9999, `${r.minExpR2}`);
  // The width sweep runs at the reference amplitudes (+10 V, −7 V): its 2 ms row equals the amplitude row at V_ref.
  for (const [label, v] of [["potentiation", 10], ["depression", 7]] as const) {
    const a = r.rows.find((row) => row.sweep === "amplitude" && row.branch === label && row.amplitudeV === v)!;
    const w = r.rows.find((row) => row.sweep === "width" && row.branch === label && row.widthMs === 2)!;
    assert.is(w.deltaUS, a.deltaUS, `${label}: 2 ms width row vs V_ref amplitude row`);
  }
  // Widths given in decreasing order give decreasing ΔG: the monotonicity flag must then be false.
  assert.is(amplitudeWidthDependence({ ...cfg, widthsS: [2e-3, 1e-3] }, QUIET).widthMonotonic, false);
  // Both branches must rise. From 0.1 µS, 0.0055 µS above G_min = 60/635, every depression pulse (≥ 0.25 µS unclamped)
  // hits the clamp, so |ΔG| = 0.1 − G_min for each width while potentiation still rises: the flag is false.
  const bottom = amplitudeWidthDependence({ ...cfg, startUS: 0.1 }, QUIET);
  const dep = bottom.rows.filter((row) => row.sweep === "width" && row.branch === "depression").map((row) => num(row, "deltaUS"));
  dep.forEach((x) => close(x, 0.1 - 60 / 635, 1e-9, "clamped depression step"));
  assert.is(bottom.widthMonotonic, false);
});

// ---------------------------------------------------------------------------------------------- Fig 3i
test("retention by hand: noise-free reads follow G(t) = G₀ + (G_eq − G₀)·ρ·log10(1 + t), each t from the programmed state", () => {
  // d2d off: G_max 60, G_min 60/635, G_eq = G_min + 0.5·(G_max − G_min). ρ = 0.1 per decade (25× the preset, so the
  // drift is large): f(1) = 0.1·log10 2 = 0.0301, f(100) = 0.2004, f(1e4) = 0.4000. G₀ is recovered from the t = 1
  // read; relaxing cumulatively (not from G₀ each time) would give (1 − f(1))(1 − f(100))… instead.
  const params = { ...QUIET, retentionDriftPerDecade: 0.1 };
  const times = [1, 100, 1e4];
  const r = retentionStates({ states: 4, lowUS: 2, highUS: 50, timesS: times, readsPerPoint: 3 }, params);
  assert.is(r.rows.length, 12);
  const gMin = 60 / 635;
  const gEq = gMin + 0.5 * (60 - gMin);
  const f = (t: number) => 0.1 * Math.log10(1 + t);
  const targets = [2, 18, 34, 50];
  for (let s = 1; s <= 4; s++) {
    const rows = r.rows.filter((row) => row.state === s);
    assert.equal(rows.map((row) => row.timeS), times);
    const g0 = (num(rows[0], "conductanceUS") - gEq * f(1)) / (1 - f(1));
    // Programmed by write-verify to within its 0.5 µS tolerance of the evenly spaced target.
    assert.ok(Math.abs(g0 - targets[s - 1]) <= ECRAM_WRITE_VERIFY.toleranceUS + 1e-9, `state ${s}: G₀ ${g0}`);
    rows.forEach((row, k) => close(num(row, "conductanceUS"), g0 + (gEq - g0) * f(times[k]), 1e-9, `state ${s} at ${times[k]} s`));
  }
  assert.is(r.distinguishable, 4, "noise-free reads have zero spread");
});

test("retention (yang.ecram.retention_states): the 3-spread criterion loses exactly the pair whose gap is under 3 read spreads", () => {
  // 3 states at 2, 26, 50 µS (gap 24), read noise 22 % relative, 1000 reads (std known to ±5/√(2·999) ≈ ±11 % at 5σ):
  // pair 1: spread = max(0.22·2, 0.22·26) = 5.7 → 3·5.7 = 17.2 (≤ 19.1) < 24: distinguishable;
  // pair 2: spread = 0.22·50 = 11 → 3·11 = 33 (≥ 29.4) > 24: lost. Count 3 − 1 = 2 (a 1× criterion or the min of the
  // two spreads would keep all 3). The mean of 1000 reads moves by ≤ 5·11/√1000 = 1.7 µS, within the margins.
  const noisy = { ...WOX_LIPON_ECRAM, readNoiseRelative: 0.22 };
  const r = retentionStates({ states: 3, lowUS: 2, highUS: 50, timesS: [1], readsPerPoint: 1000 }, noisy);
  assert.is(r.distinguishable, 2);
  // With the preset's 0.2 % read noise all states are distinguishable; with 50 % none of the gaps survive (count 1).
  assert.is(retentionStates({ states: 3, lowUS: 2, highUS: 50, timesS: [1], readsPerPoint: 50 }).distinguishable, 3);
  assert.is(retentionStates({ states: 3, lowUS: 2, highUS: 50, timesS: [1], readsPerPoint: 200 }, { ...WOX_LIPON_ECRAM, readNoiseRelative: 0.5 }).distinguishable, 1);
});

test("retention: determinism and bad input", () => {
  const cfg = { states: 3, lowUS: 5, highUS: 40, timesS: [1, 1000], readsPerPoint: 4 };
  assert.equal(retentionStates(cfg, WOX_LIPON_ECRAM, ECRAM_WRITE_VERIFY, 2), retentionStates(cfg, WOX_LIPON_ECRAM, ECRAM_WRITE_VERIFY, 2));
  assert.not.equal(retentionStates(cfg, WOX_LIPON_ECRAM, ECRAM_WRITE_VERIFY, 2).rows, retentionStates(cfg, WOX_LIPON_ECRAM, ECRAM_WRITE_VERIFY, 3).rows);
  assert.throws(() => retentionStates({ ...cfg, states: 1 }), isRangeErrorNaming("states"));
  assert.throws(() => retentionStates({ ...cfg, states: 2.5 }), isRangeErrorNaming("states"));
  assert.throws(() => retentionStates({ ...cfg, timesS: [-1] }), isRangeErrorNaming("retention time"));
});

// ---------------------------------------------------------------------------------------------- Fig 3j
test("pulsed window (yang.ecram.pulsed_switching_ratio): mean/min/max recounted from rows; noise-free window = r_int; ≥ 9 pulses per drive", () => {
  // The preset drives almost always end in both clamps (every ratio = r_int, see ecram.test.ts), so mean, min and max
  // would coincide; 50 % multiplicative c2c noise makes some drives stop early, so the three differ.
  const spread = pulsedSwitchingWindow({ devices: 2, cyclesPerDevice: 3 }, { ...WOX_LIPON_ECRAM, c2cRelative: 0.5 });
  const r = pulsedSwitchingWindow({ devices: 2, cyclesPerDevice: 3 });
  for (const w of [r, spread]) {
    assert.equal(w.rows.map((row) => [row.device, row.cycle]), [[1, 1], [1, 2], [1, 3], [2, 1], [2, 2], [2, 3]]);
    const ratios = w.rows.map((row) => num(row, "highUS") / num(row, "lowUS"));
    w.rows.forEach((row, k) => close(num(row, "ratio"), ratios[k], 1e-15, `row ${k} ratio`));
    close(w.meanRatio, avg(ratios), 1e-12, "mean");
    assert.is(w.minRatio, Math.min(...ratios));
    assert.is(w.maxRatio, Math.max(...ratios));
  }
  assert.ok(spread.minRatio < spread.maxRatio, "the noisy run must have unequal windows, else the recount proves little");
  // driveToBound cannot stop before it has climbed its ladder to maxV: (12 − 8)/0.5 + 1 = 9 pulses up,
  // (9 − 5)/0.5 + 1 = 9 down, so an up/down cycle takes at least 18.
  const minUp = (ECRAM_WINDOW_DRIVE.potentiation.maxV - ECRAM_WINDOW_DRIVE.potentiation.startV) / ECRAM_WINDOW_DRIVE.potentiation.stepV + 1;
  const minDown = (ECRAM_WINDOW_DRIVE.depression.maxV - ECRAM_WINDOW_DRIVE.depression.startV) / ECRAM_WINDOW_DRIVE.depression.stepV + 1;
  assert.ok(r.meanPulsesPerCycle >= minUp + minDown, `${r.meanPulsesPerCycle}`);
  // Noise-free, both drives end in the clamps: every ratio is G_max/G_min = r_int, here set to 100 (not the preset).
  const q = pulsedSwitchingWindow({ devices: 2, cyclesPerDevice: 2 }, { ...QUIET, intrinsicOnOffRatio: 100 });
  for (const row of q.rows) close(num(row, "ratio"), 100, 1e-9, "noise-free window");
  close(q.rows[0].highUS as number, 60, 1e-12, "G_max");
  close(q.rows[0].lowUS as number, 0.6, 1e-9, "G_min");
  // Noise-free, every cycle after the first runs G_min → G_max → G_min identically. Up: the ladder 8, 8.5 … 12 V
  // advances s = e^((V − 10)/1.2) = 0.189, 0.287, 0.435, 0.659, 1, 1.517, 2.301, 3.490, 5.294 (sum 15.17 in 9 pulses);
  // then 12 V pulses of 5.294: (120 − 15.17)/5.294 = 19.8 → 20 more reach P_max = 120 (the clamp), and a 30th moves
  // nothing and ends the drive. Down: 5 … 9 V against V_ref 7 V is the same ladder: 30. So cycle 3 takes 60 pulses:
  // 3·mean(3 cycles) − 2·mean(2 cycles) = 60 for the same (deterministic) device.
  assert.ok(q.meanPulsesPerCycle >= minUp + minDown);
  const two = pulsedSwitchingWindow({ devices: 1, cyclesPerDevice: 2 }, QUIET);
  const three = pulsedSwitchingWindow({ devices: 1, cyclesPerDevice: 3 }, QUIET);
  close(3 * three.meanPulsesPerCycle - 2 * two.meanPulsesPerCycle, 60, 1e-12, "pulses of a G_min → G_max → G_min cycle");
  // Every drive of these runs settles (at most 70 pulses per drive against a budget of 2000; test/write-verify.test.ts
  // has a drive that gives up).
  for (const w of [r, spread, q, two, three]) assert.is(w.unsettledDrives, 0);
  // Determinism.
  assert.equal(pulsedSwitchingWindow({ devices: 1, cyclesPerDevice: 2 }, WOX_LIPON_ECRAM, 3), pulsedSwitchingWindow({ devices: 1, cyclesPerDevice: 2 }, WOX_LIPON_ECRAM, 3));
  assert.not.equal(pulsedSwitchingWindow({ devices: 1, cyclesPerDevice: 2 }, WOX_LIPON_ECRAM, 3).rows, pulsedSwitchingWindow({ devices: 1, cyclesPerDevice: 2 }, WOX_LIPON_ECRAM, 4).rows);
});

// ---------------------------------------------------------------------------------------------- Fig 3k
test("endurance (yang.ecram.endurance): drifts recounted from the rows; hand case: wear e^(−n/N) halves the step at n = N·ln 2", () => {
  const r = endurance({ checkpoints: [1e4, 1e6, 1e8], cyclesPerCheckpoint: 2 });
  assert.equal(r.rows.map((row) => row.pulses), [1e4, 1e6, 1e8]);
  const drift = (xs: number[]) => Math.max(...xs.map((x) => Math.abs(x - xs[0]) / Math.abs(xs[0])));
  close(r.stepDrift, drift(r.rows.map((row) => num(row, "meanDeltaUS"))), 1e-12, "step drift");
  close(r.nonlinearityDrift, drift(r.rows.map((row) => num(row, "nonlinearity"))), 1e-12, "NL drift");
  // Hand case: noise-free, near-linear (NL 0.01: the curve is within 0.099·0.01 = 0.1 % of W of a straight line), wear
  // N = 1e6. Checkpoint 0: 50 reference pulses of W/120 each (no clamp: 5 → ≈ 30 µS); checkpoint N·ln 2: each step ×½.
  // The 200 pulses inside a checkpoint add e^(−200/1e6) ≈ 2e-4. Straight-line deviation ≤ 0.1 % of W over branches of
  // ≥ 20 % of W moves a branch's mean step by ≤ 2·0.001/0.2 = 1 %: the step drift is 0.5 within 1 %, and the step is
  // W/120 = 59.9055/120 = 0.49921 µS.
  const wear = { ...QUIET, nonlinearityP: 0.01, nonlinearityD: 0.01, wearPulses: 1e6 };
  const h = endurance({ checkpoints: [0, 1e6 * Math.LN2], cyclesPerCheckpoint: 2 }, wear);
  close(num(h.rows[0], "meanDeltaUS"), 59.9055 / 120, 0.01, "step at checkpoint 0");
  close(num(h.rows[1], "meanDeltaUS"), 59.9055 / 240, 0.01, "step at N·ln 2");
  close(h.stepDrift, 0.5, 0.01, "step drift");
  // Determinism; bad checkpoint.
  const cfg = { checkpoints: [1e4, 1e8], cyclesPerCheckpoint: 1 };
  assert.equal(endurance(cfg, WOX_LIPON_ECRAM, 2), endurance(cfg, WOX_LIPON_ECRAM, 2));
  assert.not.equal(endurance(cfg, WOX_LIPON_ECRAM, 2).rows, endurance(cfg, WOX_LIPON_ECRAM, 3).rows);
  // Worn out: N = 1e5 and a 1e8 checkpoint scale every step by e^(−1000), which underflows to 0, so every branch is
  // flat. The checkpoint reports a zero step and no label (it used to throw from the fit); the label drift is taken
  // over the labelled checkpoints only, and is NaN when the first checkpoint has no label.
  const worn = endurance({ checkpoints: [1e4, 1e8], cyclesPerCheckpoint: 2 }, { ...QUIET, wearPulses: 1e5 });
  assert.is(worn.rows[1].meanDeltaUS, 0);
  assert.is(worn.rows[1].nonlinearity, null);
  assert.type(worn.rows[0].nonlinearity, "number");
  assert.is(worn.nonlinearityDrift, 0);
  close(worn.stepDrift, 1, 1e-12, "collapsed step drift");
  assert.ok(Number.isNaN(endurance({ checkpoints: [1e8, 1e4], cyclesPerCheckpoint: 1 }, { ...QUIET, wearPulses: 1e5 }).nonlinearityDrift));
  assert.throws(() => endurance({ checkpoints: [-1], cyclesPerCheckpoint: 1 }), isRangeErrorNaming("pulse count"));
  assert.throws(() => endurance({ checkpoints: [1e4], cyclesPerCheckpoint: 0 }), isRangeErrorNaming("cycles"));
});

// ------------------------------------------------------------------------------------------ write-verify
test("write-verify statistics: mean/max pulses and converged fraction recounted from the rows; a 1-pulse budget caps them", () => {
  const cfg = { targets: 12, lowUS: 5, highUS: 30 };
  const r = writeVerifyStatistics(cfg);
  assert.is(r.rows.length, 12);
  const pulses = r.rows.map((row) => num(row, "pulses"));
  close(r.meanPulses, avg(pulses), 1e-12, "mean pulses");
  assert.is(r.maxPulses, Math.max(...pulses));
  r.rows.forEach((row) => {
    close(num(row, "errorUS"), num(row, "finalUS") - num(row, "targetUS"), 1e-12, "error = final − target");
    assert.ok(num(row, "targetUS") >= cfg.lowUS && num(row, "targetUS") < cfg.highUS);
  });
  // Convergence is judged on the (noise-free) state against the 0.5 µS tolerance.
  const converged = r.rows.filter((row) => Math.abs(num(row, "errorUS")) <= ECRAM_WRITE_VERIFY.toleranceUS).length;
  close(r.convergedFraction, converged / cfg.targets, 1e-12, "converged fraction");
  assert.is(r.onConductanceUS, 60);
  // With one pulse allowed most random targets cannot be reached: start and target uniform on 25 µS are a mean 25/3 ≈ 8 µS
  // apart, and one pulse of the ladder (start amplitude, ≲ 0.3 reference steps) moves well under 1 µS.
  const one = writeVerifyStatistics(cfg, WOX_LIPON_ECRAM, { ...ECRAM_WRITE_VERIFY, maxPulses: 1 });
  assert.ok(one.maxPulses <= 1);
  const oneConverged = one.rows.filter((row) => Math.abs(num(row, "errorUS")) <= ECRAM_WRITE_VERIFY.toleranceUS).length;
  close(one.convergedFraction, oneConverged / cfg.targets, 1e-12, "1-pulse converged fraction");
  assert.ok(one.convergedFraction < 0.5, `${one.convergedFraction}`);
  assert.equal(writeVerifyStatistics(cfg, WOX_LIPON_ECRAM, ECRAM_WRITE_VERIFY, 3), writeVerifyStatistics(cfg, WOX_LIPON_ECRAM, ECRAM_WRITE_VERIFY, 3));
  assert.not.equal(writeVerifyStatistics(cfg, WOX_LIPON_ECRAM, ECRAM_WRITE_VERIFY, 3).rows, writeVerifyStatistics(cfg, WOX_LIPON_ECRAM, ECRAM_WRITE_VERIFY, 4).rows);
});

test("bad input that used to give NaN, Infinity or a distorted sweep now throws naming the field", () => {
  const isRange = (re: RegExp) => (e: unknown) => e instanceof RangeError && re.test((e as Error).message);
  assert.throws(() => dcTransferSweep({ ...FIG3A_DC_SWEEP, cycles: 1, readV: 0 }), isRange(/readV/));
  // 8 V in 0.3 V steps would peak at 8.1 V; a step above the amplitude would leave no step at all.
  assert.throws(() => dcTransferSweep({ ...FIG3A_DC_SWEEP, cycles: 1, stepV: 0.3 }), isRange(/whole number of steps/));
  assert.throws(() => dcTransferSweep({ ...FIG3A_DC_SWEEP, cycles: 1, stepV: 20 }), isRange(/whole number of steps/));
  assert.throws(() => sizeScaling([[10, 10], [20, 20]], 2), isRange(/two different W\/L/));
  assert.throws(() => sizeScaling([[10, 10], [20, 10]], 0), isRange(/devicesPerSize/));
  const aw = { potentiationV: [8, 10], depressionV: [6, 7], widthsS: [1e-3, 2e-3], trials: 2, startUS: 20 };
  assert.throws(() => amplitudeWidthDependence({ ...aw, trials: 0 }), isRange(/trials/));
  assert.throws(() => amplitudeWidthDependence({ ...aw, widthsS: [1e-3] }), isRange(/widthsS/));
  assert.throws(() => amplitudeWidthDependence({ ...aw, depressionV: [6, -7] }), isRange(/depressionV/));
  assert.throws(() => pulsedSwitchingWindow({ devices: 0, cyclesPerDevice: 1 }), isRange(/devices/));
  assert.throws(() => pulsedSwitchingWindow({ devices: 1, cyclesPerDevice: 0 }), isRange(/cyclesPerDevice/));
  assert.throws(() => endurance({ checkpoints: [], cyclesPerCheckpoint: 2 }), isRange(/checkpoints/));
  assert.throws(() => writeVerifyStatistics({ targets: 0, lowUS: 1, highUS: 40 }), isRange(/targets/));
  assert.throws(() => writeVerifyStatistics({ targets: 3, lowUS: 40, highUS: 40 }), isRange(/highUS/));
});

test("shortProvenance keeps the kind and first clause, ignoring separators inside brackets, and cuts long clauses at a word", () => {
  assert.is(shortProvenance("paper text (Fig 3a; the DC sweep). Fitted later; more"), "paper text (Fig 3a; the DC sweep)");
  assert.is(shortProvenance("assumed: a value; because"), "assumed: a value");
  assert.is(shortProvenance("fitted to Fig 3j, v1.5 of the fit"), "fitted to Fig 3j, v1.5 of the fit");
  assert.is(shortProvenance("assumed: alpha beta gamma delta", 20), "assumed: alpha beta …");
  assert.throws(() => shortProvenance("x", 5), /maxChars/);
});

test.run();
