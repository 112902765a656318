import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRng } from "../src/util/rng";
import { mean, std } from "../src/util/stats";
import {
  CMO_HFOX, CMO_HFOX_PRESETS, CmoHfoxDevice, conductancesAtTime, halfSelectRatio, programConductances, programmingSigmaUS,
  relativeStepAtAmplitude, relaxationSigmaUS, validateCmoHfoxParams,
} from "../src/devices/cmo-hfox";
import { analogMvm, conductancesToWeights, extremesMapping, floatMvm, weightsToConductances } from "../src/array/analog-mvm";
import { aihwkitIrDropCorrection, idealColumnCurrentsUA, solveIrDrop } from "../src/array/ir-drop";
import { stateLadderUS } from "../src/experiments/cmo-states";
import { halfSelectStressGeneric } from "../src/experiments/choi-disturb";
import { kWhereAccuracyHalves, kWhereRatioReachesOne, softBoundsRowAt, trainAnalog, trainSoftware, type SweepRow } from "../src/experiments/choi-training";
import { disturbBudget, emptyTally, twoPhaseUpdate } from "../src/experiments/choi-crossbar-update";
import { mvmRmseOverTime } from "../src/experiments/cmo-mvm";

// Sampling bounds are 5σ of the estimator: a false failure has probability < 1e-6 per check.
const N = 40000;
function checkMeanStd(xs: Float64Array, mu: number, sigma: number, label: string): void {
  const m = mean(xs);
  const s = std(xs);
  assert.ok(Math.abs(m - mu) < (5 * sigma) / Math.sqrt(N), `${label}: mean ${m} vs ${mu}`);
  assert.ok(Math.abs(s - sigma) < 5 * sigma * Math.sqrt(1 / (2 * N)), `${label}: std ${s} vs ${sigma}`);
}

test("every preset validates", () => {
  for (const [name, p] of Object.entries(CMO_HFOX_PRESETS)) {
    validateCmoHfoxParams(p);
    assert.ok(Object.keys(p.provenance).length > 0, name);
  }
});

test("programming noise: mean = target, std = a·G + b (hand-computed from the public fit)", () => {
  const g = 50;
  // 0.2 %: 0.00106879·50 + 0.00081107 = 0.0534395 + 0.00081107 = 0.05425057 µS;
  // 2 %: 0.01129027418·50 + 0.0112185391 = 0.564513709 + 0.0112185391 = 0.5757322481 µS
  const cases: [number, number][] = [[0.002, 0.05425057], [0.02, 0.5757322481]];
  for (const [acc, sigma] of cases) {
    const prog = programConductances(new Float64Array(N).fill(g), acc, createRng(`prog-${acc}`));
    checkMeanStd(prog, g, sigma, `acceptance ${acc}`);
  }
  assert.ok(Math.abs(programmingSigmaUS(9, 0.002) - (0.00106879 * 9 + 0.00081107)) < 1e-15);
  // The hand values above, deterministically (the sampled std's 5σ band, ~1e-3 µS, would hide a slip of 2e-6 µS).
  for (const [acc, sigma] of cases) assert.ok(Math.abs(programmingSigmaUS(g, acc) - sigma) < 1e-12, `σ_p(${g}, ${acc}) = ${programmingSigmaUS(g, acc)} vs ${sigma}`);
});

test("relaxation: mean shift μ·ln t and std c·ln t + d (t = 1 h, read noise off)", () => {
  const t = 3600;
  const mu = -0.08900206 * Math.log(t);
  const sigma = 0.04201137 * Math.log(t) + 0.41183342;
  const g0 = new Float64Array(N).fill(50);
  const g = conductancesAtTime(g0, t, createRng("relax"), CMO_HFOX, { readNoise: false });
  checkMeanStd(g, 50 + mu, sigma, "relaxation");
  assert.is(relaxationSigmaUS(0), 0);
});

test("read noise: std K·log10(G)·sqrt(ln((t + t_r)/(2 t_r))) (relaxation off)", () => {
  const t = 86400;
  const sigma = 0.0277316483 * Math.log10(50) * Math.sqrt(Math.log((t + 1e-6) / 2e-6));
  const g = conductancesAtTime(new Float64Array(N).fill(50), t, createRng("read"), CMO_HFOX, { relaxation: false });
  checkMeanStd(g, 50, sigma, "read noise");
});

