/**
 * The experiment layer of notebook 02 over the MTT circuit (src/experiments/mtt-transfer.ts): every flag and number
 * the notebook records (yang.mtt.k_saturation.transfer, vread_rule.radius, asymmetric_poor.deviation,
 * operating_point, bias_trend*, uniformity*, yang.rram_mtt.fit, yang.ternary.zero_region) is recomputed here from the
 * rows and tables the sweep returns, and one point of each is checked by hand against the circuit functions or a
 * closed form. The circuit, the closed forms and the fits themselves are tested in test/mtt.test.ts.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ECRAM_MTT_TRANSISTOR, type MosfetParams } from "../src/devices/mosfet";
import { TAOX_RRAM } from "../src/devices/taox-rram";
import {
  asymmetricSweep,
  biasGrid,
  networkFunctionTable,
  operatingPointSweep,
  rangeLinearity,
  rramTransfer,
  subthresholdSweep,
  symmetricKSweep,
  ternarySweep,
  unitVariation,
} from "../src/experiments/mtt-transfer";
import { branchCurrentUA, circuitWeight, makeMttUnit, type MttCircuitParams } from "../src/mtt/circuit";
import { compactWeight } from "../src/mtt/compact-fit";
import { asymmetricClosedForm, normalisedUnit } from "../src/mtt/families";
import { ecramMttNetworkFit, ecramMttUnit, rramMttNetworkFit, rramMttUnit, ternaryMttFit } from "../src/mtt/network-transfer";
import { ecramMttCircuit } from "../src/mtt/presets";
import { createRng } from "../src/util/rng";
import type { Row } from "../src/util/row";

const num = (r: Row, k: string) => r[k] as number;
/** |a − b| ≤ rel·max(1, |b|). */
function close(a: number, b: number, rel: number, label: string): void {
  assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(b)), `${label}: ${a} vs ${b}`);
}
const isRange = (re: RegExp) => (e: unknown) => e instanceof RangeError && re.test((e as Error).message);

// Hand formulas of the ECRAM-MTT transistor (mosfet.ts header, paper §4.4): T' = k_B·T/q; a reference transistor
// with its gate below V_T is sub-threshold, I = β·m·T'²·e^{(V_G − V_T)/(m·T')}·(1 − e^{−V_n/T'}); G_e,min balances it
// with an ohmic memory at V_n = V_read_H/2, so G_e,min = I(V_read_H/2)/(V_read_H/2).
const T = ECRAM_MTT_TRANSISTOR;
const THERMAL_V = 8.617333262e-5 * T.temperatureK;
function handGMinUS(readBiasV: number, refGateV: number): number {
  const half = readBiasV / 2;
  const i = T.betaUAPerV2 * T.slopeFactor * THERMAL_V ** 2 * Math.exp((refGateV - T.thresholdV) / (T.slopeFactor * THERMAL_V)) * (1 - Math.exp(-half / THERMAL_V));
  return i / half;
}
/** Plain least squares on (x, y): slope and R² = S_xy²/(S_xx·S_yy). */
function ls(x: number[], y: number[]): { slope: number; r2: number } {
  const mx = x.reduce((s, v) => s + v, 0) / x.length;
  const my = y.reduce((s, v) => s + v, 0) / y.length;
  let sxy = 0, sxx = 0, syy = 0;
  x.forEach((xi, i) => { sxy += (xi - mx) * (y[i] - my); sxx += (xi - mx) ** 2; syy += (y[i] - my) ** 2; });
  return { slope: sxy / sxx, r2: (sxy * sxy) / (sxx * syy) };
}
/** Sample standard deviation (n − 1). */
function sampleStd(xs: number[]): number {
  const m = xs.reduce((s, v) => s + v, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / (xs.length - 1));
}

