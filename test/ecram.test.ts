import { test } from "uvu";
import * as assert from "uvu/assert";
import { fitNonlinearity, maxGap, nonlinearityForShape, normalisedCurve, potentiationCurveUS, potentiationPulseCoordinate, shapeForNonlinearity } from "../src/devices/chen-nonlinearity";
import { ECRAM_PRESETS, EcramDevice, WOX_LIPON_ECRAM, ecramPreset, onConductanceUS, pulseStrength, validateEcramParams } from "../src/devices/ecram";
import { pulsedSwitchingWindow } from "../src/experiments/ecram-fig3";
import { createRng } from "../src/util/rng";

test("NL label ↔ shape: NeuroSim's published pairs are recovered from the gap definition", () => {
  // Public model facts (reference-facts.md §2): NL 1 → A/P_max 1.2517, 2 → 0.6090, 3 → 0.3868, 5 → 0.1924.
  for (const [nl, a] of [[1, 1.2517], [2, 0.609], [3, 0.3868], [5, 0.1924]]) {
    assert.ok(Math.abs(shapeForNonlinearity(nl) - a) / a < 2e-3, `NL ${nl}: ${shapeForNonlinearity(nl)} vs ${a}`);
  }
});

test("maxGap matches a brute-force search and inverts", () => {
  for (const a of [0.1, 0.3, 1, 4]) {
    let brute = 0;
    for (let i = 0; i <= 20000; i++) brute = Math.max(brute, normalisedCurve(i / 20000, a) - i / 20000);
    assert.ok(Math.abs(maxGap(a) - brute) < 1e-6);
    assert.ok(Math.abs(shapeForNonlinearity(nonlinearityForShape(a)) - a) / a < 1e-6);
  }
});

test("fitNonlinearity recovers the label of a synthetic branch", () => {
  for (const nl of [0.5, 2, 4]) {
    const a = shapeForNonlinearity(nl);
    const branch = Array.from({ length: 60 }, (_, i) => potentiationCurveUS(i, 59, a, 2, 40));
    assert.ok(Math.abs(fitNonlinearity(branch).nonlinearity - nl) < 0.01);
  }
});

test("fitNonlinearity gives an accelerating branch a negative label of the same magnitude", () => {
  for (const nl of [0.5, 2, 4]) {
    const a = shapeForNonlinearity(nl);
    // Point reflection of the saturating curve: G(i) = G_min + G_max − G_sat(P_max − i); its steps grow.
    const branch = Array.from({ length: 60 }, (_, i) => 2 + 40 - potentiationCurveUS(59 - i, 59, a, 2, 40));
    assert.ok(branch[59] - branch[58] > branch[1] - branch[0], "the synthetic branch accelerates");
    const fit = fitNonlinearity(branch);
    assert.ok(Math.abs(fit.nonlinearity + nl) < 0.01, `label ${fit.nonlinearity}, want ${-nl}`);
    assert.ok(fit.rmsResidual < 1e-6);
  }
});

test("pulse coordinate inverts the potentiation curve", () => {
  const a = shapeForNonlinearity(3);
  for (const p of [0, 10, 55, 100]) {
    const g = potentiationCurveUS(p, 100, a, 1, 50);
    assert.ok(Math.abs(potentiationPulseCoordinate(g, 100, a, 1, 50) - p) < 1e-6);
  }
});

