/**
 * Input checks of the network code and the experiments built on it: bad input is refused with a RangeError that names
 * the field (or gives the documented NaN) instead of hanging, crashing with a TypeError or returning a wrong number.
 * Each case also runs one valid edge input, which must still work.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRng } from "../src/util/rng";
import { idealSign } from "../src/mtt/transfer-function";
import { ecramMttTransfer } from "../src/mtt/network-transfer";
import { createNetwork } from "../src/nn/network";
import { jsMatMul, type MatMulBackend } from "../src/nn/matmul";
import { Trainer, evaluate, train, type TrainerSnapshot } from "../src/nn/train";
import { makeDataset, takeFirst } from "../src/nn/datasets/dataset";
import { toyDataset } from "../src/nn/datasets/toy2d";
import { loadIdxPair } from "../src/nn/datasets/idx";
import { createConvNetwork } from "../src/nn/conv-network";
import { ConvTrainer, evaluateConv } from "../src/nn/conv-trainer";
import { firstLayerGradientGeometry } from "../src/experiments/continual-small";
import { asymmetricSummary, kSweepSummary, pairedDrop, readBiasSummary, specKey, type RetentionResult, type SweepResults, type TransferSpec } from "../src/experiments/mtt-continual";
import { rramStates } from "../src/experiments/mtt-rram";
import { CONTINUAL_LARGE_QUICK, accuracyMatrix, finalAccuracies, firstTaskUnchanged, progErrorTable, type ContinualLargeResults } from "../src/experiments/continual-large";
import type { JobResult } from "../src/runs/task-sequence-jobs";
import type { NetworkRunConfig } from "../src/runs/task-sequence-runner";

/** Passes when `f` throws a RangeError whose message matches `re`. */
function throwsRange(f: () => unknown, re: RegExp, what: string): void {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof RangeError, `${what}: threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    assert.match((e as Error).message, re, `${what}: message`);
    return;
  }
  assert.unreachable(`${what}: did not throw`);
}

const xor = toyDataset("XOR", 40, createRng("input-checks/xor"));
const net231 = (seed = "w", tasks = 1) => createNetwork({ layerSizes: [2, 3, 1], transfer: idealSign, hiddenBits: 3, tasks }, createRng(seed));

/** jsMatMul that gives up (plain Error) after `limit` products, so a loop that never ends fails instead of hanging. */
function boundedBackend(limit: number): MatMulBackend {
  let calls = 0;
  return {
    name: "bounded",
    matmul: (a, b, m, k, n, out) => {
      if (++calls > limit) throw new Error(`more than ${limit} products: the loop does not end`);
      return jsMatMul.matmul(a, b, m, k, n, out);
    },
  };
}

// ── 1. evaluate: batchSize ─────────────────────────────────────────────────────────────────────────────────
test("evaluate refuses a batchSize that is not an integer ≥ 1; batch 1 and the default still work", () => {
  const net = net231();
  for (const bad of [0, 1.5, -5, NaN]) throwsRange(() => evaluate(net, xor, { task: 0, batchSize: bad, backend: boundedBackend(200) }), /batchSize.*got/, `batchSize ${bad}`);
  const whole = evaluate(net, xor, { task: 0, bnMode: "running" });
  const single = evaluate(net, xor, { task: 0, batchSize: 1, bnMode: "running" });
  // With running statistics the batch size does not matter: the same predictions either way.
  assert.equal(Array.from(single.predictions), Array.from(whole.predictions));
});

// ── 2. evaluate: weight tensors per layer ──────────────────────────────────────────────────────────────────
test("evaluate refuses more or fewer weight tensors than the network has layers, naming both counts", () => {
  const net = createNetwork({ layerSizes: [2, 4, 3], transfer: idealSign }, createRng("w3"));
  const d = makeDataset("d", xor.x, xor.y, 2, 2);
  throwsRange(() => evaluate(net, d, { task: 0, weights: [new Float32Array(8).fill(1)] }), /weights has 1 tensors.*2 layers/, "one tensor");
  throwsRange(() => evaluate(net, d, { task: 0, weights: [new Float32Array(8), new Float32Array(12), new Float32Array(3)] }), /weights has 3 tensors.*2 layers/, "three tensors");
  const ok = evaluate(net, d, { task: 0, weights: [new Float32Array(8).fill(1), new Float32Array(12).fill(-1)] });
  assert.ok(ok.accuracy >= 0 && ok.accuracy <= 1);
});

// ── 3. empty dataset ───────────────────────────────────────────────────────────────────────────────────────
test("evaluate and train refuse a dataset with no samples; one sample still evaluates", () => {
  const empty = takeFirst(xor, 0);
  assert.is(empty.count, 0);
  throwsRange(() => evaluate(net231(), empty, { task: 0 }), /"XOR" has no samples/, "evaluate");
  throwsRange(() => train(new Trainer(net231(), { lr: 0.01, meta: 0 }), empty, { epochs: 1, batchSize: 10, task: 0, rng: createRng(1) }), /"XOR" has no samples/, "train");
  const one = evaluate(net231(), takeFirst(xor, 1), { task: 0, bnMode: "running" });
  assert.ok(one.accuracy === 0 || one.accuracy === 1);
  // The convolutional network's evaluation too (it returned an accuracy of NaN).
  const conv = createConvNetwork({ inputChannels: 1, inputHeight: 4, inputWidth: 4, layers: [{ kind: "conv", outChannels: 2, kernel: 3, padding: 1 }, { kind: "linear", outFeatures: 2 }], transfer: idealSign }, createRng("conv"));
  const images = makeDataset("images", new Float32Array(3 * 16).fill(0.5), Int32Array.from([0, 1, 0]), 16, 2);
  throwsRange(() => evaluateConv(conv, takeFirst(images, 0), { task: 0 }), /"images" has no samples/, "evaluateConv");
  assert.ok(Number.isFinite(evaluateConv(conv, images, { task: 0 }).accuracy));
});

// ── 4. restoring a snapshot ────────────────────────────────────────────────────────────────────────────────
test("restore refuses a snapshot that does not fit the network before writing anything; a fitting one restores", () => {
  const source = (tasks: number) => {
    const tr = new Trainer(net231("src", tasks), { lr: 0.01, meta: 0 });
    train(tr, xor, { epochs: 1, batchSize: 10, task: tasks - 1, rng: createRng("snap") });
    return tr.snapshot();
  };
  const two = source(2);
  const one = source(1);
  const copy = (s: TrainerSnapshot): TrainerSnapshot => ({
    hidden: s.hidden.map((h) => h.slice()),
    bn: s.bn.map((t) => t.map((b) => ({ gamma: b.gamma.slice(), beta: b.beta.slice(), runningMean: b.runningMean.slice(), runningVar: b.runningVar.slice() }))),
    adam: { step: s.adam.step, m: s.adam.m.map((a) => a.slice()), v: s.adam.v.map((a) => a.slice()) },
    task: s.task,
  });
  const target = (tasks: number) => new Trainer(net231("dst", tasks), { lr: 0.01, meta: 0 });
  /** Restoring `s` into a fresh `tasks`-task trainer throws a RangeError matching `re` and leaves it unchanged. */
  const refused = (s: TrainerSnapshot, tasks: number, re: RegExp, what: string) => {
    const tr = target(tasks);
    const before = tr.snapshot();
    throwsRange(() => tr.restore(s), re, what);
    assert.equal(tr.snapshot(), before, `${what}: the network was changed`);
    assert.is(tr.currentTask, 0, `${what}: task`);
  };
  refused(two, 1, /BatchNorm states for 2 tasks, network has 1/, "2-task snapshot into a 1-task net");
  refused(one, 2, /BatchNorm states for 1 tasks, network has 2/, "1-task snapshot into a 2-task net");
  refused({ ...copy(one), task: 5 }, 1, /snapshot task .*got 5/, "task 5");
  refused({ ...copy(one), task: 0.5 }, 1, /snapshot task .*got 0\.5/, "task 0.5");
  // A later layer that does not fit: layer 0 must not have been written before the refusal.
  const wide = copy(one);
  wide.hidden[1] = new Float32Array(4);
  refused(wide, 1, /snapshot layer 1 has 4 weights, network has 3/, "layer 1 weights");
  const bnLayer = copy(one);
  bnLayer.bn[0][1].runningVar = new Float32Array(2);
  refused(bnLayer, 1, /task 0 BatchNorm layer 1 runningVar has 2 values, network has 1/, "BatchNorm size");
  const bnMissing = copy(one);
  bnMissing.bn[0].pop();
  refused(bnMissing, 1, /task 0 has 1 BatchNorm layers, network has 2/, "BatchNorm layers");
  const adam = copy(one);
  adam.adam.m.pop();
  refused(adam, 1, /adam\.m has 5 tensors, the optimizer of task 0 has 6/, "Adam tensors");
  const adamSize = copy(one);
  adamSize.adam.v[2] = new Float32Array(7);
  refused(adamSize, 1, /adam\.v\[2\] has 7 values, the optimizer slot has 3/, "Adam size");
  // The fitting snapshot restores exactly.
  const tr = target(2);
  tr.restore(two);
  assert.equal(tr.snapshot(), two);
  assert.is(tr.currentTask, 1);
});

// ── 5. loadIdxPair: limit ──────────────────────────────────────────────────────────────────────────────────
test("loadIdxPair refuses a limit that is not an integer ≥ 0; limit 0, a limit past the end and no limit work", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "input-checks-idx-"));
  try {
    const img = Buffer.alloc(16 + 3 * 4);
    img.writeUInt32BE(0x803, 0);
    img.writeUInt32BE(3, 4);
    img.writeUInt32BE(2, 8);
    img.writeUInt32BE(2, 12);
    const lab = Buffer.concat([Buffer.alloc(8), Buffer.from([1, 2, 3])]);
    lab.writeUInt32BE(0x801, 0);
    lab.writeUInt32BE(3, 4);
    const imgFile = path.join(dir, "img");
    const labFile = path.join(dir, "lab");
    fs.writeFileSync(imgFile, img);
    fs.writeFileSync(labFile, lab);
    for (const bad of [-1, 2.5, NaN]) throwsRange(() => loadIdxPair("t", imgFile, labFile, bad), /limit must be an integer ≥ 0, got/, `limit ${bad}`);
    assert.is(loadIdxPair("t", imgFile, labFile, 0).count, 0);
    assert.is(loadIdxPair("t", imgFile, labFile, 2).count, 2);
    assert.is(loadIdxPair("t", imgFile, labFile, 10).count, 3);
    assert.is(loadIdxPair("t", imgFile, labFile).count, 3);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// ── 6. firstLayerGradientGeometry: batch size ──────────────────────────────────────────────────────────────
test("firstLayerGradientGeometry refuses a batch outside 2 … count, returns NaN when no pair has a gradient; batch 2 and count work", () => {
  const net = createNetwork({ layerSizes: [2, 3, 1], transfer: ecramMttTransfer(), hiddenBits: 3 }, createRng("geom"));
  const d = toyDataset("Data-A", 40, createRng("geom-data"));
  // 0 and −2 last: before the check they never ended, so a missing check fails at 1 first instead of hanging.
  for (const bad of [1, 1.5, 0, -2]) throwsRange(() => firstLayerGradientGeometry(net, d, 0, bad, createRng("o")), /batchSize must be an integer ≥ 2, got/, `batch ${bad}`);
  throwsRange(() => firstLayerGradientGeometry(net, d, 0, 41, createRng("o")), /batchSize must be ≤ the 40 samples .*got 41/, "batch 41");
  for (const ok of [2, 40]) {
    const g = firstLayerGradientGeometry(net, d, 0, ok, createRng("o"));
    // (With two samples BatchNorm's ε is not small against the batch variance, so the dot is not near 0 there.)
    assert.ok(g.pairs > 0 && g.relativeDot >= 0 && g.relativeDot <= 1, `batch ${ok}: ${JSON.stringify(g)}`);
  }
  // γ = 0 in the first BatchNorm: its output is the constant β, so no gradient reaches the first layer: pairs 0, NaN.
  net.bn[0][0].gamma.fill(0);
  const none = firstLayerGradientGeometry(net, d, 0, 10, createRng("o"));
  assert.is(none.pairs, 0);
  assert.is(none.opposite, 0);
  assert.ok(Number.isNaN(none.relativeDot), `relativeDot ${none.relativeDot}`);
});

// ── 7, 8. paired seeds and read ratios ─────────────────────────────────────────────────────────────────────
const sign: TransferSpec = { family: "sign" };
const sym = (k: number, readRatio = 1): TransferSpec => ({ family: "symmetric", k, readRatio });
const asym = (k: number): TransferSpec => ({ family: "asymmetric", k });
/** Runs of one transfer function, seeds 1…n, from per-seed retention (task A after B). */
const runs = (spec: TransferSpec, aAfterB: number[]): RetentionResult[] => aAfterB.map((a, i) => ({ spec, seed: i + 1, aAfterA: 0.95, aAfterB: a, b: 0.7, grownAfterA: 0.5, wallS: 1 }));
const results = (entries: [TransferSpec, number[]][]): SweepResults => new Map(entries.map(([s, a]) => [specKey(s), runs(s, a)]));

test("pairedDrop with one seed: SE and z are NaN, so no K is resolvably short and the drops' z is NaN; two seeds give numbers", () => {
  const d = pairedDrop(runs(sign, [0.9]), runs(sym(5), [0.8]), "retention");
  assert.ok(Math.abs(d.diffPct - 10) < 1e-9, `diff ${d.diffPct}`);
  assert.ok(Number.isNaN(d.sePct) && Number.isNaN(d.z), JSON.stringify(d));
  const e = pairedDrop(runs(sign, [0.9, 0.8]), runs(sym(5), [0.8, 0.75]), "retention");
  // d = 10, 5 pp: mean 7.5, s = √12.5, SE = √12.5/√2 = 2.5, z = 3.
  assert.ok(Math.abs(e.sePct - 2.5) < 1e-9 && Math.abs(e.z - 3) < 1e-9, JSON.stringify(e));
  // K sweep with one seed: K = 2 is 10 pp below K = 20, but with one seed that is not resolvable.
  const k = kSweepSummary(results([[sign, [0.9]], [sym(2), [0.7]], [sym(20), [0.8]]]), [2, 20]);
  assert.ok(Number.isNaN(k.rows[1]["below K=20 / SE"] as number), JSON.stringify(k.rows[1]));
  assert.is(k.kSaturation, 2);
  assert.ok(Number.isNaN(k.idealGap.z));
  const rb = readBiasSummary(results([[sym(20, 1), [0.9]], [sym(20, 0.6), [0.8]]]), 20, [1, 0.6]);
  assert.ok(Math.abs(rb.dropPct - 5) < 1e-9 && Number.isNaN(rb.dropSE), JSON.stringify(rb));
  const as = asymmetricSummary(results([[sym(100), [0.9]], [asym(100), [0.8]]]), 100);
  assert.ok(Math.abs(as.dropPct - 10) < 1e-9 && Number.isNaN(as.dropSE), JSON.stringify(as));
});

test("readBiasSummary refuses fewer than two different read ratios", () => {
  const r = results([[sym(20, 1), [0.9, 0.85]], [sym(20, 0.6), [0.8, 0.8]]]);
  for (const bad of [[1], [], [0.6, 0.6]]) throwsRange(() => readBiasSummary(r, 20, bad), /readRatios must hold at least two different read ratios/, JSON.stringify(bad));
  // Score "mean" = (A after B + B)/2 with B equal on both sides: the drops are 10/2 = 5 and 5/2 = 2.5 pp, mean 3.75.
  const ok = readBiasSummary(r, 20, [0.6, 1]);
  assert.ok(Math.abs(ok.dropPct - 3.75) < 1e-9, `${ok.dropPct}`);
});

// ── 9. rramStates: cells per state ─────────────────────────────────────────────────────────────────────────
test("rramStates refuses one cell per state (overlap cannot be judged); two cells work", () => {
  throwsRange(() => rramStates({ cellsPerState: 1, seed: 19 }), /cellsPerState must be an integer ≥ 2, got 1/, "one cell");
  const r = rramStates({ cellsPerState: 2, seed: 3 });
  assert.is(r.levels.length * 2, r.rows.length);
});

// ── 10. continual-large tables on a run without rows ───────────────────────────────────────────────────────
test("accuracyMatrix, finalAccuracies and progErrorTable refuse a run with no evaluated epoch, naming it", () => {
  const run: NetworkRunConfig = { seed: "t", layerSizes: [784, 8, 10], transfer: "ecram", hiddenBits: 3, lr: 0.005, meta: 12, batchSize: 100, programmingNoiseRel: 0.1, evalEvery: 1 };
  const empty = (label: string): JobResult => ({
    label,
    job: { kind: "stream", label, run, dataset: "fmnist", trainCount: 10, testCount: 10, subsets: 1, epochsPerSubset: 3 },
    dataLabel: "Fashion-MNIST",
    dataMessage: "",
    wallS: 0,
    result: { rows: [], completed: false, resumedAfter: null, hiddenHistogram: { lo: -1, hi: 1, counts: [] }, hiddenDigest: "", trainingSeconds: null },
  });
  throwsRange(() => accuracyMatrix(empty("ecram/seed0")), /run "ecram\/seed0" has no evaluated epoch/, "accuracyMatrix");
  throwsRange(() => finalAccuracies(empty("ecram/seed1")), /run "ecram\/seed1" has no evaluated epoch/, "finalAccuracies");
  throwsRange(() => firstTaskUnchanged(empty("ecram/seed2")), /run "ecram\/seed2" has no evaluated epoch/, "firstTaskUnchanged");
  const one = empty("prog-error/0.1");
  one.result.rows.push({ phase: 0, phaseName: "subset 1", epoch: 0, globalEpoch: 1, eval: "FMNIST", accuracy: 0.8 });
  const res = { config: CONTINUAL_LARGE_QUICK, progError: [one, empty("prog-error/0.2")] } as unknown as ContinualLargeResults;
  throwsRange(() => progErrorTable(res), /run "prog-error\/0\.2" has no evaluated epoch/, "progErrorTable");
  // One evaluated epoch is enough.
  assert.equal(progErrorTable({ ...res, progError: [one] })[0], { "σ (%)": 10, bestAccuracy: 80, bestEpoch: 1, finalAccuracy: 80, lossSinceBest: 0 });
  assert.equal(accuracyMatrix(one), [[80]]);
});


// ── Divergence: a learning rate so large that γ·x̂ + β overflows while the batch statistics stay finite ──────
test("training that diverges names the layer and the epoch, also when only the loss shows it (huge γ)", () => {
  // With hidden weights clipped to ±1 only BatchNorm's γ and β can grow: one Adam step moves γ by ≈ lr, and at
  // lr ≥ 3e38 (float32's largest is 3.4e38) γ·x̂ overflows although the batch mean and variance stay finite.
  for (const lr of [3e38, 1e39]) {
    try {
      train(new Trainer(net231(), { lr, meta: 0 }), xor, { epochs: 3, batchSize: 10, task: 0, rng: createRng(1) });
      assert.unreachable(`lr ${lr}: trained without diverging`);
    } catch (e) {
      assert.match((e as Error).message, /^training diverged: non-finite BatchNorm output in layer \d \(task 0, epoch \d, batch \d\)$/, `lr ${lr}`);
    }
  }
});

test("the convolutional trainer names the layer of a diverged step too", () => {
  const layers = [{ kind: "conv", outChannels: 2, kernel: 3, padding: 1 }, { kind: "linear", outFeatures: 2 }] as const;
  const data = makeDataset("noise-4x4", Float32Array.from({ length: 20 * 16 }, (_, i) => ((i * 7919) % 13) / 13), Int32Array.from({ length: 20 }, (_, i) => i % 2), 16, 2);
  for (const lr of [3e38, 1e39]) {
    const net = createConvNetwork({ inputChannels: 1, inputHeight: 4, inputWidth: 4, layers: layers.map((l) => ({ ...l })), transfer: idealSign, hiddenBits: 3 }, createRng("conv-diverge"));
    try {
      train(new ConvTrainer(net, { lr, meta: 0 }), data, { epochs: 3, batchSize: 10, task: 0, rng: createRng(2) });
      assert.unreachable(`lr ${lr}: trained without diverging`);
    } catch (e) {
      assert.match((e as Error).message, /^training diverged: non-finite BatchNorm output in layer \d \((conv|linear)\) \(task 0, step \d+\)$/, `lr ${lr}`);
    }
  }
});

test.run();

test("BatchNorm momentum outside [0, 1] is refused by both network builders (running ← (1 − m)·running + m·batch)", () => {
  for (const bad of [-0.1, 1.5, NaN]) {
    throwsRange(() => createNetwork({ layerSizes: [2, 3, 1], transfer: idealSign, bnMomentum: bad }, createRng("m")), /bnMomentum/, `dense ${bad}`);
    throwsRange(
      () => createConvNetwork({ inputChannels: 1, inputHeight: 4, inputWidth: 4, layers: [{ kind: "linear", outFeatures: 2 }], transfer: idealSign, bnMomentum: bad }, createRng("m")),
      /bnMomentum/,
      `conv ${bad}`,
    );
  }
  // The ends are valid: 0 freezes the running statistics, 1 keeps only the last batch.
  for (const ok of [0, 1]) createNetwork({ layerSizes: [2, 3, 1], transfer: idealSign, bnMomentum: ok }, createRng("m"));
});