test("symmetricKSweep (yang.mtt.k_saturation.transfer): the flag follows the returned deviations; deviations against the integral by hand", () => {
  const ks = [2, 5, 10, 20, 50, 100];
  const res = symmetricKSweep(ks);
  assert.equal(res.summary.map((r) => r.K), ks, "one summary row per K, in the order given");
  const devs = res.summary.map((r) => num(r, "mean |W_b − sign|"));
  assert.is(res.deviationDecreasing, devs.every((d, i) => i === 0 || d < devs[i - 1]));
  assert.ok(res.deviationDecreasing, "K = 2…100 given in ascending order: the deviation must fall strictly");
  for (const r of res.summary) {
    const k = num(r, "K");
    // Closed form (families.ts): A = B = (K − 1)/2, W_b(1) = (K − 1)/(K + 1).
    close(num(r, "A"), (k - 1) / 2, 1e-15, `A at K=${k}`);
    close(num(r, "B"), (k - 1) / 2, 1e-15, `B at K=${k}`);
    close(num(r, "W_b(1)"), (k - 1) / (k + 1), 1e-15, `W_b(1) at K=${k}`);
    // signDeviation averages |W_b − sign| over 401 points of [−1, 1] (dividing by 400): per side the right Riemann
    // sum, step h = 1/200, of g(x) = 2/(2 + (K − 1)x). Its integral is (2/(K − 1))·ln((K + 1)/2); g decreases, so
    // the right sum lies below it by at most h·(g(0) − g(1)) = (1 − 2/(K + 1))/200. (The circuit equals the closed
    // form within 1e-9, test/mtt.test.ts.)
    const integral = (2 / (k - 1)) * Math.log((k + 1) / 2);
    const d = num(r, "mean |W_b − sign|");
    assert.ok(d <= integral + 1e-9 && d >= integral - (1 - 2 / (k + 1)) / 200 - 1e-9, `K=${k}: deviation ${d}, integral ${integral}`);
  }
  // Rows: 201 points of W_h per K; G_H = sign(W_h)·(G_A − 1)/(K − 1) with G_A = 1 + (K − 1)|W_h| is W_h itself.
  assert.is(res.rows.length, 201 * ks.length);
  for (const r of res.rows) close(num(r, "G_H"), num(r, "W_h"), 1e-12, "G_H = W_h");
  // Hand point: K = 5, W_h = 0.5: (K − 1)x/(2 + (K − 1)x) = 2/4 from the circuit and the closed form; −0.5 at −0.5.
  for (const [wh, want] of [[0.5, 0.5], [-0.5, -0.5]]) {
    const row = res.rows.find((r) => r.Kvalue === 5 && Math.abs(num(r, "W_h") - wh) < 1e-12)!;
    close(num(row, "W_b"), want, 1e-9, `circuit W_b(K=5, ${wh})`);
    close(num(row, "closed"), want, 1e-15, `closed W_b(K=5, ${wh})`);
  }
});

test("symmetricKSweep: the K order is sorted before the flag is judged; equal K is not a strict decrease; bad grids named", () => {
  assert.ok(symmetricKSweep([100, 2, 20]).deviationDecreasing, "unsorted grid, still decreasing along sorted K");
  assert.not.ok(symmetricKSweep([5, 5]).deviationDecreasing, "equal deviations are not a strict decrease");
  assert.throws(() => symmetricKSweep([]), isRange(/ks must be a non-empty list/));
  assert.throws(() => symmetricKSweep([2, NaN]), isRange(/ks\[1\]/));
});

