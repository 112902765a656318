/**
 * The half-select disturb experiment (src/experiments/choi-disturb.ts: amplitudeResponse, halfSelectStressCmo,
 * halfSelectStressGeneric), recorded by notebook 09 as choi.k.cmo and choi.disturb, and the Monte Carlo decode of a
 * state ladder (decodeLadder in src/experiments/cmo-states.ts), shown next to falcone.states. The device model
 * (src/devices/cmo-hfox.ts), halfSelectRatio, the generic drift formula at one N, levelSigmaUS and stateLadderUS are
 * tested in test/cmo.test.ts; here the returned metrics are recounted from the returned trajectories, worked by hand,
 * or compared with normal-tail probabilities computed here from the model's closed forms.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CMO_HFOX, halfSelectRatio, type CmoHfoxParams } from "../src/devices/cmo-hfox";
import { amplitudeResponse, halfSelectStressCmo, halfSelectStressGeneric, type StressResult } from "../src/experiments/choi-disturb";
import { decodeLadder, stateLadderUS } from "../src/experiments/cmo-states";

const close = (a: number, b: number, rel: number, label: string) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b) + 1e-300, `${label}: ${a} vs ${b}`);
const isRangeError = (field: RegExp) => (e: unknown) => e instanceof RangeError && field.test((e as Error).message);

/** k_B/q in V/K, written out (CODATA), not imported. */
const KB = 8.617333262e-5;
/** Step at V = r·V_s relative to V_s, by hand from the header: T(r) = 300 + 600·r² K, E_a/k_B·(1/T(1) − 1/T(r)). */
const handStep = (r: number, ea = 1.0) => Math.exp((ea / KB) * (1 / 900 - 1 / (300 + 600 * r * r)));

/** Standard normal upper tail Q(x) = erfc(x/√2)/2 (Numerical Recipes erfcc, relative error < 1.2e-7). */
function upperTail(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? erfc / 2 : 1 - erfc / 2;
}

// ---- amplitude response -------------------------------------------------------------------------------------

test("amplitude response: V/V_s on an even grid to 1; ΔG(V)/ΔG(V_s) is 1 at V_s, halfSelectRatio() at V_s/2, Arrhenius by hand", () => {
  const three = amplitudeResponse(3, 0);
  assert.equal(three.map((r) => r.amplitudeRel), [0, 0.5, 1]);
  close(three[2].relativeStep, 1, 1e-12, "full select");
  close(three[1].relativeStep, halfSelectRatio(), 1e-12, "half select = k");
  close(three[1].relativeStep, handStep(0.5), 1e-12, "half select by hand: exp(E_a/k_B·(1/900 − 1/450))");
  close(three[0].relativeStep, handStep(0), 1e-12, "no bias: ambient 300 K");
  // The notebook's call: 15 points from 0.3 to 1, step 0.05.
  const rows = amplitudeResponse(15);
  assert.is(rows.length, 15);
  rows.forEach((r, i) => {
    close(r.amplitudeRel, 0.3 + 0.05 * i, 1e-12, `grid point ${i}`);
    close(r.relativeStep, handStep(0.3 + 0.05 * i), 1e-9, `step at ${r.amplitudeRel}`);
  });
  // The parameters passed in are used: half the activation energy gives √k at V_s/2.
  const p: CmoHfoxParams = { ...CMO_HFOX, activationEnergyEV: 0.5 };
  close(amplitudeResponse(3, 0, p)[1].relativeStep, Math.sqrt(handStep(0.5)), 1e-12, "E_a = 0.5 eV");
  assert.throws(() => amplitudeResponse(1), isRangeError(/points/));
  assert.throws(() => amplitudeResponse(5, -0.1), isRangeError(/fromRel/));
  assert.throws(() => amplitudeResponse(5, 1.2), isRangeError(/fromRel/));
});

// ---- stress: generic soft-bounds device ---------------------------------------------------------------------

test("generic stress, by hand: k = 0.5, two pulses from 30 µS; k_meas = k·(1 − kα₀/2)", () => {
  // a = k·α₀ = 0.001. G₁ = 30 + 0.001·(88.19 − 30) = 30.05819; G₂ = G₁ + 0.001·(88.19 − G₁) = 30.11632181.
  const res = halfSelectStressGeneric({ pulses: 2, startUS: 30, recordEvery: 1 }, 0.5);
  assert.equal(res.trajectory.map((r) => r.pulses), [0, 1, 2]);
  close(res.trajectory[1].gUS, 30.05819, 1e-12, "G after 1 pulse");
  close(res.trajectory[2].gUS, 30.11632181, 1e-12, "G after 2 pulses");
  close(res.driftUS, 0.11632181, 1e-9, "drift");
  // k_meas = (2a − a²)·58.19 / (2·0.002·58.19) = 0.5·(1 − 0.0005) = 0.49975
  close(res.kMeasured, 0.49975, 1e-12, "k measured");
});

