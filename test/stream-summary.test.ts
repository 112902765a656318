/**
 * Notebook 07's curve and table functions (src/experiments/stream-learning.ts) on hand-made results: no training.
 * worstStreamGapPp and tableS3LargestGapPp on hand-written rows are in test/stream-learning.test.ts; here they only close
 * the chain from run results to the registry values yang.stream.fcnn / yang.stream.cnn / yang.fcnn.fmnist.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  STREAM_LEARNING_QUICK, finalAccuracy, streamAgreement, streamCurve, streamCurves, streamSummary, tableS3, tableS3LargestGapPp, tableS3Runs, worstStreamGapPp, type StreamLearningResults,
} from "../src/experiments/stream-learning";
import type { JobResult } from "../src/runs/task-sequence-jobs";
import type { ScheduleRow, TransferKey } from "../src/runs/task-sequence-runner";

const EPS = 1e-9;
const close = (got: unknown, want: number, what: string) => assert.ok(typeof got === "number" && Math.abs(got - want) < EPS, `${what}: got ${String(got)}, want ${want}`);
const closeAll = (got: unknown[], want: number[], what: string) => {
  assert.is(got.length, want.length, `${what}: length`);
  got.forEach((g, i) => close(g, want[i], `${what}[${i}]`));
};

/**
 * A stream run as the runner records it: `phases[p]` holds the test accuracies (%) of subset p's scored epochs, the
 * last of them after the subset's last epoch. Subsets of 4 epochs scored every 2 (epochs 1 and 3, 0-based); one score
 * per subset: only the last epoch (as Table S3 runs with evalEvery = epochs).
 */
function streamRun(label: string, transfer: TransferKey, phases: number[][]): JobResult {
  const epochsPerSubset = 4;
  const rows: ScheduleRow[] = [];
  phases.forEach((accs, p) => {
    const scored = accs.length === 1 ? [3] : [1, 3];
    accs.forEach((a, k) => rows.push({ phase: p, phaseName: `subset ${p + 1}`, epoch: scored[k], globalEpoch: p * epochsPerSubset + scored[k] + 1, eval: "FMNIST", accuracy: a / 100 }));
  });
  return {
    label,
    job: { kind: "stream", label, run: { seed: "t", layerSizes: [784, 8, 10], transfer, hiddenBits: 3, lr: 0.005, meta: 5, batchSize: 100, programmingNoiseRel: 0, evalEvery: phases.every((a) => a.length === 1) ? epochsPerSubset : 2 }, dataset: "fmnist", trainCount: 30, testCount: 10, subsets: phases.length, epochsPerSubset },
    dataLabel: "Fashion-MNIST",
    dataMessage: "",
    wallS: 0,
    result: { rows, completed: true, resumedAfter: null, hiddenHistogram: { lo: -1, hi: 1, counts: [] }, hiddenDigest: "", trainingSeconds: null },
  };
}

// FCNN stream, three subsets, accuracy (%) after epochs 2 and 4 of each subset. Per-subset curves (the last epoch):
// ECRAM-MTT 70, 78, 84 (its first subset peaks at 72 mid-subset); RRAM-MTT 66, 82, 81 (peak 82 before the end);
// sign 71, 79, 85.
const fcnnStream = {
  ecram: streamRun("fcnn-stream/ecram", "ecram", [[72, 70], [74, 78], [80, 84]]),
  rram: streamRun("fcnn-stream/rram", "rram", [[58, 66], [70, 82], [79, 81]]),
  sign: streamRun("fcnn-stream/sign", "sign", [[62, 71], [74, 79], [83, 85]]),
};
// Whole set (one subset), scored after epochs 2 and 4: ECRAM 80 → 86, RRAM 85 → 84 (final below its peak), sign 85 → 87.
const fcnnWhole = {
  ecram: streamRun("fcnn-whole/ecram", "ecram", [[80, 86]]),
  rram: streamRun("fcnn-whole/rram", "rram", [[85, 84]]),
  sign: streamRun("fcnn-whole/sign", "sign", [[85, 87]]),
};
// m = 0 control: 50 → 40, 45 → 55, 30 → 35.
const fcnnStreamM0 = streamRun("fcnn-stream-m0/ecram", "ecram", [[50, 40], [45, 55], [30, 35]]);
// CNN: the stream runs against one whole-set run (ideal sign) whose final accuracy is 80 (78 after epoch 2).
const cnnStream = {
  ecram: streamRun("cnn-stream/ecram", "ecram", [[60, 65], [70, 79]]),
  rram: streamRun("cnn-stream/rram", "rram", [[60, 64], [70, 76]]),
  sign: streamRun("cnn-stream/sign", "sign", [[61, 66], [75, 82]]),
};
const cnnWhole = streamRun("cnn-whole/sign", "sign", [[78, 80]]);
// Table S3: one score per run (after its last epoch). ECRAM 88, 90, 92; RRAM 86, 89; sign 91 (one seed).
const s3 = (t: "ecram" | "rram" | "sign", accs: number[]) => accs.map((a, s) => streamRun(`table-s3/${t}/seed${s}`, t, [[a]]));
const table = { ecram: s3("ecram", [88, 90, 92]), rram: s3("rram", [86, 89]), sign: s3("sign", [91]) };

