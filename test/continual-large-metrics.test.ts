/**
 * Notebook 06's metric and table functions (src/experiments/continual-large.ts) on hand-made results: no training.
 * Every expected number is worked by hand from the accuracy matrices written out below.
 * (accuracyMatrix, meanFinal, meanForgetting, atBoundFraction, nearZeroFraction, firstTaskUnchanged, progErrorLossPp and
 * the write-reading functions have their own hand-worked cases in test/continual-large.test.ts.)
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  CONTINUAL_LARGE_QUICK, bitsGapPp, bitsSweepTable, consolidationGainPp, finalAccuracies, finalAccuracyStats, hiddenWeightHistograms, learningCurves,
  meanFinalOver, meanFinalTestStdPp, noBinarizationFirstTaskLossPp, plasticityTable, progErrorCurves, progErrorTable, taskNames, transferGapNoise, transferGapPp, type ContinualLargeResults,
} from "../src/experiments/continual-large";
import type { JobResult } from "../src/runs/task-sequence-jobs";
import type { NetworkRunConfig, ScheduleRow } from "../src/runs/task-sequence-runner";
import { sequenceWords } from "../src/nn/task-sequences";

const EPS = 1e-9;
const close = (got: unknown, want: number, what: string) => assert.ok(typeof got === "number" && Math.abs(got - want) < EPS, `${what}: got ${String(got)}, want ${want}`);
const closeAll = (got: unknown[], want: number[], what: string) => {
  assert.is(got.length, want.length, `${what}: length`);
  got.forEach((g, i) => close(g, want[i], `${what}[${i}]`));
};

/** The sequence in its order of learning; deliberately not alphabetical (sorted it would read FMNIST, MNIST, pMNIST). */
const TASKS = ["pMNIST", "FMNIST", "MNIST"];

const baseRun: NetworkRunConfig = { seed: "t", layerSizes: [784, 8, 10], transfer: "ecram", hiddenBits: 3, lr: 0.005, meta: 12, batchSize: 100, programmingNoiseRel: 0, evalEvery: 1 };
const noHistogram = { lo: -1, hi: 1, counts: [] as number[] };

/**
 * A continual run as the runner records it: phase p trains task p for two epochs; after each epoch every learned task is
 * scored (evalEvery 1), global epoch 2p + e + 1. `end[p]` is the accuracy (%) of tasks 0…p after the last epoch of phase p
 * (the accuracy matrix's row p); `mid[p]` after the first epoch (default: 5 pp below `end`, so reading the wrong epoch shows).
 * With `lastOnly` only the last epoch of each phase is scored (evalEvery = epochs per task, as the bits sweep runs).
 */
function seqRun(label: string, run: Partial<NetworkRunConfig>, end: number[][], opts: { mid?: number[][]; lastOnly?: boolean; histogram?: number[] } = {}): JobResult {
  const rows: ScheduleRow[] = [];
  end.forEach((accs, p) => {
    const epochs: [number, number[]][] = opts.lastOnly ? [[1, accs]] : [[0, opts.mid?.[p] ?? accs.map((a) => a - 5)], [1, accs]];
    for (const [epoch, a] of epochs) a.forEach((acc, t) => rows.push({ phase: p, phaseName: TASKS[p], epoch, globalEpoch: 2 * p + epoch + 1, eval: TASKS[t], accuracy: acc / 100 }));
  });
  return {
    label,
    job: { kind: "continual", label, run: { ...baseRun, ...run }, trainPerTask: 10, testPerTask: 10, tasks: end.length, epochsPerTask: 2 },
    dataLabel: TASKS.slice(0, end.length).join("→"),
    dataMessage: "",
    wallS: 0,
    result: { rows, completed: true, resumedAfter: null, hiddenHistogram: { ...noHistogram, counts: opts.histogram ?? [] }, hiddenDigest: "", trainingSeconds: null },
  };
}

/** A Fig 7d run: one phase ("subset 1") of Fashion-MNIST, scored after every epoch; `acc` in %. */
function progRun(sigma: number, acc: number[], histogram: { lo: number; hi: number; counts: number[] }): JobResult {
  const label = `prog-error/${sigma}`;
  const rows: ScheduleRow[] = acc.map((a, e) => ({ phase: 0, phaseName: "subset 1", epoch: e, globalEpoch: e + 1, eval: "FMNIST", accuracy: a / 100 }));
  return {
    label,
    job: { kind: "stream", label, run: { ...baseRun, programmingNoiseRel: sigma }, dataset: "fmnist", trainCount: 10, testCount: 10, subsets: 1, epochsPerSubset: acc.length },
    dataLabel: "Fashion-MNIST",
    dataMessage: "",
    wallS: 0,
    result: { rows, completed: true, resumedAfter: null, hiddenHistogram: histogram, hiddenDigest: "", trainingSeconds: null },
  };
}