test("generic stress: k = 0 never moves; drift is from the final state when N is not a multiple of recordEvery; the passed parameters are used", () => {
  const still = halfSelectStressGeneric({ pulses: 50, startUS: 40, recordEvery: 10 }, 0);
  assert.is(still.driftUS, 0);
  assert.is(still.kMeasured, 0);
  assert.ok(still.trajectory.every((r) => r.gUS === 40));
  assert.equal(still.trajectory.map((r) => r.pulses), [0, 10, 20, 30, 40, 50]);
  // 7 pulses recorded every 3: points at 0, 3, 6; the drift is the 7-pulse one, (1 − (1 − a)^7)·(G_max − G₀).
  const a = 0.1 * CMO_HFOX.stepFraction;
  const seven = halfSelectStressGeneric({ pulses: 7, startUS: 30, recordEvery: 3 }, 0.1);
  assert.equal(seven.trajectory.map((r) => r.pulses), [0, 3, 6]);
  close(seven.trajectory[2].gUS - 30, (1 - (1 - a) ** 6) * (CMO_HFOX.gMaxUS - 30), 1e-9, "G after 6");
  close(seven.driftUS, (1 - (1 - a) ** 7) * (CMO_HFOX.gMaxUS - 30), 1e-9, "drift after 7");
  // Custom device: α₀ = 0.01, G_max = 100, k = 0.1 ⇒ a = 0.001; 3 pulses from 30: drift (1 − 0.999³)·70 = 0.20979007 µS,
  // k_meas = 0.002997001 / (3·0.01) = 0.0999000333…
  const p: CmoHfoxParams = { ...CMO_HFOX, stepFraction: 0.01, gMaxUS: 100 };
  const custom = halfSelectStressGeneric({ pulses: 3, startUS: 30, recordEvery: 1 }, 0.1, p);
  close(custom.driftUS, 0.20979007, 1e-9, "custom drift");
  close(custom.kMeasured, 0.002997001 / 0.03, 1e-9, "custom k");
  assert.throws(() => halfSelectStressGeneric({ pulses: 10, startUS: 30, recordEvery: 1 }, 1.5), isRangeError(/\bk\b/));
  assert.throws(() => halfSelectStressGeneric({ pulses: 0, startUS: 30, recordEvery: 1 }, 0.1), isRangeError(/pulses/));
  assert.throws(() => halfSelectStressGeneric({ pulses: 10, startUS: 30, recordEvery: 0 }, 0.1), isRangeError(/recordEvery/));
  assert.throws(() => halfSelectStressGeneric({ pulses: 10, startUS: 100, recordEvery: 1 }, 0.1), isRangeError(/startUS/));
});

// ---- stress: CMO/HfOx device --------------------------------------------------------------------------------

/** The metric recounted from a returned trajectory whose last point is the last pulse. */
function recount(res: StressResult, c: { pulses: number; startUS: number }, p: CmoHfoxParams = CMO_HFOX) {
  const last = res.trajectory[res.trajectory.length - 1];
  assert.is(last.pulses, c.pulses);
  assert.is(res.trajectory[0].gUS, c.startUS);
  close(res.driftUS, last.gUS - c.startUS, 1e-12, "drift = last point − start");
  // k_meas = ΔG_N / (N·α₀·(G_max − G₀)), the header's definition.
  close(res.kMeasured, res.driftUS / (c.pulses * p.stepFraction * (p.gMaxUS - c.startUS)), 1e-12, "k from drift and N");
  // Potentiating pulses with the c2c factor clipped at 0 never lower G.
  res.trajectory.forEach((r, i) => assert.ok(i === 0 || r.gUS >= res.trajectory[i - 1].gUS, `monotone at ${r.pulses}`));
}