test("reads are clamped to [G_min, G_max]", () => {
  const { gMinUS, gMaxUS } = CMO_HFOX;
  // Programmed exactly at a bound and read at t = 1 s with relaxation only: ln t = 0, so no mean shift and a
  // symmetric N(0, d_r) spread. Half the reads fall outside and must come back equal to the bound exactly; the
  // other half stay strictly inside. The share at the bound is 1/2 within 5 standard errors √(1/4n).
  const n = 4000;
  for (const [bound, inside] of [[gMinUS, (v: number) => v > gMinUS && v <= gMaxUS], [gMaxUS, (v: number) => v < gMaxUS && v >= gMinUS]] as const) {
    const g = conductancesAtTime(new Float64Array(n).fill(bound), 1, createRng(`clamp-${bound}`), CMO_HFOX, { readNoise: false });
    let atBound = 0;
    for (const v of g) {
      if (v === bound) atBound++;
      else assert.ok(inside(v), `read ${v} outside [${gMinUS}, ${gMaxUS}] or past the bound ${bound}`);
    }
    assert.ok(Math.abs(atBound / n - 0.5) < 5 * Math.sqrt(0.25 / n), `${atBound} of ${n} reads at ${bound}`);
  }
  // Ten years, both noises: the mean shift −0.089·ln(3.15e8) ≈ −1.7 µS puts the mean read at ≈ 7.4 µS, below G_min = 9,
  // so more than half of the (symmetrically spread) reads must be clamped there. (The shift's size is tested with the
  // relaxation statistics; here only the clamp matters.)
  const g = conductancesAtTime(new Float64Array(2000).fill(9.1), 3.15e8, createRng("clamp"));
  for (const v of g) assert.ok(v >= gMinUS && v <= gMaxUS);
  assert.ok(g.filter((v) => v === gMinUS).length > 1000, "most reads clamped at G_min");
});

test("bad input: acceptance ≤ 0, unknown acceptance, negative time, bit widths < 1", () => {
  assert.throws(() => programmingSigmaUS(50, 0), /acceptanceRange/);
  assert.throws(() => programmingSigmaUS(50, -0.02), /acceptanceRange/);
  assert.throws(() => programConductances([50], 0.05, createRng(1)), /acceptanceRange 0.05/);
  assert.throws(() => conductancesAtTime([50], -1, createRng(1)), /tS/);
  const m = { gMinUS: 9, gMaxUS: 88.19, wMax: 1 };
  assert.throws(() => analogMvm([50], 1, 1, [0.5], m, { inputBits: 0, inputBound: 1, outputBits: 8, outputBound: 15 }), /inputBits/);
  assert.throws(() => analogMvm([50], 1, 1, [0.5], m, { inputBits: 6, inputBound: 1, outputBits: 0.5, outputBound: 15 }), /outputBits/);
  assert.throws(() => mvmRmseOverTime({ size: 4, probes: 1, seeds: 1, timesS: [-5], acceptanceRange: 0.002, periphery: { inputBits: 6, inputBound: 1, outputBits: 8, outputBound: 15 }, read: {} }), /timesS\[0\]/);
});

test("weight mapping round-trips and puts w = 0 at the midpoint", () => {
  const m = { gMinUS: 9, gMaxUS: 88.19, wMax: 1 };
  const g = weightsToConductances([-1, 0, 1, 0.25], m);
  assert.ok(Math.abs(g[0] - 9) < 1e-12 && Math.abs(g[2] - 88.19) < 1e-12 && Math.abs(g[1] - 48.595) < 1e-12);
  const w = conductancesToWeights(g, m);
  assert.ok(Math.abs(w[3] - 0.25) < 1e-12);
});

test("weight mapping clips on both sides: w < w_lo maps to G_min, w > w_hi to G_max (symmetric and explicit ranges)", () => {
  // weightsToConductances: "Target conductances for weights (clipped to [w_lo, w_hi])", G = G_min + (w − w_lo)·s.
  const sym = { gMinUS: 9, gMaxUS: 88.19, wMax: 1 };
  assert.equal(Array.from(weightsToConductances([-1.5, -1e6, 1.5, 1e6], sym)), [9, 9, 88.19, 88.19]);
  // Explicit [w_lo, w_hi] = [0.5, 2.5]: s = 10/2 = 5 µS per weight; 1.5 → 10 + 1·5 = 15; 0 and −3 clip to 10, 3 to 20.
  const m = { gMinUS: 10, gMaxUS: 20, wMin: 0.5, wMax: 2.5 };
  const g = weightsToConductances([0, -3, 1.5, 3], m);
  assert.equal(Array.from(g), [10, 10, 15, 20]);
});

test("public model's single-device mapping: [min W, max W] onto [G_min, G_max], weights recovered with the offset w_lo·Σx", () => {
  const m = extremesMapping([-0.5, 1.5, 0.25], 9, 88.19);
  assert.is(m.wMin, -0.5);
  assert.is(m.wMax, 1.5);
  // s = 79.19 µS / 2 = 39.595 µS per unit weight; 0.25 sits 0.75 above w_lo: 9 + 0.75·39.595 = 38.69625 µS
  const g = weightsToConductances([-0.5, 1.5, 0.25], m);
  assert.ok(Math.abs(g[0] - 9) < 1e-12 && Math.abs(g[1] - 88.19) < 1e-12 && Math.abs(g[2] - 38.69625) < 1e-12, `${g}`);
  assert.ok(Math.abs(conductancesToWeights(g, m)[2] - 0.25) < 1e-12);
  // 2 inputs × 1 output, W = (−0.5, 1.5), x = (1, 0.5): y = −0.5 + 0.75 = 0.25 (fine converters)
  const y = analogMvm([g[0], g[1]], 2, 1, [1, 0.5], m, { inputBits: 24, inputBound: 1, outputBits: 24, outputBound: 15 });
  assert.ok(Math.abs(y[0] - 0.25) < 1e-5, `${y[0]}`);
  assert.throws(() => weightsToConductances([0], { gMinUS: 9, gMaxUS: 88.19, wMin: 1, wMax: 1 }), /wMin/);
});