test("a reference pulse advances the coordinate by one; lower amplitude moves exponentially less", () => {
  const p = WOX_LIPON_ECRAM;
  assert.ok(Math.abs(pulseStrength(p, 1, p.referencePotentiationV, p.referenceWidthS) - 1) < 1e-12);
  const ratio = pulseStrength(p, 1, p.referencePotentiationV - 1, p.referenceWidthS) / pulseStrength(p, 1, p.referencePotentiationV - 2, p.referenceWidthS);
  assert.ok(Math.abs(ratio - Math.exp(1 / p.amplitudeScaleV)) < 1e-9);
  assert.is(pulseStrength(p, 1, p.thresholdV * 0.9, p.referenceWidthS), 0);
  assert.ok(Math.abs(pulseStrength(p, -1, p.referenceDepressionV, 2 * p.referenceWidthS) - 2) < 1e-12);
  // Far above the reference the exponential overflows: refused, not turned into an infinite step.
  const overflowV = p.referencePotentiationV + 800 * p.amplitudeScaleV;
  assert.throws(() => pulseStrength(p, 1, overflowV, p.referenceWidthS), /outside the ECRAM pulse model's range/);
});

test("noise-free device: potentiation raises, depression lowers, bounds hold", () => {
  const quiet = { ...WOX_LIPON_ECRAM, c2cRelative: 0, c2cAbsolute: 0 };
  const d = new EcramDevice(quiet, 10);
  const rng = createRng(1);
  let g = d.conductanceUS();
  for (let k = 0; k < 300; k++) {
    const next = d.applyPulse(1, 10, 2e-3, rng);
    assert.ok(next >= g);
    g = next;
  }
  assert.ok(Math.abs(g - d.gMaxUS) < 1e-9, "reaches G_max");
  for (let k = 0; k < 400; k++) {
    const next = d.applyPulse(-1, 7, 2e-3, rng);
    assert.ok(next <= g);
    g = next;
  }
  assert.ok(Math.abs(g - d.gMinUS) < 1e-9, "reaches G_min");
});

test("the Fig 3j window drive reaches both bounds of noisy devices (window within 1 % below r_int)", () => {
  // Guards the calibration of intrinsicOnOffRatio: it assumes the ladder of ECRAM_WINDOW_DRIVE drives every
  // device into both clamps, so the measured window is r_int. A weaker ladder, an early stop or more noise fails.
  const w = pulsedSwitchingWindow({ devices: 3, cyclesPerDevice: 4 });
  const r = WOX_LIPON_ECRAM.intrinsicOnOffRatio;
  assert.ok(w.minRatio >= 0.99 * r && w.maxRatio <= r * (1 + 1e-12), `window ${w.minRatio}–${w.maxRatio} vs r_int ${r}`);
});

test("pulse energy, by hand: C·V² of the gate double layer plus the leakage V·I_leak(V)·w", () => {
  // Inputs set here (the preset's present values), so the hand numbers do not depend on later preset edits.
  // C = 0.05 F/m² × (10 µm × 10 µm = 1e-10 m²) = 5e-12 F. Pulse 10 V, 2 ms: C·V² = 5e-12·100 = 5e-10 J;
  // leakage 1e-9 A at the 10 V reference (scaled ∝ V) → 10 V · 1e-9 A · 2e-3 s = 2e-11 J; total 5.2e-10 J.
  const hand = { ...WOX_LIPON_ECRAM, gateCapacitancePerAreaFm2: 0.05, widthUM: 10, lengthUM: 10, gateLeakageA: 1e-9, referencePotentiationV: 10 };
  const d = new EcramDevice(hand);
  const rel = (a: number, b: number, msg: string) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.abs(b), `${msg}: ${a} vs ${b}`);
  rel(d.pulseEnergyJ(10, 2e-3), 5.2e-10, "10 V, 2 ms");
  // Zero width leaves the capacitive term alone: C·V² (not ½C·V²), quadratic in V.
  rel(d.pulseEnergyJ(10, 0), 5e-10, "10 V, 0 s");
  rel(d.pulseEnergyJ(7, 0), 5e-12 * 49, "7 V, 0 s");
  // Leakage at 5 V: I = 1e-9·5/10 = 5e-10 A → 5 V · 5e-10 A · 1e-3 s = 2.5e-12 J, plus C·V² = 1.25e-10 J.
  rel(d.pulseEnergyJ(5, 1e-3), 1.25e-10 + 2.5e-12, "5 V, 1 ms");
  assert.is(d.pulseEnergyJ(0, 1e-3), 0);
});

test("G_on scales as g·W/L", () => {
  assert.is(onConductanceUS({ ...WOX_LIPON_ECRAM, widthUM: 20, lengthUM: 5 }), WOX_LIPON_ECRAM.sheetConductanceUS * 4);
});