test("choi.k.cmo / choi.disturb (the notebook's stress): k from the trajectory; k_meas ≈ the Arrhenius k within 5 SE; drift far below 0.41 µS", () => {
  const c = { pulses: 100000, startUS: Number(((CMO_HFOX.gMinUS + CMO_HFOX.gMaxUS) / 2).toFixed(1)), recordEvery: 2000, seed: 7 };
  const res = halfSelectStressCmo(c);
  assert.is(res.trajectory.length, 1 + 100000 / 2000);
  res.trajectory.forEach((r, i) => assert.is(r.pulses, 2000 * i));
  recount(res, c);
  // Each pulse steps k·α₀·(1 + 0.3ξ)⁺ of the remaining distance; N·k·α₀ ≈ 5e-7, so the soft bound does not compress
  // the sum and k_meas is k times the mean c2c factor: relative SE 0.3/√N, the clip at 0 adds < 1e-4.
  const k = handStep(0.5);
  const se = 0.3 / Math.sqrt(c.pulses);
  assert.ok(Math.abs(res.kMeasured / k - 1) < 5 * se, `k_meas ${res.kMeasured} vs k ${k} (±${5 * se} relative)`);
  // Hence the drift is N·k·α₀·(G_max − G₀) ≈ 2e-5 µS, and the recorded flag |drift| < 0.41 µS (1 s spread) holds.
  close(res.driftUS, c.pulses * k * CMO_HFOX.stepFraction * (CMO_HFOX.gMaxUS - c.startUS), 5 * se, "drift");
  assert.ok(Math.abs(res.driftUS) < CMO_HFOX.relaxStdAt1sUS);
});

test("CMO stress follows the parameters passed: E_a = 0.1 eV gives k ≈ 0.28, matching the noise-free generic device with that k within 5 SE", () => {
  // Small α₀ keeps k·α₀ tiny so that a is never clipped at 1; the soft bound compresses a little (N·k·α₀ ≈ 5.5e-3),
  // which the generic device reproduces exactly: E[Π(1 − a_i)] = Π(1 − E a_i) for independent steps.
  const p: CmoHfoxParams = { ...CMO_HFOX, activationEnergyEV: 0.1, stepFraction: 1e-6 };
  const k = handStep(0.5, 0.1);
  close(halfSelectRatio(p), k, 1e-12, "k for E_a = 0.1 eV");
  const c = { pulses: 20000, startUS: 20, recordEvery: 500, seed: "custom" };
  const res = halfSelectStressCmo(c, p);
  recount(res, c, p);
  const generic = halfSelectStressGeneric(c, k, p);
  const se = 0.3 / Math.sqrt(c.pulses);
  assert.ok(Math.abs(res.kMeasured / generic.kMeasured - 1) < 5 * se, `CMO ${res.kMeasured} vs generic ${generic.kMeasured}`);
});

test("CMO stress: same seed bit-identical, another seed differs; bad sizes throw naming the field", () => {
  const c = { pulses: 300, startUS: 40, recordEvery: 100 };
  assert.equal(halfSelectStressCmo({ ...c, seed: 3 }), halfSelectStressCmo({ ...c, seed: 3 }));
  assert.equal(halfSelectStressCmo(c), halfSelectStressCmo({ ...c, seed: "choi-disturb" }), "default seed");
  assert.ok(halfSelectStressCmo({ ...c, seed: 3 }).driftUS !== halfSelectStressCmo({ ...c, seed: 4 }).driftUS);
  assert.throws(() => halfSelectStressCmo({ ...c, pulses: 0 }), isRangeError(/pulses/));
  assert.throws(() => halfSelectStressCmo({ ...c, recordEvery: 0 }), isRangeError(/recordEvery/));
  assert.throws(() => halfSelectStressCmo({ ...c, startUS: 100 }), isRangeError(/initialUS/));
});

// ---- decodeLadder -------------------------------------------------------------------------------------------

/** Level σ by hand (cmo.test.ts's closed forms): programming a·G + b (0.2 %), relaxation c·ln t + d (t > 1 s), read K·log10 G·√ln((t + t_r)/(2t_r)). */
function handSigma(g: number, tS: number, readNoise: boolean): number {
  const sp = 0.00106879 * g + 0.00081107;
  const sr = tS === 0 ? 0 : 0.04201137 * (tS > 1 ? Math.log(tS) : 0) + 0.41183342;
  const arg = Math.log((tS + 1e-6) / 2e-6);
  const sn = readNoise && arg > 0 ? 0.0277316483 * Math.log10(g) * Math.sqrt(arg) : 0;
  return Math.hypot(sp, sr, sn);
}

