/**
 * Runs a metaplastic BNN through a schedule of training phases (the tasks of a continual sequence, or the
 * subsets of a stream), evaluating a set of test sets as it goes, with a checkpoint after every epoch.
 *
 * Determinism: the network is initialised from `createRng(seed)`, and phase p draws its shuffles and
 * programming noise from `createRng(seed).fork("phase<p>")` (then the engine's per-epoch forks), so a run
 * depends only on its configuration, and one resumed from a checkpoint continues bit-identically.
 *
 * Adam is reset at the start of every phase (the engine's `startTask`; Laborieux et al. reset it per task;
 * for stream subsets the same reset is our assumption: each subset arrives as a new batch of data).
 */
import * as path from "path";
import { createRng } from "../util/rng";
import { requireInteger, requireNonNegative, requirePositive } from "../util/validate";
import { idealSign, noBinarization, type WeightTransferFunction } from "../mtt/transfer-function";
import { ecramMttTransfer, rramMttTransfer } from "../mtt/network-transfer";
import { createNetwork } from "../nn/network";
import { Trainer, train, type MetaplasticTrainer } from "../nn/train";
import { createConvNetwork } from "../nn/conv-network";
import { ConvTrainer } from "../nn/conv-trainer";
import { convArchitecturePresets, type ConvArchitectureName } from "../nn/conv-architectures";
import { jsMatMul, type MatMulBackend } from "../nn/matmul";
import type { Accelerator } from "../nn/parallel";
import type { Dataset } from "../nn/datasets/dataset";
import { loadCheckpoint, saveCheckpoint } from "../nn/checkpoint";
import { lockRun, runLockHolder } from "../util/run-lock";
import { configKey } from "../util/json-key";
import { validateProgrammingErrorWrites, type ProgrammingErrorWrites } from "../nn/programming-error";
import { checkRecordedTransfer, finishedRunFile, loadFinishedRun, saveFinishedRun, transferSamples } from "./finished-runs";

/** Which weight transfer W_b = f(W_h) a run uses, by name (JSON-serialisable, so runs can go to workers). */
export type TransferKey = "sign" | "ecram" | "rram" | "none";

export function transferFor(key: TransferKey): WeightTransferFunction {
  switch (key) {
    case "sign":
      return idealSign;
    case "ecram":
      return ecramMttTransfer();
    case "rram":
      return rramMttTransfer();
    case "none":
      return noBinarization;
    default:
      throw new RangeError(`transfer must be one of sign, ecram, rram, none, got "${String(key)}"`);
  }
}

export const TRANSFER_LABEL: Readonly<Record<TransferKey, string>> = Object.freeze({ sign: "ideal sign", ecram: "ECRAM-MTT", rram: "RRAM-MTT", none: "no binarization" });

/** The network and optimizer of one run. */
export interface NetworkRunConfig {
  /** Seed of the run (initial weights, shuffles, programming noise). */
  seed: string;
  /** e.g. [784, 1000, 500, 10] (paper, §4.5). Ignored when `architecture` names a convolutional network. */
  layerSizes: number[];
  /**
   * A convolutional preset of src/nn/conv-architectures.ts (e.g. "compact-cnn-28", "vgg7-paper") instead of the fully
   * connected `layerSizes`; absent for fully connected runs (and then not part of the checkpoint key).
   */
  architecture?: ConvArchitectureName;
  transfer: TransferKey;
  /** Hidden-weight quantizer bits, null = float. Paper: 3 (§4.5). */
  hiddenBits: number | null;
  /** Adam learning rate. Paper: 0.005 (§4.5). */
  lr: number;
  /** Metaplasticity m. Paper: 12 continual (§4.5), 5 FCNN stream (§4.10). */
  meta: number;
  /** Mini-batch size. Laborieux et al.: 100 (public model). */
  batchSize: number;
  /** Relative programming error σ per write (see src/nn/programming-error.ts); 0 = none. */
  programmingNoiseRel: number;
  /**
   * Which optimizer writes carry σ (src/nn/programming-error.ts); absent = `"every-update"`. Part of the
   * checkpoint key only when present, so runs of the default model keep the key they had before it existed.
   */
  programmingErrorWrites?: ProgrammingErrorWrites;
  /** Evaluate every this many epochs within a phase (the last epoch of a phase is always evaluated). */
  evalEvery: number;
}

