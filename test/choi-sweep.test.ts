/**
 * sweepHalfSelect (src/experiments/choi-training.ts), the table notebook 09 records choi.k.* and falcone.training
 * from. trainAnalog and trainSoftware are exercised in test/cmo.test.ts; here every row of the sweep is rebuilt
 * by calling them directly with the pulse-stream labels the function documents ("pulses-r" for repeat r when
 * repeats > 1, the config's own stream otherwise), and its mean, sample std and first-repeat tallies recomputed.
 * The network is the small 784-16-10 of test/cmo.test.ts (about 0.2 s per analog run).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MNIST_PIXELS, mnistSplit, type DigitSet } from "../src/experiments/choi-mnist";
import { schemeOf, sweepHalfSelect, trainAnalog, trainSoftware, type SweepRow, type TrainingConfig, type TrainingResult } from "../src/experiments/choi-training";
import { createRng } from "../src/util/rng";

const C: TrainingConfig = { trainPerDigit: 30, testPerDigit: 20, epochs: 1, hidden: 16, learningRate: 0.011, weightGain: 3, bl: 10, stepFraction: 0.002, stepNoiseRel: 0.3, rowGain: 1, seed: 1 };
const DATA = mnistSplit(C.trainPerDigit, C.testPerDigit, C.seed);

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

/** The tally-derived fields of a row, from one run (first and last layer), by the SweepRow field docs. */
function checkTallies(row: SweepRow, run: TrainingResult, what: string): void {
  const first = run.layers[0].tally;
  const last = run.layers[run.layers.length - 1].tally;
  assert.is(run.layers.length, 2, "784-16-10 has two layers");
  close(row.meanAbsWeightL1, run.layers[0].meanAbsWeight, `${what} meanAbsWeightL1`);
  close(row.halfPerFullL1, first.fullPulses > 0 ? first.halfPulses / first.fullPulses : 0, `${what} halfPerFullL1`);
  close(row.disturbToSignalL1, first.signalAbs > 0 ? first.disturbAbs / first.signalAbs : 0, `${what} disturbToSignalL1`);
  close(row.disturbToSignalOut, last.signalAbs > 0 ? last.disturbAbs / last.signalAbs : 0, `${what} disturbToSignalOut`);
  close(row.grossDisturbToSignalL1, first.signalAbs > 0 ? first.disturbGrossAbs / first.signalAbs : 0, `${what} grossDisturbToSignalL1`);
  close(row.grossDisturbToSignalOut, last.signalAbs > 0 ? last.disturbGrossAbs / last.signalAbs : 0, `${what} grossDisturbToSignalOut`);
}