test("subthresholdSweep (yang.mtt.vread_rule.radius) at the notebook's grid: both flags recomputed from the summary; closed radii by hand", () => {
  const ratios = [0.6, 0.7, 0.8, 0.9, 1.0, 1.2];
  const res = subthresholdSweep(20, ratios);
  assert.equal(res.summary.map((r) => r["V_read_H / V_T"]), ratios.map((r) => 2 * r));
  const at = res.summary.filter((r) => num(r, "V_read_H / V_T") >= 2);
  const below = res.summary.filter((r) => num(r, "V_read_H / V_T") < 2).sort((a, b) => num(b, "V_read_H / V_T") - num(a, "V_read_H / V_T"));
  assert.is(at.length, 2);
  assert.is(below.length, 4);
  assert.is(res.radiusZeroAtRule, at.every((r) => num(r, "r (closed form)") === 0 && num(r, "r (fit to circuit)") < 0.01));
  const fitted = below.map((r) => num(r, "r (fit to circuit)"));
  assert.is(res.radiusGrowsBelowRule, below.every((r) => num(r, "r (closed form)") > 0) && fitted.every((v, i) => v > 0 && (i === 0 || v > fitted[i - 1])));
  assert.ok(res.radiusZeroAtRule && res.radiusGrowsBelowRule, "the notebook's grid shows the rule");
  // Closed form (families.ts): G* = 1/(2ρ − 1), r = (G* − 1)/(K − 1): ρ = 0.6 → G* = 5, r = 4/19; ρ = 0.7 → 2.5,
  // r = 1.5/19; ρ = 0.8 → 5/3, r = 2/57; ρ = 0.9 → 1.25, r = 0.25/19.
  const want = [4 / 19, 1.5 / 19, 2 / 57, 0.25 / 19, 0, 0];
  res.summary.forEach((r, i) => close(num(r, "r (closed form)"), want[i], 1e-12, `closed r at ρ = ${ratios[i]}`));
  // At ρ ≥ 1 the normalised unit is the exact bilinear form: the radius-fit recovers A = B = (K − 1)/2 = 9.5.
  for (const r of at) close(num(r, "A (fit)"), 9.5, 1e-6, `A (fit) at ${r["V_read_H / V_T"]}·V_T`);
  // Rows: 201 W_h per ratio, W_b from the circuit: at ρ = 0.6 the radius 4/19 ≈ 0.21 holds W_b near 0 at W_h = 0.1.
  assert.is(res.rows.length, 201 * ratios.length);
  const r06 = res.rows.find((r) => r.bias === "V_read_H = 1.20·V_T" && Math.abs(num(r, "W_h") - 0.1) < 1e-12)!;
  close(num(r06, "W_b"), circuitWeight(normalisedUnit(20, 0.6), 0.1), 1e-12, "row W_b is the ρ = 0.6 circuit");
  // Inside the radius the ideal-threshold form is 0 and the circuit adds only the sub-threshold tail, at most
  // e/(1 + e) ≈ 0.065 at ρ = 0.6 (derived in test/mtt.test.ts); outside the zero region W_b(0.1) would be ≈ 0.5.
  assert.ok(num(r06, "W_b") >= 0 && num(r06, "W_b") < 0.065, `W_b(0.1) inside the zero region: ${r06.W_b}`);
  // Negative branch: its drain at −V_d = −0.1 V becomes the source, so the transistor turns on at V_n = V_T − V_d =
  // 0.6 V; the divider V_n = V_read_H·G/(G + 1) gives G*_n = (V_T − V_d)/(V_read_H − V_T + V_d), r_n = (G*_n − 1)/(K − 1)
  // (e.g. ρ = 0.6: G*_n = 0.6/0.24 = 2.5, r_n = 1.5/19). The sub-threshold tail only moves the onset earlier, so the
  // fitted radius lies in (0, r_n]; it is smaller than the positive branch's; where r_n = 0 none is resolved.
  for (const r of res.summary) {
    const vReadH = num(r, "V_read_H / V_T") * 0.7;
    const rn = Math.max(0, ((0.6 / (vReadH - 0.7 + 0.1)) - 1) / 19);
    const fitN = num(r, "r, negative branch (fit)");
    if (rn > 0) {
      assert.ok(fitN > 0 && fitN <= rn + 1e-9, `ρ·2 = ${r["V_read_H / V_T"]}: negative radius ${fitN} in (0, ${rn}]`);
      assert.ok(fitN < num(r, "r (fit to circuit)"), `ρ·2 = ${r["V_read_H / V_T"]}: negative radius below the positive one`);
    } else assert.ok(fitN < 0.01, `ρ·2 = ${r["V_read_H / V_T"]}: no negative zero region (${fitN})`);
  }
});

test("subthresholdSweep: K is honoured; the flags turn false for a repeated ratio or no ratio below the rule; bad grids named", () => {
  // K = 10, ρ = 0.75: G* = 2, r = 1/9; A = B = (K − 1)/(G* + 1) = 3 (closed form); ρ = 1: A (fit) = (K − 1)/2 = 4.5.
  const res = subthresholdSweep(10, [0.75, 1]);
  close(num(res.summary[0], "r (closed form)"), 1 / 9, 1e-12, "r at K=10, ρ=0.75");
  close(num(res.summary[1], "A (fit)"), 4.5, 1e-6, "A at K=10, ρ=1");
  assert.not.ok(subthresholdSweep(10, [0.8, 0.8, 1]).radiusGrowsBelowRule, "equal radii do not grow");
  assert.not.ok(subthresholdSweep(10, [1, 1.2]).radiusGrowsBelowRule, "no ratio below the rule: nothing shown to grow");
  assert.not.ok(subthresholdSweep(10, [0.8, 0.9]).radiusZeroAtRule, "no ratio at or above the rule: nothing shown to be zero");
  assert.throws(() => subthresholdSweep(20, []), isRange(/readRatios must be a non-empty list/));
  assert.throws(() => subthresholdSweep(20, [1, Infinity]), isRange(/readRatios\[1\]/));
});

