import { test } from "uvu";
import * as assert from "uvu/assert";
import { thermalVoltageV, ECRAM_MTT_TRANSISTOR, RRAM_MTT_TRANSISTOR } from "../src/devices/mosfet";
import { TAOX_RRAM } from "../src/devices/taox-rram";
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
import { idealSign } from "../src/mtt/transfer-function";
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

// Every family: the circuit against a closed form derived from the transistor laws (mosfet.ts), with a derived
// error bound, then the fitted compact form against the circuit.
//
// Closed forms. The node V_n(x) at |W_h| = x is solved by hand: a resistor reference (R_Ref = 1) gives
// V_n = V_read·G/(G + 1), G = 1 + (K − 1)x; a reference transistor at V_ref_G ≤ V_T is sub-threshold and, at
// V_n ≫ T', draws a constant I_s = G_min·V_read/2 (the balance that defines G_min), so an ohmic memory gives
// V_n = V_read − I_s/G and the TaOx sinh read gives V_n = V_read − V₀(G)·asinh(I_s/(G·V₀(G))). (The RRAM
// reference, gate 0.7 V over V_T = 0.4 V, is saturated for V_n ≥ 0.3 V: constant as well.) A drain at −V_d
// swaps drain and source, so that branch sees a gate-source voltage V_n + V_d ("shift" s = V_d; s = 0 at +V_d).
// With the transistor's linear part I ∝ (V_gs − V_T) and a hard threshold, a branch is
//   W(x) = (max(V_n(x), c) − c)/(V_read − c),  c = max(V_n(0), V_T − s),
// which for the resistor and the ohmic-memory cases is a Möbius map of x vanishing at x = r: a member of the
// compact family A·u/(1 + B·u). Bounds on |circuit − W|:
// - linear-region law (normalised units, V_d = 0.1 V): the circuit adds the sub-threshold tail t(V_gs) ≤ I_bias
//   (= t(V_T) = I₀(1 − e^{−V_d/T'}), I₀ = β·m·T'²). With e = (I_bias − t(V_n(0) + s))/(β·(V_read + s − V_T)·V_d),
//   W_circuit = (W + τ)/(1 + e) with τ ∈ [0, e], so 0 ≤ W_circuit − W ≤ e/(1 + e) (e = 0 when V_n(0) + s ≥ V_T);
// - square law (transistor-reference units, V_d = 0.01 V): when V_n(0) = V_T (V_read = 2·V_T) the +V_d branch
//   starts in saturation, I = β·V_ov²/2 for V_ov < V_d, instead of the triode β·(V_ov·V_d − V_d²/2); the convex
//   saturation piece lies below the chord, giving 0 ≤ W − W_circuit ≤ V_d/(2·(V_read − V_T) − V_d). The −V_d
//   branch (V_ov ≥ V_d throughout) and units with V_n(0) − V_T ≥ V_d are exact.
// Floor for "exact": 1e-6, above the node solve's 1e-13 V and the neglected variation of a sub-threshold
// reference current (relative e^{−V_n/T'} ≤ 2e-7 at V_n ≥ 0.4 V).
const THERMAL_V = 8.617333262e-5 * 300; // T' = k_B·T/q at 300 K
const EXACT = 1e-6;
interface ClosedForm {
  readBiasV: number;
  drainV: number;
  transistor: typeof ECRAM_MTT_TRANSISTOR;
  law: "linear-region" | "square-law";
  nodeV: (x: number) => number;
  /** G_min the closed form implies, when the reference defines it (checked against the unit's window). */
  gMinUS?: number;
}
function closedBranch(c: ClosedForm, s: number): { w: (x: number) => number; bound: number; sign: 1 | -1 } {
  const { thresholdV: vt, betaUAPerV2: beta, slopeFactor: m } = c.transistor;
  const vn0 = c.nodeV(0);
  const on = Math.max(vn0, vt - s);
  const w = (x: number) => (Math.max(c.nodeV(x), on) - on) / (c.readBiasV - on);
  if (c.law === "linear-region") {
    const iBias = beta * m * THERMAL_V ** 2 * (1 - Math.exp(-c.drainV / THERMAL_V));
    const tail = (v: number) => iBias * Math.exp(Math.min(0, v - vt) / (m * THERMAL_V));
    const e = (iBias - tail(vn0 + s)) / (beta * (c.readBiasV + s - vt) * c.drainV);
    return { w, bound: Math.max(EXACT, e / (1 + e)), sign: 1 };
  }
  const sat = vn0 + s - vt < c.drainV ? c.drainV / (2 * (c.readBiasV + s - vt) - c.drainV) : 0;
  return { w, bound: Math.max(EXACT, sat), sign: -1 };
}
const normalisedClosed = (k: number, rho = 1): ClosedForm => {
  const vr = rho * 2 * ECRAM_MTT_TRANSISTOR.thresholdV;
  return { readBiasV: vr, drainV: 0.1, transistor: ECRAM_MTT_TRANSISTOR, law: "linear-region", nodeV: (x) => (vr * (1 + (k - 1) * x)) / (2 + (k - 1) * x) };
};
const ecramClosed = (vr: number, vRefG: number, gMaxUS: number): ClosedForm => {
  const t = ECRAM_MTT_TRANSISTOR;
  // Sub-threshold reference at V_n = V_read/2: I₀·e^{(V_ref_G − V_T)/(m·T')}·(1 − e^{−V_n/T'}).
  const iS = t.betaUAPerV2 * t.slopeFactor * THERMAL_V ** 2 * Math.exp((vRefG - t.thresholdV) / (t.slopeFactor * THERMAL_V)) * (1 - Math.exp(-vr / 2 / THERMAL_V));
  const gMin = iS / (vr / 2);
  return { readBiasV: vr, drainV: 0.01, transistor: t, law: "square-law", nodeV: (x) => vr - iS / (gMin + x * (gMaxUS - gMin)), gMinUS: gMin };
};
const rramClosed = (): ClosedForm => {
  const { gMinUS, gMaxUS, readSinhV0HrsV: v0h, readSinhExponent: kappa } = TAOX_RRAM;
  const vr = 0.8;
  const v0 = (g: number) => v0h * (g / gMinUS) ** kappa;
  const iS = gMinUS * v0h * Math.sinh(vr / 2 / v0h);
  return {
    readBiasV: vr, drainV: 0.01, transistor: RRAM_MTT_TRANSISTOR, law: "square-law",
    nodeV: (x) => {
      const g = gMinUS + x * (gMaxUS - gMinUS);
      return vr - v0(g) * Math.asinh(iS / (g * v0(g)));
    },
  };
};

