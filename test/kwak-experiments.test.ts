/**
 * The experiment layer of notebook 08 that test/kwak.test.ts leaves alone: runKwakTraining (the three training
 * runs behind kwak.training_devices, kwak.devices, kwak.endurance and the training-step energy), nominalWeightStep
 * (the Δw_min of the worked example) and outerProductExample (the 4×4 stochastic outer product of the notebook).
 * Every expected value is recomputed here from the returned rows/trace or from the documented formulas
 * (kwak-training.ts header, outer-product-update.ts header), never copied from the code's output.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRng } from "../src/util/rng";
import { ECRAM_4K_CHIP, ECRAM_4K_IDEAL } from "../src/devices/ecram-4k-chip";
import { CHIP_PERIPHERY, IDEAL_PERIPHERY } from "../src/array/vmm";
import { CrosspointArray } from "../src/array/crosspoint-array";
import { loadIris } from "../src/experiments/kwak-iris-data";
import { blockWeightRows, deviceCount, halfSelectDriftSteps, KWAK_TRAINING, nominalWeightStep, runKwakTraining, splitByLayer, yieldMapRows, type ArrayRunResult, type EpochPoint, type KwakTrainingConfig, type KwakTrainingResult } from "../src/experiments/kwak-training";
import { outerProductExample } from "../src/experiments/kwak-update";
import { countPhasedPulses } from "../src/array/stochastic-update";

/**
 * A small run: 3 features + bias → 7 hidden → 3 classes on a 10×10 array, so the block is 7×7 (H = nIn + nOut,
 * which the line-pulse check below needs). Seed 10 gives the chip array 3 stuck devices (precondition asserted),
 * so a run that got the ideal device instead of the chip one is visible in its yield map.
 */
const SMALL: KwakTrainingConfig = { seed: 10, featureIdx: [0, 2, 3], biasInput: true, epochs: 2, nHidden: 7, trainPerClass: 10, learningRate: 0.05, bl: 15, initRange1: 0.5, initRange2: 0.1, arrayRows: 10, arrayCols: 10 };

/** A periphery that reads Σw·x without loss: 50-bit converters, an ADC range no read reaches, no noise, no wires. */
const LOSSLESS = { ...IDEAL_PERIPHERY, dacBits: 50, adcBits: 50, adcRange: 1e6, readNoiseStd: 0, wireSegmentOhm: 0, noiseManagement: false, boundManagementSteps: 0 };

const small = runKwakTraining(SMALL, ECRAM_4K_CHIP, ECRAM_4K_IDEAL, CHIP_PERIPHERY);

function checkBlock(run: ArrayRunResult, cfg: KwakTrainingConfig, devices: number): void {
  const { rowIdx, colIdx } = run.block;
  assert.is(run.devicesUsed, devices, `${run.label}: devicesUsed`);
  assert.is(rowIdx.length * colIdx.length, devices, `${run.label}: block size`);
  assert.is(new Set(rowIdx).size, rowIdx.length, "block rows are distinct");
  assert.is(new Set(colIdx).size, colIdx.length, "block columns are distinct");
  for (const i of rowIdx) assert.ok(Number.isInteger(i) && i >= 0 && i < cfg.arrayRows, `row ${i}`);
  for (const j of colIdx) assert.ok(Number.isInteger(j) && j >= 0 && j < cfg.arrayCols, `col ${j}`);
  // The registry counts functional devices in the block: every crossing must work in the run's own yield map.
  for (const i of rowIdx) for (const j of colIdx) assert.is(run.functional[i * cfg.arrayCols + j], 1, `${run.label}: block device (${i}, ${j}) is stuck`);
  assert.is(run.devicesInArray, cfg.arrayRows * cfg.arrayCols, `${run.label}: devicesInArray`);
  assert.is(run.functional.length, cfg.arrayRows * cfg.arrayCols);
  assert.is(run.functionalInArray, run.functional.reduce((s, f) => s + f, 0), `${run.label}: functionalInArray recounted from the map`);
  for (const v of [run.fullPulses, run.halfPulses, run.halfNet, run.finalWeights]) assert.is(v.length, devices, `${run.label}: per-device arrays have one entry per block device`);
}