test("the toolkit's IR-drop approximation: hand-computed correction for a 2×1 tile", () => {
  // w = (1, −0.5), x = (1, 1), 0.35 Ω, unit weight = 100 µS: a = 2·1.5·0.35·1e-4 = 1.05e-4,
  // c = a·(a·(0.05a − 0.2) + 0.5) = 5.24977950e-5; Σ w·x·(1 − (1 − i/2)²) = 0 + (−0.5)·0.75 = −0.375; Δy = −c·(−0.375)
  const d = aihwkitIrDropCorrection([1, -0.5], 2, 1, [1, 1], 0.35, 100);
  assert.ok(Math.abs(d[0] - 1.9686673e-5) < 1e-12, `${d[0]}`);
  assert.is(aihwkitIrDropCorrection([1, -0.5], 2, 1, [1, 1], 0, 100)[0], 0);
  const m = { gMinUS: 9, gMaxUS: 88.19, wMax: 1 };
  assert.throws(() => analogMvm([50], 1, 1, [0.5], m, { inputBits: 6, inputBound: 1, outputBits: 8, outputBound: 15, wireSegmentOhm: 0.35, irDropModel: "aihwkit" }), /irDropGmaxUS/);
});

test("noise-free MVM error is bounded by the DAC and ADC half-steps", () => {
  const rng = createRng("mvm");
  const n = 16;
  const w = Float64Array.from({ length: n * n }, () => rng.uniformIn(-1, 1));
  const m = { gMinUS: 9, gMaxUS: 88.19, wMax: 1 };
  const g = weightsToConductances(w, m);
  const cfg = { inputBits: 6, inputBound: 1, outputBits: 8, outputBound: 15 };
  for (let r = 0; r < 20; r++) {
    const x = Float64Array.from({ length: n }, () => rng.uniformIn(-1, 1));
    const y = analogMvm(g, n, n, x, m, cfg);
    const ref = floatMvm(w, n, n, x);
    for (let o = 0; o < n; o++) {
      let sumAbsW = 0;
      for (let i = 0; i < n; i++) sumAbsW += Math.abs(w[i * n + o]);
      const bound = 15 / 127 / 2 + (1 / 31 / 2) * sumAbsW + 1e-9;
      assert.ok(Math.abs(y[o] - ref[o]) <= bound, `output ${o}: ${y[o]} vs ${ref[o]}`);
    }
  }
});

test("IR drop as used by the MVM: a single cell gives I = G·V/(1 + 2RG); R = 0 gives the ideal currents; drop lowers positive currents", () => {
  const gUS = 80;
  const r = 1000; // Ω, large so the effect is visible
  const i1 = solveIrDrop([gUS], 1, 1, [0.3], { rowSegmentOhm: r, colSegmentOhm: r }).columnCurrentsUA;
  const gS = gUS * 1e-6;
  // The solver stops at a 1e-9 V node-voltage change: allow 1e-6 relative.
  assert.ok(Math.abs(i1[0] / ((gS * 0.3) / (1 + 2 * r * gS) * 1e6) - 1) < 1e-6);
  const rng = createRng("ir");
  const g = Float64Array.from({ length: 64 }, () => rng.uniformIn(9, 88));
  const v = Float64Array.from({ length: 8 }, () => rng.uniformIn(0, 0.2));
  const ideal = idealColumnCurrentsUA(g, 8, 8, v);
  const zero = solveIrDrop(g, 8, 8, v, { rowSegmentOhm: 0, colSegmentOhm: 0 }).columnCurrentsUA;
  const dropped = solveIrDrop(g, 8, 8, v, { rowSegmentOhm: 5, colSegmentOhm: 5 }).columnCurrentsUA;
  for (let o = 0; o < 8; o++) {
    assert.ok(Math.abs(zero[o] - ideal[o]) < 1e-12);
    assert.ok(dropped[o] < ideal[o]);
  }
});

test("half-select ratio: Arrhenius with T ∝ V² gives k = exp(E_a/k_B·(1/900 − 1/450)) for the preset", () => {
  const expected = Math.exp((1.0 / 8.617333262e-5) * (1 / 900 - 1 / 450));
  assert.ok(Math.abs(halfSelectRatio() / expected - 1) < 1e-12);
  assert.ok(Math.abs(relativeStepAtAmplitude(CMO_HFOX.selectAmplitudeV) - 1) < 1e-12);
  let prev = 0;
  for (const r of [0.2, 0.4, 0.6, 0.8, 1]) {
    const s = relativeStepAtAmplitude(r * CMO_HFOX.selectAmplitudeV);
    assert.ok(s > prev);
    prev = s;
  }
});

test("soft-bounds stress drift matches (1 − (1 − kα)^N)·(G_max − G_0)", () => {
  const k = 0.05;
  const n = 10000;
  const res = halfSelectStressGeneric({ pulses: n, startUS: 30, recordEvery: 1000 }, k);
  const expected = (1 - (1 - k * CMO_HFOX.stepFraction) ** n) * (CMO_HFOX.gMaxUS - 30);
  assert.ok(Math.abs(res.driftUS - expected) < 1e-9 * CMO_HFOX.gMaxUS);
});