interface Family {
  name: string;
  unit: () => MttUnit;
  radius: boolean;
  closed?: ClosedForm;
  /** The closed form is a member of the compact family (so the least-squares fit can do no worse in RMS). */
  inFamily?: boolean;
  /** Closed-form A = B of the exact families. */
  exactA?: number;
  tol: number;
  why: string;
}
const ECRAM_SAT_BOUND = 0.01 / (2 * (1.4 - 0.7) - 0.01); // V_d/(2(V_read − V_T) − V_d) = 0.0072
const families: Family[] = [
  { name: "normalised symmetric K=20", unit: () => normalisedUnit(20), radius: false, closed: normalisedClosed(20), inFamily: true, exactA: 19 / 2, tol: EXACT, why: "exact bilinear form: the fit recovers A = B = (K − 1)/2" },
  { name: "normalised symmetric K=200", unit: () => normalisedUnit(200), radius: false, closed: normalisedClosed(200), inFamily: true, exactA: 199 / 2, tol: EXACT, why: "exact bilinear form: the fit recovers A = B = (K − 1)/2" },
  // e/(1 + e) = 0.027 (+V_d) and 0.018 (−V_d): the tolerance is the larger, the hard-threshold member's bound; the
  // least-squares fit (lower in RMS, checked) is not minimax, so this is not a theorem for it (measured 0.017).
  { name: "sub-threshold read ρ=0.75", unit: () => normalisedUnit(20, 0.75), radius: true, closed: normalisedClosed(20, 0.75), inFamily: true, tol: Math.max(closedBranch(normalisedClosed(20, 0.75), 0).bound, closedBranch(normalisedClosed(20, 0.75), 0.1).bound), why: "sub-threshold tail, ≤ e/(1 + e) of the hard-threshold form" },
  // e/(1 + e) = 0.065 (+V_d) exceeds the tolerance: 0.05 is empirical (measured 0.041, ×1.2): the least-squares fit
  // moves r to split the tail, doing better than the hard-threshold member it is checked against in RMS.
  { name: "sub-threshold read ρ=0.6", unit: () => normalisedUnit(20, 0.6), radius: true, closed: normalisedClosed(20, 0.6), inFamily: true, tol: 0.05, why: "sub-threshold tail rounds the corner at r (empirical, below the member's 0.065)" },
  // The closed-form member misses by ≤ 0.0072 (saturation near V_T); 0.01 leaves ×1.4 for a least-squares (not
  // minimax) fit (measured 0.0020 and 0.0037).
  { name: "ECRAM-MTT 1.4 V / 0.6 V / 40 µS", unit: () => ecramMttUnit(1.4, 0.6, 40), radius: false, closed: ecramClosed(1.4, 0.6, 40), inFamily: true, tol: 0.01, why: "saturation within V_d of V_T at G_e,min (member ≤ 0.0072)" },
  { name: "ECRAM-MTT 1.8 V / 0.55 V / 40 µS", unit: () => ecramMttUnit(1.8, 0.55, 40), radius: false, closed: ecramClosed(1.8, 0.55, 40), inFamily: true, exactA: 40 / ecramClosed(1.8, 0.55, 40).gMinUS! - 1, tol: EXACT, why: "V_n(0) = 0.9 V ≥ V_T + V_d: exact bilinear, A = B = G_max/G_min − 1" },
  { name: "ECRAM-MTT 1.4 V / 0.7 V / 50 µS", unit: () => ecramMttUnit(1.4, 0.7, 50), radius: false, closed: ecramClosed(1.4, 0.7, 50), inFamily: true, tol: 0.01, why: "saturation within V_d of V_T at G_e,min (member ≤ 0.0072)" },
  // The sinh read makes V_n(x) leave the compact family, and no closed form bounds the best bilinear fit to it:
  // 0.03 is empirical (measured 0.0137, ×2.2), checked against the circuit, which itself is pinned to the sinh
  // closed form within V_d/(2(V_read − V_T) − V_d) = 0.0127 above.
  { name: "RRAM-MTT 0.8 V / 0.7 V", unit: () => rramMttUnit(), radius: false, closed: rramClosed(), tol: 0.03, why: "RRAM sinh read bends the bilinear form (empirical)" },
  // Ternary: V_read_H = V_T, so the +V_d branch is a pure sub-threshold exponential e^{(V_n − V_T)/(m·T')}, which no
  // bilinear-with-radius curve matches and no closed form bounds: 0.08 is empirical (measured 0.052 and 0.041,
  // ×1.5). It still fails for fitting bugs: a fit without the radius misses by 0.10 (V_ref_G 0.55 V) and 0.086
  // (0.65 V); using the +V_d branch's parameters for negative weights misses by 0.10 and 0.093.
  { name: "ternary 0.7 V / 0.55 V", unit: () => ecramMttUnit(0.7, 0.55, 40), radius: true, tol: 0.08, why: "sub-threshold exponential vs bilinear-with-radius (empirical)" },
  { name: "ternary 0.7 V / 0.65 V", unit: () => ecramMttUnit(0.7, 0.65, 40), radius: true, tol: 0.08, why: "sub-threshold exponential vs bilinear-with-radius (empirical)" },
];
const unitGrid = whGrid.filter((w) => w >= 0);
for (const fam of families) {
  test(`circuit vs closed form, and fitted compact form vs circuit over W_h ∈ [−1, 1]: ${fam.name} (fit ≤ ${fam.tol}, ${fam.why})`, () => {
    const u = fam.unit();
    const fit = fitUnit(u, { fitRadius: fam.radius });
    if (fam.closed) {
      if (fam.closed.gMinUS !== undefined) assert.ok(Math.abs(u.window.gMinUS / fam.closed.gMinUS - 1) < 1e-9, `G_e,min ${u.window.gMinUS} vs ${fam.closed.gMinUS}`);
      const grid = transferGrid();
      for (const [pol, s, branchFit] of [[1, 0, fit.positive], [-1, fam.closed.drainV, fit.negative]] as const) {
        const { w, bound, sign } = closedBranch(fam.closed, s);
        // One-sided: the tail only adds current (circuit ≥ W), the saturation piece only removes it (circuit ≤ W).
        for (const x of unitGrid) {
          const diff = sign * (pol * circuitWeight(u, pol * x) - w(x));
          assert.ok(diff >= -EXACT && diff <= bound, `drain ${pol > 0 ? "+" : "−"}V_d, |W_h| = ${x}: circuit − closed form = ${sign * diff}, bound ${bound}`);
        }
        if (fam.inFamily) {
          const rmsClosed = Math.sqrt(grid.reduce((a, x) => a + (pol * circuitWeight(u, pol * x) - w(x)) ** 2, 0) / grid.length);
          assert.ok(branchFit.rmsResidual <= rmsClosed + 1e-9, `least-squares fit rms ${branchFit.rmsResidual} > closed-form member's ${rmsClosed}`);
        }
      }
    }
    if (fam.exactA !== undefined)
      for (const b of [fit.params.positive, fit.params.negative]) assert.ok(Math.abs(b.a / fam.exactA - 1) < 1e-6 && Math.abs(b.b / fam.exactA - 1) < 1e-6, `A ${b.a}, B ${b.b} vs ${fam.exactA}`);
    const d = maxDev((w) => circuitWeight(u, w), (w) => compactWeight(fit.params, w));
    assert.ok(d <= fam.tol, `max deviation ${d}`);
  });
}