test("runKwakTraining, notebook protocol (1 epoch): 4-63-3 on a 63×7 block of functional devices, 441 of 64·64 = 4096 (kwak.training_devices, kwak.devices)", () => {
  const c = { ...KWAK_TRAINING, epochs: 1 };
  const res = runKwakTraining(c, ECRAM_4K_CHIP, ECRAM_4K_IDEAL, CHIP_PERIPHERY);
  // 3 features + the bias line = 4 inputs, 63 hidden, 3 Iris classes: 63·(4 + 3) = 441 devices.
  assert.equal(res.topology, { nIn: 4, nHidden: 63, nOut: 3 });
  assert.is(deviceCount(res.topology), 441);
  checkBlock(res.chip, c, 441);
  checkBlock(res.ideal, c, 441);
  assert.is(res.chip.devicesInArray, 4096);
  assert.is(res.chip.block.rowIdx.length, 63);
  assert.is(res.chip.block.colIdx.length, 7);
});

test("runKwakTraining: topology from the features and bias line; block = deviceCount(topology); yield maps are those of the chip and the ideal preset", () => {
  assert.equal(small.topology, { nIn: 4, nHidden: 7, nOut: 3 });
  const noBias = runKwakTraining({ ...SMALL, biasInput: false, featureIdx: [0, 1, 2, 3], epochs: 1 }, ECRAM_4K_CHIP, ECRAM_4K_IDEAL, CHIP_PERIPHERY);
  assert.equal(noBias.topology, { nIn: 4, nHidden: 7, nOut: 3 }); // 4 features, no bias line
  const twoFeatures = runKwakTraining({ ...SMALL, featureIdx: [2, 3], epochs: 1 }, ECRAM_4K_CHIP, ECRAM_4K_IDEAL, CHIP_PERIPHERY);
  assert.equal(twoFeatures.topology, { nIn: 3, nHidden: 7, nOut: 3 }); // 2 features + bias
  assert.is(twoFeatures.chip.devicesUsed, 7 * 6);
  const devices = 7 * (4 + 3); // 49
  assert.is(deviceCount(small.topology), devices);
  checkBlock(small.chip, SMALL, devices);
  checkBlock(small.ideal, SMALL, devices);
  // The chip run's yield map is the chip preset's draw from the seed's "array" stream, rebuilt here.
  const rebuilt = new CrosspointArray(ECRAM_4K_CHIP, SMALL.arrayRows, SMALL.arrayCols, createRng(SMALL.seed).fork("array"));
  assert.equal(Array.from(small.chip.functional), Array.from(rebuilt.functional));
  assert.ok(small.chip.functionalInArray < small.chip.devicesInArray, "precondition: the chip array of seed 10 has stuck devices");
  // The ideal preset has failureProbability 0: a full yield map.
  assert.is(small.ideal.functionalInArray, small.ideal.devicesInArray);
  assert.is(small.ideal.label, "array, ideal device");
  assert.is(small.chip.label, "array, chip device");
});

test("runKwakTraining: every curve has epochs + 1 points (epoch 0 untrained), labelled by run; accuracies are counts over the split's flowers", () => {
  // 10 training flowers per class → 30 train, 40 × 3 = 120 held out.
  const split = loadIris(SMALL.trainPerClass, createRng(SMALL.seed).fork("split"), { featureIdx: SMALL.featureIdx, appendBias: true });
  assert.is(split.train.x.length, 30);
  assert.is(split.test.x.length, 120);
  const curves: [EpochPoint[], string][] = [[small.float, "float64"], [small.ideal.curve, "array, ideal device"], [small.chip.curve, "array, chip device"]];
  for (const [curve, run] of curves) {
    assert.equal(curve.map((p) => p.epoch), [0, 1, 2], run);
    for (const p of curve) {
      assert.is(p.run, run);
      for (const [acc, n] of [[p.trainAccuracy, 30], [p.testAccuracy, 120]]) {
        const k = acc * n;
        assert.ok(Math.abs(k - Math.round(k)) < 1e-9 && acc >= 0 && acc <= 1, `${run} epoch ${p.epoch}: ${acc} is not a count over ${n}`);
      }
    }
  }
  // One update of each layer per training sample and epoch: 2 · 2 epochs · 30 samples.
  assert.is(small.chip.updates, 2 * SMALL.epochs * 30);
  assert.is(small.ideal.updates, 2 * SMALL.epochs * 30);
});

/** Accuracy of the float network with W1 (H×nIn) and W2 (H×nOut), row-major: h = tanh(W1·x), class = argmax W2ᵀh. */
function accuracyOf(w1: ArrayLike<number>, w2: ArrayLike<number>, H: number, nIn: number, nOut: number, x: number[][], y: number[]): number {
  let right = 0;
  x.forEach((xs, n) => {
    const h = Array.from({ length: H }, (_, i) => Math.tanh(xs.reduce((s, v, j) => s + w1[i * nIn + j] * v, 0)));
    const z = Array.from({ length: nOut }, (_, o) => h.reduce((s, v, i) => s + w2[i * nOut + o] * v, 0));
    if (z.indexOf(Math.max(...z)) === y[n]) right++;
  });
  return right / x.length;
}