test("sweepHalfSelect, 2 repeats: one row per k, then the extras, then software; mean and sample std of the repeats recomputed from trainAnalog", () => {
  const ks = [0, 0.05];
  const extra = [{ label: "CMO-like", k: 0.02 }];
  const { rows, software } = sweepHalfSelect(C, ks, extra, 2);
  assert.equal(rows.map((r) => r.device), ["soft bounds", "soft bounds", "CMO-like", "software"]);
  assert.equal(rows.map((r) => r.k), [0, 0.05, 0.02, 0]);
  let spread = 0;
  [...ks.map((k) => ({ k, row: rows[ks.indexOf(k)] })), { k: 0.02, row: rows[2] }].forEach(({ k, row }) => {
    const runs = [0, 1].map((r) => trainAnalog({ ...C, pulseStream: `pulses-${r}` }, k, DATA));
    const [a0, a1] = runs.map((r) => r.finalTestAccuracyPct);
    // n = 2: mean (a0 + a1)/2; sample std √(((a0 − m)² + (a1 − m)²)/(2 − 1)) = |a0 − a1|/√2.
    close(row.accuracyPct, (a0 + a1) / 2, `k ${k} accuracyPct`);
    close(row.accuracyStdPct, Math.abs(a0 - a1) / Math.SQRT2, `k ${k} accuracyStdPct`);
    if (a0 !== a1) spread++;
    // The tallies are those of the first repeat.
    checkTallies(row, runs[0], `k ${k}`);
    if (k > 0) {
      assert.ok(runs[0].layers[0].tally.signalAbs > 0 && runs[0].layers[1].tally.halfPulses > 0, `k ${k}: precondition, tallies kept`);
      assert.ok(runs[0].layers[0].meanAbsWeight !== runs[1].layers[0].meanAbsWeight, `k ${k}: precondition, the repeats' tallies differ`);
    } else {
      // k = 0 keeps no tally: every ratio is 0 by the rule "0 when there is no signal".
      for (const f of ["halfPerFullL1", "disturbToSignalL1", "disturbToSignalOut", "grossDisturbToSignalL1", "grossDisturbToSignalOut"]) assert.is(row[f], 0, f);
    }
  });
  assert.ok(spread >= 2, `precondition: the two pulse streams give different accuracies in ${spread} of 3 rows`);

  // The software row is trainSoftware on the same split: deterministic, one run, std 0, no tally.
  const ref = trainSoftware(C, DATA);
  assert.equal(software.testAccuracyPct, ref.testAccuracyPct);
  const sw = rows[3];
  close(sw.accuracyPct, ref.finalTestAccuracyPct, "software accuracyPct");
  assert.is(sw.accuracyStdPct, 0);
  checkTallies(sw, ref, "software");
});

test("sweepHalfSelect, 1 repeat: the row is the run on the config's own pulse stream (default \"pulses\"), std 0", () => {
  const one = sweepHalfSelect(C, [0.05]);
  assert.equal(one.rows.map((r) => [r.device, r.k]), [["soft bounds", 0.05], ["software", 0]]);
  const run = trainAnalog(C, 0.05, DATA);
  close(one.rows[0].accuracyPct, run.finalTestAccuracyPct, "accuracyPct");
  assert.is(one.rows[0].accuracyStdPct, 0);
  checkTallies(one.rows[0], run, "k 0.05");
  // With its own stream name the config's stream is used, not a "pulses-r" one.
  const named = sweepHalfSelect({ ...C, pulseStream: "mine" }, [0.05]);
  const mine = trainAnalog({ ...C, pulseStream: "mine" }, 0.05, DATA);
  checkTallies(named.rows[0], mine, "pulseStream mine");
  close(named.rows[0].accuracyPct, mine.finalTestAccuracyPct, "pulseStream mine accuracyPct");
  assert.ok(mine.layers[0].meanAbsWeight !== run.layers[0].meanAbsWeight, "precondition: the two streams differ");
});

test("sweepHalfSelect: repeats must be an integer ≥ 1; a bad k throws naming it", () => {
  const rangeNaming = (re: RegExp) => (e: unknown) => e instanceof RangeError && re.test((e as Error).message);
  assert.throws(() => sweepHalfSelect(C, [0], [], 0), rangeNaming(/repeats/));
  assert.throws(() => sweepHalfSelect(C, [0], [], 1.5), rangeNaming(/repeats/));
  assert.throws(() => sweepHalfSelect({ ...C, epochs: 0 }, [0]), rangeNaming(/epochs/));
  assert.throws(() => sweepHalfSelect({ ...C, epochs: 1 }, [], [{ label: "bad", k: 1.5 }]), rangeNaming(/k \(half-select ratio\)/));
});

// ---- trainSoftware and schemeOf by hand ------------------------------------------------------------------------

/** A hand-made digit set: `count` images with the given nonzero pixels (index → value), labels as given. */
function digits(pixels: [number, number][][], labels: number[]): DigitSet {
  const images = new Float32Array(pixels.length * MNIST_PIXELS);
  pixels.forEach((px, n) => px.forEach(([i, v]) => (images[n * MNIST_PIXELS + i] = v)));
  return { images, labels: Uint8Array.from(labels), count: pixels.length };
}