export interface Phase {
  name: string;
  train: Dataset;
  /** BatchNorm state (task index) the phase trains. */
  bnTask: number;
  epochs: number;
}

export interface EvalTarget {
  name: string;
  data: Dataset;
  bnTask: number;
  /** Evaluated from this phase on (a continual task is scored once it has been learned). */
  fromPhase: number;
}

/** One evaluation: after `epoch` (0-based) of `phase`, test accuracy (0–1) of `eval`. */
export interface ScheduleRow {
  phase: number;
  phaseName: string;
  epoch: number;
  /** Epochs trained so far in the whole schedule (1-based: the row after the first epoch has 1). */
  globalEpoch: number;
  eval: string;
  accuracy: number;
}

export interface ScheduleResult {
  rows: ScheduleRow[];
  /** False when `stopAfterEpochs` stopped the run early. */
  completed: boolean;
  /** Global epoch the run resumed after (null: started fresh). */
  resumedAfter: number | null;
  /** Histogram of the first layer's final hidden weights over [−bound, bound]. */
  hiddenHistogram: { lo: number; hi: number; counts: number[] };
  /** Hash of the first layer's hidden weights (bit-level identity checks). */
  hiddenDigest: string;
  /**
   * Wall time (s) spent training, evaluating and checkpointing this run's epochs, summed over every process
   * that worked on it (a full run resumed over several sessions); null when part of it was trained by a
   * version that did not record the time.
   */
  trainingSeconds: number | null;
}

export interface ScheduleOptions {
  backend?: MatMulBackend;
  /**
   * The engine's two-thread pool (src/nn/parallel.ts: products, SIMD optimizer, shared memory). Overrides
   * `backend`. Its optimizer is a different (SIMD) implementation of the same update, so a run with it is
   * deterministic but not bit-identical to the same run on the serial path; a checkpoint records which was used.
   */
  accelerator?: Accelerator;
  /** Checkpoint folder; a file per configuration key is written after every epoch and resumed from. */
  checkpointDir?: string;
  /**
   * Folder of finished-run records (src/runs/finished-runs.ts; meant to be committed): a run whose record
   * is there returns the stored result without training, and a run that completes writes its record.
   */
  finishedRunsDir?: string;
  /** Extra identity mixed into the checkpoint key (e.g. the dataset sizes and sequence label). */
  keyExtra?: unknown;
  /** Stop after this many epochs of the whole schedule (to test resuming). */
  stopAfterEpochs?: number;
  /** Called after every epoch (progress). */
  onEpoch?: (globalEpoch: number, totalEpochs: number) => void;
}

interface Progress {
  /** Phase of the last completed epoch and that epoch (0-based). */
  phase: number;
  epoch: number;
  globalEpoch: number;
  rows: ScheduleRow[];
  /** ScheduleResult.trainingSeconds up to this checkpoint (absent in checkpoints from before it was recorded). */
  trainingSeconds?: number;
}

export const HISTOGRAM_BINS = 56;

export function validateRunConfig(c: NetworkRunConfig): void {
  requirePositive("lr", c.lr);
  requireNonNegative("meta", c.meta);
  requireInteger("batchSize", c.batchSize, 1);
  requireNonNegative("programmingNoiseRel", c.programmingNoiseRel);
  validateProgrammingErrorWrites(c.programmingErrorWrites);
  requireInteger("evalEvery", c.evalEvery, 1);
  if (c.hiddenBits !== null) requireInteger("hiddenBits", c.hiddenBits, 1);
  transferFor(c.transfer);
  if (c.architecture !== undefined && !(c.architecture in convArchitecturePresets()))
    throw new RangeError(`architecture must be one of ${Object.keys(convArchitecturePresets()).join(", ")}, got "${String(c.architecture)}"`);
}