test("runKwakTraining: float and array runs start from the same initial weights (epoch 0 recomputed from the seed's init draw)", () => {
  // Header: W1 ~ U(−initRange1, initRange1) then W2 ~ U(−initRange2, initRange2), drawn from the seed's "init" stream,
  // the same for every run. The array programs them as round(w/Δw_min) steps; on the ideal device every step is
  // exactly Δw_min = 2/nStates = 0.02, so the ideal array starts from w quantised to multiples of 0.02.
  const c = { ...SMALL, epochs: 1 };
  const res = runKwakTraining(c, ECRAM_4K_CHIP, ECRAM_4K_IDEAL, LOSSLESS);
  const { nIn, nHidden: H, nOut } = res.topology;
  const rng = createRng(c.seed).fork("init");
  const w1 = Array.from({ length: H * nIn }, () => rng.uniformIn(-c.initRange1, c.initRange1));
  const w2 = Array.from({ length: H * nOut }, () => rng.uniformIn(-c.initRange2, c.initRange2));
  const q = (w: number) => Math.round(w / 0.02) * 0.02;
  const split = loadIris(c.trainPerClass, createRng(c.seed).fork("split"), { featureIdx: c.featureIdx, appendBias: true });
  for (const set of ["train", "test"] as const) {
    const key = set === "train" ? "trainAccuracy" : "testAccuracy";
    const d = split[set];
    assert.is(res.float[0][key], accuracyOf(w1, w2, H, nIn, nOut, d.x, d.y), `float64 epoch 0 ${set}`);
    // With a lossless read the ideal array computes the same network on the quantised weights.
    assert.is(res.ideal.curve[0][key], accuracyOf(w1.map(q), w2.map(q), H, nIn, nOut, d.x, d.y), `ideal array epoch 0 ${set}`);
  }
});

test("runKwakTraining: the ideal run's weights stay on the lattice of nominalWeightStep(ECRAM_4K_IDEAL); the chip run's do not", () => {
  // Ideal device: no C2C/D2D noise, no half-select or read disturb, bounds at w = ±1 = ±50 steps; every change is a
  // whole number of Δw_min = 2/nStates.
  const dw = nominalWeightStep(ECRAM_4K_IDEAL);
  assert.ok(Math.abs(dw - 2 / ECRAM_4K_IDEAL.nStates) < 1e-15);
  for (const w of small.ideal.finalWeights) assert.ok(Math.abs(w / dw - Math.round(w / dw)) < 1e-6, `ideal weight ${w} off the lattice`);
  assert.ok(small.ideal.fullPulses.some((p) => p > 0), "the ideal run did update");
  // The chip device's C2C noise and D2D step spread take its weights off the lattice.
  const off = Array.from(small.chip.finalWeights).filter((w) => Math.abs(w / dw - Math.round(w / dw)) > 1e-3).length;
  assert.ok(off > 0.5 * small.chip.finalWeights.length, `only ${off} chip weights off the lattice`);
});

test("runKwakTraining: pulse bookkeeping — half + 2·full is additive in row and column, and its trace matches linePulses within 5σ", () => {
  // Per update and sign phase, device (a, b) gets |c_ab| coincidences as full pulses and r_a + k_b − 2·|c_ab|
  // half-selects, with r_a and k_b the pulses its row and column fired in that phase, 0 if idle in it
  // (countPhasedPulses). So M = half + 2·full = R_a + C_b summed over phases and updates, and
  // M_ab − M_a0 − M_0b + M_00 = 0 exactly. On the square 7×7 block Σ_a M_aa = Σ R_a + Σ C_b, the pulses fired on all
  // lines over all phases, whose expectation is linePulses = Σ_updates BL·Σ_phases (Σp + Σq over the lines firing in
  // the phase: a line fires once per phase of its sign that runs); every phase draws independent trains, so the
  // variance is Σ BL·p(1 − p) over the same terms ≤ linePulses, and 5σ ≤ 5·√linePulses.
  for (const run of [small.chip, small.ideal]) {
    const n = run.block.colIdx.length;
    assert.is(run.block.rowIdx.length, n, "square block");
    const M = Array.from(run.fullPulses, (f, k) => run.halfPulses[k] + 2 * f);
    for (const v of [...run.fullPulses, ...run.halfPulses]) assert.ok(Number.isInteger(v) && v >= 0, `${run.label}: pulse count ${v}`);
    // Net signed half-selects Σσ·h: gross − net = 2·(half-selects of σ = −1), so |net| ≤ gross with the same parity.
    run.halfNet.forEach((h, k) => assert.ok(Number.isInteger(h) && Math.abs(h) <= run.halfPulses[k] && (run.halfPulses[k] - h) % 2 === 0, `${run.label}: halfNet ${h} vs ${run.halfPulses[k]}`));
    assert.ok(run.halfNet.some((h) => h !== 0), `${run.label}: half-selects do not all cancel`);
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) assert.is(M[a * n + b] - M[a * n] - M[b] + M[0], 0, `${run.label}: (${a}, ${b}) not additive`);
    let fired = 0;
    for (let a = 0; a < n; a++) fired += M[a * n + a];
    assert.ok(run.linePulses > 100, `${run.label}: precondition, linePulses ${run.linePulses}`);
    assert.ok(Math.abs(fired - run.linePulses) < 5 * Math.sqrt(run.linePulses), `${run.label}: fired ${fired} vs expected ${run.linePulses}`);
    // Programming pulses are not counted: a run of no epoch would report none (the counts are differences).
    assert.ok(run.clippedFraction >= 0 && run.clippedFraction <= 1);
  }
});