/** Glorot-uniform initial states by their definition: U(−lim, lim), lim = min(1, √(6/(fan_in + fan_out))), per layer stream "layer-l" of the seed's "init". */
function glorotByHand(seed: number | string, shapes: [number, number][]): Float64Array[] {
  const init = createRng(seed).fork("init");
  return shapes.map(([r, k], l) => {
    const lim = Math.min(1, Math.sqrt(6 / (r + k)));
    const rl = init.fork(`layer-${l}`);
    return Float64Array.from({ length: r * k }, () => rl.uniformIn(-lim, lim));
  });
}

const meanAbsOf = (w: ArrayLike<number>) => Array.from(w).reduce((s, v) => s + Math.abs(v), 0) / w.length;

test("trainSoftware: one SGD step with read gain β = 3 is w ← w − η·∂L/∂w, the gradient by finite differences of the cross-entropy (mean |w| per layer)", () => {
  // Network 784 (+1) → 3 sigmoid (+1) → 10, pre-activations a = β·Σ w·x, loss −log softmax(z)_label. One training
  // image with 6 nonzero pixels: only the rows of those pixels and the bias rows move. The step is computed here from
  // central differences of the loss (no backprop formula), so the gain β in every layer's gradient is checked, and
  // the resulting mean |w| per layer must match the run's.
  const H = 3;
  const c: TrainingConfig = { trainPerDigit: 1, testPerDigit: 1, epochs: 1, hidden: H, weightGain: 3, learningRate: 0.5, bl: 10, stepFraction: 0.002, stepNoiseRel: 0, seed: 4 };
  const px: [number, number][] = [[100, 0.9], [200, 0.4], [300, 1], [400, 0.7], [500, 0.2], [600, 0.6]];
  const label = 7;
  const data = { train: digits([px], [label]), test: digits([[[300, 1]]], [1]) };
  const shapes: [number, number][] = [[MNIST_PIXELS + 1, H], [H + 1, 10]];
  const [w0, w1] = glorotByHand(c.seed!, shapes);
  const beta = c.weightGain!;
  const x = new Float64Array(MNIST_PIXELS + 1);
  for (const [i, v] of px) x[i] = v;
  x[MNIST_PIXELS] = 1;
  const active = [...px.map(([i]) => i), MNIST_PIXELS];
  const loss = (a: Float64Array, b: Float64Array) => {
    const h = Array.from({ length: H }, (_, j) => 1 / (1 + Math.exp(-beta * active.reduce((s, i) => s + a[i * H + j] * x[i], 0))));
    h.push(1);
    const z = Array.from({ length: 10 }, (_, o) => beta * h.reduce((s, hi, i) => s + b[i * 10 + o] * hi, 0));
    const m = Math.max(...z);
    return -(z[label] - m - Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0)));
  };
  const eps = 1e-6;
  const derivative = (w: Float64Array, q: number, L: (v: Float64Array) => number) => {
    const up = w.slice();
    const dn = w.slice();
    up[q] += eps;
    dn[q] -= eps;
    return (L(up) - L(dn)) / (2 * eps);
  };
  const next0 = w0.slice();
  for (const i of active) for (let j = 0; j < H; j++) next0[i * H + j] -= c.learningRate * derivative(w0, i * H + j, (v) => loss(v, w1));
  const next1 = w1.map((v, q) => v - c.learningRate * derivative(w1, q, (u) => loss(w0, u)));
  const run = trainSoftware(c, data);
  assert.is(run.layers.length, 2);
  assert.ok(Math.abs(run.layers[0].meanAbsWeight - meanAbsOf(next0)) < 1e-9, `hidden layer: mean |w| ${run.layers[0].meanAbsWeight} vs ${meanAbsOf(next0)} by hand`);
  assert.ok(Math.abs(run.layers[1].meanAbsWeight - meanAbsOf(next1)) < 1e-9, `output layer: mean |w| ${run.layers[1].meanAbsWeight} vs ${meanAbsOf(next1)} by hand`);
  // Precondition: the first layer's step is visible in its mean |w| (its rows move by much more than the tolerance).
  assert.ok(Math.abs(meanAbsOf(next0) - meanAbsOf(w0)) > 1e-5, `precondition: the step moves mean |w| of layer 1 by ${meanAbsOf(next0) - meanAbsOf(w0)}`);
});