const res: StreamLearningResults = {
  config: STREAM_LEARNING_QUICK,
  fcnnStream,
  fcnnWhole,
  fcnnStreamM0,
  cnn: { protocol: STREAM_LEARNING_QUICK.cnn, substitute: true, message: "" },
  cnnStream,
  cnnWhole,
  cnnSmall: null,
  tableS3: table,
  all: [],
  wallS: 0,
};

test("finalAccuracy: the last evaluation in %, not the best", () => {
  close(finalAccuracy(fcnnStream.rram), 81, "RRAM stream (peak 82)");
  close(finalAccuracy(fcnnWhole.rram), 84, "RRAM whole set (peak 85)");
  // A run without any evaluation is refused by name, not read as rows[−1].
  const empty = { ...fcnnWhole.rram, label: "stream/empty", result: { ...fcnnWhole.rram.result, rows: [] } };
  assert.throws(() => finalAccuracy(empty), (e: unknown) => e instanceof RangeError && /run "stream\/empty" has no evaluated epoch/.test((e as Error).message));
});

test("streamCurve: one point per subset, read after the subset's last epoch, subsets numbered from 1", () => {
  const rows = streamCurve("m = 0 control", fcnnStreamM0);
  assert.equal(rows.map((r) => [r.run, r.subset]), [["m = 0 control", 1], ["m = 0 control", 2], ["m = 0 control", 3]]);
  // The last epoch of each subset: 40, 55, 35 (not the first scored epoch's 50, 45, 30, nor the best).
  closeAll(rows.map((r) => r.accuracy), [40, 55, 35], "m = 0 curve");
  // With every epoch of a subset scored, still one point per subset: the last.
  // Two subsets of 4 epochs, accuracy 50 + 10·subset + epoch (%): subset 1 ends at 50 + 3 = 53, subset 2 at 60 + 3 = 63.
  const dense: JobResult = { ...fcnnStreamM0, result: { ...fcnnStreamM0.result, rows: [0, 1].flatMap((p) => [0, 1, 2, 3].map((e) => ({ phase: p, phaseName: `subset ${p + 1}`, epoch: e, globalEpoch: 4 * p + e + 1, eval: "FMNIST", accuracy: (10 * p + e + 50) / 100 }))) } };
  closeAll(streamCurve("dense", dense).map((r) => r.accuracy), [53, 63], "dense curve");
});

test("streamCurves: ECRAM-MTT, RRAM-MTT, ideal sign in that order, each named by its label plus the suffix", () => {
  const rows = streamCurves(fcnnStream, ", m = 5");
  assert.equal(rows.map((r) => [r.run, r.subset]), [
    ["ECRAM-MTT, m = 5", 1], ["ECRAM-MTT, m = 5", 2], ["ECRAM-MTT, m = 5", 3],
    ["RRAM-MTT, m = 5", 1], ["RRAM-MTT, m = 5", 2], ["RRAM-MTT, m = 5", 3],
    ["ideal sign, m = 5", 1], ["ideal sign, m = 5", 2], ["ideal sign, m = 5", 3],
  ]);
  closeAll(rows.map((r) => r.accuracy), [70, 78, 84, 66, 82, 81, 71, 79, 85], "curves");
  assert.equal(streamCurves(cnnStream).map((r) => r.run).filter((x, i, a) => a.indexOf(x) === i), ["ECRAM-MTT", "RRAM-MTT", "ideal sign"], "no suffix by default");
});

test("yang.stream.fcnn: per transfer stream final minus its own whole-set final, and the worst of them, by hand", () => {
  const rows = streamSummary(fcnnStream, fcnnWhole);
  assert.equal(rows.map((r) => r.transfer), ["ECRAM-MTT", "RRAM-MTT", "ideal sign"]);
  closeAll(rows.map((r) => r.streamAccuracy), [84, 81, 85], "stream");
  closeAll(rows.map((r) => r.wholeSetAccuracy), [86, 84, 87], "whole set");
  // 84 − 86 = −2, 81 − 84 = −3, 85 − 87 = −2 (against the sign's whole-set run for all: −3, −6, −2).
  closeAll(rows.map((r) => r.gapPp), [-2, -3, -2], "gap");
  close(worstStreamGapPp(rows), -3, "yang.stream.fcnn");
});