/** The trainer of a run: a fully connected network, or the convolutional preset `cfg.architecture`. */
function buildTrainer(cfg: NetworkRunConfig, tasks: number, rng: ReturnType<typeof createRng>, backend: MatMulBackend, acc: Accelerator | undefined): MetaplasticTrainer {
  const weightPath = { transfer: transferFor(cfg.transfer), hiddenBits: cfg.hiddenBits, programmingNoiseRel: cfg.programmingNoiseRel, programmingErrorWrites: cfg.programmingErrorWrites, tasks };
  const allocate = acc ? { allocate: acc.allocate } : {};
  if (cfg.architecture !== undefined) {
    const net = createConvNetwork({ ...convArchitecturePresets()[cfg.architecture], ...weightPath }, rng, allocate);
    return new ConvTrainer(net, { lr: cfg.lr, meta: cfg.meta, backend, ...(acc ? { optimizer: acc.optimizer } : {}) });
  }
  const net = createNetwork({ layerSizes: cfg.layerSizes, ...weightPath }, rng, allocate);
  return new Trainer(net, acc ? { lr: cfg.lr, meta: cfg.meta, accelerator: acc } : { lr: cfg.lr, meta: cfg.meta, backend });
}

/**
 * The thread count belongs to a convolutional run's checkpoint key: its products have long inner dimensions
 * (batch × pixels), which tfjs-wasm blocks differently when the two-thread pool splits a product by columns,
 * so one and two threads give slightly different (each deterministic) runs. Fully connected runs come out
 * bit-identical on one or two threads (test/checkpoint.test.ts), so their key leaves it out.
 */
function convThreads(cfg: NetworkRunConfig, acc: Accelerator | undefined): { threads?: number } {
  // One thread is the reference path of convolutional runs (runJobs sends them there), so only other counts are keyed.
  return cfg.architecture !== undefined && acc && acc.threads !== 1 ? { threads: acc.threads } : {};
}

/** Where a run computes, as far as its checkpoint key cares (see {@link convThreads}). */
export interface ComputePath {
  keyExtra?: unknown;
  /** On an accelerator (SIMD optimizer) rather than the serial path. */
  accelerated: boolean;
  /** Thread count, keyed for convolutional runs only and only when it is not 1. */
  threads?: number;
}

/** The configuration key a run's checkpoint carries: network, schedule, evaluation sets, extra identity and path. */
function scheduleKey(cfg: NetworkRunConfig, phases: readonly Phase[], evals: readonly EvalTarget[], where: ComputePath): string {
  const phaseIds = phases.map((p) => ({ name: p.name, n: p.train.count, bn: p.bnTask, epochs: p.epochs }));
  const evalIds = evals.map((e) => ({ name: e.name, n: e.data.count, bn: e.bnTask, from: e.fromPhase }));
  return configKey({ cfg, phases: phaseIds, evals: evalIds, extra: where.keyExtra ?? null, path: where.accelerated ? "accelerated" : "serial", ...(where.threads !== undefined ? { threads: where.threads } : {}) });
}

/** File name of a run without extension, shared by its checkpoint and its finished-run record. */
function runStem(cfg: NetworkRunConfig, key: string): string {
  return `${cfg.transfer}-m${cfg.meta}-${key}`;
}

/**
 * Check the run's MTT transfer function against the one its folder of records was trained with (throws when a preset
 * changed it; see src/runs/finished-runs.ts); `record` notes it when the folder has none yet. Ideal sign and
 * no binarization depend on no preset.
 */
function checkRecordsTransfer(cfg: NetworkRunConfig, finishedRunsDir: string | undefined, record: boolean): void {
  if (!finishedRunsDir || (cfg.transfer !== "ecram" && cfg.transfer !== "rram")) return;
  const f = transferFor(cfg.transfer);
  checkRecordedTransfer(finishedRunsDir, cfg.transfer, transferSamples((w) => f.apply(w)), { record });
}

/** The finished-run record of the run with this key in `finishedRunsDir`, or null (none given, or none there). */
function storedRun(cfg: NetworkRunConfig, key: string, finishedRunsDir: string | undefined): ScheduleResult | null {
  checkRecordsTransfer(cfg, finishedRunsDir, false);
  return finishedRunsDir ? loadFinishedRun(finishedRunFile(finishedRunsDir, runStem(cfg, key)), key) : null;
}

/** Whether `finishedRunsDir` holds the finished-run record of this schedule on the compute path `where` (no checkpoint is read). */
export function hasFinishedRun(cfg: NetworkRunConfig, phases: readonly Phase[], evals: readonly EvalTarget[], where: ComputePath, finishedRunsDir: string): boolean {
  return storedRun(cfg, scheduleKey(cfg, phases, evals, where), finishedRunsDir) !== null;
}

function checkpointFile(dir: string, cfg: NetworkRunConfig, key: string): string {
  return path.join(dir, `${runStem(cfg, key)}.ckpt`);
}

