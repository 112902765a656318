import { test } from "uvu";
import * as assert from "uvu/assert";
import { singleFlipScan, trainXor, trainXorRun, xorConvergence, xorOutcome, type XorConfig, type XorRun } from "../src/experiments/xor-mtt";
import { evaluate } from "../src/nn/train";
import { idealSign } from "../src/mtt/transfer-function";

const SMALL: XorConfig = {
  seeds: [1, 2, 3], trainCount: 200, testCount: 50, epochs: 3, batchSize: 20, lr: 0.005, meta: 10, hiddenBits: 3,
  transfer: idealSign, technology: "ECRAM-MTT", hardwareBnMode: "running",
};

test("xorConvergence: median of the best training accuracies and the count that reached 99 %, by hand", () => {
  const run = (best: number, to99: number | null, final = best) => ({ bestTrainAccuracy: best, epochsTo99: to99, finalTrainAccuracy: final }) as unknown as XorRun;
  // The third restart reached 99.5 % at epoch 20 and ended at 60 %: reached, not ended.
  const c = xorConvergence([run(1, 4), run(0.75, null), run(0.995, 20, 0.6), run(0.5, null)]);
  assert.ok(Math.abs(c.medianBestTrainPct - 87.25) < 1e-9, `${c.medianBestTrainPct}`); // (75 + 99.5)/2
  assert.equal([c.reached99, c.ended99, c.restarts], [2, 1, 4]);
  assert.throws(() => xorConvergence([]), /no restarts/);
});

test("xorOutcome: ends at ≥ 99 % → converged; reached 99 % and ended below → collapsed; never reached → stalled", () => {
  assert.is(xorOutcome({ finalTrainAccuracy: 0.99, epochsTo99: 7 }), "converged");
  assert.is(xorOutcome({ finalTrainAccuracy: 0.989, epochsTo99: 7 }), "collapsed");
  assert.is(xorOutcome({ finalTrainAccuracy: 0.75, epochsTo99: null }), "stalled");
});

test("one XOR restart: epochs counted from 1, best and final accuracies taken from its history; same seed, same run", () => {
  const a = trainXorRun(SMALL, 7);
  const b = trainXorRun(SMALL, 7);
  assert.equal(a.history.map((h) => h.epoch), [1, 2, 3]);
  assert.is(a.bestTrainAccuracy, Math.max(...a.history.map((h) => h.trainAccuracy)));
  assert.is(a.finalTrainAccuracy, a.history[2].trainAccuracy);
  const first99 = a.history.find((h) => h.trainAccuracy >= 0.99);
  assert.is(a.epochsTo99, first99 ? first99.epoch : null);
  assert.equal(b.history, a.history);
  assert.equal(Array.from(b.net.hidden[0]), Array.from(a.net.hidden[0]));
});

test("trainXor sorts restarts by final training accuracy, best first", () => {
  const runs = trainXor(SMALL);
  assert.equal(runs.map((r) => r.seed).sort(), [1, 2, 3]);
  for (let i = 1; i < runs.length; i++) assert.ok(runs[i - 1].finalTrainAccuracy >= runs[i].finalTrainAccuracy);
});

test("single-flip scan: after one hidden weight is negated by hand, flipping that weight back restores the accuracy", () => {
  const run = trainXorRun({ ...SMALL, epochs: 8 }, 2);
  const accuracyPct = () => 100 * evaluate(run.net, run.train, { task: 0 }).accuracy;
  const before = accuracyPct();
  assert.is(singleFlipScan(run).trainPct, before);
  // The first-layer weight whose sign matters most (negating it lowers the accuracy the most).
  const hurt = Array.from(run.net.hidden[0], (_, i) => {
    run.net.hidden[0][i] *= -1;
    const pct = accuracyPct();
    run.net.hidden[0][i] *= -1;
    return { i, pct };
  }).sort((a, b) => a.pct - b.pct)[0];
  assert.ok(hurt.pct < before, `some flip lowers ${before} %`);
  run.net.hidden[0][hurt.i] *= -1;
  const scan = singleFlipScan(run);
  assert.is(scan.trainPct, hurt.pct);
  assert.ok(scan.bestFlipPct >= before, `${scan.bestFlipPct} vs ${before}`);
  assert.ok(scan.raising >= 1);
});

test.run();