test("device pulses stay within bounds and potentiation raises G", () => {
  const dev = new CmoHfoxDevice(CMO_HFOX, 40);
  const rng = createRng("dev");
  for (let i = 0; i < 200; i++) dev.applyPulse(1, CMO_HFOX.selectAmplitudeV, CMO_HFOX.pulseWidthS, rng);
  assert.ok(dev.conductanceUS() > 40 && dev.conductanceUS() <= CMO_HFOX.gMaxUS);
  assert.throws(() => new CmoHfoxDevice(CMO_HFOX, 100), /initialUS/);
});

test("soft-bounds pulses, noise off: ΔG_up = α(G_max − G), ΔG_down = −α(G − G_min); mirror images about the window centre; no motion at the bound approached", () => {
  // A full-select pulse (V_s, the reference width) has a = α_0 exactly: relativeStepAtAmplitude(V_s) = exp(0) = 1.
  const rng = createRng("soft-bounds");
  for (const preset of Object.values(CMO_HFOX_PRESETS)) {
    const quiet = { ...preset, stepNoiseRel: 0, stepFraction: 0.1 };
    const { gMinUS: lo, gMaxUS: hi, selectAmplitudeV: v, pulseWidthS: w } = quiet;
    const pulse = (g: number, pol: 1 | -1) => new CmoHfoxDevice(quiet, g).applyPulse(pol, v, w, rng);
    const close = (a: number, b: number, msg: string) => assert.ok(Math.abs(a - b) < 1e-12 * hi, `${msg}: ${a} vs ${b}`);
    // Hand values at G = lo + 0.25·(hi − lo): up by 0.1·0.75·window, down by 0.1·0.25·window.
    const g = lo + 0.25 * (hi - lo);
    close(pulse(g, 1), g + 0.075 * (hi - lo), "potentiation");
    close(pulse(g, -1), g - 0.025 * (hi - lo), "depression");
    // Mirror symmetry about c = (lo + hi)/2: depressing from c − x is potentiating from c + x reflected.
    const c = (lo + hi) / 2;
    for (const x of [-0.5, -0.3, 0, 0.2, 0.45]) {
      const gx = c + x * (hi - lo);
      const gm = c - x * (hi - lo);
      close(pulse(gm, -1) - c, -(pulse(gx, 1) - c), `mirror at x = ${x}`);
    }
    // Limits: no motion at the bound a pulse approaches, the largest step (α·window) from the opposite bound.
    close(pulse(lo, -1), lo, "depression at G_min");
    close(pulse(hi, 1), hi, "potentiation at G_max");
    close(pulse(hi, -1), hi - 0.1 * (hi - lo), "depression from G_max");
    close(pulse(lo, 1), lo + 0.1 * (hi - lo), "potentiation from G_min");
  }
});

test("state ladder: neighbours are ±3σ apart and fewer states survive longer times", () => {
  const c = { acceptanceRange: 0.002, tS: 1, sigmaMultiple: 3, readNoise: true };
  const L = stateLadderUS(c);
  // σ(G) at t = 1 s from the closed forms above, independent of the code's levelSigmaUS: programming a·G + b (0.2 %
  // acceptance), relaxation d_r (ln t = 0), read noise K·log10(G)·√ln((t + t_r)/(2 t_r)), added in quadrature.
  const sigma = (g: number) => Math.hypot(0.00106879 * g + 0.00081107, 0.41183342, 0.0277316483 * Math.log10(g) * Math.sqrt(Math.log((1 + 1e-6) / 2e-6)));
  assert.is(L[0], CMO_HFOX.gMinUS);
  // Each level sits as low as the ±3σ bands allow: g_{k+1} − 3σ(g_{k+1}) = g_k + 3σ(g_k), i.e. gap = 3σ(g_k) + 3σ(g_{k+1}).
  for (let k = 1; k < L.length; k++) {
    const gap = L[k] - L[k - 1];
    const expected = 3 * sigma(L[k - 1]) + 3 * sigma(L[k]);
    assert.ok(Math.abs(gap - expected) < 1e-9, `gap ${k}: ${gap} vs ${expected}`);
  }
  // Maximal: the next level (solved here by bisection of x − 3σ(x) = edge, monotone as 3σ' ≪ 1) lies past G_max.
  const last = L[L.length - 1];
  const edge = last + 3 * sigma(last);
  let [lo, hi] = [edge, edge + 20];
  for (let it = 0; it < 100; it++) {
    const mid = (lo + hi) / 2;
    if (mid - 3 * sigma(mid) < edge) lo = mid;
    else hi = mid;
  }
  assert.ok(lo > CMO_HFOX.gMaxUS, `a further level fits at ${lo}`);
  assert.ok(stateLadderUS({ ...c, tS: 3.15e8 }).length < L.length);
});

