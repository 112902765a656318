/**
 * Spread independent runs (seeds, sweep points, transfer functions) over worker threads. Each job is
 * plain JSON and carries its own seed, so where it runs does not change its result: the results are
 * bit-identical to running the same jobs one after another in this process (`workers: 1`).
 *
 * Workers load the TypeScript sources through tsx's CommonJS hook (a dev dependency already installed).
 * The tfjs-wasm matmul is single-threaded under Node, so two workers on two cores give up to 2×; on a
 * machine busy with other work, less.
 */
import * as os from "os";
import * as path from "path";
import { runJobsInWorkers } from "../util/worker-jobs";
import { projectRoot } from "../util/project-root";
import { requireInteger } from "../util/validate";
import { jsMatMul } from "../nn/matmul";
import { wasmMatMul } from "../nn/wasm-backend";
import { createParallelPool } from "../nn/parallel";
import { RunLockedError } from "../util/run-lock";
import { executeJob, type Job, type JobResult } from "./task-sequence-jobs";

export interface RunJobsOptions {
  /** Worker threads; 1 runs in this process. Default: min(2, CPU count, jobs). */
  workers?: number;
  /**
   * "wasm" (default): one tfjs-wasm thread per run, runs spread over `workers`. "pool": fully connected runs
   * one after another here, each on the engine's two-thread pool (SIMD optimizer; not bit-identical to "wasm",
   * see ScheduleOptions.accelerator), convolutional runs as with "simd" over `workers`. "simd": runs spread over `workers`, each run on the
   * engine's single-thread SIMD accelerator (same numerics as "pool"). "js": plain JavaScript products (tests).
   */
  backend?: "js" | "wasm" | "pool" | "simd";
  /** Checkpoint folder (full mode): every job checkpoints after every epoch and resumes. */
  checkpointDir?: string;
  /** Folder of finished-run records (committed): finished runs are read from it, completed runs write to it. */
  finishedRunsDir?: string;
  /** Called as each job finishes. */
  onResult?: (r: JobResult, done: number, total: number) => void;
}

const isConvolutional = (j: Job) => j.run.architecture !== undefined;

/**
 * The backend {@link runJobs} trains `jobs` with one run at a time in this process, or null when it spreads them
 * over worker threads: "pool" when no run is convolutional (pooled convolutional runs go side by side on "simd"
 * workers instead), "simd" on one worker. Only such a walk can skip a run another process holds
 * ({@link runJobsSkippingBusy}).
 */
export function oneRunAtATimeBackend(jobs: readonly Job[], backend: RunJobsOptions["backend"], workers: number | undefined): "pool" | "simd" | null {
  if (backend === "pool" && !jobs.some(isConvolutional)) return "pool";
  if (backend === "simd" && workers === 1) return "simd";
  return null;
}

/** Run all jobs; results come back in the order of `jobs`. */
export async function runJobs(jobs: Job[], opts: RunJobsOptions = {}): Promise<JobResult[]> {
  const backendName = opts.backend ?? "wasm";
  if (jobs.length === 0) return [];
  const workers = Math.min(opts.workers ?? Math.min(2, os.cpus().length), jobs.length);
  requireInteger("workers", workers, 1);
  const results: JobResult[] = new Array(jobs.length);
  let done = 0;
  if (backendName === "pool" && jobs.some(isConvolutional)) {
    // Convolutional runs are small: splitting each of their products over two threads gains little and changes
    // their numerics (task-sequence-runner.ts), so they run side by side, one per core, on single-thread accelerators.
    const forward = (r: JobResult) => opts.onResult?.(r, ++done, jobs.length);
    const convIdx = jobs.flatMap((j, i) => (isConvolutional(j) ? [i] : []));
    const fcIdx = jobs.flatMap((j, i) => (isConvolutional(j) ? [] : [i]));
    const conv = await runJobs(convIdx.map((i) => jobs[i]), { ...opts, backend: "simd", onResult: forward });
    const fc = await runJobs(fcIdx.map((i) => jobs[i]), { ...opts, onResult: forward });
    convIdx.forEach((i, k) => (results[i] = conv[k]));
    fcIdx.forEach((i, k) => (results[i] = fc[k]));
    return results;
  }
  const serial = oneRunAtATimeBackend(jobs, backendName, workers);
  if (serial !== null) {
    for (let i = 0; i < jobs.length; i++) {
      // A fresh pool per run: its shared arena is a bump allocator sized for one network.
      const pool = await createParallelPool({ threads: serial === "pool" ? 2 : 1 });
      try {
        results[i] = executeJob(jobs[i], { accelerator: pool, checkpointDir: opts.checkpointDir, finishedRunsDir: opts.finishedRunsDir });
      } finally {
        await pool.close();
      }
      opts.onResult?.(results[i], ++done, jobs.length);
    }
    return results;
  }
  if (workers === 1) {
    const backend = backendName === "wasm" ? await wasmMatMul() : jsMatMul;
    for (let i = 0; i < jobs.length; i++) {
      results[i] = executeJob(jobs[i], { backend, checkpointDir: opts.checkpointDir, finishedRunsDir: opts.finishedRunsDir });
      opts.onResult?.(results[i], ++done, jobs.length);
    }
    return results;
  }
  return runJobsInWorkers<Job, JobResult>({
    root: projectRoot(),
    entry: path.join("src", "runs", "parallel-runs-worker.ts"),
    jobs,
    workers,
    workerData: { backend: backendName as "js" | "wasm" | "simd", checkpointDir: opts.checkpointDir, finishedRunsDir: opts.finishedRunsDir },
    describe: (i) => jobs[i].label,
    onResult: opts.onResult,
  });
}

/** A run {@link runJobsSkippingBusy} left to the live process that holds its lock. */
export interface BusyRun {
  label: string;
  /** The process training it. */
  pid: number;
}

/**
 * Run `jobs` one after another in this process (backend "pool", or "simd" on one thread), skipping every run
 * another live process is training at the moment its turn comes (its checkpoint is locked, {@link RunLockedError})
 * instead of stopping at it: two processes that walk overlapping lists of a long full-mode run then both keep
 * training. `onResult` counts the trained and finished runs; `onBusy` is told of each skipped run. Any other
 * error stops the walk as in {@link runJobs}.
 */
export async function runJobsSkippingBusy(
  jobs: Job[],
  opts: Omit<RunJobsOptions, "workers"> & { backend: "pool" | "simd"; onBusy?: (run: BusyRun) => void },
): Promise<{ results: JobResult[]; busy: BusyRun[] }> {
  if (!opts.checkpointDir) throw new RangeError("runJobsSkippingBusy needs a checkpointDir: a run is busy when its checkpoint is locked");
  const results: JobResult[] = [];
  const busy: BusyRun[] = [];
  for (const job of jobs) {
    try {
      const [r] = await runJobs([job], { ...opts, workers: 1, onResult: undefined });
      results.push(r);
      opts.onResult?.(r, results.length + busy.length, jobs.length);
    } catch (e) {
      if (!(e instanceof RunLockedError)) throw e;
      const run = { label: job.label, pid: e.pid };
      busy.push(run);
      opts.onBusy?.(run);
    }
  }
  return { results, busy };
}
