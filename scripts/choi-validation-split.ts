/**
 * Was notebook 09's read gain β and learning rate η chosen on the test digits flattering its accuracy? Re-select them
 * on a validation split: at k = 0 and the notebook's full-mode sizes, train on the first 6,000 of the 7,000 training
 * digits and score the last 1,000 (or, with `test`, the notebook's own 7,000 / 1,500 split), for a grid of β and η,
 * on one or more pulse streams. Prints one JSON line per run (analog accuracy per epoch, and the software reference
 * with the same η when asked). Not part of the notebook: about 20 s per run on an idle core.
 *
 *   npx tsx scripts/choi-validation-split.ts <βs> <ηs> <software 0|1> <val|test> [streams]
 *   npx tsx scripts/choi-validation-split.ts 1,2,3,4,6 0.005,0.008,0.011,0.015,0.02 1 val pulses,pulses-r1,pulses-r2
 */
import { CHOI_CROSSBAR_NETWORK, trainAnalog, trainSoftware, type TrainingConfig } from "../src/experiments/choi-training";
import { mnistSplit, MNIST_PIXELS, type DigitSet } from "../src/experiments/choi-mnist";

const args = process.argv.slice(2);
const list = (s: string | undefined, fallback: string) => (s ?? fallback).split(",").map(Number);
const betas = list(args[0], "3");
const etas = list(args[1], "0.011");
const withSoftware = (args[2] ?? "1") === "1";
const mode = args[3] ?? "val";
const streams = (args[4] ?? "pulses").split(",");
if ([...betas, ...etas].some((v) => !(v > 0)) || !["val", "test"].includes(mode)) {
  console.error("usage: npx tsx scripts/choi-validation-split.ts <βs> <ηs> <software 0|1> <val|test> [streams]  (β, η positive, comma-separated)");
  process.exit(2);
}
const HELD_OUT = 1000;
// Notebook 09's full-mode training: its network and 700 training and 150 test digits per class, 3 epochs.
const base: TrainingConfig = { ...CHOI_CROSSBAR_NETWORK, trainPerDigit: 700, testPerDigit: 150, epochs: 3 };
const split = mnistSplit(base.trainPerDigit, base.testPerDigit, base.seed ?? "mnist");
const slice = (s: DigitSet, a: number, b: number): DigitSet => ({ images: s.images.slice(a * MNIST_PIXELS, b * MNIST_PIXELS), labels: s.labels.slice(a, b), count: b - a });
const n = split.train.count;
const data = mode === "val" ? { train: slice(split.train, 0, n - HELD_OUT), test: slice(split.train, n - HELD_OUT, n) } : split;
for (const stream of streams) for (const beta of betas) for (const eta of etas) {
  const c = { ...base, weightGain: beta, learningRate: eta, pulseStream: stream };
  const analog = trainAnalog(c, 0, data);
  const software = withSoftware ? trainSoftware(c, data) : null;
  console.log(JSON.stringify({ mode, stream, beta, eta, train: data.train.count, scored: data.test.count, analogPct: analog.finalTestAccuracyPct,
    analogPerEpoch: analog.testAccuracyPct, softwarePct: software?.finalTestAccuracyPct ?? null }));
}