test("MVM RMSE grows with time after programming (relaxation)", () => {
  const rows = mvmRmseOverTime({ size: 16, probes: 20, seeds: 2, timesS: [1, 3.15e8], acceptanceRange: 0.002, periphery: { inputBits: 6, inputBound: 1, outputBits: 8, outputBound: 15 }, read: { readNoise: false } });
  assert.ok(rows[1].rmseMean > rows[0].rmseMean);
});

/** W and the probe inputs of one seed of mvmRmseOverTime, redrawn from its documented streams (seed → `seed-s` → "weights" / "inputs"). */
function mvmDraws(seed: string, s: number, n: number, probes: number): { w: Float64Array; xs: Float64Array[] } {
  const rng = createRng(seed).fork(`seed-${s}`);
  const rw = rng.fork("weights");
  const w = new Float64Array(n * n);
  for (let k = 0; k < w.length; k++) w[k] = rw.uniformIn(-1, 1);
  const rx = rng.fork("inputs");
  const xs = Array.from({ length: probes }, () => {
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = rx.uniformIn(-1, 1);
    return x;
  });
  return { w, xs };
}
/** Symmetric uniform converter by its definition: 2^bits − 1 levels k·step over ±bound, step = bound/(2^(bits−1) − 1), saturating. */
const handQuantize = (v: number, bits: number, bound: number) => {
  const step = bound / (2 ** (bits - 1) - 1);
  return Math.round(Math.max(-bound, Math.min(bound, v)) / step) * step;
};

test("MVM RMSE, hand case with every noise off: converter error at t = 0, plus the clamped common relaxation shift at t = e⁴ s; per-seed sqrt(mean square), averaged over seeds", () => {
  // Device: no programming spread (σ_p = 0·G + 0), no relaxation spread (c_r = d_r = 0), read noise off; only the
  // mean relaxation μ_r·ln t acts, made large (μ_r = −4 µS, so −16 µS at ln t = 4) to stand out of the ADC step.
  // Each device then reads G' = clamp(G_target + μ_r·ln t, G_min, G_max), and the decoded output (analog-mvm.ts) is
  // y_o = Σ_i xq_i·(w_io + (G'_io − G_io)/s), s = (G_max − G_min)/(w_hi − w_lo), then the ADC: max|w|·Q(y_o/max|w|).
  // Per seed RMSE = sqrt(Σ_{p,o} (y_o − (W·x)_o)² / (probes·n)) against the unquantized x; reported: mean and sample std over seeds.
  const dev = { ...CMO_HFOX, programmingNoise: { "0.002": { slope: 0, interceptUS: 0 } }, relaxMeanPerLnTUS: -4, relaxStdPerLnTUS: 0, relaxStdAt1sUS: 0 };
  const [n, probes, seeds, seed] = [6, 7, 3, "hand-mvm"];
  const periphery = { inputBits: 3, inputBound: 1, outputBits: 5, outputBound: 4 };
  const times = [0, Math.exp(4)];
  const hand = (mapping: "extremes" | "symmetric") =>
    times.map((t) => {
      const shift = t > 1 ? dev.relaxMeanPerLnTUS * Math.log(t) : 0;
      const perSeed = Array.from({ length: seeds }, (_, s) => {
        const { w, xs } = mvmDraws(seed, s, n, probes);
        const absMax = Math.max(...Array.from(w, Math.abs));
        const [lo, hi] = mapping === "extremes" ? [Math.min(...w), Math.max(...w)] : [-absMax, absMax];
        const sc = (dev.gMaxUS - dev.gMinUS) / (hi - lo);
        let se = 0;
        for (const x of xs) {
          const xq = Array.from(x, (v) => handQuantize(v, periphery.inputBits, periphery.inputBound));
          for (let o = 0; o < n; o++) {
            let y = 0;
            let exact = 0;
            for (let i = 0; i < n; i++) {
              const g = dev.gMinUS + (w[i * n + o] - lo) * sc;
              const dg = Math.min(dev.gMaxUS, Math.max(dev.gMinUS, g + shift)) - g;
              y += xq[i] * (w[i * n + o] + dg / sc);
              exact += w[i * n + o] * x[i];
            }
            se += (absMax * handQuantize(y / absMax, periphery.outputBits, periphery.outputBound) - exact) ** 2;
          }
        }
        return Math.sqrt(se / (probes * n));
      });
      const m = perSeed.reduce((a, b) => a + b, 0) / seeds;
      return { mean: m, std: Math.sqrt(perSeed.reduce((a, v) => a + (v - m) ** 2, 0) / (seeds - 1)), perSeed };
    });
  for (const mapping of ["extremes", "symmetric"] as const) {
    const rows = mvmRmseOverTime({ size: n, probes, seeds, timesS: times, acceptanceRange: 0.002, periphery, read: { readNoise: false }, mapping, device: dev, seed });
    hand(mapping).forEach((h, ti) => {
      assert.ok(h.perSeed.every((v) => v > 0) && h.std > 0, `${mapping} t${ti}: a non-trivial case`);
      assert.ok(Math.abs(rows[ti].rmseMean - h.mean) < 1e-12 * h.mean, `${mapping} t = ${times[ti]}: rmseMean ${rows[ti].rmseMean} vs hand ${h.mean}`);
      assert.ok(Math.abs(rows[ti].rmseStd - h.std) < 1e-9 * h.mean, `${mapping} t = ${times[ti]}: rmseStd ${rows[ti].rmseStd} vs hand ${h.std}`);
    });
  }
  // Mapping: the same conductance shift is a weight error 1/s, and s_sym = ΔG/(2·max|W|) ≤ s_ext = ΔG/(max W − min W);
  // at t = 0 (no shift) the mapping does not enter (same max|W|, same ADC).
  const [ext, sym] = [hand("extremes"), hand("symmetric")];
  assert.ok(sym[1].mean > ext[1].mean, `symmetric ${sym[1].mean} vs extremes ${ext[1].mean} at t = e⁴ s`);
  assert.ok(Math.abs(sym[0].mean - ext[0].mean) < 1e-15);
});

