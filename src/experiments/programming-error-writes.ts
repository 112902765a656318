/**
 * Which optimizer writes carry the programming error? (Yang Fig 7d, S33; the reading is ours.) The paper says
 * the network is almost unaffected below σ = 20 % and that larger errors "accumulate during training" and
 * degrade it with the epochs, but not when a device is written. This experiment trains the Fig 7d protocol
 * (one task, Fashion-MNIST, ECRAM-MTT, m = 12, 3-bit hidden weights) under each write model of
 * src/nn/programming-error.ts and tabulates the loss against σ = 0, so a reader can see why the project
 * adopts `"every-update"` and what that choice costs at long training.
 */
import * as path from "path";
import type { Row } from "../util/row";
import { PROGRAMMING_ERROR_WRITES, type ProgrammingErrorWrites } from "../nn/programming-error";
import { atBoundFraction } from "./continual-large";
import { runJobs, type RunJobsOptions } from "../runs/parallel-runs";
import { projectRoot } from "../util/project-root";
import type { JobResult, StreamJob } from "../runs/task-sequence-jobs";

export interface WriteModelComparisonConfig {
  layerSizes: number[];
  /** Fashion-MNIST training and test samples (the first ones of each split). */
  trainCount: number;
  testCount: number;
  epochs: number;
  /** Relative programming errors σ > 0 compared with the error-free run (0.2 = 20 %). */
  sigmas: number[];
  models: ProgrammingErrorWrites[];
  /** Paper §4.5: lr 0.005, m = 12, 3 bits; batch 100 from Laborieux et al. (public model). */
  lr: number;
  meta: number;
  hiddenBits: number;
  batchSize: number;
  seed: string;
}

/**
 * Short training (quick mode): notebook 06's quick programming-error protocol, 2,000 samples × 8 epochs = 160
 * steps on 784×256×128×10. Assumed: the size and step count of the quick Fig 7d runs; its seed and test set
 * differ ("06/write-models", 2,000 test images, against "06/prog-error" and 400), so the two tables' losses
 * differ by a few pp.
 */
export const WRITE_MODELS_SHORT: Readonly<WriteModelComparisonConfig> = Object.freeze({
  layerSizes: [784, 256, 128, 10],
  trainCount: 2000,
  testCount: 2000,
  epochs: 8,
  sigmas: [0.2, 0.5],
  models: [...PROGRAMMING_ERROR_WRITES],
  lr: 0.005,
  meta: 12,
  hiddenBits: 3,
  batchSize: 100,
  seed: "06/write-models",
});

/**
 * Long training (full mode): 10,000 samples × 30 epochs = 3,000 steps on the same network. Assumed: long
 * enough for the metaplastic optimizer to pin most hidden weights at the bound (the regime of the paper-scale
 * runs, 18,000 steps), short enough to take minutes rather than hours.
 */
export const WRITE_MODELS_LONG: Readonly<WriteModelComparisonConfig> = Object.freeze({ ...WRITE_MODELS_SHORT, trainCount: 10000, epochs: 30 });

/**
 * Where the long comparison keeps its runs, like notebook 06's paper-scale runs: a checkpoint per run after every
 * epoch (untracked) and a finished-run record per completed run (committed, so a fresh clone does not train them again).
 */
export const WRITE_MODELS_LONG_STORAGE = Object.freeze({ checkpointDir: ".checkpoints/06-write-models", finishedRunsDir: "figures/06-continual-large/full/write-model-runs" });

/** {@link WRITE_MODELS_LONG_STORAGE} with both folders resolved against the project root: the same folders from any working directory. */
export function writeModelsLongStorage(): { checkpointDir: string; finishedRunsDir: string } {
  const root = projectRoot();
  return { checkpointDir: path.join(root, WRITE_MODELS_LONG_STORAGE.checkpointDir), finishedRunsDir: path.join(root, WRITE_MODELS_LONG_STORAGE.finishedRunsDir) };
}

/** One run per (model, σ) plus one error-free run (labels `σ0` and `<model>/<σ>`). */
export function writeModelJobs(c: WriteModelComparisonConfig): StreamJob[] {
  const job = (label: string, sigma: number, writes?: ProgrammingErrorWrites): StreamJob => ({
    kind: "stream",
    label,
    run: { seed: c.seed, layerSizes: c.layerSizes, transfer: "ecram", hiddenBits: c.hiddenBits, lr: c.lr, meta: c.meta, batchSize: c.batchSize, programmingNoiseRel: sigma, ...(writes ? { programmingErrorWrites: writes } : {}), evalEvery: 1 },
    dataset: "fmnist",
    trainCount: c.trainCount,
    testCount: c.testCount,
    subsets: 1,
    epochsPerSubset: c.epochs,
  });
  if (c.sigmas.some((s) => !(s > 0))) throw new RangeError(`sigmas must all be > 0 (σ = 0 runs once, as the reference), got ${c.sigmas.join(", ")}`);
  return [job("σ0", 0), ...c.models.flatMap((m) => c.sigmas.map((s) => job(`${m}/${s}`, s, m)))];
}

export async function runWriteModelComparison(c: WriteModelComparisonConfig, opts: RunJobsOptions = {}): Promise<JobResult[]> {
  return runJobs(writeModelJobs(c), opts);
}

const finalPct = (r: JobResult) => 100 * r.result.rows[r.result.rows.length - 1].accuracy;
const firstPct = (r: JobResult) => 100 * r.result.rows[0].accuracy;

/**
 * Rows {write model, σ (%), accuracy after the first epoch, final accuracy, loss against σ = 0 (pp), share of the
 * first layer's hidden weights near the ±1 bound (%)}. "Near" is the outermost bins of the run's final histogram
 * (|W_h| within 2/HISTOGRAM_BINS of the bound, about 0.96 and above).
 */
export function writeModelTable(results: readonly JobResult[]): Row[] {
  const ref = results.find((r) => r.job.run.programmingNoiseRel === 0);
  if (!ref) throw new RangeError("the comparison needs its error-free run (σ = 0)");
  return results.map((r) => ({
    "write model": r.job.run.programmingNoiseRel === 0 ? "(no error)" : (r.job.run.programmingErrorWrites ?? "every-update"),
    "σ (%)": Math.round(r.job.run.programmingNoiseRel * 1000) / 10,
    firstEpochAccuracy: firstPct(r),
    finalAccuracy: finalPct(r),
    lossVsNoError: finalPct(ref) - finalPct(r),
    nearBoundPct: 100 * atBoundFraction(r),
  }));
}

/** Final-accuracy loss (pp) of `model` at σ against the error-free run. */
export function writeModelLossPp(results: readonly JobResult[], model: ProgrammingErrorWrites, sigma: number): number {
  const row = writeModelTable(results).find((x) => x["write model"] === model && Math.abs((x["σ (%)"] as number) - sigma * 100) < 1e-9);
  if (!row) throw new RangeError(`no run for ${model} at σ = ${sigma}`);
  return row.lossVsNoError as number;
}