test("runKwakTraining: same seed bit-identical, another seed differs; bad config throws naming the field", () => {
  const c = { ...SMALL, epochs: 1 };
  const a = runKwakTraining(c, ECRAM_4K_CHIP, ECRAM_4K_IDEAL, CHIP_PERIPHERY);
  const b = runKwakTraining(c, ECRAM_4K_CHIP, ECRAM_4K_IDEAL, CHIP_PERIPHERY);
  assert.equal(a.float, b.float);
  for (const k of ["chip", "ideal"] as const) {
    assert.equal(a[k].curve, b[k].curve);
    assert.equal(Array.from(a[k].finalWeights), Array.from(b[k].finalWeights));
    assert.equal(Array.from(a[k].fullPulses), Array.from(b[k].fullPulses));
    assert.equal(Array.from(a[k].halfPulses), Array.from(b[k].halfPulses));
    assert.equal(Array.from(a[k].halfNet), Array.from(b[k].halfNet));
    assert.is(a[k].linePulses, b[k].linePulses);
  }
  const other = runKwakTraining({ ...c, seed: 11 }, ECRAM_4K_CHIP, ECRAM_4K_IDEAL, CHIP_PERIPHERY);
  assert.not.equal(Array.from(other.chip.finalWeights), Array.from(a.chip.finalWeights));
  assert.not.equal(Array.from(other.chip.fullPulses), Array.from(a.chip.fullPulses));
  const throwsNaming = (bad: Partial<KwakTrainingConfig>, field: RegExp) =>
    assert.throws(() => runKwakTraining({ ...c, ...bad }, ECRAM_4K_CHIP, ECRAM_4K_IDEAL, CHIP_PERIPHERY), (e: unknown) => e instanceof RangeError && field.test((e as Error).message));
  throwsNaming({ epochs: 0 }, /epochs/);
  throwsNaming({ epochs: 1.5 }, /epochs/);
  throwsNaming({ nHidden: 0 }, /nHidden/);
  throwsNaming({ learningRate: 0 }, /learningRate/);
  throwsNaming({ bl: 0 }, /BL/);
  throwsNaming({ initRange1: -0.5 }, /initRange1/);
  throwsNaming({ initRange2: 0 }, /initRange2/);
});

test("nominalWeightStep: Δw_min = ΔG₀/G_scale = 2/nStates, whatever the conductance window", () => {
  // Header: ΔG₀ = (G_max − G_min)/nStates, G_scale = (G_max − G_min)/2.
  assert.ok(Math.abs(nominalWeightStep(ECRAM_4K_CHIP) - 0.02) < 1e-15); // 2/100
  assert.ok(Math.abs(nominalWeightStep({ ...ECRAM_4K_CHIP, nStates: 40, gMinUS: 2, gMaxUS: 12 }) - 0.05) < 1e-15); // 2/40, window 10 µS
  assert.ok(Math.abs(nominalWeightStep({ ...ECRAM_4K_CHIP, nStates: 250, gMinUS: 0.5, gMaxUS: 1 }) - 0.008) < 1e-15); // 2/250
  assert.throws(() => nominalWeightStep({ ...ECRAM_4K_CHIP, nStates: 0 }), /nStates/);
});

// ---- outerProductExample ---------------------------------------------------------------------------------------