test("MVM RMSE options: read terms, acceptance range and the default mapping act in their documented direction", () => {
  const periphery = { inputBits: 32, inputBound: 1, outputBits: 32, outputBound: 15 }; // converters far below the noise
  const base = { size: 8, probes: 10, seeds: 3, timesS: [0, 3600, 3.15e8], acceptanceRange: 0.002, periphery, seed: "options" };
  // read: with relaxation and read noise both off, every read returns the programmed state: all times equal t = 0.
  const frozen = mvmRmseOverTime({ ...base, read: { relaxation: false, readNoise: false } });
  assert.ok(frozen.every((r) => r.rmseMean === frozen[0].rmseMean && r.rmseStd === frozen[0].rmseStd), JSON.stringify(frozen));
  // Read noise alone (σ_read ≈ 0.27 µS at 10 y and G = 50 µS, against σ_p ≈ 0.05 µS) adds an independent error.
  const read = mvmRmseOverTime({ ...base, read: { relaxation: false, readNoise: true } });
  assert.is(read[0].rmseMean, frozen[0].rmseMean, "t = 0: no read terms act");
  assert.ok(read[1].rmseMean > frozen[1].rmseMean && read[2].rmseMean > read[1].rmseMean, JSON.stringify(read));
  // acceptanceRange: the 2 % loop's σ_p is ≈ 10× the 0.2 % loop's at every G, on the same normal draws.
  const loose = mvmRmseOverTime({ ...base, acceptanceRange: 0.02, read: { relaxation: false, readNoise: false } });
  assert.ok(loose[0].rmseMean > 5 * frozen[0].rmseMean, `2 %: ${loose[0].rmseMean} vs 0.2 %: ${frozen[0].rmseMean}`);
  // mapping: the default is "extremes" (the public model's): bit-identical to asking for it.
  const relax = { ...base, read: { readNoise: false } };
  assert.equal(mvmRmseOverTime(relax), mvmRmseOverTime({ ...relax, mapping: "extremes" }));
  assert.not.equal(mvmRmseOverTime(relax), mvmRmseOverTime({ ...relax, mapping: "symmetric" }));
});

test("two-phase update, deterministic hand case (p = q = 1): full steps, and half-selects in each phase's direction", () => {
  // 2 rows × 2 cols, BL 2. Row 0 x = 1 (fires every slot), row 1 x = 0 (silent). Column 0 δ < 0 (wants +),
  // column 1 δ > 0 (wants −), both q = 1. Phase +: row 0 and column 0 fire twice. Phase −: row 0 and column 1.
  const a = 0.1;
  const k = 0.5;
  const ah = k * a;
  const w0 = [0.2, -0.3, 0.4, 0.1];
  const w = Float64Array.from(w0);
  const tally = emptyTally();
  twoPhaseUpdate(w, 2, 2, [1, 0], [-1, 1], { bl: 2, rowGain: 1, colGain: 1 }, { stepFraction: a, stepNoiseRel: 0, halfSelectRatio: k }, createRng(1), tally);
  const up = (v: number, f: number, n: number) => 1 - (1 - f) ** n * (1 - v);
  const down = (v: number, f: number, n: number) => (1 - f) ** n * (1 + v) - 1;
  // (0,0): 2 full up (phase +), then 2 half down (row 0 alone in phase −).
  const e00 = down(up(w0[0], a, 2), ah, 2);
  // (0,1): 2 half up (row 0 alone in phase +), then 2 full down (phase −).
  const e01 = down(up(w0[1], ah, 2), a, 2);
  // (1,0): column 0 alone in phase +: 2 half up. (1,1): column 1 alone in phase −: 2 half down.
  const e10 = up(w0[2], ah, 2);
  const e11 = down(w0[3], ah, 2);
  [e00, e01, e10, e11].forEach((e, q) => assert.ok(Math.abs(w[q] - e) < 1e-12, `device ${q}: ${w[q]} vs ${e}`));
  // 2 coincidences on each of (0,0) and (0,1); 2 half-selects on each of the four devices.
  assert.is(tally.fullPulses, 4);
  assert.is(tally.halfPulses, 8);
  // Here no device is half-selected in both phases, so net and gross disturb agree and equal the hand values.
  const hand = Math.abs(e00 - up(w0[0], a, 2)) + Math.abs(up(w0[1], ah, 2) - w0[1]) + Math.abs(e10 - w0[2]) + Math.abs(e11 - w0[3]);
  assert.ok(Math.abs(tally.disturbAbs - hand) < 1e-12 && Math.abs(tally.disturbGrossAbs - hand) < 1e-12, `disturb ${tally.disturbAbs} / ${tally.disturbGrossAbs} vs ${hand}`);
  const signal = Math.abs(up(w0[0], a, 2) - w0[0]) + Math.abs(e01 - up(w0[1], ah, 2));
  assert.ok(Math.abs(tally.signalAbs - signal) < 1e-12);
});