test("yang.stream.cnn: one whole-set run is the reference of every transfer", () => {
  const rows = streamSummary(cnnStream, cnnWhole);
  closeAll(rows.map((r) => r.wholeSetAccuracy), [80, 80, 80], "whole set");
  // 79 − 80 = −1, 76 − 80 = −4, 82 − 80 = +2.
  closeAll(rows.map((r) => r.gapPp), [-1, -4, 2], "gap");
  close(worstStreamGapPp(rows), -4, "yang.stream.cnn");
});

test("Table S3: mean and sample std of the final accuracy over seeds per transfer; one seed has std 0", () => {
  const rows = tableS3(res);
  assert.equal(rows.map((r) => [r.transfer, r.runs]), [["ECRAM-MTT", 3], ["RRAM-MTT", 2], ["ideal sign", 1]]);
  // ECRAM 88, 90, 92 → 90 ± √((4 + 0 + 4)/2) = 2 (population std: 1.633); RRAM 86, 89 → 87.5 ± 3/√2; sign 91 ± 0.
  closeAll(rows.map((r) => r.meanAccuracy), [90, 87.5, 91], "means");
  closeAll(rows.map((r) => r.std), [2, 3 / Math.SQRT2, 0], "stds");
  // yang.fcnn.fmnist: max(|90 − 91|, |87.5 − 91|) = 3.5.
  close(tableS3LargestGapPp(rows), 3.5, "yang.fcnn.fmnist");
});

test("Table S3 run by run: every seed's final accuracy under its transfer label and run label, in transfer order", () => {
  const rows = tableS3Runs(res);
  assert.equal(rows.map((r) => [r.transfer, r.run]), [
    ["ECRAM-MTT", "table-s3/ecram/seed0"], ["ECRAM-MTT", "table-s3/ecram/seed1"], ["ECRAM-MTT", "table-s3/ecram/seed2"],
    ["RRAM-MTT", "table-s3/rram/seed0"], ["RRAM-MTT", "table-s3/rram/seed1"], ["ideal sign", "table-s3/sign/seed0"],
  ]);
  closeAll(rows.map((r) => r.accuracy), [88, 90, 92, 86, 89, 91], "accuracies");
  // The mean of each transfer's points is Table S3's mean.
  const s3rows = tableS3(res);
  for (const t of ["ECRAM-MTT", "RRAM-MTT", "ideal sign"]) {
    const pts = rows.filter((r) => r.transfer === t).map((r) => r.accuracy as number);
    close(s3rows.find((r) => r.transfer === t)!.meanAccuracy, pts.reduce((a, x) => a + x, 0) / pts.length, `${t} mean of points`);
  }
});

test("streamAgreement: gaps, spreads and the test-set noise of the fixtures, by hand", () => {
  // CNN: finals 79, 76, 82 against one whole-set run at 80 → gaps −1, −4, +2; spread 6; after subset 1 the curves
  // read 65, 64, 66 (spread 2), after subset 2 79, 76, 82 (spread 6): median 4. Mean final 0.79 on 100 test images:
  // SE = 100·√(0.79·0.21/100) = 4.0731…; 6 ≤ 2√2·SE, so within noise; on 10,000 images SE = 0.40731… and 6 is not.
  const cnn = streamAgreement(cnnStream, cnnWhole, 100);
  close(cnn.meanGapPp, -1, "cnn mean gap");
  close(cnn.worstGapPp, -4, "cnn worst gap");
  close(cnn.bestGapPp, 2, "cnn best gap");
  close(cnn.finalSpreadPp, 6, "cnn final spread");
  close(cnn.medianSubsetSpreadPp, 4, "cnn median subset spread");
  close(cnn.testStandardErrorPp, 100 * Math.sqrt((0.79 * 0.21) / 100), "cnn SE");
  assert.is(cnn.finalWithinNoise, true);
  assert.is(streamAgreement(cnnStream, cnnWhole, 10000).finalWithinNoise, false);
  // The allowance is two standard errors of a difference (2·√2·SE), not of one accuracy (2·SE): on 300 images
  // SE = 40.731…/√300 = 2.3516…, so 2·SE = 4.70 < 6 ≤ 2√2·SE = 6.65.
  assert.is(streamAgreement(cnnStream, cnnWhole, 300).finalWithinNoise, true);
  // FCNN, one whole-set run per transfer: finals 84, 81, 85 against 86, 84, 87 → gaps −2, −3, −2; subset spreads
  // 5, 4, 4 → median 4.
  const fcnn = streamAgreement(fcnnStream, fcnnWhole, 10);
  close(fcnn.meanGapPp, -7 / 3, "fcnn mean gap");
  close(fcnn.worstGapPp, -3, "fcnn worst gap");
  close(fcnn.bestGapPp, -2, "fcnn best gap");
  close(fcnn.finalSpreadPp, 4, "fcnn final spread");
  close(fcnn.medianSubsetSpreadPp, 4, "fcnn median subset spread");
  assert.throws(() => streamAgreement(cnnStream, cnnWhole, 0), /testCount/);
});

test.run();