test("asymmetricSweep (yang.mtt.asymmetric_poor.deviation): ratios and worstRatio recomputed from the summary; closed forms by hand", () => {
  const ks = [100, 200, 500];
  const res = asymmetricSweep(ks);
  assert.equal(res.summary.map((r) => r.K), ks);
  const ratios = res.summary.map((r) => num(r, "asymmetric mean |W_b − sign|") / num(r, "symmetric mean |W_b − sign|"));
  res.summary.forEach((r, i) => close(num(r, "ratio"), ratios[i], 1e-14, `ratio at K=${ks[i]}`));
  assert.is(res.worstRatio, Math.min(...ratios));
  // The three ratios differ (so min, max and first are told apart).
  assert.ok(new Set(ratios).size === 3 && res.worstRatio !== ratios[1] && res.worstRatio !== ratios[2]);
  // Symmetric column: the same right Riemann-sum bound as for symmetricKSweep.
  for (const r of res.summary) {
    const k = num(r, "K");
    const integral = (2 / (k - 1)) * Math.log((k + 1) / 2);
    const d = num(r, "symmetric mean |W_b − sign|");
    assert.ok(d <= integral + 1e-12 && d >= integral - (1 - 2 / (k + 1)) / 200, `K=${k}: symmetric deviation ${d} vs ${integral}`);
  }
  // Hand points at K = 100, W_h = 0: both devices at G = 1 + (K − 1)/2 = 50.5, closed (G − 50)/(G + 50) = 0.5/100.5;
  // symmetric 0. At W_h = 0.5: symmetric 49.5/51.5; asymmetric closed G = 1 + 99·0.75 = 75.25 → 25.25/125.25.
  const at = (wh: number) => res.rows.find((r) => r.K === "K = 100" && Math.abs(num(r, "W_h") - wh) < 1e-12)!;
  close(num(at(0), "closed"), 0.5 / 100.5, 1e-14, "asymmetric closed at 0");
  assert.is(num(at(0), "symmetric"), 0);
  close(num(at(0.5), "symmetric"), 49.5 / 51.5, 1e-14, "symmetric at 0.5");
  // "W_h at G = G_ref": where the closed form crosses zero ((G − G_ref)/(G + G_ref) = 0), i.e. the G_ref crossing.
  for (const r of res.summary) {
    const wh = num(r, "W_h at G = G_ref");
    close(asymmetricClosedForm(num(r, "K"), wh), 0, 1e-12, `closed form at the reported W_h, K = ${r.K}`);
  }
  close(num(at(0.5), "closed"), 25.25 / 125.25, 1e-14, "asymmetric closed at 0.5");
  assert.is(num(res.summary[0], "W_b(0) asymmetric"), num(at(0), "asymmetric"), "summary W_b(0) is the row's circuit value");
  assert.throws(() => asymmetricSweep([100, NaN]), isRange(/ks\[1\]/));
});

test("operatingPointSweep (yang.mtt.operating_point): on/off = 40 µS / G_e,min with G_e,min by hand; sweep rows from the circuit", () => {
  const res = operatingPointSweep(5);
  const gMin = handGMinUS(1.4, 0.6);
  // Hand G_e,min ≈ 0.109 µS (sub-threshold at 0.1 V below V_T): the recorded ratio is 40/G_e,min ≈ 368.
  close(res.gMinUS, gMin, 1e-9, "G_e,min");
  close(res.requiredOnOff, 40 / gMin, 1e-9, "required on/off");
  close(num(res.params, "G_e,min (µS)"), gMin, 1e-9, "params G_e,min");
  assert.is(res.params["G_e,max (µS)"], 40);
  // Sweep: `points` conductances geometric from G_e,min to 40 µS; W_h runs 0 → 1; currents from the circuit.
  assert.is(res.sweep.length, 5);
  const g = res.sweep.map((r) => num(r, "G_e (µS)"));
  close(g[0], gMin, 1e-9, "first G");
  close(g[4], 40, 1e-12, "last G");
  for (let i = 1; i < 5; i++) close(g[i] / g[i - 1], (40 / gMin) ** 0.25, 1e-12, `geometric step ${i}`);
  close(num(res.sweep[0], "W_h"), 0, 1e-12, "W_h at G_min");
  close(num(res.sweep[4], "W_h"), 1, 1e-12, "W_h at G_max");
  const c = ecramMttCircuit();
  for (const r of res.sweep) {
    close(num(r, "I_ts +0.01 V (µA)"), branchCurrentUA(c, num(r, "G_e (µS)"), 1), 1e-12, "I_ts +");
    close(num(r, "I_ts −0.01 V (µA)"), branchCurrentUA(c, num(r, "G_e (µS)"), -1), 1e-12, "I_ts −");
  }
  // The operating point obeys the V_read_H rule (1.4 V = 2·V_T): the radius-fit finds no zero region (< 0.01, the
  // threshold of yang.mtt.vread_rule.radius).
  assert.ok(res.radiusAtRule >= 0 && res.radiusAtRule < 0.01, `radius ${res.radiusAtRule}`);
  // Transfer rows: circuit of the 40 µS unit, and the fit with the returned parameters.
  const unit = ecramMttUnit(1.4, 0.6, 40);
  const params = { positive: { a: num(res.params, "A_p"), b: num(res.params, "B_p"), r: 0 }, negative: { a: num(res.params, "A_n"), b: num(res.params, "B_n"), r: 0 } };
  for (const r of res.transfer.filter((_, i) => i % 25 === 0)) {
    close(num(r, "circuit"), circuitWeight(unit, num(r, "W_h")), 1e-12, `circuit at ${r.W_h}`);
    close(num(r, "fit"), compactWeight(params, num(r, "W_h")), 1e-12, `fit at ${r.W_h}`);
  }
  // The −V_d branch is exact bilinear (test/mtt.test.ts): A_n = B_n = G_max/G_min − 1.
  close(num(res.params, "A_n"), 40 / gMin - 1, 1e-6, "A_n");
  assert.throws(() => operatingPointSweep(4), isRange(/points/));
});