/**
 * Hand case: η = 0.04, BL = 25, Δw_min = 0.01 → C = √(η/(BL·Δw_min)) = √0.16 = 0.4. max|x| = 1, max|δ| = 0.25 →
 * update management a = √(0.25/1) = 0.5. p_i = C·a·|x_i| = 0.2·|x_i|, q_j = C·|δ_j|/a = 0.8·|δ_j|:
 *   x = [1, −0.5, 0.25, 0]        → p = [0.2, 0.1, 0.05, 0]
 *   δ = [0.25, −0.125, 0.0625]    → q = [0.2, 0.1, 0.05]
 * E[Δw_ij] = sign·BL·p_i·q_j·Δw_min = sign·25·0.16·|x_i δ_j|·0.01 = 0.04·x_i·δ_j = η·x_i·δ_j (nothing clipped).
 */
const HAND = { x: [1, -0.5, 0.25, 0], d: [0.25, -0.125, 0.0625], cfg: { learningRate: 0.04, bl: 25, dwMin: 0.01 } };

test("outerProductExample: pulse probabilities, signs and targets by hand (managed gains, no clipping)", () => {
  const ex = outerProductExample(HAND.x, HAND.d, HAND.cfg, 10, 3);
  const close = (a: ArrayLike<number>, b: number[], what: string) => b.forEach((v, k) => assert.ok(Math.abs(a[k] - v) < 1e-12, `${what}[${k}]: ${a[k]} vs ${v}`));
  close(ex.probabilities.rowProb, [0.2, 0.1, 0.05, 0], "rowProb");
  close(ex.probabilities.colProb, [0.2, 0.1, 0.05], "colProb");
  assert.equal(Array.from(ex.probabilities.rowSign), [1, -1, 1, 1]);
  assert.equal(Array.from(ex.probabilities.colSign), [1, -1, 1]);
  assert.is(ex.probabilities.clipped, 0);
  const target = HAND.x.flatMap((xi) => HAND.d.map((dj) => 0.04 * xi * dj));
  close(ex.target, target, "target");
  close(ex.expected, target, "expected (unbiased rule: expected = η·x·δ)");
  assert.is(ex.trials, 10);
  // Unmanaged gains (a = 1) would give p = 0.4·|x|, q = 0.4·|δ|: same expectation, different trains.
  const un = outerProductExample(HAND.x, HAND.d, { ...HAND.cfg, managed: false }, 10, 3);
  close(un.probabilities.rowProb, [0.4, 0.2, 0.1, 0], "unmanaged rowProb");
  close(un.probabilities.colProb, [0.1, 0.05, 0.025], "unmanaged colProb");
});

test("outerProductExample: the shown coincidences are recounted from the shown pulse trains (trainRows)", () => {
  for (const seed of [1, 2, "show"]) {
    // Larger gains so the one draw has coincidences of both signs: η = 1, BL = 20, Δw_min = 0.02 → C = √2.5 ≈ 1.58,
    // max|x| = max|δ| = 0.6 → a = 1; p = C·|x| ≤ 0.95, q ≤ 0.95 (no clipping).
    const x = [0.6, -0.5, 0.3];
    const d = [-0.6, 0.4, 0.5, -0.2];
    const bl = 20;
    const ex = outerProductExample(x, d, { learningRate: 1, bl, dwMin: 0.02 }, 2, seed);
    assert.is(ex.trainRows.length, (x.length + d.length) * bl);
    const bits = (line: string) => {
      const r = ex.trainRows.filter((t) => t.line === line);
      assert.equal(r.map((t) => t.slot), Array.from({ length: bl }, (_, t) => t + 1), `${line}: slots 1…BL`);
      for (const t of r) assert.ok(t.fired === 0 || t.fired === 1);
      return r.map((t) => t.fired);
    };
    const rows = x.map((_, i) => bits(`row ${i + 1}`));
    const cols = d.map((_, j) => bits(`col ${j + 1}`));
    let nonzero = 0;
    x.forEach((xi, i) =>
      d.forEach((dj, j) => {
        const both = rows[i].reduce((s, b, t) => s + (b & cols[j][t]), 0);
        const signed = Math.sign(xi * dj) * both;
        assert.is(ex.coincidences[i * d.length + j], signed, `seed ${seed}, device (${i + 1}, ${j + 1})`);
        if (signed !== 0) nonzero++;
      }),
    );
    assert.ok(nonzero > 0, "precondition: the draw has coincidences");
  }
});