test("a row firing alone in both phases moves an idle column's device up, then down: a net pull toward w = 0", () => {
  // One row (x = 1), three columns: 0 wants +, 1 wants −, 2 idle in both phases (δ = 0). Device (0,2) gets
  // BL half-selects up and BL down, which cancel in number but not on a soft-bounds device.
  const w = Float64Array.from([0, 0, 0.3]);
  const tally = emptyTally();
  twoPhaseUpdate(w, 1, 3, [1], [-1, 1, 0], { bl: 4, rowGain: 1, colGain: 1 }, { stepFraction: 0.01, stepNoiseRel: 0, halfSelectRatio: 0.5 }, createRng(4), tally);
  const f = 1 - 0.005;
  const expected = f ** 4 * (1 + (1 - f ** 4 * (1 - 0.3))) - 1;
  assert.ok(Math.abs(w[2] - expected) < 1e-12);
  assert.ok(w[2] < 0.3 && w[2] > 0);
});

test("two-phase update: k = 0 leaves silent rows and idle columns untouched; negative inputs are refused", () => {
  const w = Float64Array.from([0.2, -0.3, 0.4, 0.1]);
  twoPhaseUpdate(w, 2, 2, [0.7, 0], [-0.5, 0], { bl: 8, rowGain: 1, colGain: 1 }, { stepFraction: 0.01, stepNoiseRel: 0.3, halfSelectRatio: 0 }, createRng(2));
  assert.is(w[1], -0.3);
  assert.is(w[2], 0.4);
  assert.is(w[3], 0.1);
  assert.throws(() => twoPhaseUpdate(w, 2, 2, [-0.1, 0], [1, 1], { bl: 2, rowGain: 1, colGain: 1 }, { stepFraction: 0.01, stepNoiseRel: 0, halfSelectRatio: 0 }, createRng(3)), /x\[0\]/);
  // Gains that would fire nothing and a step fraction beyond the bound are refused, not run as a silent no-op.
  const quiet = { stepFraction: 0.01, stepNoiseRel: 0, halfSelectRatio: 0 };
  assert.throws(() => twoPhaseUpdate(w, 2, 2, [1, 1], [1, 1], { bl: 2, rowGain: -1, colGain: 1 }, quiet, createRng(3)), /rowGain/);
  assert.throws(() => twoPhaseUpdate(w, 2, 2, [1, 1], [1, 1], { bl: 2, rowGain: 1, colGain: NaN }, quiet, createRng(3)), /colGain/);
  assert.throws(() => twoPhaseUpdate(w, 2, 2, [1, 1], [1, 1], { bl: 2, rowGain: 1, colGain: 1 }, { ...quiet, stepFraction: 2 }, createRng(3)), /stepFraction/);
});

test("two-phase update: cycle-to-cycle spread of n coincident full steps grows as α·σ_c·√n (n = 16 vs 4: ratio 2)", () => {
  // p = q = 1 and BL = n: every one of N devices (1 row × N columns, all wanting +) gets exactly n coincidences
  // and, with k = 0, no half-select. From w = 0 the distance 1 − w is multiplied by Π(1 − α(1 + σ_c·ξ_t)), i.e.
  // w = 1 − (1 − α)^n + α·σ_c·√n·ξ + O(α²): mean 1 − (1 − α)^n, std α·σ_c·√n (n independent pulse draws add in
  // quadrature). α = 1e-4 keeps the O(α²) terms (~α·n ≈ 0.2 % of the std) far below the tolerances.
  // N = 10000: the relative SE of a sample std is 1/√(2(N − 1)) ≈ 0.71 %, so 5 SE = 3.5 %; the ratio of two
  // independent stds has relative SE √2·0.71 % ≈ 1 %, 5 SE = 5 %. σ·n instead of σ·√n would give ratio 4.
  const a = 1e-4, sigma = 0.3, cols = 10000;
  const relSe = 1 / Math.sqrt(2 * (cols - 1));
  const spread = (n: number, seed: string) => {
    const w = new Float64Array(cols);
    twoPhaseUpdate(w, 1, cols, [1], new Float64Array(cols).fill(-1), { bl: n, rowGain: 1, colGain: 1 }, { stepFraction: a, stepNoiseRel: sigma, halfSelectRatio: 0 }, createRng(seed));
    const want = a * sigma * Math.sqrt(n);
    const m = mean(w);
    assert.ok(Math.abs(m - (1 - (1 - a) ** n)) < 5 * want / Math.sqrt(cols), `n = ${n}: mean ${m} vs 1 − (1 − α)^n = ${1 - (1 - a) ** n}`);
    const s = std(w);
    assert.ok(Math.abs(s / want - 1) < 5 * relSe, `n = ${n}: std ${s} vs α·σ·√n = ${want}`);
    return s;
  };
  const ratio = spread(16, "c2c-16") / spread(4, "c2c-4");
  assert.ok(Math.abs(ratio - 2) < 5 * 2 * Math.SQRT2 * relSe, `std(n = 16)/std(n = 4) = ${ratio}, want √(16/4) = 2`);
});

