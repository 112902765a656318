import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRng } from "../src/util/rng";
import { hiddenLevelIndex } from "../src/nn/quantizers";
import { ProgrammingErrorWriter, type ProgrammingErrorWrites } from "../src/nn/programming-error";
import { validateRunConfig, type NetworkRunConfig } from "../src/runs/task-sequence-runner";
import { WRITE_MODELS_SHORT, writeModelJobs, writeModelLossPp, writeModelTable } from "../src/experiments/programming-error-writes";
import type { JobResult } from "../src/runs/task-sequence-jobs";

const cfg = (writes: ProgrammingErrorWrites | undefined, sigma = 0.2, hiddenBits: number | null = 3) => ({ programmingNoiseRel: sigma, programmingErrorWrites: writes, hiddenBits, hiddenBound: 1 });

test("every-update: each weight becomes W·(1 + σε); mean and std of the written values match within sampling error", () => {
  const n = 40000;
  const sigma = 0.2;
  const h = new Float32Array(n).fill(0.5);
  const w = new ProgrammingErrorWriter(cfg("every-update", sigma), [h]);
  w.beforeUpdate([h]);
  w.afterUpdate([h], createRng("pe-every"));
  let s = 0;
  let s2 = 0;
  for (const v of h) {
    s += v;
    s2 += v * v;
  }
  const mean = s / n;
  const sd = Math.sqrt(s2 / n - mean * mean);
  // E = 0.5, SD = 0.5σ = 0.1; the mean's standard error is 0.1/√n = 5e-4, the SD's about 0.1/√(2n) = 3.5e-4.
  assert.ok(Math.abs(mean - 0.5) < 5 * 5e-4, `mean ${mean}`);
  assert.ok(Math.abs(sd - 0.1) < 5 * 3.5e-4, `sd ${sd}`);
  assert.is(w.writeCount, n);
});

test("level-change: only weights whose 3-bit level changed are rewritten, and their written value stays within ±bound", () => {
  const before = Float32Array.from([0.05, 0.3, -0.6, 0.9, 0.99, -0.2, 0.01]);
  const h = Float32Array.from(before);
  const w = new ProgrammingErrorWriter(cfg("level-change", 0.5), [h]);
  w.beforeUpdate([h]);
  // The "optimizer step": weights 0 (crosses 0), 2 (−0.6 → −0.9 crosses −0.857) and 4 (grows to the bound,
  // still level 7) move; the rest stay.
  const after = Float32Array.from([-0.05, 0.3, -0.9, 0.9, 1, -0.2, 0.01]);
  h.set(after);
  w.afterUpdate([h], createRng("pe-level"));
  const changed = [0, 1, 2, 3, 4, 5, 6].filter((i) => hiddenLevelIndex(after[i], 3) !== hiddenLevelIndex(before[i], 3));
  assert.equal(changed, [0, 2]);
  for (let i = 0; i < h.length; i++) {
    if (changed.includes(i)) {
      assert.ok(h[i] !== after[i], `weight ${i} was rewritten`);
      assert.ok(Math.abs(h[i]) <= 1, `weight ${i} within the bound`);
    } else assert.is(h[i], after[i], `weight ${i} untouched`);
  }
  assert.is(w.writeCount, 2);
});

test("level-change: a weight pushed past the bound by its error is clipped to the bound", () => {
  const h = Float32Array.from(new Array(2000).fill(0.5));
  const w = new ProgrammingErrorWriter(cfg("level-change", 0.8), [h]);
  w.beforeUpdate([h]);
  h.fill(0.9); // 0.5 reads as the 3-bit level 3/7, 0.9 as 1: every weight changes level
  w.afterUpdate([h], createRng("pe-clip"));
  assert.is(w.writeCount, 2000);
  const max = Math.max(...h);
  assert.is(max, 1, "P(0.9·(1 + 0.8ε) > 1) ≈ 45 %: some weights reach the bound and none exceeds it");
});

test("without a quantizer (float hidden weights) every update is a write; σ = 0 writes nothing", () => {
  const h = new Float32Array(10).fill(0.3);
  const w = new ProgrammingErrorWriter(cfg("level-change", 0.1, null), [h]);
  assert.is(w.writes, "every-update");
  w.beforeUpdate([h]);
  w.afterUpdate([h], createRng("pe-float"));
  assert.is(w.writeCount, 10);
  const h0 = new Float32Array(10).fill(0.3);
  const off = new ProgrammingErrorWriter(cfg("every-update", 0), [h0]);
  off.afterUpdate([h0], createRng("pe-off"));
  assert.is(off.writeCount, 0);
  assert.ok(h0.every((v) => v === Float32Array.of(0.3)[0]));
});