test("outerProductExample: the mean update over trials is within 5 s.e. of the expected update, which equals η·x·δ; the reported s.e. matches the binomial one", () => {
  const trials = 4000;
  const ex = outerProductExample(HAND.x, HAND.d, HAND.cfg, trials, 7);
  const p = [0.2, 0.1, 0.05, 0];
  const q = [0.2, 0.1, 0.05];
  const { bl, dwMin } = HAND.cfg;
  p.forEach((pi, i) =>
    q.forEach((qj, j) => {
      const m = i * q.length + j;
      // Coincidences per draw: they come from the one sign phase where both lines fire (fresh trains), BL independent
      // slots, each both-fired with prob r = p·q → Binomial(BL, r),
      // Var(Δw) = Δw_min²·BL·r(1 − r); s.e. of the mean over `trials` draws = √(Var/trials).
      const r = pi * qj;
      const v = bl * r * (1 - r);
      const se = dwMin * Math.sqrt(v / trials);
      const target = 0.04 * HAND.x[i] * HAND.d[j];
      if (r === 0) {
        assert.is(ex.meanUpdate[m], 0);
        assert.is(ex.standardError[m], 0);
        return;
      }
      assert.ok(Math.abs(ex.meanUpdate[m] - ex.expected[m]) < 5 * se, `(${i}, ${j}): mean ${ex.meanUpdate[m]} vs expected ${ex.expected[m]} ± ${5 * se}`);
      assert.ok(Math.abs(ex.meanUpdate[m] - target) < 5 * se, `(${i}, ${j}): mean ${ex.meanUpdate[m]} vs η·x·δ ${target} ± ${5 * se}`);
      // The sample variance of n draws has relative s.e. √((κ − 1)/n), κ the kurtosis of Binomial(BL, r):
      // κ = 3 + (1 − 6·r(1 − r))/(BL·r(1 − r)). Bound the ratio of reported to binomial variance by 5 of those.
      const kappa = 3 + (1 - 6 * r * (1 - r)) / v;
      const ratio = ex.standardError[m] ** 2 / se ** 2;
      assert.ok(Math.abs(ratio - 1) < 5 * Math.sqrt((kappa - 1) / trials), `(${i}, ${j}): s.e.² ratio ${ratio}`);
    }),
  );
});

test("outerProductExample: clipped probabilities bias the expected update away from η·x·δ, and the mean follows the expected one", () => {
  // η = 1, BL = 25, Δw_min = 0.01 → C = 2; x = δ = [1, 0.25] → a = 1, p = q = [2 → 1 (clipped), 0.5]: 2 clipped.
  // E[Δw] = BL·p·q·Δw_min: (0,0) 25·1·1·0.01 = 0.25 (target 1), (0,1) = (1,0) 25·0.5·0.01 = 0.125 (target 0.25),
  // (1,1) 25·0.25·0.01 = 0.0625 = target 1·0.25·0.25: unbiased where neither line clipped.
  const trials = 2000;
  const ex = outerProductExample([1, 0.25], [1, 0.25], { learningRate: 1, bl: 25, dwMin: 0.01 }, trials, 5);
  assert.is(ex.probabilities.clipped, 2);
  const expected = [0.25, 0.125, 0.125, 0.0625];
  const target = [1, 0.25, 0.25, 0.0625];
  const r = [1, 0.5, 0.5, 0.25];
  expected.forEach((e, m) => {
    assert.ok(Math.abs(ex.expected[m] - e) < 1e-12, `expected[${m}] ${ex.expected[m]} vs ${e}`);
    assert.ok(Math.abs(ex.target[m] - target[m]) < 1e-12, `target[${m}]`);
    const se = 0.01 * Math.sqrt((25 * r[m] * (1 - r[m])) / trials); // 0 where p = q = 1: every slot coincides
    if (se === 0) assert.ok(Math.abs(ex.meanUpdate[m] - e) < 1e-12, "p = q = 1: always 25 coincidences");
    else assert.ok(Math.abs(ex.meanUpdate[m] - e) < 5 * se, `mean[${m}] ${ex.meanUpdate[m]} vs ${e} ± ${5 * se}`);
  });
  // A clipped row fires in every slot of the shown draw.
  const row1 = ex.trainRows.filter((t) => t.line === "row 1");
  assert.ok(row1.length === 25 && row1.every((t) => t.fired === 1));
});

test("outerProductExample: same seed bit-identical, another seed differs; fewer than 2 trials throws", () => {
  const a = outerProductExample(HAND.x, HAND.d, HAND.cfg, 200, 5);
  const b = outerProductExample(HAND.x, HAND.d, HAND.cfg, 200, 5);
  assert.equal(a.trainRows, b.trainRows);
  assert.equal(Array.from(a.coincidences), Array.from(b.coincidences));
  assert.equal(Array.from(a.meanUpdate), Array.from(b.meanUpdate));
  assert.equal(Array.from(a.standardError), Array.from(b.standardError));
  const c = outerProductExample(HAND.x, HAND.d, HAND.cfg, 200, 6);
  assert.not.equal(c.trainRows, a.trainRows);
  assert.not.equal(Array.from(c.meanUpdate), Array.from(a.meanUpdate));
  assert.throws(() => outerProductExample(HAND.x, HAND.d, HAND.cfg, 1, 5), (e: unknown) => e instanceof RangeError && /trials/.test((e as Error).message));
});

