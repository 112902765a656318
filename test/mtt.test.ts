import { test } from "uvu";
import * as assert from "uvu/assert";
import { thermalVoltageV, ECRAM_MTT_TRANSISTOR } from "../src/devices/mosfet";
import { circuitWeight, makeMttUnit, nodeVoltageV, validateCircuit, validateWindow, type MttUnit } from "../src/mtt/circuit";
import { FitNotConvergedError, compactWeight, fitBranch, transferGrid } from "../src/mtt/compact-fit";
import {
  asymmetricCircuitWeight,
  asymmetricClosedForm,
  fitUnit,
  normalisedCircuit,
  normalisedCompactParams,
  normalisedUnit,
  signDeviation,
  symmetricClosedForm,
} from "../src/mtt/families";
import { ecramMttCircuit } from "../src/mtt/presets";
import { ecramMttTransfer, ecramMttUnit, rramMttTransfer, rramMttUnit, ternaryMttTransfer, ecramMttNetworkFit } from "../src/mtt/network-transfer";
import { createRng } from "../src/util/rng";
import { biasGrid } from "../src/experiments/mtt-transfer";

const whGrid = Array.from({ length: 401 }, (_, i) => -1 + i / 200);
const maxDev = (f: (w: number) => number, g: (w: number) => number) => Math.max(...whGrid.map((w) => Math.abs(f(w) - g(w))));

test("node voltage of the resistor divider is V·G/(G + G_ref) (hand formula)", () => {
  const c = normalisedCircuit(1);
  for (const g of [0.5, 1, 3, 40]) assert.ok(Math.abs(nodeVoltageV(c, g) - (1.4 * g) / (g + 1)) < 1e-10);
});

test("symmetric unit: circuit equals the closed form (K−1)x/(2+(K−1)x) for every K", () => {
  for (const k of [2, 5, 20, 100, 1000]) {
    const u = normalisedUnit(k);
    assert.ok(maxDev((w) => circuitWeight(u, w), (w) => symmetricClosedForm(k, w)) < 1e-9, `K=${k}`);
  }
});

test("sign(W_h) is approached as K → ∞", () => {
  let last = Infinity;
  for (const k of [2, 10, 100, 1e3, 1e4, 1e5]) {
    const d = signDeviation((w) => symmetricClosedForm(k, w));
    assert.ok(d < last, `deviation not decreasing at K=${k}`);
    last = d;
    // hand bound: |W_b − sign| = 2/(2 + (K−1)x) ≤ 2/((K−1)x) for |W_h| = x
    for (const x of [0.01, 0.1, 1]) assert.ok(1 - symmetricClosedForm(k, x) <= 2 / ((k - 1) * x) + 1e-12);
  }
  assert.ok(last < 1e-3);
  // and from the circuit itself
  const u = normalisedUnit(1e5);
  assert.ok(Math.abs(circuitWeight(u, 0.05) - 1) < 1e-3 && Math.abs(circuitWeight(u, -0.05) + 1) < 1e-3);
});

// Every family: circuit vs fitted compact form, with the stated error bound.
const families: { name: string; unit: () => MttUnit; radius: boolean; tol: number; why: string }[] = [
  { name: "normalised symmetric K=20", unit: () => normalisedUnit(20), radius: false, tol: 1e-6, why: "exact bilinear form" },
  { name: "normalised symmetric K=200", unit: () => normalisedUnit(200), radius: false, tol: 1e-6, why: "exact bilinear form" },
  { name: "sub-threshold read ρ=0.75", unit: () => normalisedUnit(20, 0.75), radius: true, tol: 0.05, why: "sub-threshold tail rounds the corner at r" },
  { name: "sub-threshold read ρ=0.6", unit: () => normalisedUnit(20, 0.6), radius: true, tol: 0.05, why: "sub-threshold tail rounds the corner at r" },
  { name: "ECRAM-MTT 1.4 V / 0.6 V / 40 µS", unit: () => ecramMttUnit(1.4, 0.6, 40), radius: false, tol: 0.01, why: "near-threshold curvature at G_e,min" },
  { name: "ECRAM-MTT 1.8 V / 0.55 V / 40 µS", unit: () => ecramMttUnit(1.8, 0.55, 40), radius: false, tol: 0.01, why: "near-threshold curvature at G_e,min" },
  { name: "ECRAM-MTT 1.4 V / 0.7 V / 50 µS", unit: () => ecramMttUnit(1.4, 0.7, 50), radius: false, tol: 0.01, why: "near-threshold curvature at G_e,min" },
  { name: "RRAM-MTT 0.8 V / 0.7 V", unit: () => rramMttUnit(), radius: false, tol: 0.03, why: "RRAM sinh read bends the bilinear form" },
  { name: "ternary 0.7 V / 0.55 V", unit: () => ecramMttUnit(0.7, 0.55, 40), radius: true, tol: 0.08, why: "sub-threshold exponential vs bilinear-with-radius" },
  { name: "ternary 0.7 V / 0.65 V", unit: () => ecramMttUnit(0.7, 0.65, 40), radius: true, tol: 0.08, why: "sub-threshold exponential vs bilinear-with-radius" },
];
for (const fam of families) {
  test(`circuit and fitted compact form agree over W_h ∈ [−1, 1]: ${fam.name} (≤ ${fam.tol}, ${fam.why})`, () => {
    const u = fam.unit();
    const fit = fitUnit(u, { fitRadius: fam.radius });
    const d = maxDev((w) => circuitWeight(u, w), (w) => compactWeight(fit.params, w));
    assert.ok(d <= fam.tol, `max deviation ${d}`);
  });
}