test("ideal sign: W_b = ±1 by the sign of W_h, with the documented convention sign(0) = +1 (also for −0)", () => {
  // transfer-function.ts: "W_b = sign(W_h), with sign(0) = +1" (a zero inference weight would drop its input).
  assert.is(idealSign.apply(0), 1);
  assert.is(idealSign.apply(-0), 1);
  assert.is(idealSign.apply(Number.MIN_VALUE), 1);
  assert.is(idealSign.apply(-Number.MIN_VALUE), -1);
  assert.equal([-1, -0.5, 0.5, 1].map(idealSign.apply), [-1, -1, 1, 1]);
  assert.is(idealSign.kind, "binary");
});

test("asymmetric unit: circuit vs closed form within m·T'/V_T (the sub-threshold bias current), and worse than symmetric", () => {
  // m·T'/V_T (0.055) is the first-order size of the sub-threshold bias current the closed form leaves out. The
  // circuit exceeds it by under 1 % (higher-order terms we have not derived), so the test allows 5 %: it still
  // fails for a closed form off by a tenth of its range.
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

const closeAbs = (a: number, b: number, tol: number, msg = "") => assert.ok(Math.abs(a - b) <= tol, `${msg} expected ${b}, got ${a}`);

test("normalised compact parameters: documented closed forms by hand, and continuity at ρ → 1⁻", () => {
  // families.ts: ρ ≥ 1: W_b = (K − 1)x/(2 + (K − 1)x) = A·x/(1 + B·x) with A = B = (K − 1)/2, r = 0;
  // ½ < ρ < 1: G* = 1/(2ρ − 1), r = (G* − 1)/(K − 1), A = B = (K − 1)/(G* + 1).
  const k = 20;
  const above = normalisedCompactParams(k, 1);
  closeAbs(above.a, 9.5, 1e-12);
  closeAbs(above.b, 9.5, 1e-12);
  for (const x of [0.01, 0.1, 0.5, 1]) closeAbs(compactWeight({ positive: above, negative: above }, x), symmetricClosedForm(k, x), 1e-12, `ρ = 1, x = ${x}`);
  // ρ = 0.75 → G* = 1/(1.5 − 1) = 2: A = B = 19/3, r = 1/19.
  const p = normalisedCompactParams(k, 0.75);
  closeAbs(p.a, 19 / 3, 1e-12);
  closeAbs(p.b, 19 / 3, 1e-12);
  closeAbs(p.r, 1 / 19, 1e-12);
  // K = 5, ρ = 0.625 → G* = 1/0.25 = 4: A = B = 4/5, r = 3/4.
  const q = normalisedCompactParams(5, 0.625);
  closeAbs(q.a, 0.8, 1e-12);
  closeAbs(q.b, 0.8, 1e-12);
  closeAbs(q.r, 0.75, 1e-12);
  // ρ = 1 − δ: G* = 1/(1 − 2δ) ≈ 1 + 2δ, so A → (K − 1)/2 and r → 0: the two branches join continuously.
  const delta = 1e-9;
  const near = normalisedCompactParams(k, 1 - delta);
  closeAbs(near.a, above.a, 1e-6, "A at ρ → 1⁻");
  closeAbs(near.b, above.b, 1e-6, "B at ρ → 1⁻");
  assert.ok(near.r >= 0 && near.r < 1e-8, `r at ρ → 1⁻: ${near.r}`);
});

test("transferGrid: evenly spaced points k/(linear − 1) including 0 and 1, log-spaced points from 1e-4 to 1, sorted", () => {
  // Hand case: linear = 3 gives 0, 0.5, 1; geometric = 2 gives 1e-4 and 1e-4·10⁴ = 1 (shared with the linear 1).
  assert.equal(transferGrid(3, 2), [0, 1e-4, 0.5, 1]);
  const g = transferGrid();
  assert.is(g[0], 0);
  assert.is(g[g.length - 1], 1);
  for (let i = 1; i < g.length; i++) assert.ok(g[i] > g[i - 1], `not strictly increasing at ${i}`);
  // 101 points k/100 (all present exactly) and 60 points 10^(−4 + 4i/59), one of them (i = 59) equal to 1.
  for (let k = 0; k <= 100; k++) assert.ok(g.includes(k / 100), `k/100 = ${k / 100} missing`);
  for (let i = 0; i < 60; i++) {
    const want = 10 ** (-4 + (4 * i) / 59);
    assert.ok(g.some((x) => Math.abs(x / want - 1) < 1e-12), `geometric point ${want} missing`);
  }
  assert.is(g.length, 101 + 60 - 1);
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
  // The 50 µS network function at the 3-bit level |W_h| = 1/8: the closed-form member K'x/(1 + K'x), K' = G_max/G_min − 1
  // (see the families above), lies at most ECRAM_SAT_BOUND above the circuit, and the fit within the family's 0.01 of it.
  const net = ecramClosed(1.4, 0.6, 50);
  const kPrime = 50 / net.gMinUS! - 1;
  const at8 = (kPrime / 8) / (1 + kPrime / 8); // ≈ 0.983
  const v8 = ecramMttTransfer().apply(0.125);
  assert.ok(v8 >= at8 - ECRAM_SAT_BOUND - 0.01 && v8 <= at8 + 0.01, `W_b(1/8) = ${v8}, closed form ${at8}`);
  // Least squares: the fit's rms is at most that of the closed-form member, whose every residual is ≤ ECRAM_SAT_BOUND.
  assert.ok(ecramMttNetworkFit().positive.rmsResidual <= ECRAM_SAT_BOUND, `rms ${ecramMttNetworkFit().positive.rmsResidual}`);
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
  // A step (W_b = 1 for every W_h > 0): A·u/(1 + B·u) reaches it only as A = B → ∞, so the fit creeps until its
  // budget ends; the error gives where it stopped and says why.
  assert.throws(
    () => fitBranch(xs, xs.map((x) => (x > 0 ? 1 : 0)), { what: "step" }),
    (e: Error) => e instanceof FitNotConvergedError && /stopped at A = [\d.e+]+, B = /.test(e.message) && /close to a step/.test(e.message),
  );
});

test.run();