test("outerProductExample: the standard error is the sample std (n − 1 divisor) over √trials, recomputed from the per-trial updates", () => {
  // The trials are consecutive sign-phased updates from the seed's "trials" stream (countPhasedPulses on the same
  // probabilities), each Δw = signed coincidences × Δw_min. Rebuilt here, the s.e. is s/√n with
  // s² = Σ(Δw − mean)²/(n − 1). For n = 2 that is |Δw₁ − Δw₂|/√2/√2 = |Δw₁ − Δw₂|/2 in closed form.
  const x = [0.6, -0.5, 0.3];
  const d = [-0.6, 0.4, 0.5];
  const cfg = { learningRate: 1, bl: 20, dwMin: 0.02 };
  for (const trials of [2, 3, 7]) {
    const ex = outerProductExample(x, d, cfg, trials, "se");
    const many = createRng("se").fork("trials");
    const draws = Array.from({ length: trials }, () => Array.from(countPhasedPulses(ex.probabilities, cfg.bl, many).coincidences, (c) => c * cfg.dwMin));
    let spread = 0;
    for (let m = 0; m < x.length * d.length; m++) {
      const v = draws.map((dw) => dw[m]);
      const mu = v.reduce((a, b) => a + b, 0) / trials;
      assert.ok(Math.abs(ex.meanUpdate[m] - mu) < 1e-12, `trials ${trials}, device ${m}: mean ${ex.meanUpdate[m]} vs ${mu} rebuilt`);
      const s = Math.sqrt(v.reduce((a, b) => a + (b - mu) ** 2, 0) / (trials - 1));
      const se = s / Math.sqrt(trials);
      assert.ok(Math.abs(ex.standardError[m] - se) < 1e-12, `trials ${trials}, device ${m}: s.e. ${ex.standardError[m]} vs ${se}`);
      if (trials === 2) assert.ok(Math.abs(ex.standardError[m] - Math.abs(v[0] - v[1]) / 2) < 1e-12, `device ${m}: n = 2 closed form`);
      if (se > 0) spread++;
    }
    assert.ok(spread > 0, `precondition (trials ${trials}): some device's draws differ`);
  }
});

// ------------------------------------------------------------------------------------ figure rows of notebook 08
/** A hand-made result: a 2×3 array with device (0, 1) stuck; the block is rows [0, 1] × columns [0, 2]. */
function handResult(): KwakTrainingResult {
  const chip = {
    ...small.chip,
    functional: Uint8Array.from([1, 0, 1, 1, 1, 1]),
    block: { rowIdx: [0, 1], colIdx: [0, 2] },
    finalWeights: Float64Array.from([0.1, 0.2, 0.3, 0.4]),
  };
  return { ...small, topology: { nIn: 1, nHidden: 2, nOut: 1 }, chip };
}

test("yieldMapRows: one row per array device, row-major; stuck, block and unused recounted by hand and on a run", () => {
  // 2×3 map [1 0 1 / 1 1 1], block rows {0, 1} × columns {0, 2}: (0,1) stuck, (1,1) functional but outside the block.
  assert.equal(yieldMapRows(handResult().chip, 3), [
    { row: 0, col: 0, state: "training block" }, { row: 0, col: 1, state: "stuck" }, { row: 0, col: 2, state: "training block" },
    { row: 1, col: 0, state: "training block" }, { row: 1, col: 1, state: "functional, unused" }, { row: 1, col: 2, state: "training block" },
  ]);
  const rows = yieldMapRows(small.chip, SMALL.arrayCols);
  const count = (state: string) => rows.filter((r) => r.state === state).length;
  assert.is(rows.length, small.chip.devicesInArray);
  assert.is(count("training block"), small.chip.devicesUsed);
  assert.is(count("stuck"), small.chip.devicesInArray - small.chip.functionalInArray);
  assert.ok(count("stuck") > 0, "the SMALL chip array has stuck devices");
  rows.forEach((r, k) => assert.is(r.row * SMALL.arrayCols + r.col, k));
  assert.throws(() => yieldMapRows(small.chip, 7), (e: unknown) => e instanceof RangeError && /cols/.test((e as Error).message));
});