test("biasGrid (yang.mtt.bias_trend*): trend flags, pair asymmetry and resistor spread recomputed from the tables", () => {
  // Unsorted input: the trend is judged along sorted V_read_H and decreasing V_ref_G.
  const vrs = [1.8, 1.4];
  const vgs = [0.55, 0.7, 0.6];
  const res = biasGrid(vrs, vgs, 40);
  assert.is(res.table.length, 6);
  const cell = (vr: number, vg: number) => res.table.find((r) => r["V_read_H (V)"] === vr && r["V_ref_G (V)"] === vg)!;
  const keys = ["A_p", "B_p", "A_n", "B_n"];
  let readBias = true;
  let refGate = true;
  for (const key of keys) {
    for (const vg of vgs) readBias &&= num(cell(1.8, vg), key) > num(cell(1.4, vg), key);
    for (const vr of vrs) refGate &&= num(cell(vr, 0.55), key) > num(cell(vr, 0.6), key) && num(cell(vr, 0.6), key) > num(cell(vr, 0.7), key);
  }
  assert.is(res.trendReadBias, readBias);
  assert.is(res.trendRefGate, refGate);
  assert.ok(readBias && refGate, "the bias trend holds on this grid");
  const pairs = res.table.flatMap((r) => [Math.abs(num(r, "A_p") / num(r, "A_n") - 1), Math.abs(num(r, "B_p") / num(r, "B_n") - 1)]);
  assert.is(res.maxPairAsymmetry, Math.max(...pairs));
  // Each row: K = G_max/G_min, G_min by hand.
  for (const r of res.table) {
    close(num(r, "G_e,min (µS)"), handGMinUS(num(r, "V_read_H (V)"), num(r, "V_ref_G (V)")), 1e-9, "G_e,min");
    close(num(r, "K = G_max/G_min"), 40 / num(r, "G_e,min (µS)"), 1e-14, "K");
  }
  // Resistor reference (Fig S16): G_ref = G_e,min at 1.4 V / 0.6 V; one row per sorted V_read_H.
  assert.equal(res.resistorTable.map((r) => r["V_read_H (V)"]), [1.4, 1.8]);
  const a = res.resistorTable.map((r) => num(r, "A_p"));
  close(res.resistorSpread, (Math.max(...a) - Math.min(...a)) / ((a[0] + a[1]) / 2), 1e-14, "resistor spread");
  const gRef = handGMinUS(1.4, 0.6);
  close(num(res.resistorTable[1], "G_ref (µS)"), gRef, 1e-9, "G_ref");
  // At 1.8 V the node sits at V_n(0) = 0.9 V ≥ V_T + V_d, both branches stay in triode: the resistor divider gives
  // the exact symmetric form with K = 40/G_ref, A = B = (K − 1)/2 (families.ts header).
  for (const key of keys) close(num(res.resistorTable[1], key), (40 / gRef - 1) / 2, 1e-6, `resistor ${key} at 1.8 V`);
  // Curves (Fig 4e) only at V_read_H = 1.4 V, one 201-point curve per V_ref_G.
  assert.is(res.curves.length, 3 * 201);
  assert.equal([...new Set(res.curves.map((r) => r.curve))], vgs.map((vg) => `V_ref_G = ${vg} V`));
});