test("trainSoftware: initial weights are Glorot-uniform, ±min(1, √(6/(fan_in + fan_out))) with fan_in counting the bias row (mean |w| = lim/2)", () => {
  // A negligible learning rate (1e-12) leaves the initial states: the result's mean |w| per layer is that of the draws
  // U(−lim, lim) made here from the seed's per-layer streams, and statistically lim/2 (s.d. of the mean lim/√(12·n)).
  // Hidden 2 makes the output layer's lim √(6/(3 + 10)) = 0.68, far from the √(6/3) → 1 a fan-in-only rule would give.
  const H = 2;
  const c: TrainingConfig = { trainPerDigit: 1, testPerDigit: 1, epochs: 1, hidden: H, learningRate: 1e-12, bl: 10, stepFraction: 0.002, stepNoiseRel: 0, seed: 11 };
  const data = { train: digits([[[10, 1]]], [0]), test: digits([[[20, 1]]], [1]) };
  const shapes: [number, number][] = [[MNIST_PIXELS + 1, H], [H + 1, 10]];
  const lims = shapes.map(([r, k]) => Math.min(1, Math.sqrt(6 / (r + k))));
  assert.ok(Math.abs(lims[1] - Math.sqrt(6 / 13)) < 1e-15 && Math.abs(lims[0] - Math.sqrt(6 / 787)) < 1e-15);
  const w = glorotByHand(c.seed!, shapes);
  const run = trainSoftware(c, data);
  run.layers.forEach((layer, l) => {
    const n = shapes[l][0] * shapes[l][1];
    assert.ok(Math.abs(layer.meanAbsWeight - meanAbsOf(w[l])) < 1e-9, `layer ${l}: mean |w| ${layer.meanAbsWeight} vs ${meanAbsOf(w[l])} of the Glorot draws`);
    const sd = lims[l] / Math.sqrt(12 * n);
    assert.ok(Math.abs(layer.meanAbsWeight - lims[l] / 2) < 5 * sd, `layer ${l}: mean |w| ${layer.meanAbsWeight} vs lim/2 = ${lims[l] / 2} ± ${5 * sd}`);
  });
});

test("schemeOf: with an explicit row gain c_x, c_δ = η/(BL·α·c_x), so c_x·c_δ·BL·α = η; without one, balanced c_x = c_δ = √(η/(BL·α))", () => {
  for (const [eta, bl, alpha, rowGain] of [[0.011, 10, 0.002, 1], [0.05, 7, 0.01, 3], [0.2, 20, 0.05, 0.25]]) {
    const s = schemeOf({ ...C, learningRate: eta, bl, stepFraction: alpha, rowGain });
    assert.is(s.bl, bl);
    assert.is(s.rowGain, rowGain);
    assert.ok(Math.abs(s.rowGain * s.colGain * s.bl * alpha - eta) < 1e-12 * eta, `η ${eta}, BL ${bl}, α ${alpha}, c_x ${rowGain}: c_x·c_δ·BL·α = ${s.rowGain * s.colGain * s.bl * alpha}`);
    const balanced = schemeOf({ ...C, learningRate: eta, bl, stepFraction: alpha, rowGain: undefined });
    const g = Math.sqrt(eta / (bl * alpha));
    assert.ok(Math.abs(balanced.rowGain - g) < 1e-12 * g && Math.abs(balanced.colGain - g) < 1e-12 * g, `balanced gains ${balanced.rowGain}, ${balanced.colGain} vs ${g}`);
  }
});

test.run();