test("every-epoch: steps write nothing; the end of an epoch rewrites every weight, clipped to ±bound", () => {
  const h = new Float32Array(3000).fill(0.9);
  const w = new ProgrammingErrorWriter(cfg("every-epoch", 0.5), [h]);
  w.beforeUpdate([h]);
  w.afterUpdate([h], createRng("pe-epoch"));
  assert.is(w.writeCount, 0);
  assert.ok(h.every((v) => v === Float32Array.of(0.9)[0]));
  w.afterEpoch([h], createRng("pe-epoch"));
  assert.is(w.writeCount, 3000);
  assert.is(Math.max(...h), 1);
  // P(0.9·(1 + 0.5ε) < 0) = P(ε < −2) = 2.3 %: about 68 of 3000 weights change sign (binomial SD ≈ 8).
  const flipped = h.filter((v) => v < 0).length;
  assert.ok(flipped > 68 - 5 * 8 && flipped < 68 + 5 * 8, `${flipped} sign flips`);
});

test("the default write model is every-update; unknown names are refused with the name; run configs are checked too", () => {
  assert.is(new ProgrammingErrorWriter(cfg(undefined), []).writes, "every-update");
  assert.throws(() => new ProgrammingErrorWriter(cfg("sometimes" as never), []), /programmingErrorWrites must be one of every-update, level-change, every-epoch, got "sometimes"/);
  const run: NetworkRunConfig = { seed: "x", layerSizes: [4, 2], transfer: "sign", hiddenBits: 3, lr: 0.005, meta: 0, batchSize: 10, programmingNoiseRel: 0.1, evalEvery: 1 };
  validateRunConfig(run);
  validateRunConfig({ ...run, programmingErrorWrites: "level-change" });
  assert.throws(() => validateRunConfig({ ...run, programmingErrorWrites: "never" as never }), /programmingErrorWrites must be one of/);
});

test("write-model comparison: one error-free run and one per model and σ; losses are final-accuracy differences", () => {
  const jobs = writeModelJobs({ ...WRITE_MODELS_SHORT, sigmas: [0.2, 0.5] });
  assert.is(jobs.length, 1 + 3 * 2);
  assert.is(jobs[0].run.programmingNoiseRel, 0);
  assert.equal(jobs.slice(1).map((j) => j.label), ["every-update/0.2", "every-update/0.5", "level-change/0.2", "level-change/0.5", "every-epoch/0.2", "every-epoch/0.5"]);
  assert.throws(() => writeModelJobs({ ...WRITE_MODELS_SHORT, sigmas: [0, 0.2] }), /sigmas must all be > 0/);
  // Fake results: final accuracies 0.80 (no error), then 0.78 / 0.70 … per job.
  const finals = [0.8, 0.78, 0.7, 0.8, 0.79, 0.8, 0.75];
  const fake = jobs.map((job, i): JobResult => ({ label: job.label, job, dataLabel: "", dataMessage: "", wallS: 0,
    result: { rows: [{ phase: 0, phaseName: "s", epoch: 0, globalEpoch: 1, eval: "FMNIST", accuracy: 0.5 }, { phase: 0, phaseName: "s", epoch: 1, globalEpoch: 2, eval: "FMNIST", accuracy: finals[i] }],
      completed: true, resumedAfter: null, hiddenHistogram: { lo: -1, hi: 1, counts: [1, 2, 2, 5] }, hiddenDigest: "", trainingSeconds: null } }));
  const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} vs ${b}`);
  near(writeModelLossPp(fake, "every-update", 0.5), 10);
  near(writeModelLossPp(fake, "level-change", 0.2), 0);
  near(writeModelLossPp(fake, "every-epoch", 0.5), 5);
  const rows = writeModelTable(fake);
  // Share in the two end bins of the fake histogram [1, 2, 2, 5]: (1 + 5)/10 = 60 %.
  near(rows[0].nearBoundPct as number, 60);
  assert.is(rows[0]["write model"], "(no error)");
  assert.throws(() => writeModelTable(fake.slice(1)), /error-free run/);
});

test.run();