test("biasGrid: a repeated V_read_H breaks only the read-bias trend, a repeated V_ref_G only the gate trend; G_max honoured", () => {
  const r1 = biasGrid([1.4, 1.4], [0.55, 0.6], 40);
  assert.not.ok(r1.trendReadBias);
  assert.ok(r1.trendRefGate);
  const r2 = biasGrid([1.4, 1.8], [0.6, 0.6], 40);
  assert.ok(r2.trendReadBias);
  assert.not.ok(r2.trendRefGate);
  // G_max = 20 µS: the exact −V_d branch gives A_n = 20/G_min − 1.
  const r3 = biasGrid([1.4], [0.6], 20);
  close(num(r3.table[0], "A_n"), 20 / handGMinUS(1.4, 0.6) - 1, 1e-6, "A_n at 20 µS");
  assert.throws(() => biasGrid([1.4], [0.6], 0), isRange(/gMaxUS/));
});

/**
 * The units of unitVariation rebuilt from the mismatch model its doc states: every transistor draws
 * V_T + σ_VT·N(0, 1), then β·(1 + σ_β·N(0, 1)), from createRng(seed).fork("mtt-units"); per unit the positive branch
 * (inference, then reference transistor), then the negative branch. The rebuild is checked against the returned
 * current curves before it is used.
 */
function rebuildUnits(units: number, seed: number, sV: number, sB: number): { pos: MttCircuitParams; neg: MttCircuitParams }[] {
  const rng = createRng(seed).fork("mtt-units");
  const draw = (): MosfetParams => {
    const thresholdV = T.thresholdV + sV * rng.normal();
    const betaUAPerV2 = T.betaUAPerV2 * (1 + sB * rng.normal());
    return { ...T, thresholdV, betaUAPerV2 };
  };
  const branch = (): MttCircuitParams => {
    const inference = draw();
    const mosfet = draw();
    return { ...ecramMttCircuit(), inference, reference: { kind: "transistor", gateV: 0.6, mosfet } };
  };
  return Array.from({ length: units }, () => {
    const pos = branch();
    const neg = branch();
    return { pos, neg };
  });
}

test("unitVariation (yang.mtt.uniformity): mean std of W_b across units and the CVs recomputed from rebuilt units and the params table", () => {
  const cfg = { units: 3, seed: 7, sigmaThresholdV: 0.01, sigmaBetaRel: 0.03, gMaxUS: 40 };
  const res = unitVariation(cfg);
  const units = rebuildUnits(3, 7, 0.01, 0.03);
  // The rebuild reproduces the returned curves: 25 geometric conductances per unit, both branch currents.
  assert.is(res.curves.length, 3 * 25);
  for (const r of res.curves) {
    const u = units[num(r, "unit")];
    close(num(r, "I_ts +0.01 V (µA)"), branchCurrentUA(u.pos, num(r, "G_e (µS)"), 1), 1e-12, "I_ts + of the rebuilt unit");
    close(num(r, "I_ts −0.01 V (µA)"), branchCurrentUA(u.neg, num(r, "G_e (µS)"), -1), 1e-12, "I_ts − of the rebuilt unit");
  }
  // W_b of each unit on 81 points of [−1, 1] with the nominal window (the array maps W_h alike for all units);
  // std across units (n − 1) per W_h, then the mean over W_h.
  const window = ecramMttUnit(1.4, 0.6, 40).window;
  const made = units.map((u) => makeMttUnit(u.pos, window, u.neg));
  const stds = Array.from({ length: 81 }, (_, i) => sampleStd(made.map((m) => circuitWeight(m, -1 + i / 40))));
  close(res.meanCurveStd, stds.reduce((s, v) => s + v, 0) / 81, 1e-12, "mean curve std");
  assert.is(res.summary["mean std of W_b across units"], res.meanCurveStd);
  // CVs (std/mean, n − 1) of the params table.
  const cv = (key: string) => { const v = res.params.map((r) => num(r, key)); return sampleStd(v) / (v.reduce((s, x) => s + x, 0) / v.length); };
  close(res.cvA, cv("A_p"), 1e-12, "cvA");
  for (const key of ["A_p", "B_p", "A_n", "B_n"]) close(num(res.summary, `CV ${key}`), cv(key), 1e-12, `CV ${key}`);
  close(num(res.summary, "mean A_p"), res.params.reduce((s, r) => s + num(r, "A_p"), 0) / 3, 1e-12, "mean A_p");
  assert.equal(res.params.map((r) => r.unit), [0, 1, 2]);
  assert.is(res.summary["σ(V_T) (mV)"], 10);
  // Same seed: bit-identical; another seed: other units.
  const again = unitVariation(cfg);
  assert.is(again.meanCurveStd, res.meanCurveStd);
  assert.equal(again.params, res.params);
  assert.ok(unitVariation({ ...cfg, seed: 8 }).meanCurveStd !== res.meanCurveStd);
});