test("two-phase update: mean drift per sample matches the expected budget (signal + disturb), within 5σ", () => {
  // One row (p = 0.8), two columns: column 0 wants + (q = 0.3), column 1 wants − (keeps both phases active).
  // Small α so that the state barely moves: the per-sample drift of device (0,0) is signal + disturb at w.
  const p = 0.8, q = 0.3, k = 0.2, a = 1e-4, bl = 10, w0 = 0.3;
  const n = 20000;
  const rng = createRng("budget");
  const dw = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const w = Float64Array.from([w0, 0]);
    twoPhaseUpdate(w, 1, 2, [p], [-q, 0.5], { bl, rowGain: 1, colGain: 1 }, { stepFraction: a, stepNoiseRel: 0, halfSelectRatio: k }, rng);
    dw[t] = w[0] - w0;
  }
  const b = disturbBudget(p, q, 1, w0, k, a, bl);
  const m = mean(dw);
  const se = std(dw) / Math.sqrt(n);
  assert.ok(Math.abs(m - (b.signal + b.disturb)) < 5 * se, `drift ${m} vs budget ${b.signal + b.disturb} (se ${se})`);
  // Hand numbers: 10·0.8·0.3 = 2.4 full steps, 10·(0.8 + 0.3 − 0.48) + 8 = 14.2 half-selects.
  assert.ok(Math.abs(b.fullPulses - 2.4) < 1e-12 && Math.abs(b.halfPulses - 14.2) < 1e-12);
});

test("disturb budget: with balanced half-selects a soft-bounds device is pulled toward w = 0 from either side", () => {
  for (const w of [-0.6, 0.6]) {
    const b = disturbBudget(1, 0, 1, w, 0.05, 0.01, 10); // row fires alone in both phases: 10 up, 10 down
    assert.ok(Math.sign(b.disturb) === -Math.sign(w), `w ${w}: disturb ${b.disturb}`);
  }
  assert.is(disturbBudget(1, 0, 1, 0, 0.05, 0.01, 10).disturb, 0);
});

test("sweep verdicts: the k where disturb reaches the signal (log-log) and where accuracy halves (linear), by hand", () => {
  const row = (device: string, k: number, accuracyPct: number, ratio: number) => ({ device, k, accuracyPct, disturbToSignalL1: ratio }) as unknown as SweepRow;
  const rows = [row("soft bounds", 0, 80, 0), row("soft bounds", 0.01, 70, 0.1), row("soft bounds", 0.1, 30, 10), row("soft bounds", 1, 10, 100), row("CMO", 0.001, 81, 0.01), row("software", 0, 90, 0)];
  const byRatio = (r: SweepRow) => r.disturbToSignalL1;
  // ratio 0.1 → 10 between k = 0.01 and 0.1: log-midway, so k = √(0.01·0.1).
  assert.ok(Math.abs(kWhereRatioReachesOne(rows, byRatio)! - Math.sqrt(0.001)) < 1e-12);
  // Half of 80 is 40: between (0.01, 70) and (0.1, 30), 30/40 of the way.
  assert.ok(Math.abs(kWhereAccuracyHalves(rows)! - (0.01 + 0.09 * 0.75)) < 1e-12);
  assert.is(softBoundsRowAt(rows, 0.1).accuracyPct, 30);
  assert.throws(() => softBoundsRowAt(rows, 0.001), /no soft-bounds row at k = 0.001; swept k: 0, 0.01, 0.1, 1/);
  // Never reached: null. Already reached at the smallest k > 0: that k.
  assert.is(kWhereRatioReachesOne(rows, () => 0.5), null);
  assert.is(kWhereRatioReachesOne(rows, () => 2), 0.01);
  assert.is(kWhereAccuracyHalves(rows.slice(0, 2)), null);
  assert.throws(() => kWhereAccuracyHalves([rows[2], rows[1]]), /increasing k/);
});

test("parallel analog training (784-16-10) learns MNIST above chance (10 %), and so does the software reference", () => {
  const c = { trainPerDigit: 30, testPerDigit: 20, epochs: 1, hidden: 16, learningRate: 0.011, weightGain: 3, bl: 10, stepFraction: 0.002, stepNoiseRel: 0.3, rowGain: 1, seed: 1 };
  // A guessing network scores 10 % on the 200 test digits with binomial SD √(0.1·0.9/200) = 2.1 pp; 21 % is chance
  // plus 5 SD, so passing means the network learned something.
  assert.ok(trainSoftware(c).finalTestAccuracyPct > 21);
  assert.ok(trainAnalog(c, 0).finalTestAccuracyPct > 21);
  assert.throws(() => trainAnalog(c, -0.1), /k \(half-select ratio\)/);
});

test.run();