/** The checkpoint file `runSchedule(cfg, phases, evals, …)` writes in `checkpointDir` on the compute path `where` (it may not exist). */
export function scheduleCheckpointFile(cfg: NetworkRunConfig, phases: readonly Phase[], evals: readonly EvalTarget[], checkpointDir: string, where: ComputePath): string {
  return checkpointFile(checkpointDir, cfg, scheduleKey(cfg, phases, evals, where));
}

/** How far a checkpointed run has got, read from its checkpoint without training. */
export interface ScheduleProgress {
  /** The checkpoint file the run writes (whether or not it exists yet). */
  file: string;
  epochsDone: number;
  totalEpochs: number;
  /** Training samples presented so far (epochs × phase size) and in the whole schedule. */
  samplesDone: number;
  samplesTotal: number;
  /** Training time recorded so far (null: part of it was trained before times were recorded). */
  trainingSeconds: number | null;
  /** Result rows so far (the last holds the latest accuracy). */
  rows: ScheduleRow[];
  /** Pid of the live process that holds the run's lock (training it now), or null (a stale lock file counts as none). */
  lockedBy: number | null;
}

/**
 * Progress of the run `runSchedule(cfg, phases, evals, …)` would resume, from its finished-run record in
 * `finishedRunsDir` if there is one, else from its checkpoint in `checkpointDir` (`where` must describe the path
 * the run uses, or the key will not match). A record or checkpoint that cannot be trusted throws, as resuming would.
 */
export function scheduleProgress(cfg: NetworkRunConfig, phases: readonly Phase[], evals: readonly EvalTarget[], checkpointDir: string, where: ComputePath, finishedRunsDir?: string): ScheduleProgress {
  const key = scheduleKey(cfg, phases, evals, where);
  const file = checkpointFile(checkpointDir, cfg, key);
  const totalEpochs = phases.reduce((s, p) => s + p.epochs, 0);
  const samplesTotal = phases.reduce((s, p) => s + p.epochs * p.train.count, 0);
  const lockedBy = runLockHolder(file);
  const stored = storedRun(cfg, key, finishedRunsDir);
  if (stored) return { file, epochsDone: totalEpochs, totalEpochs, samplesDone: samplesTotal, samplesTotal, trainingSeconds: stored.trainingSeconds, rows: stored.rows, lockedBy };
  const ck = loadCheckpoint<Progress>(file, key);
  if (!ck) return { file, epochsDone: 0, totalEpochs, samplesDone: 0, samplesTotal, trainingSeconds: 0, rows: [], lockedBy };
  const pr = ck.progress;
  let samplesDone = (pr.epoch + 1) * phases[pr.phase].train.count;
  for (let p = 0; p < pr.phase; p++) samplesDone += phases[p].epochs * phases[p].train.count;
  return { file, epochsDone: pr.globalEpoch, totalEpochs, samplesDone, samplesTotal, trainingSeconds: pr.trainingSeconds ?? null, rows: pr.rows, lockedBy };
}