test("unitVariation: no mismatch gives identical nominal units (std 0, CV 0); G_max honoured; curves for 16 units at most; units ≥ 2", () => {
  const res = unitVariation({ units: 17, sigmaThresholdV: 0, sigmaBetaRel: 0, gMaxUS: 20 });
  assert.ok(res.meanCurveStd < 1e-12 && res.cvA < 1e-12, `std ${res.meanCurveStd}, CV ${res.cvA}`);
  // Every unit is the nominal 20 µS unit: the exact −V_d branch gives A_n = 20/G_min − 1 (hand G_min).
  for (const r of res.params) close(num(r, "A_n"), 20 / handGMinUS(1.4, 0.6) - 1, 1e-6, `A_n of unit ${r.unit}`);
  assert.is(res.curves.length, 16 * 25);
  const unit0 = res.curves.filter((r) => r.unit === 0).map((r) => num(r, "G_e (µS)"));
  close(unit0[24], 20, 1e-12, "curve ends at G_max");
  close(unit0[0], handGMinUS(1.4, 0.6), 1e-9, "curve starts at G_min");
  assert.throws(() => unitVariation({ units: 1 }), isRange(/units/));
});

test("rangeLinearity (yang.mtt.uniformity.range_linear): slope and the smaller R² recomputed from the table; A_n by hand", () => {
  const gs = [10, 30, 50];
  const res = rangeLinearity(gs);
  assert.equal(res.table.map((r) => r["G_max (µS)"]), gs);
  const fa = ls(gs, res.table.map((r) => num(r, "A_p")));
  const fb = ls(gs, res.table.map((r) => num(r, "B_p")));
  close(res.slope, fa.slope, 1e-12, "slope of A_p");
  // R² of A_p and of B_p differ beyond rounding here, so min is told apart from max or from A_p alone.
  assert.ok(Math.abs(fa.r2 - fb.r2) > 1e-13, `R² A ${fa.r2}, B ${fb.r2}`);
  close(res.r2, Math.min(fa.r2, fb.r2), 1e-14, "smaller R²");
  // A_n = G_max/G_min − 1 (exact −V_d branch), so the A_n line through the table has slope 1/G_min.
  const gMin = handGMinUS(1.4, 0.6);
  res.table.forEach((r, i) => close(num(r, "A_n"), gs[i] / gMin - 1, 1e-6, `A_n at ${gs[i]} µS`));
  assert.throws(() => rangeLinearity([]), isRange(/gMaxUSs/));
});

test("rramTransfer (yang.rram_mtt.fit): minParam is the least of the four returned parameters; rows from the RRAM circuit", () => {
  const res = rramTransfer();
  const four = ["A_p", "B_p", "A_n", "B_n"].map((k) => num(res.params, k));
  assert.is(res.minParam, Math.min(...four));
  assert.ok(new Set(four).size === 4 && res.minParam !== four[0], "the four differ and A_p is not the least, so a one-parameter min is caught");
  assert.is(res.params["G_min (µS)"], TAOX_RRAM.gMinUS);
  assert.is(res.params["G_max (µS)"], TAOX_RRAM.gMaxUS);
  assert.is(res.params["V_read_H (V)"], 0.8);
  const unit = rramMttUnit();
  const p = { positive: { a: four[0], b: four[1], r: 0 }, negative: { a: four[2], b: four[3], r: 0 } };
  assert.is(res.rows.length, 201);
  for (const r of res.rows.filter((_, i) => i % 20 === 0)) {
    close(num(r, "circuit"), circuitWeight(unit, num(r, "W_h")), 1e-12, `circuit at ${r.W_h}`);
    close(num(r, "fit"), compactWeight(p, num(r, "W_h")), 1e-12, `fit at ${r.W_h}`);
  }
});