test("asymmetric unit: circuit vs closed form within m·T'/V_T (the sub-threshold bias current), and worse than symmetric", () => {
  const bound = (ECRAM_MTT_TRANSISTOR.slopeFactor * thermalVoltageV(300)) / ECRAM_MTT_TRANSISTOR.thresholdV;
  for (const k of [100, 200, 500]) {
    const d = maxDev((w) => asymmetricCircuitWeight(k, w), (w) => asymmetricClosedForm(k, w));
    assert.ok(d <= bound * 1.05, `K=${k}: ${d} > ${bound}`);
    assert.ok(signDeviation((w) => asymmetricClosedForm(k, w)) > 2 * signDeviation((w) => symmetricClosedForm(k, w)));
  }
});

test("V_read_H rule: zero-gradient radius is 0 at V_read_H ≥ 2V_T and grows as V_read_H falls below", () => {
  assert.is(normalisedCompactParams(20, 1).r, 0);
  assert.is(normalisedCompactParams(20, 1.3).r, 0);
  let last = 0;
  for (const rho of [0.95, 0.85, 0.75, 0.65, 0.55]) {
    const r = normalisedCompactParams(20, rho).r;
    assert.ok(r > last);
    last = r;
  }
  // hand value: ρ = 0.75 → G* = 2, r = 1/19
  assert.ok(Math.abs(normalisedCompactParams(20, 0.75).r - 1 / 19) < 1e-12);
  // the circuit is flat (W_b ≈ 0) inside the radius
  const u = normalisedUnit(20, 0.75);
  assert.ok(Math.abs(circuitWeight(u, 0.5 / 19)) < 0.01);
});

test("bias trend: fitted A, B grow with V_read_H (≥ 2V_T) and with lower V_ref_G; A_p ≈ A_n", () => {
  const fitA = (vr: number, vg: number) => fitUnit(ecramMttUnit(vr, vg, 40)).params;
  for (const vg of [0.55, 0.65]) {
    let last = 0;
    for (const vr of [1.4, 1.6, 1.8]) {
      const p = fitA(vr, vg);
      assert.ok(p.positive.a > last && p.positive.b > 0);
      last = p.positive.a;
      assert.ok(Math.abs(p.positive.a / p.negative.a - 1) < 0.05, `A_p/A_n at ${vr}/${vg}`);
    }
  }
  for (const vr of [1.4, 1.8]) {
    let last = Infinity;
    for (const vg of [0.55, 0.6, 0.65, 0.7]) {
      const a = fitA(vr, vg).positive.a;
      assert.ok(a < last);
      last = a;
    }
  }
});

test("network transfer functions: pure, bounded, monotone, odd-like; ternary is zero near 0", () => {
  for (const f of [ecramMttTransfer(), rramMttTransfer(), ternaryMttTransfer(0.6)]) {
    let last = -Infinity;
    for (const w of whGrid) {
      const v = f.apply(w);
      assert.ok(v >= last - 1e-12 && Math.abs(v) <= 1);
      assert.is(f.apply(w), v);
      last = v;
      assert.ok(Math.sign(v) === Math.sign(w) || v === 0);
    }
  }
  assert.is(ternaryMttTransfer(0.6).kind, "ternary");
  assert.is(ternaryMttTransfer(0.65).apply(0.01), 0);
  assert.is(ecramMttTransfer().kind, "binary");
  // the 50 µS network function is close to sign at the 3-bit level |W_h| = 1/8
  assert.ok(ecramMttTransfer().apply(0.125) > 0.9);
  assert.ok(ecramMttNetworkFit().positive.rmsResidual < 0.01);
});

test("bad input throws a RangeError naming the field", () => {
  const isRange = (re: RegExp) => (e: Error) => e instanceof RangeError && re.test(e.message);
  assert.throws(() => validateCircuit(ecramMttCircuit({ readBiasV: 0 })), isRange(/readBiasV/));
  assert.throws(() => validateCircuit(ecramMttCircuit({ readBiasV: -1 })), isRange(/readBiasV/));
  assert.throws(() => validateCircuit({ ...ecramMttCircuit(), inference: { ...ECRAM_MTT_TRANSISTOR, thresholdV: 0 } }), isRange(/thresholdV/));
  assert.throws(() => normalisedUnit(0.5), isRange(/K \(dynamic range\)/));
  assert.throws(() => symmetricClosedForm(0, 0.3), isRange(/K/));
  assert.throws(() => validateWindow({ gMinUS: 40, gMaxUS: 40 }), isRange(/gMinUS/));
  assert.throws(() => makeMttUnit(ecramMttCircuit(), { gMinUS: 50, gMaxUS: 10 }), isRange(/gMaxUS|gMinUS/));
  assert.throws(() => ecramMttCircuit({ refGateV: NaN }), isRange(/refGateV/));
  assert.throws(() => ecramMttUnit(1.4, NaN, 40), isRange(/refGateV/));
  assert.throws(() => biasGrid([1.4, NaN], [0.6]), isRange(/readBiasVs\[1\]/));
  assert.throws(() => biasGrid([1.4], [0.6, NaN, 0.7]), isRange(/refGateVs\[1\]/));
});

test("a fit that cannot converge says so (residual and iterations)", () => {
  const rng = createRng("noise");
  const xs = transferGrid();
  const ys = xs.map(() => rng.uniformIn(-1, 1));
  assert.throws(
    () => fitBranch(xs, ys, { maxRms: 0.05, what: "noise" }),
    (e: Error) => e instanceof FitNotConvergedError && /rms residual/.test(e.message) && /iterations/.test(e.message),
  );
  assert.throws(() => fitBranch(xs, xs.map(() => NaN)), /ys\[0\]/);
});

test.run();