/** Run the schedule (resuming from a checkpoint of the same configuration if one exists). */
export function runSchedule(cfg: NetworkRunConfig, phases: Phase[], evals: EvalTarget[], opts: ScheduleOptions = {}): ScheduleResult {
  validateRunConfig(cfg);
  if (phases.length === 0) throw new RangeError("phases must hold at least one training phase, got 0");
  phases.forEach((p, i) => requireInteger(`phases[${i}].epochs`, p.epochs, 1));
  const acc = opts.accelerator;
  const backend = acc ? acc.matmul : opts.backend ?? jsMatMul;
  const nTasks = Math.max(...phases.map((p) => p.bnTask), ...evals.map((e) => e.bnTask)) + 1;
  const totalEpochs = phases.reduce((s, p) => s + p.epochs, 0);
  const key = scheduleKey(cfg, phases, evals, { keyExtra: opts.keyExtra, accelerated: acc !== undefined, ...convThreads(cfg, acc) });
  const record = opts.finishedRunsDir ? finishedRunFile(opts.finishedRunsDir, runStem(cfg, key)) : null;
  checkRecordsTransfer(cfg, opts.finishedRunsDir, false);
  const stored = record ? loadFinishedRun(record, key) : null;
  if (stored) return { ...stored, resumedAfter: totalEpochs };
  const rng = createRng(cfg.seed);
  const trainer = buildTrainer(cfg, nTasks, rng, backend, acc);
  const file = opts.checkpointDir ? checkpointFile(opts.checkpointDir, cfg, key) : null;

  // One process per run: a second one writing the same checkpoint would race (it stops with a message instead).
  const release = file ? lockRun(file) : undefined;
  try {
    let rows: ScheduleRow[] = [];
    let startPhase = 0;
    let startEpoch = 0;
    let globalEpoch = 0;
    let resumedAfter: number | null = null;
    let trainingSeconds: number | null = 0;
    if (file) {
      const ck = loadCheckpoint<Progress>(file, key);
      if (ck) {
        trainer.restore(ck.snapshot);
        rows = ck.progress.rows;
        globalEpoch = ck.progress.globalEpoch;
        resumedAfter = globalEpoch;
        trainingSeconds = ck.progress.trainingSeconds ?? null;
        const p = ck.progress.phase;
        if (ck.progress.epoch + 1 < phases[p].epochs) {
          startPhase = p;
          startEpoch = ck.progress.epoch + 1;
        } else {
          startPhase = p + 1;
          startEpoch = 0;
        }
      }
    }

    let stopped = false;
    for (let p = startPhase; p < phases.length && !stopped; p++) {
      const ph = phases[p];
      const first = p === startPhase ? startEpoch : 0;
      if (first >= ph.epochs) continue;
      const phaseRng = rng.fork(`phase${p}`);
      // train() runs epochs [first, stop) and calls onEpoch after each; we stop early by narrowing `epochs`.
      const remaining = opts.stopAfterEpochs !== undefined ? opts.stopAfterEpochs - globalEpoch : Infinity;
      const lastEpoch = Math.min(ph.epochs, first + Math.max(0, remaining));
      if (lastEpoch <= first) {
        stopped = true;
        break;
      }
      let epochStart = performance.now();
      train(trainer, ph.train, {
        epochs: lastEpoch,
        startEpoch: first,
        batchSize: cfg.batchSize,
        task: ph.bnTask,
        rng: phaseRng,
        onEpoch: (r) => {
          globalEpoch++;
          const isLast = r.epoch === ph.epochs - 1;
          if (isLast || (r.epoch + 1) % cfg.evalEvery === 0) {
            for (const ev of evals) {
              if (ev.fromPhase > p) continue;
              rows.push({ phase: p, phaseName: ph.name, epoch: r.epoch, globalEpoch, eval: ev.name, accuracy: trainer.accuracy(ev.data, ev.bnTask) });
            }
          }
          const now = performance.now();
          if (trainingSeconds !== null) trainingSeconds += (now - epochStart) / 1000;
          if (file) saveCheckpoint<Progress>(file, key, trainer.snapshot(), { phase: p, epoch: r.epoch, globalEpoch, rows, ...(trainingSeconds !== null ? { trainingSeconds } : {}) });
          epochStart = now;
          opts.onEpoch?.(globalEpoch, totalEpochs);
        },
      });
      if (lastEpoch < ph.epochs) stopped = true;
    }
    const completed = globalEpoch === totalEpochs;
    const result: ScheduleResult = { rows, completed, resumedAfter, hiddenHistogram: histogram(trainer.net.hidden[0], trainer.net.config.hiddenBound), hiddenDigest: digest(trainer.net.hidden), trainingSeconds };
    if (record && completed) {
      checkRecordsTransfer(cfg, opts.finishedRunsDir, true);
      saveFinishedRun(record, key, result);
    }
    return result;
  } finally {
    release?.();
  }
}

function histogram(w: Float32Array, bound: number): { lo: number; hi: number; counts: number[] } {
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  const width = (2 * bound) / HISTOGRAM_BINS;
  for (let i = 0; i < w.length; i++) {
    let k = Math.floor((w[i] + bound) / width);
    k = k < 0 ? 0 : k >= HISTOGRAM_BINS ? HISTOGRAM_BINS - 1 : k;
    counts[k]++;
  }
  return { lo: -bound, hi: bound, counts };
}

/** FNV-1a over the bytes of all hidden weights (identity check, not security). */
function digest(arrays: Float32Array[]): string {
  let h = 0x811c9dc5;
  for (const a of arrays) {
    const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}