test("bad input throws errors that name the field", () => {
  assert.throws(() => ecramPreset("nope"), /unknown ECRAM preset "nope"/);
  assert.throws(() => validateEcramParams({ ...WOX_LIPON_ECRAM, nonlinearityP: 12 }), /nonlinearityP/);
  assert.throws(() => validateEcramParams({ ...WOX_LIPON_ECRAM, intrinsicOnOffRatio: 0.5 }), /intrinsicOnOffRatio/);
  assert.throws(() => new EcramDevice(WOX_LIPON_ECRAM, -3), /initial conductance/);
  assert.throws(() => new EcramDevice(WOX_LIPON_ECRAM, Number.NaN), /initial conductance/);
  const d = new EcramDevice();
  assert.throws(() => d.applyPulse(1, -1, 2e-3, createRng(1)), /amplitude/);
  assert.throws(() => d.applyPulse(1, 10, 0, createRng(1)), /width/);
  assert.throws(() => d.relax(-1), /retention time/);
});

test("every preset validates and documents the provenance of each numeric parameter", () => {
  for (const [name, p] of Object.entries(ECRAM_PRESETS)) {
    validateEcramParams(p);
    for (const [field, value] of Object.entries(p)) {
      if (typeof value === "number") assert.ok(p.provenance[field], `${name}.${field} has no provenance`);
    }
  }
});

test("same seed, same trajectory (bit-identical)", () => {
  const run = () => {
    const rng = createRng("traj");
    const d = new EcramDevice(WOX_LIPON_ECRAM, 20);
    return Array.from({ length: 50 }, (_, k) => d.applyPulse(k % 2 ? 1 : -1, 9, 2e-3, rng));
  };
  assert.equal(run(), run());
});

test("cycle-to-cycle noise: the additive floor scales as √s, shrinking for a weak pulse and growing for a strong one", () => {
  // applyPulse: ΔG = step·(1 + c_rel·ξ₁) + c_abs·window·√s·ξ₂ (ξ independent N(0, 1)), so the std of ΔG from a
  // fixed G is sqrt((c_rel·step)² + (c_abs·window)²·s). A fresh device each time (no wear, s = pulseStrength).
  // From 20 µS, well inside the window (no clipping); 5 standard errors of a Gaussian std: σ/√(2n).
  const n = 20000;
  const g0 = 20;
  const check = (v: number, w: number, label: string, p = WOX_LIPON_ECRAM) => {
    const s = pulseStrength(p, 1, v, w);
    const ref = new EcramDevice(p, g0);
    const window = ref.gMaxUS - ref.gMinUS;
    const step = ref.expectedStepUS(1, v, w);
    const sigma = Math.sqrt((p.c2cRelative * step) ** 2 + (p.c2cAbsolute * window) ** 2 * s);
    const rng = createRng(`ecram-c2c-${label}`);
    const dg = new Float64Array(n);
    for (let i = 0; i < n; i++) dg[i] = new EcramDevice(p, g0).applyPulse(1, v, w, rng) - g0;
    const m = dg.reduce((a, x) => a + x, 0) / n;
    const sd = Math.sqrt(dg.reduce((a, x) => a + (x - m) ** 2, 0) / (n - 1));
    assert.ok(Math.abs(m - step) < (5 * sigma) / Math.sqrt(n), `${label}: mean ${m} vs ${step}`);
    assert.ok(Math.abs(sd - sigma) < (5 * sigma) / Math.sqrt(2 * n), `${label}: std ${sd} vs ${sigma}`);
    return { s, sd, floor: p.c2cAbsolute * window };
  };
  const p = WOX_LIPON_ECRAM;
  const reference = check(p.referencePotentiationV, p.referenceWidthS, "reference");
  assert.ok(Math.abs(reference.s - 1) < 1e-12);
  // A half-selected H-1E1T cell's 4 V, 5 ms pulse (s ≈ 0.02): the floor alone would be several times its step.
  const weak = check(4, 5e-3, "half-select");
  assert.ok(weak.s < 0.05, `s = ${weak.s}`);
  assert.ok(weak.sd < 0.3 * weak.floor, `weak pulse std ${weak.sd} well below the reference floor ${weak.floor}`);
  // The top rung of the write-verify ladder (+12 V, 2 ms: s = e^(2/1.2) ≈ 5.3), the additive part alone (c_rel = 0):
  // std √5.3 ≈ 2.3 times the reference floor, not capped at it.
  const strong = check(12, p.referenceWidthS, "strong", { ...p, c2cRelative: 0 });
  assert.ok(strong.s > 5 && strong.sd > 2 * strong.floor, `s = ${strong.s}, std ${strong.sd} vs floor ${strong.floor}`);
});

test.run();