test("ternarySweep (yang.ternary.zero_region): the flag recomputed from both radii against 1 % of the range; rows and table per V_ref_G in input order; G_min by hand; rms is the worse branch", () => {
  const vgs = [0.65, 0.55];
  const res = ternarySweep(vgs);
  assert.equal(res.table.map((r) => [r.function, r["V_ref_G (V)"], r["V_read_H (V)"]]), [["T1", 0.65, 0.7], ["T2", 0.55, 0.7]]);
  // A zero region counts when both fitted radii reach 1 % of the range (a binary unit's fit gives r ≈ 2e-5 > 0).
  assert.is(res.allHaveZeroRegion, res.table.every((r) => num(r, "r_p") >= 0.01 && num(r, "r_n") >= 0.01));
  // The zero region widens with the reference bias (a stronger reference delays turn-on): 0.65 V beats 0.55 V.
  assert.ok(num(res.table[0], "r_p") > num(res.table[1], "r_p") && num(res.table[0], "r_n") > num(res.table[1], "r_n"));
  // Each bias alone: the flag is the same rule on its own row. Between 0.55 and 0.65 V the radii cross 1 % of the
  // range one after the other; a bias where only one of them has crossed tells "both" from "either".
  let straddles = 0;
  for (const vg of [...vgs, 0.59, 0.6, 0.61]) {
    const one = ternarySweep([vg]);
    const [rp, rn] = [num(one.table[0], "r_p"), num(one.table[0], "r_n")];
    if (rp >= 0.01 !== rn >= 0.01) straddles++;
    assert.is(one.allHaveZeroRegion, rp >= 0.01 && rn >= 0.01, `V_ref_G ${vg}`);
  }
  assert.ok(straddles > 0, "the fixture holds a bias where exactly one radius reaches 1 % (else \"both\" and \"either\" agree everywhere)");
  res.table.forEach((r, i) => {
    const fit = ternaryMttFit(vgs[i]);
    assert.is(r.r_p, fit.params.positive.r);
    assert.is(r.r_n, fit.params.negative.r);
    // "fit rms" is the worse branch (at 0.65 V the negative one: 0.016 against 0.007).
    assert.is(r["fit rms"], Math.max(fit.positive.rmsResidual, fit.negative.rmsResidual));
    // V_read_H = 0.7 V: the reference balances at V_n = 0.35 V.
    close(num(r, "G_e,min (µS)"), handGMinUS(0.7, vgs[i]), 1e-9, `G_e,min at ${vgs[i]} V`);
  });
  assert.is(res.rows.length, 2 * 201);
  // Inside the fitted radius the fit column is exactly 0 (compact form, u ≤ 0); the circuit column is the circuit.
  const unit = ecramMttUnit(0.7, 0.65, 40);
  const t1 = res.rows.filter((r) => r.curve === "T1 (0.65 V)");
  for (const r of t1) {
    const wh = num(r, "W_h");
    if (wh >= 0 && wh <= num(res.table[0], "r_p")) assert.is(num(r, "fit"), 0);
  }
  const mid = t1.find((r) => Math.abs(num(r, "W_h") - 0.3) < 1e-12)!;
  close(num(mid, "circuit"), circuitWeight(unit, 0.3), 1e-12, "circuit at 0.3");
  assert.throws(() => ternarySweep([0.6, NaN]), isRange(/refGateVs\[1\]/));
});

test("networkFunctionTable: the ECRAM (50 µS) and RRAM rows; ECRAM A_n = 50/G_min − 1 by hand; rms is the worse branch", () => {
  const rows = networkFunctionTable();
  assert.is(rows.length, 2);
  close(num(rows[0], "A_n"), 50 / handGMinUS(1.4, 0.6) - 1, 1e-6, "ECRAM A_n");
  const rram = rramTransfer().params;
  for (const k of ["A_p", "B_p", "A_n", "B_n", "fit rms"]) assert.is(rows[1][k], rram[k], `RRAM ${k}`);
  // "fit rms" is the worse branch (RRAM: the positive one, 0.007 against 0.004).
  for (const [row, fit] of [[rows[0], ecramMttNetworkFit()], [rows[1], rramMttNetworkFit()]] as const) assert.is(row["fit rms"], Math.max(fit.positive.rmsResidual, fit.negative.rmsResidual));
  // The 50 µS ECRAM row differs from the 40 µS operating point (G_max honoured).
  assert.ok(num(rows[0], "A_n") > num(operatingPointSweep(5).params, "A_n"));
});

test("unit variation: a unit whose node at G_e,min lies above its inference V_T fits A_p at the window's ceiling, one below it fits less", () => {
  const v = unitVariation({ units: 24 });
  const above = v.params.filter((r) => (r["V_n(G_e,min) − V_T (V)"] as number) > 0);
  const below = v.params.filter((r) => (r["V_n(G_e,min) − V_T (V)"] as number) < 0);
  assert.ok(above.length > 0 && below.length > 0, `${above.length} above, ${below.length} below: both sides must be drawn`);
  for (const r of above) assert.ok(Math.abs((r.A_p as number) / v.ceilingA - 1) < 1e-3, `unit ${r.unit}: A_p ${r.A_p} vs ceiling ${v.ceilingA}`);
  for (const r of below) assert.ok((r.A_p as number) < v.ceilingA * (1 - 1e-3), `unit ${r.unit}: A_p ${r.A_p} below threshold, ceiling ${v.ceilingA}`);
  assert.is(v.atCeiling, above.length);
});

test.run();