/** Expected decode error of a ladder: each level's normal tails beyond the midpoints to its neighbours, averaged. */
function expectedError(levels: number[], sigma: (g: number) => number): number {
  let e = 0;
  levels.forEach((g, k) => {
    if (k > 0) e += upperTail((g - levels[k - 1]) / 2 / sigma(g));
    if (k < levels.length - 1) e += upperTail((levels[k + 1] - g) / 2 / sigma(g));
  });
  return e / levels.length;
}

test("decodeLadder: counts; far-apart levels decode without error; same seed identical, another differs", () => {
  const c = { acceptanceRange: 0.002, tS: 0, sigmaMultiple: 3, readNoise: false };
  // At t = 0 only programming noise: σ ≤ 0.0011·80 + 0.0008 < 0.09 µS against half-gaps ≥ 15 µS.
  const far = decodeLadder([10, 40, 80], c, 200);
  assert.equal(far, { levels: 3, errorRate: 0, reads: 600 });
  const near = { ...c, tS: 1 };
  const levels = [50, 51, 52];
  assert.equal(decodeLadder(levels, near, 300, 5), decodeLadder(levels, near, 300, 5));
  assert.ok(decodeLadder(levels, near, 300, 5).errorRate !== decodeLadder(levels, near, 300, 6).errorRate);
  assert.throws(() => decodeLadder(levels, near, 0), isRangeError(/repeats/));
  assert.throws(() => decodeLadder([], near, 10), isRangeError(/empty/));
  assert.throws(() => decodeLadder([20, 10, 30], near, 10), isRangeError(/increase strictly/));
});

test("decodeLadder: two levels 2σ apart err at Q(1) ≈ 15.9 % (programming only), and after 1e6 s with the common shift removed", () => {
  const n = 5000;
  // t = 0: σ(50) = 0.00106879·50 + 0.00081107 = 0.05425057 µS; put the second level 2σ(50) higher.
  const c0 = { acceptanceRange: 0.002, tS: 0, sigmaMultiple: 3, readNoise: false };
  const l0 = [50, 50 + 2 * handSigma(50, 0, false)];
  const p0 = expectedError(l0, (g) => handSigma(g, 0, false));
  const r0 = decodeLadder(l0, c0, n, "two");
  // Binomial SE √(p(1 − p)/reads); 5 SE.
  assert.ok(Math.abs(r0.errorRate - p0) < 5 * Math.sqrt((p0 * (1 - p0)) / r0.reads), `t = 0: ${r0.errorRate} vs ${p0}`);
  // t = 1e6 s with read noise: σ ≈ 1.0 µS (the half-gap) and a common shift μ_r·ln t ≈ −1.23 µS, larger than the
  // half-gap: decoding without removing it would misread most of the upper level's reads (≈ 29 % overall).
  const t = 1e6;
  const c1 = { ...c0, tS: t, readNoise: true };
  const l1 = [50, 50 + 2 * handSigma(50, t, true)];
  const p1 = expectedError(l1, (g) => handSigma(g, t, true));
  const r1 = decodeLadder(l1, c1, n, "shifted");
  assert.ok(Math.abs(r1.errorRate - p1) < 5 * Math.sqrt((p1 * (1 - p1)) / r1.reads), `t = 1e6 s: ${r1.errorRate} vs ${p1}`);
});

test("decodeLadder on the falcone.states ladder (0.2 %, ±3σ, t = 1 s, no read noise): error rate ≈ its ±3σ tails, ≈ 2·Q(3)", () => {
  const c = { acceptanceRange: 0.002, tS: 1, sigmaMultiple: 3, readNoise: false };
  const ladder = stateLadderUS(c);
  const res = decodeLadder(ladder, c, 1000, "ladder");
  assert.is(res.levels, ladder.length);
  assert.is(res.reads, 1000 * ladder.length);
  // Neighbours sit 3σ_k + 3σ_{k+1} apart, so each interior level errs with ≈ 2·Q(3) = 0.27 %; computed exactly here
  // from the midpoints and σ by hand, and checked within 5 binomial SE.
  const p = expectedError(ladder, (g) => handSigma(g, 1, false));
  assert.ok(p > 0.002 && p < 0.0027, `expected ${p}`);
  assert.ok(Math.abs(res.errorRate - p) < 5 * Math.sqrt((p * (1 - p)) / res.reads), `error ${res.errorRate} vs ${p}`);
});

test.run();