// ---- The fake results of notebook 06 (accuracy matrices: row = after learning task p, columns = tasks 0…p, in %). ----

// ECRAM-MTT, three seeds. Final rows: [70, 75, 95] (mean 80), [72, 78, 96] (mean 82), [74, 81, 97] (mean 84).
// Seed 0: first task 90 → 70, second 85 → 75: forgetting (20 + 10)/2 = 15. In its last phase the first task reads 70 after
// both epochs (mid row given), so its last two evaluations (global epochs 5 and 6) are unchanged.
const ecram = [
  seqRun("ecram/seed0", { transfer: "ecram" }, [[90], [80, 85], [70, 75, 95]], { mid: [[85], [75, 80], [70, 73, 90]], histogram: [3, 1, 1, 5] }),
  seqRun("ecram/seed1", { transfer: "ecram" }, [[91], [82, 86], [72, 78, 96]]),
  seqRun("ecram/seed2", { transfer: "ecram" }, [[92], [84, 87], [74, 81, 97]]),
];
// RRAM-MTT, two seeds. Final rows [60, 70, 92] (mean 74), [64, 72, 92] (mean 76).
const rram = [seqRun("rram/seed0", { transfer: "rram" }, [[88], [70, 84], [60, 70, 92]]), seqRun("rram/seed1", { transfer: "rram" }, [[89], [72, 85], [64, 72, 92]])];
// Ideal sign, two seeds. Final rows [72, 80, 94] (mean 82), [70, 78, 92] (mean 80).
const sign = [seqRun("sign/seed0", { transfer: "sign" }, [[93], [82, 88], [72, 80, 94]]), seqRun("sign/seed1", { transfer: "sign" }, [[92], [80, 87], [70, 78, 92]])];
// m = 0 control: final [20, 25, 96] (mean 47); forgetting (92 − 20 + 88 − 25)/2 = 67.5. First task 87, 92, 25, 30, 15, 20.
const controlM0 = seqRun("ecram-m0/seed0", { transfer: "ecram", meta: 0 }, [[92], [30, 88], [20, 25, 96]], { histogram: [0, 6, 4, 0] });
// No binarization: the first task 95 right after learning it, 30 at the end.
const noBinarization = seqRun("none/seed0", { transfer: "none", hiddenBits: null }, [[95], [40, 90], [30, 60, 97]]);
// Fig S32 sweep on the first two tasks, scored only at the end of each task.
// 1 bit: [88], [80, 86] → mean final 83, forgetting 8; 3 bits: [90], [84, 88] → 86, 6; float: [91], [86, 90] → 88, 5.
const bits = [
  seqRun("bits/1", { hiddenBits: 1, evalEvery: 2 }, [[88], [80, 86]], { lastOnly: true }),
  seqRun("bits/3", { hiddenBits: 3, evalEvery: 2 }, [[90], [84, 88]], { lastOnly: true }),
  seqRun("bits/float", { hiddenBits: null, evalEvery: 2 }, [[91], [86, 90]], { lastOnly: true }),
];
// Fig 7d runs, 4 epochs each (σ = 0.07 is the one whose σ·100 is not exactly 7 in binary floating point).
// σ = 0: 80, 85, 87.5, 86 → best 87.5 at epoch 3, final 86, lost 1.5 since. σ = 7 %: 78, 84, 83, 82 → best 84 at epoch 2, lost 2.
// σ = 50 %: 70, 72, 69, 65 → best 72 at epoch 2, lost 7.
const progError = [
  progRun(0, [80, 85, 87.5, 86], { lo: -1, hi: 1, counts: [1, 2, 3, 4] }),
  progRun(0.07, [78, 84, 83, 82], { lo: -1, hi: 1, counts: [4, 3, 2, 1] }),
  progRun(0.5, [70, 72, 69, 65], { lo: -0.5, hi: 0.5, counts: [0, 5, 5, 0] }),
];

const res: ContinualLargeResults = {
  config: { ...CONTINUAL_LARGE_QUICK, seeds: 3, progErrors: [0, 0.07, 0.5], progErrorsEveryEpoch: [], bitsSweep: [1, 3, null], bitsTasks: 2 },
  sequence: TASKS.join("→"),
  dataMessage: "",
  byTransfer: { ecram, rram, sign },
  noBinarization,
  controlM0,
  progError,
  progErrorEveryEpoch: [],
  bits,
  all: [...ecram, ...rram, ...sign, noBinarization, controlM0, ...progError, ...bits],
  wallS: 0,
};