test("blockWeightRows and splitByLayer: block columns below nIn are W1, the rest W2, hidden units from the block rows", () => {
  const hand = handResult();
  assert.equal(blockWeightRows(hand), [
    { hidden: 1, line: "W1 in 1", weight: 0.1 }, { hidden: 1, line: "W2 out 1", weight: 0.2 },
    { hidden: 2, line: "W1 in 1", weight: 0.3 }, { hidden: 2, line: "W2 out 1", weight: 0.4 },
  ]);
  // With a bias line the last input line (here the only one, nIn = 1) is the constant-1 line: "W1 bias".
  assert.equal(blockWeightRows(hand, true).map((r) => r.line), ["W1 bias", "W2 out 1", "W1 bias", "W2 out 1"]);
  // On the SMALL run (3 features + bias, nIn = 4): inputs 1–3 keep their numbers, the fourth is the bias line.
  assert.equal(blockWeightRows(small, SMALL.biasInput).slice(0, 7).map((r) => r.line), ["W1 in 1", "W1 in 2", "W1 in 3", "W1 bias", "W2 out 1", "W2 out 2", "W2 out 3"]);
  assert.equal(splitByLayer(hand, [1, 2, 3, 4]), { layer1: [1, 3], layer2: [2, 4] });
  assert.throws(() => splitByLayer(hand, [1, 2, 3]), (e: unknown) => e instanceof RangeError && /perDevice/.test((e as Error).message));
  // On a run: H·nIn W1 devices and H·nOut W2 devices, and every weight appears once, in block order.
  const { nIn, nHidden, nOut } = small.topology;
  const w = blockWeightRows(small);
  assert.is(w.filter((r) => r.line.startsWith("W1")).length, nHidden * nIn);
  assert.is(w.filter((r) => r.line.startsWith("W2")).length, nHidden * nOut);
  assert.equal(w.map((r) => r.weight), Array.from(small.chip.finalWeights));
  const split = splitByLayer(small, small.chip.fullPulses);
  assert.is(split.layer1.length, nHidden * nIn);
  assert.is(split.layer2.length, nHidden * nOut);
});

test("halfSelectDriftSteps: |k·halfNet| nominal steps per device, by hand", () => {
  // k = 0.01: net signed half-selects 250, −37, 0, 4 → 2.5, 0.37, 0, 0.04 steps.
  const got = halfSelectDriftSteps({ halfNet: Float64Array.from([250, -37, 0, 4]) }, { halfSelectFraction: 0.01 });
  [2.5, 0.37, 0, 0.04].forEach((want, m) => assert.ok(Math.abs(got[m] - want) < 1e-12, `device ${m}: got ${got[m]}, want ${want}`));
  // k = 0 (the ideal device): no drift whatever the half-selects.
  assert.equal(Array.from(halfSelectDriftSteps({ halfNet: Float64Array.from([5, -5]) }, { halfSelectFraction: 0 })), [0, 0]);
  // On a run: one value per block device, each k·|halfNet| of that device.
  const d = halfSelectDriftSteps(small.chip, ECRAM_4K_CHIP);
  assert.is(d.length, small.chip.devicesUsed);
  d.forEach((v, m) => assert.ok(Math.abs(v - ECRAM_4K_CHIP.halfSelectFraction * Math.abs(small.chip.halfNet[m])) < 1e-12, `block device ${m}`));
  assert.throws(() => halfSelectDriftSteps({ halfNet: Float64Array.from([1]) }, { halfSelectFraction: -0.1 }), (e: unknown) => e instanceof RangeError && /halfSelectFraction/.test((e as Error).message));
});

test.run();

test("runKwakTraining: physical reads per training sample lie between 1 and 1 + the bound-management steps, and are exactly 1 without bound management", () => {
  const steps = CHIP_PERIPHERY.boundManagementSteps ?? 3;
  for (const run of [small.ideal, small.chip]) {
    for (const [k, v] of Object.entries(run.readsPerSample)) assert.ok(v >= 1 && v <= 1 + steps, `${run.label} ${k}: ${v}`);
    // Reads are counted whole: each mean times the samples is an integer.
    const samples = run.updates / 2;
    for (const [k, v] of Object.entries(run.readsPerSample)) assert.ok(Math.abs(v * samples - Math.round(v * samples)) < 1e-9, `${run.label} ${k}: ${v * samples}`);
  }
  const lossless = runKwakTraining({ ...SMALL, epochs: 1 }, ECRAM_4K_CHIP, ECRAM_4K_IDEAL, LOSSLESS);
  assert.equal(lossless.chip.readsPerSample, { layer1: 1, layer2Forward: 1, layer2Backward: 1 });
});