test("sequenceWords: the paper's sequence (or its first tasks) is named as such; any other is a substitute, against the paper's tasks of that length", () => {
  assert.is(sequenceWords("KMNIST→FMNIST→MNIST→KaMNIST"), "KMNIST→FMNIST→MNIST→KaMNIST (the paper's tasks)");
  assert.is(sequenceWords("KMNIST→FMNIST"), "KMNIST→FMNIST (the paper's tasks)");
  assert.match(sequenceWords("pMNIST→FMNIST→MNIST→pFMNIST"), /^pMNIST→FMNIST→MNIST→pFMNIST \(SUBSTITUTE for the paper's KMNIST→FMNIST→MNIST→KaMNIST\)$/);
  assert.match(sequenceWords("pMNIST→FMNIST"), /SUBSTITUTE for the paper's KMNIST→FMNIST\)$/);
  // One real slot and one substitute is still a substitute.
  assert.match(sequenceWords("KMNIST→FMNIST→MNIST→pFMNIST"), /SUBSTITUTE/);
});

test("taskNames: the tasks in the order they were learned (first appearance), not sorted; as many as the run learned", () => {
  assert.equal(taskNames(ecram[0]), ["pMNIST", "FMNIST", "MNIST"]);
  assert.equal(taskNames(bits[0]), ["pMNIST", "FMNIST"]);
  // The final row read off the end of the last phase, not its first epoch (73 for FMNIST there).
  closeAll(finalAccuracies(ecram[0]), [70, 75, 95], "final accuracies of ECRAM-MTT seed 0");
});

test("yang.cl.large.consolidation: mean final of ECRAM-MTT seed 0 minus the m = 0 control, by hand", () => {
  // (70 + 75 + 95)/3 − (20 + 25 + 96)/3 = 80 − 47 = 33 pp. Seed mean (82) instead of seed 0 would give 35.
  close(consolidationGainPp(res), 33, "consolidation gain");
});

test("yang.cl.large.transfer: largest |MTT seed mean − sign seed mean|, whichever function and sign it has", () => {
  // Seed means of the mean final: ECRAM (80 + 82 + 84)/3 = 82, RRAM (74 + 76)/2 = 75, sign (82 + 80)/2 = 81.
  close(meanFinalOver(ecram), 82, "ECRAM-MTT over seeds");
  close(meanFinalOver(rram), 75, "RRAM-MTT over seeds");
  close(meanFinalOver(sign), 81, "sign over seeds");
  // |82 − 81| = 1, |75 − 81| = 6 → 6 (RRAM below the sign: the gap must be taken in absolute value).
  close(transferGapPp(res), 6, "transfer gap");
  // Swapped: the larger gap now comes from the ECRAM-MTT slot.
  close(transferGapPp({ ...res, byTransfer: { ecram: rram, rram: ecram, sign } }), 6, "transfer gap, ECRAM slot largest");
  // An MTT function above the sign counts as much as one below: ECRAM 82 vs a sign at 75 → 7 (RRAM's own 75 − 75 = 0).
  close(transferGapPp({ ...res, byTransfer: { ecram, rram, sign: rram } }), 7, "transfer gap, MTT above the sign");
});

test("yang.cl.no_binarization: the first task's final accuracy, binarized (ECRAM-MTT seed 0) minus W_b = W_h", () => {
  // 70 − 30 = 40 pp (right after learning it: 90 vs 95; last task: 95 vs 97; seed 1: 72).
  close(noBinarizationFirstTaskLossPp(res), 40, "first-task loss without binarization");
});

test("yang.cl.hidden_bits: mean final with n bits minus float, found by hiddenBits; a width not swept throws naming it", () => {
  // 3 bits 86 − float 88 = −2; 1 bit 83 − 88 = −5.
  close(bitsGapPp(res, 3), -2, "3 bits vs float");
  close(bitsGapPp(res, 1), -5, "1 bit vs float");
  // The order of res.bits does not matter.
  close(bitsGapPp({ ...res, bits: [...bits].reverse() }, 3), -2, "reversed sweep");
  assert.throws(() => bitsGapPp(res, 2), (e: unknown) => e instanceof RangeError && /hiddenBits 2 is not in the sweep/.test(e.message));
  assert.throws(() => bitsGapPp({ ...res, bits: bits.slice(0, 2) }, 3), (e: unknown) => e instanceof RangeError && /hiddenBits float is not in the sweep/.test(e.message));
});

test("Fig S32 table: bits label, mean final accuracy and mean forgetting per run of the sweep", () => {
  const rows = bitsSweepTable(res);
  assert.equal(rows.map((r) => r.hiddenBits), ["1", "3", "float"]);
  closeAll(rows.map((r) => r.meanFinalAccuracy), [83, 86, 88], "mean final");
  // Forgetting of the first task only (the last task cannot be forgotten): 88 − 80, 90 − 84, 91 − 86.
  closeAll(rows.map((r) => r.meanForgetting), [8, 6, 5], "mean forgetting");
});

test("Fig 7c stats: per transfer and task the mean and sample std over seeds, then the mean of tasks over seeds", () => {
  const rows = finalAccuracyStats(res);
  const order = ["pMNIST", "FMNIST", "MNIST", "mean of tasks"];
  assert.equal(rows.map((r) => [r.transfer, r.task]), [
    ...order.map((t) => ["ECRAM-MTT", t]), ...order.map((t) => ["RRAM-MTT", t]), ...order.map((t) => ["ideal sign", t]),
  ]);
  assert.equal(rows.map((r) => r.seeds), [3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2]);
  // ECRAM: first task 70, 72, 74 → 72 ± 2 (sample std √((4 + 0 + 4)/2); the population std would be 1.633);
  // second 75, 78, 81 → 78 ± 3; third 95, 96, 97 → 96 ± 1; seed means 80, 82, 84 → 82 ± 2.
  // RRAM: 60, 64 → 62 ± 4/√2; 70, 72 → 71 ± √2; 92, 92 → 92 ± 0; seed means 74, 76 → 75 ± √2.
  // Sign: 72, 70 → 71 ± √2; 80, 78 → 79 ± √2; 94, 92 → 93 ± √2; seed means 82, 80 → 81 ± √2.
  closeAll(rows.map((r) => r.mean), [72, 78, 96, 82, 62, 71, 92, 75, 71, 79, 93, 81], "means");
  const r2 = Math.SQRT2;
  closeAll(rows.map((r) => r.std), [2, 3, 1, 2, 2 * r2, r2, 0, r2, r2, r2, r2, r2], "stds");
  // One seed: std 0, one run counted.
  const one = finalAccuracyStats({ ...res, byTransfer: { ecram: ecram.slice(0, 1), rram, sign } });
  assert.equal(one.slice(0, 4).map((r) => [r.std, r.seeds]), [[0, 1], [0, 1], [0, 1], [0, 1]]);
  closeAll(one.slice(0, 4).map((r) => r.mean), [70, 75, 95, 80], "one-seed means");
});

test("learning curves: one row per evaluation, global epoch, the task trained and the task scored, accuracy in %", () => {
  const rows = learningCurves([{ name: "m = 12", r: ecram[0] }, { name: "m = 0", r: controlM0 }]);
  // 1 + 1 + 2 + 2 + 3 + 3 evaluations per run.
  assert.is(rows.length, 24);
  const first = rows.filter((r) => r.run === "m = 0" && r.task === "pMNIST");
  assert.equal(first.map((r) => r.epoch), [1, 2, 3, 4, 5, 6]);
  assert.equal(first.map((r) => r.trainingOn), ["pMNIST", "pMNIST", "FMNIST", "FMNIST", "MNIST", "MNIST"]);
  closeAll(first.map((r) => r.accuracy), [87, 92, 25, 30, 15, 20], "m = 0, first task");
  closeAll(rows.filter((r) => r.run === "m = 12" && r.task === "MNIST").map((r) => r.accuracy), [90, 95], "m = 12, last task");
});

test("plasticity table: share at the bound in %, the first task's unchanged tail, mean final and forgetting per run", () => {
  const rows = plasticityTable([{ name: "ECRAM-MTT", r: ecram[0] }, { name: "m = 0", r: controlM0 }]);
  assert.equal(rows.map((r) => [r.run, r.firstTaskUnchangedEvals, r.unchangedSinceEpoch]), [
    // First task 85, 90, 75, 80, 70, 70: the last two equal, since global epoch 5, of 6 evaluations.
    ["ECRAM-MTT", "2 of 6", 5],
    // 87, 92, 25, 30, 15, 20: the last moved.
    ["m = 0", "—", null],
  ]);
  // Histograms [3, 1, 1, 5] → (3 + 5)/10 = 80 %; [0, 6, 4, 0] → 0 %.
  closeAll(rows.map((r) => r.hiddenAtBoundPct), [80, 0], "at bound (%)");
  closeAll(rows.map((r) => r.meanFinal), [80, 47], "mean final");
  closeAll(rows.map((r) => r.meanForgetting), [15, 67.5], "mean forgetting");
});

test("Fig 7d curves: σ in % to one decimal, epochs from 1, accuracy in %, every run of the sweep", () => {
  const rows = progErrorCurves(res);
  assert.is(rows.length, 12);
  assert.equal(rows.map((r) => r["σ (%)"]), [0, 0, 0, 0, 7, 7, 7, 7, 50, 50, 50, 50]);
  assert.equal(rows.map((r) => r.epoch), [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]);
  closeAll(rows.map((r) => r.accuracy), [80, 85, 87.5, 86, 78, 84, 83, 82, 70, 72, 69, 65], "accuracy");
});

test("Table S4 shape: best accuracy and its epoch (from 1), final accuracy and the loss since the best, per σ", () => {
  const rows = progErrorTable(res);
  assert.equal(rows.map((r) => [r["σ (%)"], r.bestEpoch]), [[0, 3], [7, 2], [50, 2]]);
  closeAll(rows.map((r) => r.bestAccuracy), [87.5, 84, 72], "best");
  closeAll(rows.map((r) => r.finalAccuracy), [86, 82, 65], "final");
  closeAll(rows.map((r) => r.lossSinceBest), [1.5, 2, 7], "loss since best");
  // Scored every second epoch (epochs 2, 4, 6 → rows with epoch 1, 3, 5): the best, 84 in the second row, is epoch 4,
  // the epoch the Fig 7d curve shows, not the row's position 2.
  const sparse = progRun(0.1, [80, 84, 83], noHistogram);
  sparse.result.rows.forEach((row, k) => { row.epoch = 2 * k + 1; row.globalEpoch = 2 * k + 2; });
  assert.is(progErrorTable({ ...res, progError: [sparse] })[0].bestEpoch, 4);
  assert.equal(progErrorCurves({ ...res, progError: [sparse] }).map((r) => r.epoch), [2, 4, 6]);
});

test("Fig 7e histograms: one row per bin at the bin centre of each run's own range, with its count", () => {
  const rows = hiddenWeightHistograms(res);
  assert.is(rows.length, 12);
  assert.equal(rows.map((r) => r["σ (%)"]), [0, 0, 0, 0, 7, 7, 7, 7, 50, 50, 50, 50]);
  assert.equal(rows.map((r) => r.count), [1, 2, 3, 4, 4, 3, 2, 1, 0, 5, 5, 0]);
  // [−1, 1] in 4 bins of 0.5: centres −0.75, −0.25, 0.25, 0.75; [−0.5, 0.5] in bins of 0.25: −0.375, −0.125, 0.125, 0.375.
  const c1 = [-0.75, -0.25, 0.25, 0.75];
  closeAll(rows.map((r) => r.hiddenWeight), [...c1, ...c1, -0.375, -0.125, 0.125, 0.375], "bin centres");
});

test("transferGapNoise: largest gap between the transfers' seed means against two standard errors of a difference, by hand", () => {
  const rows = transferGapNoise(res);
  const at = (task: string) => rows.find((r) => r.task === task)!;
  // pMNIST finals: ECRAM 70, 72, 74 (mean 72, var 4); RRAM 60, 64 (62, var 8); sign 72, 70 (71, var 2). Gap 72 − 62 = 10;
  // S = 2 seeds (the fewest); 2·√(2·(4 + 8 + 2)/3/2) = 2·√(14/3).
  close(at("pMNIST").largestGapPp, 10, "pMNIST gap");
  close(at("pMNIST").twoSePp, 2 * Math.sqrt(14 / 3), "pMNIST 2 SE");
  assert.is(at("pMNIST").seeds, 2);
  // Mean of tasks: ECRAM 80, 82, 84 (82, var 4); RRAM 74, 76 (75, var 2); sign 82, 80 (81, var 2): gap 7, 2·√(8/3).
  close(at("mean of tasks").largestGapPp, 7, "mean gap");
  close(at("mean of tasks").twoSePp, 2 * Math.sqrt(8 / 3), "mean 2 SE");
});

test("meanFinalTestStdPp: √(Σ binomial variances)/T over the final accuracies, by hand", () => {
  // ECRAM seed 0 ends at 70, 75, 95 % on 100 test images each: variances 21, 18.75, 4.75 (pp²), so √44.5/3.
  close(meanFinalTestStdPp(ecram[0], [100, 100, 100]), Math.sqrt(44.5) / 3, "three tasks");
  assert.throws(() => meanFinalTestStdPp(ecram[0], [100, 100]), /3 tasks but 2 test counts/);
});

test.run();
